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
