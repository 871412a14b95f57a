/**
 * The bench's baseline: a bare Temporal workflow whose Update runs one local activity and answers
 * a number — what Juece's step path costs at the least on the same server. Bundled by the bench
 * alone (bench/baseline.ts), never part of the product's workflow bundle.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export const bumpUpdate = defineUpdate<number, [number]>('bump');
export const stopUpdate = defineUpdate<void>('stop');

const { noop } = proxyLocalActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

export async function baseline(): Promise<void> {
  let total = 0;
  let stopped = false;
  setHandler(bumpUpdate, async (n) => (total += await noop(n)));
  setHandler(stopUpdate, () => void (stopped = true));
  await condition(() => stopped);
}
