/** A minimal workflow the foundation test and /healthz use to prove worker → activity → store. */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { writeProbe } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '10 seconds' });

export async function probeWorkflow(id: string, note: string): Promise<string> {
  await writeProbe({ id, note });
  return id;
}
