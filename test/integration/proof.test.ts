/**
 * Procedure proof, checkable by anyone: a real decision's proof bundle (its Temporal history, its
 * audit chain, its definition version) verifies offline — replayed against the workflow code,
 * the statute re-checked, the chain recomputed — and a tampered bundle fails, naming what: an
 * edited history, an edited or deleted audit event, a swapped definition.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ProofBundle } from '../../server/proof';
import { proofWorkflowCode } from '../../scripts/proof/replay';
import { verifyBundle, type VerifyOutcome } from '../../scripts/proof/verify';
import { apiPaths } from '../support/api-paths';
import { eventually } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
let code: string;
let id: string;
let bundle: ProofBundle;
let dir: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;
const ALL_FACTS = { technical: true, stabilityRisk: true, affectsMarketEntities: true };

beforeAll(async () => {
  h = await startHarness('proof');
  p = apiPaths(h);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-proof-'));
  code = await proofWorkflowCode();
  // A lawful decision, start to finish, with a skip attempt refused on the way.
  id = await p.create(ALL_FACTS);
  await p.drafted(id, ALL_FACTS);
  expect((await h.api('POST', `/api/decisions/${id}/steps/collective_decision/start`, {}, 'office')).status).toBe(409);
  await p.throughParallel(id, ALL_FACTS);
  await p.reviewed(id);
  await p.meet(id);
  await p.perform(id, 'party_report', sample['party-report']());
  await p.perform(id, 'publication', sample.publication());
  await p.perform(id, 'archive', sample.archive());
  await eventually(async () => (await h.api('GET', `/api/decisions/${id}`)).body as Json, (v) => v.elements.implementation.status === 'enabled');
  await p.perform(id, 'implementation', sample.implementation());
  await eventually(async () => (await h.api('GET', `/api/decisions/${id}`)).body as Json, (v) => v.status === 'completed');
  await eventually(async () => (await h.api('GET', `/api/decisions/${id}/audit/verify`)).body as Json, (v) => v.pending === 0);
  const r = await h.api('GET', `/api/decisions/${id}/proof`, undefined, 'supervisor');
  expect(r.status).toBe(200);
  bundle = r.body;
}, 600_000);
afterAll(async () => {
  await h?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const copy = (): ProofBundle => structuredClone(bundle);
const failed = (out: VerifyOutcome) => out.verdicts.filter((v) => !v.ok).map((v) => v.check);
const detail = (out: VerifyOutcome, check: string) => out.verdicts.find((v) => v.check === check)!.detail.join('\n');

const run = promisify(execFile);
async function cli(file: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'scripts', 'juece.ts'), 'verify-decision', file], { timeout: 300_000 });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The base64 JSON payload of the n-th accepted update whose act matches. */
function updatePayload(b: ProofBundle, match: (arg: Json) => boolean): { arg: Json; write(arg: Json): void } {
  for (const e of (b.history as { events: Json[] }).events) {
    const payload = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0];
    if (!payload) continue;
    const arg = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
    if (match(arg)) return { arg, write: (next) => (payload.data = Buffer.from(JSON.stringify(next)).toString('base64')) };
  }
  throw new Error('no such update in the history');
}

test('the bundle of a real decision holds its history, its whole audit chain and the definition version it ran', () => {
  expect(bundle).toMatchObject({ format: 'juece-proof/1', decision: { id, workflowId: `decision-${id}`, status: 'completed' }, audit: { chain: `decision:${id}` } });
  expect((bundle.history as { events: unknown[] }).events.length).toBeGreaterThan(50);
  expect(bundle.audit.links.length).toBe(bundle.audit.events.length);
  expect(bundle.audit.systemLinks.length).toBe(bundle.audit.events.length);
  expect(bundle.audit.events.some((e) => e.result === 'refused' && e.class === 'statutory')).toBe(true);
  expect(String(bundle.definition.document.xml)).toContain('<bpmn:process id="major-decision"');
  expect(bundle.definition.deployment).toMatchObject({ chain: 'system', ref: `definitions/${bundle.definition.hash}` });
});

