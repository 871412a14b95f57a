/**
 * Outages on the real stack, with a Temporal dev server and a store (FerretDB, as `npm start`
 * runs it) of this file's own, so stopping them harms no other test file: with Temporal, the store
 * or the worker gone, the API answers 503 DEPENDENCY_UNAVAILABLE naming it — promptly, never a
 * 500, never a hang — what does not need the missing piece keeps answering, and once it is back
 * the same decision goes on to archive with every act done once — also when the worker is killed
 * in the middle of a step (test/support/fault-worker.ts). Then `juece reconcile` finds
 * the read model whole, and repairs it when part of it is lost.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../server/config';
import { startThrowawayStore, type EmbeddedStore } from '../../server/embedded-store';
import { provisionFor } from '../../server/provision';
import { reconcile } from '../../server/reconcile';
import { freePort, startTemporalDev, type ManagedServer } from '../../server/services';
import { apiPaths } from '../support/api-paths';
import { eventually } from '../support/eventually';
import { faultWorkerEnv } from '../support/fault-worker';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';
import { readSuiteState } from '../support/suite-state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;

const ROOT = path.join(__dirname, '..', '..');
let dir: string;
let temporal: ManagedServer & { address: string };
let store: EmbeddedStore;
/** FerretDB: the store as the API sees it (the last of the store's servers). */
let ferretdb: ManagedServer;
let h: Harness;
let p: ReturnType<typeof apiPaths>;
/** How long each 503 took, reported at the end. */
const took: Record<string, number> = {};

beforeAll(async () => {
  const config = loadConfig();
  const bins = await provisionFor(config);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-faults-'));
  temporal = await startTemporalDev({ bin: bins.temporal!, port: await freePort(), uiPort: null, dbFile: path.join(dir, 'temporal', 'temporal.db'), logFile: path.join(dir, 'temporal.log'), startTimeoutMs: 90_000 });
  store = await startThrowawayStore(config, bins, dir);
  ferretdb = store.servers.at(-1)!;
  h = await startHarness('faults', { temporalAddress: temporal.address, mongoUri: store.uri });
  p = apiPaths(h);
});

