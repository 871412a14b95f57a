import { notifiedUpTo } from '../../activities/notify-progress';
import type { Models } from '../../activities/models';

/**
 * Poll until the read model (or anything else written asynchronously) shows what a test
 * expects; projections land a moment after the workflow accepts an action.
 */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`never converged: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Wait until a decision's notifications have caught up with its latest change: they follow the
 * projection from the workflow's main loop, a moment after the act that caused them returned.
 */
export async function notified(models: Models, decisionId: string): Promise<void> {
  await eventually(
    async () => ({ seq: (await models.Decision.findById(decisionId, { seq: 1 }).lean())?.seq ?? 0, notified: await notifiedUpTo(models, decisionId) }),
    (d) => d.notified >= d.seq,
  );
}
