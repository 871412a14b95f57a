/**
 * A worker in a process of its own, for fault tests to kill (SIGKILL) in the middle of a step:
 * it is the real worker — the suite's workflow bundle and the real activities — except that its
 * projection, the local activity inside each act, first says `projecting <decision> <seq>` on
 * standard output and waits FAULT_PROJECTION_DELAY_MS, so the test knows the workflow has taken
 * the act up and not yet finished it. Configured by the environment (see `faultWorkerEnv`).
 */
import fs from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { connectStore } from '../../activities/models';

/** The environment that starts this worker. */
export function faultWorkerEnv(o: { temporalAddress: string; namespace: string; taskQueue: string; mongoUri: string; mongoDb: string; bundlePath: string; projectionDelayMs: number }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    FAULT_TEMPORAL_ADDRESS: o.temporalAddress,
    FAULT_NAMESPACE: o.namespace,
    FAULT_TASK_QUEUE: o.taskQueue,
    FAULT_MONGODB_URI: o.mongoUri,
    FAULT_MONGODB_DB: o.mongoDb,
    FAULT_BUNDLE_PATH: o.bundlePath,
    FAULT_PROJECTION_DELAY_MS: String(o.projectionDelayMs),
  };
}

async function main() {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`fault-worker: ${name} is not set`);
    return v;
  };
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { models } = await connectStore(env('FAULT_MONGODB_URI'), env('FAULT_MONGODB_DB'));
  const activities = createActivities({ models });
  const delayMs = Number(env('FAULT_PROJECTION_DELAY_MS'));
  const projectDecision: typeof activities.projectDecision = async (delta) => {
    process.stdout.write(`projecting ${delta.summary.decisionId} ${delta.summary.seq}\n`);
    await new Promise((r) => setTimeout(r, delayMs));
    return activities.projectDecision(delta);
  };
  const connection = await NativeConnection.connect({ address: env('FAULT_TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: env('FAULT_NAMESPACE'),
    taskQueue: env('FAULT_TASK_QUEUE'),
    workflowBundle: { code: fs.readFileSync(env('FAULT_BUNDLE_PATH'), 'utf8') },
    activities: { ...activities, projectDecision },
  });
  process.stdout.write('ready\n');
  await worker.run();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
