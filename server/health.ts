/**
 * /healthz checks: Temporal answers, the store answers, a worker polls the task queue — and,
 * under the embedded FerretDB on PostgreSQL, PostgreSQL answers. Temporal's checks carry the
 * client's own deadline; every check is also cut off after 3 s. Under `npm start` the answer
 * also carries each supervised child server's state, restarts and last exit (server/supervisor.ts).
 */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { HealthProbe } from './app';
import type { ProcessStatus } from './supervisor';

/** Temporal's checks: a deadline of the client's own, inside the 3 s cut-off. */
const TEMPORAL_CHECK_MS = 1500;

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

export interface StoreHealth {
  /** What the store is, e.g. "FerretDB on PostgreSQL 15.18", shown as the store check's detail. */
  storeLabel?: string;
  /** The embedded PostgreSQL's check (reported as `postgresql`). */
  checkPostgres?: () => Promise<string>;
  /** The supervised child servers, reported as `processes`. */
  processes?: () => ProcessStatus[];
}

export function healthProbe(client: Client, namespace: string, taskQueue: string, store: Connection, extra: StoreHealth = {}): HealthProbe {
  const probe: HealthProbe = async () => {
    const deadline = () => Date.now() + TEMPORAL_CHECK_MS;
    const [temporal, storeCheck, worker, postgresql] = await Promise.all([
      check(async () => {
        await client.withDeadline(deadline(), () => client.workflowService.describeNamespace({ namespace }));
      }),
      check(async () => {
        await store.db!.admin().ping();
        return extra.storeLabel;
      }),
      check(async () => {
        const r = await client.withDeadline(deadline(), () => client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* WORKFLOW */ }));
        const recent = (r.pollers ?? []).length;
        if (!recent) throw new Error(`no worker is polling task queue "${taskQueue}"`);
        return `${recent} poller(s)`;
      }),
      extra.checkPostgres ? check(extra.checkPostgres) : undefined,
    ]);
    return { temporal, store: storeCheck, worker, ...(postgresql ? { postgresql } : {}) };
  };
  if (extra.processes) probe.processes = extra.processes;
  return probe;
}
