/** /healthz checks: Temporal answers, the store answers, a worker polls the task queue. */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { HealthProbe } from './app';

async function check(fn: () => Promise<string | void>): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error('timed out after 3 s')), 3000);
    });
    const detail = await Promise.race([fn(), timeout]);
    return detail ? { ok: true, detail } : { ok: true };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthProbe(client: Client, namespace: string, taskQueue: string, store: Connection): HealthProbe {
  return async () => {
    const [temporal, storeCheck, worker] = await Promise.all([
      check(async () => {
        await client.workflowService.describeNamespace({ namespace });
      }),
      check(async () => {
        await store.db!.admin().ping();
      }),
      check(async () => {
        const r = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* WORKFLOW */ });
        const recent = (r.pollers ?? []).length;
        if (!recent) throw new Error(`no worker is polling task queue "${taskQueue}"`);
        return `${recent} poller(s)`;
      }),
    ]);
    return { temporal, store: storeCheck, worker };
  };
}
