/**
 * The notifier: tells people about the changes the projections queued (notify_jobs), outside the
 * decisions' workflows, so a slow notification never holds a decision or anyone's act. Any number
 * of processes may run it: each job is claimed by one (an atomic pending → claimed update), done,
 * then removed; a claim left by a process that died is released after a minute. Jobs are
 * insert-once and notifications insert-once, so nothing is told twice and nothing is lost.
 */
import type { Models } from './models';

export interface ChangeNotifier {
  /** Stop after the job in hand; resolves when it is done. */
  stop(): Promise<void>;
}

const STALE_CLAIM_MS = 60_000;

/** Run one job; true when there was one. */
async function runOne(models: Models, notifyChanges: (job: { decisionId: string; seq: number; since: number; minutesRecorded: boolean }) => Promise<void>): Promise<boolean> {
  const job = await models.NotifyJob.findOneAndUpdate({ status: 'pending' }, { $set: { status: 'claimed', claimedAt: new Date() } }, { sort: { createdAt: 1 }, returnDocument: 'after' }).lean();
  if (!job) return false;
  await notifyChanges({ decisionId: job.decisionId, seq: job.seq, since: job.since, minutesRecorded: Boolean(job.minutesRecorded) });
  await models.NotifyJob.deleteOne({ _id: job._id });
  return true;
}

/**
 * Start the notifier: it drains the queue, then looks again every `idleMs`. `notifyChanges` is the
 * activity of the same name (activities/index.ts), called directly.
 */
export function startChangeNotifier(
  models: Models,
  notifyChanges: Parameters<typeof runOne>[1],
  o: { idleMs?: number; log?: (m: string) => void } = {},
): ChangeNotifier {
  const idleMs = o.idleMs ?? 100;
  const log = o.log ?? ((m: string) => console.error(m));
  let stopped = false;
  let lastError: string | null = null;
  let lastRelease = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        if (Date.now() - lastRelease > STALE_CLAIM_MS / 2) {
          lastRelease = Date.now();
          await models.NotifyJob.updateMany({ status: 'claimed', claimedAt: { $lt: new Date(Date.now() - STALE_CLAIM_MS) } }, { $set: { status: 'pending', claimedAt: null } });
        }
        const worked = await runOne(models, notifyChanges);
        if (lastError !== null) log('Notifications: the notifier works again.');
        lastError = null;
        if (!worked) await new Promise((r) => setTimeout(r, idleMs));
      } catch (err) {
        const message = String((err as Error)?.message ?? err);
        if (message !== lastError) log(`Notifications: a change could not be announced yet: ${message}`);
        lastError = message;
        await new Promise((r) => setTimeout(r, Math.max(idleMs, 1000)));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
