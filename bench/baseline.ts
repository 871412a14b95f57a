/**
 * The baseline for the step path: bare Temporal Updates that each run one local activity, on the
 * same Temporal server, in the same run as Juece's own step actions — measured one at a time
 * (latency) and with N concurrent clients (throughput and p99), so targets read "≤ 1.5× bare".
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { bumpUpdate, stopUpdate } from './baseline-workflow';
import { summarize, type Summary } from './stats';

/** N clients for a while: completed Updates per second, their latency, failures. */
export interface BareRun {
  clients: number;
  seconds: number;
  perSecond: number;
  latency: Summary;
  errors: number;
}

export interface Baseline {
  /** `n` Updates one at a time (after a short warm-up): latency. */
  sequential(n: number): Promise<Summary>;
  /** `clients` loops, each on its own workflow, for `seconds`. */
  concurrent(clients: number, seconds: number): Promise<BareRun>;
  close(): Promise<void>;
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/** Run `clients` loops for `ms`, each timing `op(client)`; returns the latencies and the count. */
export async function loadFor(clients: number, ms: number, op: (client: number, i: number) => Promise<void>): Promise<{ latencies: number[]; errors: number; elapsed: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < end; i++) {
        const t = performance.now();
        try {
          await op(c, i);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors += 1;
          if (errors <= 3) console.error(`  load error: ${String((err as Error)?.message ?? err)}`);
        }
      }
    }),
  );
  return { latencies, errors, elapsed: performance.now() - t0 };
}

/** Start a baseline worker on its own task queue against `address`, with one workflow per client. */
export async function startBaseline(address: string, namespace: string, maxClients: number): Promise<Baseline> {
  const taskQueue = `bench-baseline-${crypto.randomBytes(3).toString('hex')}`;
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'baseline-workflow.ts'), logger: quiet });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowBundle: bundle, activities: { noop: async (n: number) => n } });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const handles: WorkflowHandle[] = await Promise.all(Array.from({ length: Math.max(maxClients, 1) }, (_, i) => client.workflow.start('baseline', { taskQueue, workflowId: `${taskQueue}-${i}` })));
  const bump = (c: number) => handles[c].executeUpdate(bumpUpdate, { args: [1] }).then(() => undefined);
  return {
    async sequential(n) {
      for (let i = 0; i < 5; i++) await bump(0);
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await bump(0);
        ms.push(performance.now() - t);
      }
      return summarize(ms);
    },
    async concurrent(clients, seconds) {
      const run = await loadFor(clients, seconds * 1000, (c) => bump(c));
      return { clients, seconds: run.elapsed / 1000, perSecond: (run.latencies.length / run.elapsed) * 1000, latency: summarize(run.latencies), errors: run.errors };
    },
    async close() {
      await Promise.all(handles.map((h) => h.executeUpdate(stopUpdate).catch(() => undefined)));
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}
