/**
 * The audit trail proves itself, on the real stack: every accepted act, refused attempt, login and
 * definition deployment is sealed into the hash chains (SM3 and SHA-256); the API and the CLI
 * recompute them; an event altered, deleted or inserted directly in the store is named. The
 * chains stay whole under concurrent writers and concurrent sealers.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { sealPending, startAuditSealer } from '../../activities/audit-chain';
import { decisionChain, SYSTEM_CHAIN } from '../../activities/audit-hash';
import { recordSecurityEvent } from '../../server/auth';
import { apiPaths } from '../support/api-paths';
import { eventually } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { readSuiteState } from '../support/suite-state';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('audit-chain');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;

/** The decision's chain once everything written so far is sealed. */
async function sealedChain(id: string, as = 'zjj'): Promise<Json> {
  return eventually(async () => (await h.api('GET', `/api/decisions/${id}/audit/verify`, undefined, as)).body as Json, (r) => r.pending === 0);
}

const run = promisify(execFile);
/** `npm run juece -- …` against this test's database; resolves with its exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, MONGODB_URI: readSuiteState().mongoUri, MONGODB_DB: h.deps.models.Decision.db.name };
  try {
    const { stdout, stderr } = await run(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'scripts', 'juece.ts'), ...args], { env, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('accepted acts and refused attempts — a skip attempt, a form error, a stranger’s 403 — are sealed in the decision’s chain and the system’s', async () => {
  const id = await p.create();
  await p.drafted(id);
  expect((await h.api('POST', `/api/decisions/${id}/steps/collective_decision/start`, {}, 'office')).status).toBe(409); // a skip attempt
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {}, 'zjj')).status).toBe(403); // not its role
  await p.act(id, 'public_participation', 'start');
  expect((await h.api('POST', `/api/decisions/${id}/steps/public_participation/complete`, { hearings: 'none' })).status).toBe(400); // a form error
  const r = await sealedChain(id);
  expect(r).toMatchObject({ ok: true, algorithms: ['sm3', 'sha256'], firstBroken: null, pending: 0 });
  const events = await h.deps.models.AuditEvent.find({ decisionId: id }).lean();
  expect(r.links).toBe(events.length);
  expect(events.filter((e) => e.result === 'refused').map((e) => e.class).sort()).toEqual(['authorization', 'input', 'statutory']);
  // Each event carries its links: the decision's and the system's, each with the hash before it.
  for (const e of events) {
    const seal = e.seal as Json;
    expect(seal.decision.prev.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(seal.system.seq).toBeGreaterThan(0);
    expect(await h.deps.models.AuditLink.findById(`${SYSTEM_CHAIN}#${seal.system.seq}`).lean()).toMatchObject({ ref: `audit_events/${e._id}`, hash: seal.system.hash });
  }
  const first = await h.deps.models.AuditLink.findById(`${decisionChain(id)}#1`).lean();
  expect(first?.prev).toEqual({ sm3: '0'.repeat(64), sha256: '0'.repeat(64) });
  // Logins and definition deployments are in the system's chain too.
  const refs = (await h.deps.models.AuditLink.find({ chain: SYSTEM_CHAIN }).lean()).map((l) => l.ref);
  expect(refs.some((ref) => ref.startsWith('security_events/'))).toBe(true);
  expect(refs.some((ref) => ref.startsWith('definitions/'))).toBe(true);
});

test('a stored event altered, deleted or inserted is named by the API and the CLI as the first broken link', async () => {
  const id = await p.create();
  await p.drafted(id);
  const before = await sealedChain(id);
  expect(before.ok).toBe(true);
  const audit = h.deps.models.AuditEvent.collection;

  // Altered: the summary of the third event, edited in the store.
  const third = (await h.deps.models.AuditLink.findById(`${decisionChain(id)}#3`).lean())!;
  const thirdId = third.ref.slice('audit_events/'.length);
  await audit.updateOne({ _id: thirdId } as never, { $set: { summary: 'started 起草 (edited)' } });
  let r = (await h.api('GET', `/api/decisions/${id}/audit/verify`, undefined, 'supervisor')).body;
  expect(r).toMatchObject({ ok: false, firstBroken: { seq: 3, ref: `audit_events/${thirdId}`, check: 'event-altered', field: 'summary' } });
  expect(r.firstBroken.zh).toContain('被改动');
  let c = await cli('audit', 'verify', '--decision', id);
  expect(c.code).toBe(1);
  expect(c.out).toContain('first broken link: #3');
  expect(c.out).toContain('[summary]');
  // The system's chain holds the same event: it breaks there too.
  const system = (await h.api('GET', '/api/audit/verify', undefined, 'supervisor')).body;
  expect(system.ok).toBe(false);
  expect(system.firstBroken).toMatchObject({ ref: `audit_events/${thirdId}`, check: 'event-altered', field: 'summary' });
  await audit.updateOne({ _id: thirdId } as never, { $set: { summary: (await originalSummary(id, 3))! } });
  expect((await h.api('GET', `/api/decisions/${id}/audit/verify`)).body.ok).toBe(true);

  // Deleted: the second event.
  const second = (await h.deps.models.AuditLink.findById(`${decisionChain(id)}#2`).lean())!;
  const saved = await audit.findOne({ _id: second.ref.slice('audit_events/'.length) } as never);
  await audit.deleteOne({ _id: saved!._id });
  r = (await h.api('GET', `/api/decisions/${id}/audit/verify`)).body;
  expect(r).toMatchObject({ ok: false, firstBroken: { seq: 2, check: 'event-missing' } });
  await audit.insertOne(saved!);

  // Inserted: an event slipped in beside the others, claiming to be sealed.
  const forged = { _id: `${id}:forged`, decisionId: id, at: new Date(Date.now() - 86_400_000), actor: '王秘书 (office)', action: 'complete', stepId: 'legality_review', result: 'accepted', summary: 'completed 合法性审查: lawful', sealed: true, seal: { decision: { seq: 2 } } };
  await audit.insertOne(forged as never);
  r = (await h.api('GET', `/api/decisions/${id}/audit/verify`)).body;
  expect(r).toMatchObject({ ok: false, firstBroken: { seq: 2, ref: `audit_events/${id}:forged`, check: 'unlinked' } });
  // … or a link forged into the ledger for it: a second holder of a position.
  await h.deps.models.AuditLink.collection.insertOne({ ...(await h.deps.models.AuditLink.findById(`${decisionChain(id)}#2`).lean()), _id: `${decisionChain(id)}#2b`, claim: 'forged', ref: `audit_events/${id}:forged` } as never);
  r = (await h.api('GET', `/api/decisions/${id}/audit/verify`)).body;
  expect(r.problems.map((x: Json) => x.check)).toContain('duplicate-link');
  c = await cli('audit', 'verify', '--decision', id);
  expect(c.code).toBe(1);
  expect(c.out).toContain('✗ 审计记录完整性：链条断裂');

  // Undone, the chain verifies again: the API, and the CLI's exit status.
  await audit.deleteOne({ _id: `${id}:forged` } as never);
  await h.deps.models.AuditLink.deleteOne({ _id: `${decisionChain(id)}#2b` });
  expect((await h.api('GET', `/api/decisions/${id}/audit/verify`)).body).toMatchObject({ ok: true, problems: [] });
  c = await cli('audit', 'verify', '--decision', id);
  expect([c.code, c.out.includes('审计记录完整性：已验证（SM3、SHA-256）')]).toEqual([0, true]);
}, 300_000);

/** The summary an event had when it was sealed: the workflow's own, from its projection query. */
async function originalSummary(id: string, seq: number): Promise<string | undefined> {
  const link = (await h.deps.models.AuditLink.findById(`${decisionChain(id)}#${seq}`).lean())!;
  const e = await h.deps.models.AuditEvent.findById(link.ref.slice('audit_events/'.length)).lean();
  const state = await h.env.client.workflow.getHandle(`decision-${id}`).query<Json>('projection');
  return state.audit.find((a: Json) => a.seq === e!.seq)?.summary;
}

