/**
 * The foundation: a real workflow started through the Temporal client, run by a real worker,
 * whose activity writes through mongoose to the real store; read back through the API.
 */
import crypto from 'node:crypto';
import { healthProbe } from '../../server/health';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('foundation');
});
afterAll(async () => {
  await h?.close();
});

test('a workflow runs an activity that writes to the store, and the API reads it back', async () => {
  const id = `probe-${crypto.randomUUID()}`;
  const result = await h.env.client.workflow.execute('probeWorkflow', { taskQueue: h.taskQueue, workflowId: id, args: [id, '你好，决策'] });
  expect(result).toBe(id);
  const doc = await h.deps.models.Probe.findById(id).lean();
  expect(doc?.note).toBe('你好，决策');
  // The workflow really ran on Temporal: its history is there.
  const desc = await h.env.client.workflow.getHandle(id).describe();
  expect(desc.status.name).toBe('COMPLETED');
});

test('/healthz is 200 when Temporal, the store and a worker are all up', async () => {
  const up = await h.api('GET', '/healthz');
  expect(up.status).toBe(200);
  expect(up.body.checks).toEqual({ temporal: { ok: true }, store: { ok: true }, worker: expect.objectContaining({ ok: true }) });
});

test('/healthz is 503 and names the worker when no worker polls the task queue', async () => {
  const probe = healthProbe(h.deps.client, h.deps.namespace, `nobody-polls-${crypto.randomUUID()}`, h.deps.store);
  const checks = await probe();
  expect(checks.worker.ok).toBe(false);
  expect(checks.worker.detail).toMatch(/no worker is polling/);
  expect(checks.temporal.ok).toBe(true);
});