test('it verifies offline: replay, every act re-checked, the statute, the chain, the history — and the CLI says so', async () => {
  const started = Date.now();
  const out = await verifyBundle(copy(), { code });
  const ms = Date.now() - started;
  expect(out.verdicts.map((v) => [v.check, v.ok, v.ok ? '' : v.detail.join('; ')])).toEqual(['bundle', 'definition', 'replay', 'acts', 'statute', 'chain', 'history'].map((c) => [c, true, '']));
  expect(out.stats.acts).toBeGreaterThan(20);
  expect(out.stats.statutoryRefusals).toBe(1);
  expect(detail(out, 'statute')).toMatch(/Art\. 25 .*: 1 checked/);
  expect(detail(out, 'statute')).toMatch(/Sequence .*: \d\d checked/);
  const file = path.join(dir, 'proof.json');
  fs.writeFileSync(file, JSON.stringify(bundle));
  console.log(`proof bundle: ${fs.statSync(file).size} bytes, ${bundle.audit.events.length} audit events, ${(bundle.history as { events: unknown[] }).events.length} history events; verified in ${ms} ms (${JSON.stringify(out.stats.ms)})`);
  const c = await cli(file);
  expect(c.code).toBe(0);
  expect(c.out).toContain('结论：程序合法性证明成立。');
  expect(c.out).toContain('✓ 审计记录完整性（SM3、SHA-256）');
}, 300_000);

test('an edited history fails: an act given to someone else, named against the audit trail', async () => {
  const b = copy();
  const u = updatePayload(b, (a) => a.action === 'complete' && a.stepId === 'publication');
  u.write({ ...u.arg, actor: '李四 (someone)' });
  const out = await verifyBundle(b, { code });
  expect(failed(out)).toEqual(['history']);
  expect(detail(out, 'history')).toMatch(/event \d+: actor is "李四 \(someone\)" in the history, "王秘书 \(office\)" in the audit trail/);
}, 300_000);

test('an edited history fails: a legality review cut short without its reason is refused by the statute on replay', async () => {
  const b = copy();
  const u = updatePayload(b, (a) => a.action === 'complete' && a.stepId === 'legality_review');
  const { shortenedReviewReason: _dropped, ...rest } = u.arg.data;
  u.write({ ...u.arg, data: rest });
  const out = await verifyBundle(b, { code });
  expect(failed(out)).toEqual(expect.arrayContaining(['replay', 'acts']));
  expect(detail(out, 'acts')).toMatch(/complete legality_review .* the statute refuses it: .*7 working days/);
  const file = path.join(dir, 'tampered-history.json');
  fs.writeFileSync(file, JSON.stringify(b));
  const c = await cli(file);
  expect(c.code).toBe(1);
  expect(c.out).toContain('✗ 每一办理行为均符合法定条件');
  expect(c.out).toContain('结论：证明不成立');
}, 300_000);

test('an edited or deleted audit event fails the chain, named with its link and field', async () => {
  const b = copy();
  // A workflow event (one the history wrote, not a refusal the API recorded).
  const event = b.audit.events.filter((e) => e.result === 'accepted' && typeof e.seq === 'number')[5];
  const target = b.audit.links.find((l) => l.ref === `audit_events/${event._id}`)!;
  event.summary = `${String(event.summary)} (amended)`;
  let out = await verifyBundle(b, { code });
  expect(failed(out)).toEqual(['chain', 'history']);
  expect(detail(out, 'chain')).toContain(`Link ${target.seq}: event ${target.ref} was altered after sealing (field: summary`);
  expect(detail(out, 'history')).toContain(`event ${String(event.seq)}: summary is`);

  const c = copy();
  const gone = c.audit.events.filter((e) => e.result === 'accepted' && typeof e.seq === 'number')[7];
  const link = c.audit.links.find((l) => l.ref === `audit_events/${gone._id}`)!;
  c.audit.events = c.audit.events.filter((e) => e !== gone);
  out = await verifyBundle(c, { code });
  expect(failed(out)).toEqual(['chain', 'history']);
  expect(detail(out, 'chain')).toContain(`Link ${link.seq}: the sealed event ${link.ref} is gone`);
  expect(detail(out, 'history')).toMatch(/happened in the workflow but is not in the audit trail/);
}, 300_000);

test('a swapped definition fails: another version’s BPMN is named by its hash', async () => {
  const b = copy();
  const doc = b.definition.document;
  doc.xml = String(doc.xml).replace('</bpmn:definitions>', '<!-- another version --></bpmn:definitions>');
  const out = await verifyBundle(b, { code });
  expect(failed(out)).toEqual(['definition']);
  expect(detail(out, 'definition')).toMatch(/the BPMN's SHA-256 is [0-9a-f]{16}…, the decision started with [0-9a-f]{16}… — another definition version/);
  expect(detail(out, 'definition')).toContain("the deployment's system link");
}, 300_000);

test('anyone who may read the decision may export its bundle; others do not learn it exists', async () => {
  expect((await h.api('GET', `/api/decisions/${id}/proof`, undefined, 'zjj')).status).toBe(200);
  expect((await h.api('GET', `/api/decisions/${id}/proof`, undefined, 'szsjt')).status).toBe(404);
  expect((await h.api('GET', '/api/decisions/D00000000-00000000/proof', undefined, 'supervisor')).status).toBe(404);
});