test('the workspace readers of a decision check its chain; the system’s chain is for supervisors and the review body', async () => {
  const id = await p.create();
  await sealedChain(id);
  for (const as of ['zjj', 'office', 'mayor', 'supervisor']) expect((await h.api('GET', `/api/decisions/${id}/audit/verify`, undefined, as)).status).toBe(200);
  expect((await h.api('GET', `/api/decisions/${id}/audit/verify`, undefined, 'szsjt')).status).toBe(404);
  expect((await h.api('GET', '/api/audit/verify', undefined, 'zjj')).status).toBe(403);
  expect((await h.api('GET', '/api/audit/verify?anchor=nonsense', undefined, 'supervisor')).status).toBe(400);
});

test('many writers and three sealers at once: every event is linked once, in one unbroken chain per decision and for the system', async () => {
  const id = await p.create();
  await sealedChain(id);
  // Two more sealers beside the worker's, over the same store.
  const extra = [startAuditSealer(h.deps.models, { idleMs: 20 }), startAuditSealer(h.deps.models, { idleMs: 20 })];
  try {
    const n = 60;
    await Promise.all([
      // Refusals of this decision, from concurrent requests (a skip attempt each).
      ...Array.from({ length: n }, () => h.api('POST', `/api/decisions/${id}/steps/publication/start`, {}, 'office')),
      // Security events, written directly as the login path writes them.
      ...Array.from({ length: n }, (_, i) => recordSecurityEvent(h.deps.models, 'login-failed', { username: `racer${i}`, ip: '127.0.0.1' })),
      // And sealing rounds started by hand, racing the sealers.
      ...Array.from({ length: 4 }, () => sealPending(h.deps.models, 50)),
    ]);
    const r = await sealedChain(id);
    expect(r).toMatchObject({ ok: true, problems: [] });
    expect(r.links).toBe(await h.deps.models.AuditEvent.countDocuments({ decisionId: id }));
    const system = await eventually(async () => (await h.api('GET', '/api/audit/verify', undefined, 'supervisor')).body as Json, (v) => v.pending === 0);
    expect(system).toMatchObject({ ok: true, pending: 0, problems: [] });
    expect(system.links).toBe(system.events);
  } finally {
    await Promise.all(extra.map((s) => s.stop()));
  }
}, 300_000);

test('an anchor written down earlier shows the system chain still passes through it', async () => {
  const now = await eventually(async () => (await h.api('GET', '/api/audit/verify', undefined, 'sfj')).body as Json, (v) => v.pending === 0);
  const anchor = `${now.head.seq}:${now.head.hash.sm3}`;
  expect((await h.api('GET', `/api/audit/verify?anchor=${anchor}`, undefined, 'sfj')).body.anchor).toMatchObject({ seq: now.head.seq, ok: true });
  const wrong = `${now.head.seq}:${crypto.randomBytes(32).toString('hex')}`;
  expect((await h.api('GET', `/api/audit/verify?anchor=${wrong}`, undefined, 'sfj')).body).toMatchObject({ ok: false, anchor: { ok: false } });
});