afterAll(async () => {
  console.log(`503 DEPENDENCY_UNAVAILABLE answered in: ${Object.entries(took).map(([k, ms]) => `${k} ${ms} ms`).join(', ')}`);
  await h?.close();
  for (const s of [...(store?.servers.slice(0, -1) ?? []), ferretdb, temporal].reverse()) await s?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A request as `as`, with an Idempotency-Key when given; the time it took, too. */
async function call(method: string, url: string, as: string | null, body?: unknown, key?: string): Promise<{ status: number; body: Json; ms: number; retryAfter: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(as ? await h.authHeaders(as) : {}), ...(key ? { 'idempotency-key': key } : {}) };
  const began = Date.now();
  const res = await fetch(h.baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, ms: Date.now() - began, retryAfter: res.headers.get('retry-after') };
}

/** The answer every route gives for a missing dependency. */
function expectUnavailable(r: { status: number; body: Json; retryAfter: string | null }, dependency: string) {
  expect([r.status, r.body?.error?.code, r.body?.error?.details?.dependency]).toEqual([503, 'DEPENDENCY_UNAVAILABLE', dependency]);
  expect(Number(r.retryAfter)).toBeGreaterThan(0);
}

const auditOf = async (id: string): Promise<Json[]> => (await h.api('GET', `/api/decisions/${id}/audit`, undefined, 'zjj')).body.items;
/** Accepted acts: each (action, step, seq) at most once, whatever was retried. */
const accepted = (audit: Json[]) => audit.filter((e) => e.result === 'accepted').map((e) => `${e.action}:${e.stepId ?? ''}`);

let id: string;

test('Temporal stopped: 503 naming Temporal within 2 s; the list, the recorded decision, sign-in and the statute still answer; the act resumes once', async () => {
  id = await p.create();
  await p.perform(id, 'initiation', sample.initiation());
  await p.draft(id, '第一稿');
  await h.login('office');
  await temporal.stop();

  const live = await call('GET', `/api/decisions/${id}`, 'zjj');
  expectUnavailable(live, 'temporal');
  took['Temporal down (view)'] = live.ms;
  expect(live.ms).toBeLessThan(2000);
  const act = await call('POST', `/api/decisions/${id}/steps/drafting/start`, 'zjj', {}, 'faults-drafting-start');
  expectUnavailable(act, 'temporal');
  took['Temporal down (act)'] = act.ms;
  expect(act.ms).toBeLessThan(2000);
  expect(act.body.error.details.act).toMatchObject({ state: 'not-confirmed', updateId: expect.any(String) });

  // What lives in the store keeps answering.
  const list = await call('GET', '/api/decisions', 'zjj');
  expect(list.status).toBe(200);
  expect(list.body.items.map((d: Json) => d.id)).toContain(id);
  expect((await call('GET', `/api/decisions/${id}/summary`, 'zjj')).status).toBe(200);
  expect((await call('GET', `/api/decisions/${id}/audit`, 'zjj')).status).toBe(200);
  expect((await call('GET', '/api/statute/catalogue', null)).status).toBe(200);
  const signIn = await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sfj', password: 'test-password-1' }) });
  expect(signIn.status).toBe(200);
  const health = await call('GET', '/healthz', null);
  expect(health.status).toBe(503);
  expect(health.body.checks.temporal.ok).toBe(false);
  expect(health.body.checks.store.ok).toBe(true);

  // The same dev server, on the same database file: the decision is there and the act goes through once.
  temporal = (await temporal.restart!()) as typeof temporal;
  const again = await eventually(
    () => call('POST', `/api/decisions/${id}/steps/drafting/start`, 'zjj', {}, 'faults-drafting-start'),
    (r) => r.status !== 503,
    60_000,
  );
  expect(again.status).toBe(200);
  await eventually(() => auditOf(id), (a) => accepted(a).filter((x) => x === 'start:drafting').length === 1);
});

test('store stopped: 503 naming the store within 2 s; the statute still answers; once it is back the act goes through once', async () => {
  await ferretdb.stop();
  const act = await call('POST', `/api/decisions/${id}/steps/drafting/complete`, 'zjj', sample.drafting(), 'faults-drafting-complete');
  expectUnavailable(act, 'store');
  took['store down (act)'] = act.ms;
  expect(act.ms).toBeLessThan(2000);
  const list = await call('GET', '/api/decisions', 'zjj');
  expectUnavailable(list, 'store');
  took['store down (list)'] = list.ms;
  expect(list.ms).toBeLessThan(2000);
  const signIn = await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lawyer', password: 'test-password-1' }) });
  expect(signIn.status).toBe(503);
  expect((await call('GET', '/api/statute/catalogue', null)).status).toBe(200);
  expect((await call('GET', '/healthz', null)).body.checks.store.ok).toBe(false);

  ferretdb = await ferretdb.restart!();
  const again = await eventually(
    () => call('POST', `/api/decisions/${id}/steps/drafting/complete`, 'zjj', sample.drafting(), 'faults-drafting-complete'),
    (r) => r.status !== 503,
    60_000,
  );
  expect(again.status).toBe(200);
  await eventually(() => auditOf(id), (a) => accepted(a).filter((x) => x === 'complete:drafting').length === 1);
});

test('worker gone: an act waits for it, then 503 naming the worker with the act held by Temporal; when a worker returns it takes effect once', async () => {
  await h.stopWorker();
  const act = await call('POST', `/api/decisions/${id}/steps/public_participation/start`, 'zjj', {}, 'faults-participation-start');
  expectUnavailable(act, 'worker');
  took['worker gone (act, after the patience for a slow worker)'] = act.ms;
  expect(['received', 'accepted']).toContain(act.body.error.details.act.state);
  // Temporal and the store are up: the list and the recorded decision answer at once.
  expect((await call('GET', '/api/decisions', 'zjj')).status).toBe(200);
  expect((await call('GET', `/api/decisions/${id}/summary`, 'zjj')).status).toBe(200);

  await h.startWorker();
  const again = await eventually(
    () => call('POST', `/api/decisions/${id}/steps/public_participation/start`, 'zjj', {}, 'faults-participation-start'),
    (r) => r.status !== 503,
    60_000,
  );
  expect(again.status).toBe(200);
  await eventually(() => auditOf(id), (a) => accepted(a).filter((x) => x === 'start:public_participation').length === 1);
});

test('the worker killed in the middle of a step: a new worker finishes it, once — one audit event, one record', async () => {
  await h.stopWorker();
  // node itself with tsx's loader, not the tsx command: that would run the worker in a child of
  // its own, which a SIGKILL to the command leaves running.
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'fault-worker.ts')], {
    cwd: ROOT,
    env: faultWorkerEnv({ temporalAddress: temporal.address, namespace: readSuiteState().namespace, taskQueue: h.taskQueue, mongoUri: store.uri, mongoDb: h.mongoDb, bundlePath: readSuiteState().bundlePath, projectionDelayMs: 3000 }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  worker.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise((r) => worker.once('exit', r));
  try {
    await eventually(async () => out, (o) => o.includes('ready\n'), 60_000);
    const key = 'faults-participation-complete';
    const first = call('POST', `/api/decisions/${id}/steps/public_participation/complete`, 'zjj', sample['public-participation'](), key);
    // The workflow has taken the act up and is projecting it: the middle of the step.
    await eventually(async () => out, (o) => o.includes(`projecting ${id} `), 30_000);
    worker.kill('SIGKILL');
    await exited;
    await h.startWorker();
    // The request under way is answered when the new worker has done the act (or, past the
    // patience kept for a slow worker, 503 naming the worker); sent again, it gets the one answer.
    const answered = await first;
    if (answered.status === 503) expectUnavailable(answered, 'worker');
    else expect(answered.status).toBe(200);
    const again = await eventually(
      () => call('POST', `/api/decisions/${id}/steps/public_participation/complete`, 'zjj', sample['public-participation'](), key),
      (r) => r.status !== 503,
      60_000,
    );
    expect(again.status).toBe(200);
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
  const audit = await eventually(() => auditOf(id), (a) => accepted(a).includes('complete:public_participation'));
  expect(accepted(audit).filter((x) => x === 'complete:public_participation')).toHaveLength(1);
  const records = await h.deps.models.StepRecord.find({ decisionId: id, elementId: 'public_participation', action: 'complete' }).lean();
  expect(records).toHaveLength(1);
});

test('after the outages the decision goes on to archive, nothing done twice, and reconcile finds the read model whole', async () => {
  await p.reviewed(id);
  await p.meet(id);
  await p.perform(id, 'party_report', sample['party-report']());
  await p.perform(id, 'publication', sample.publication());
  await p.perform(id, 'archive', sample.archive());
  await eventually(async () => h.deps.models.Archive.findById(id).lean(), (a) => Boolean(a));

  const audit = await eventually(() => auditOf(id), (a) => accepted(a).includes('complete:archive'));
  const acts = accepted(audit).filter((x) => /^(start|complete):/.test(x));
  expect(acts).toEqual([...new Set(acts)]);

  const clean = await reconcile(h.deps.client, h.deps.models, { taskQueue: h.taskQueue });
  expect(clean).toMatchObject({ decisions: 1, repaired: [], unreadable: [] });
});

test('`juece reconcile` reports what the read model lost and repairs it from the workflow', async () => {
  const { AuditEvent, StepRecord } = h.deps.models;
  const before = { audit: await AuditEvent.countDocuments({ decisionId: id }), records: await StepRecord.countDocuments({ decisionId: id }) };
  const lostAudit = await AuditEvent.findOne({ decisionId: id, result: 'accepted' }).sort({ seq: -1 }).lean();
  const lostRecord = await StepRecord.findOne({ decisionId: id }).sort({ seq: -1 }).lean();
  await AuditEvent.deleteOne({ _id: lostAudit!._id });
  await StepRecord.deleteOne({ _id: lostRecord!._id });

  const env = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: h.taskQueue, MONGODB_URI: store.uri, MONGODB_DB: h.mongoDb };
  const cli = (...args: string[]) => promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'juece.ts'), ...args], { env, cwd: ROOT, timeout: 120_000 });
  const dry = await cli('reconcile', '--dry-run');
  expect(dry.stdout).toContain(`${id}:`);
  expect(dry.stdout).toMatch(/Compared 1 decision\(s\) with the read model: 1 differ\./);
  expect(await AuditEvent.countDocuments({ decisionId: id })).toBe(before.audit - 1);

  const fix = await cli('reconcile');
  expect(fix.stdout).toMatch(/1 repaired\./);
  expect({ audit: await AuditEvent.countDocuments({ decisionId: id }), records: await StepRecord.countDocuments({ decisionId: id }) }).toEqual(before);
  expect((await cli('reconcile', '--dry-run')).stdout).toMatch(/0 differ\./);
});
