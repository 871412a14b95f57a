/** Builds the Temporal worker: the workflow bundle plus activities bound to the store. */
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities';
import { startAuditSealer } from '../activities/audit-chain';
import { startChangeNotifier } from '../activities/change-notifier';
import type { Models } from '../activities/models';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/** Bundle the deterministic workflow code once (tests reuse one bundle for every worker). */
export async function bundleWorkflows(): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return { code };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  models: Models;
  bundle?: WorkflowBundleOption;
}

/**
 * Connect and create a worker; the caller runs it (`run()`: the Temporal worker and, beside it,
 * the notifier that announces the changes its projections queue and the sealer that links every
 * new audit event into the hash chains) and shuts it down
 * (`worker.shutdown()`, after which `run()` resolves once the notifier has stopped too).
 */
export async function createWorker(o: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection; run(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: o.address });
  const activities = createActivities({ models: o.models });
  const worker = await Worker.create({
    connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.bundle ? { workflowBundle: o.bundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
  });
  const run = async () => {
    const notifier = startChangeNotifier(o.models, activities.notifyChanges);
    const sealer = startAuditSealer(o.models);
    try {
      await worker.run();
    } finally {
      await Promise.all([notifier.stop(), sealer.stop()]);
    }
  };
  return { worker, connection, run };
}
