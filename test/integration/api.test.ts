/** The API's reference surface, the read model's idempotency and replay safety, on real servers. */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { DecisionSummary } from '../../workflows/model';
import { startHarness, UNIT_OF, type Harness } from '../support/harness';
import { readSuiteState } from '../support/suite-state';
import { sample } from '../support/records';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('api');
});
afterAll(async () => {
  await h?.close();
});

async function create(title: string, dept = 'fgw') {
  const r = await h.api('POST', '/api/decisions', { title, ...UNIT_OF[dept], category: 'public-policy' }, dept);
  expect(r.status).toBe(201);
  return r.body.id as string;
}

test('OpenAPI is generated from the zod schemas of every route', async () => {
  const r = await h.api('GET', '/api/openapi.json');
  expect(r.status).toBe(200);
  expect(r.body.openapi).toBe('3.1.0');
  const create = r.body.paths['/api/decisions'].post;
  expect(create.requestBody.content['application/json'].schema.properties.category.enum).toContain('plan');
  // occurredOn: the date an imported (补录) act happened; the only date a step action takes.
  expect(r.body.paths['/api/decisions/{id}/steps/{stepId}/{action}'].post.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'stepId', 'action', 'occurredOn', 'Idempotency-Key']);
  expect(r.body.paths['/api/decisions/{id}/steps/{stepId}/{action}'].post.responses['409']).toBeDefined();
  // The acts besides steps are routes of their own, each refusable under the statute.
  for (const path of ['findings', 'reopen', 'consultations', 'meeting/minutes', 'meeting/confirm', 'opinions', 'opinions/signed', 'import/end'])
    expect({ path, conflict: Boolean(r.body.paths[`/api/decisions/{id}/${path}`]?.post?.responses['409']) }).toEqual({ path, conflict: true });
});

test('the statute catalogue is public: kinds, grounds and every reason with both texts and its refusal class', async () => {
  const r = await h.api('GET', '/api/statute/catalogue', undefined, null);
  expect(r.status).toBe(200);
  expect(r.body.kinds['legality-review']).toMatchObject({ zh: '合法性审查', article: 'Decree 713 Arts. 25-28' });
  expect(r.body.applicability['expert-review'].grounds).toEqual(['not-technical']);
  expect(r.body.refusalClasses).toEqual(['statutory', 'input', 'state', 'authorization']);
  expect(r.body.reasons.APPLICABILITY_BY_FINDING).toMatchObject({ class: 'statutory', article: 'Decree 713 Art. 10' });
  for (const [code, reason] of Object.entries(r.body.reasons as Record<string, { zh: string; en: string; class: string }>))
    expect({ code, zh: reason.zh.length > 0, en: reason.en.length > 0, class: r.body.refusalClasses.includes(reason.class) }).toEqual({ code, zh: true, en: true, class: true });
  expect(r.body.fields.adviserOpinions.zh).toBe('法律顾问、公职律师意见');
});

test('definitions are listed with their steps, and their BPMN is served', async () => {
  const list = await h.api('GET', '/api/definitions');
  const std = list.body.items.find((d: { key: string }) => d.key === 'major-decision');
  expect(std.version).toBe('2.0.0');
  expect(std.steps.find((s: { id: string }) => s.id === 'legality_review')).toMatchObject({ kind: 'legality-review', article: '25-28', role: 'legality-review-body' });
  const xml = await h.api('GET', '/api/definitions/major-decision/xml');
  expect(xml.status).toBe(200);
  expect(xml.body).toContain('<bpmn:process id="major-decision"');
  expect((await h.api('GET', '/api/definitions/nope/xml')).status).toBe(404);
});

test("a decision serves the exact definition version it runs, by hash", async () => {
  const id = await create('中卫市沙坡头景区门票价格调整');
  const state = await h.api('GET', `/api/decisions/${id}`);
  const xml = await h.api('GET', `/api/decisions/${id}/definition.xml`);
  expect(xml.status).toBe(200);
  const crypto = await import('node:crypto');
  expect(crypto.createHash('sha256').update(xml.body).digest('hex')).toBe(state.body.procedure.hash);
});

test('record schemas are published as JSON Schema for the forms', async () => {
  const r = await h.api('GET', '/api/schemas/records');
  expect(Object.keys(r.body)).toEqual(expect.arrayContaining(['legality-review', 'collective-decision', 'public-participation']));
  expect(r.body['legality-review'].properties.outcome.enum).toEqual(['lawful', 'lawful-with-changes', 'unlawful', 'exploratory']);
  // The review cites advisers' opinions on file by id (Art. 28); the office's findings are part of initiation (Art. 10).
  expect(r.body['legality-review'].properties.adviserOpinions).toMatchObject({ type: 'array', items: { type: 'string' } });
  expect(r.body['legality-review'].additionalProperties).toBe(false);
  expect(r.body.initiation.required).toEqual(expect.arrayContaining(['applicability', 'matter']));
  expect(Object.keys(r.body.initiation.properties.applicability.properties)).toEqual(['public-participation', 'expert-review', 'risk-assessment', 'fair-competition-review', 'congress', 'publication']);
});

test('lists filter by agency, status and current step, and paginate — within what the reader may see', async () => {
  const a = await create('石嘴山市出租汽车运力调整和经营权管理办法', 'szsjt');
  const b = await create('石嘴山市农村公路养护办法', 'szsjt');
  const own = await create('银川市城市供水价格调整方案', 'fgw');
  await h.api('POST', `/api/decisions/${b}/steps/initiation/start`, {}, 'szsoffice');
  await h.api('POST', `/api/decisions/${b}/steps/initiation/complete`, sample.initiation(), 'szsoffice');
  const shizuishan = `agency=${encodeURIComponent('石嘴山市人民政府')}`;
  const deadline = Date.now() + 20_000;
  let page1;
  for (;;) {
    // The region's supervisors read every agency's decisions.
    page1 = await h.api('GET', `/api/decisions?${shizuishan}&pageSize=1&page=1`, undefined, 'supervisor');
    const byStep = await h.api('GET', `/api/decisions?${shizuishan}&step=drafting`, undefined, 'supervisor');
    if (page1.body.total === 2 && byStep.body.total === 1) {
      expect(byStep.body.items[0].id).toBe(b);
      break;
    }
    if (Date.now() > deadline) throw new Error(`list never converged: ${JSON.stringify(page1.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(page1.body.items).toHaveLength(1);
  const page2 = await h.api('GET', `/api/decisions?${shizuishan}&pageSize=1&page=2`, undefined, 'supervisor');
  expect(page2.body.items).toHaveLength(1);
  expect(new Set([page1.body.items[0].id, page2.body.items[0].id])).toEqual(new Set([a, b]));
  // A Yinchuan department sees Yinchuan's decisions only, whatever it filters by.
  for (;;) {
    const mine = await h.api('GET', '/api/decisions?pageSize=100', undefined, 'zjj');
    const ids = mine.body.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(a);
    expect(ids).not.toContain(b);
    if (ids.includes(own)) break;
    if (Date.now() > deadline) throw new Error('own decision never listed');
    await new Promise((r) => setTimeout(r, 200));
  }
  // Asking for another agency narrows the reader's scope; it never replaces it.
  expect((await h.api('GET', `/api/decisions?${shizuishan}`, undefined, 'zjj')).body.total).toBe(0);
  expect((await h.api('GET', `/api/decisions/stats?${shizuishan}`, undefined, 'zjj')).body.total).toBe(0);
  expect((await h.api('GET', `/api/decisions/stats?${shizuishan}`, undefined, 'supervisor')).body.total).toBe(2);
  expect((await h.api('GET', '/api/decisions/stats', undefined, 'szsjt')).body.total).toBe(2);
  expect((await h.api('GET', '/api/decisions?pageSize=1000')).status).toBe(400);
});

test('projections are idempotent: a retried or late activity writes nothing twice and never rolls state back', async () => {
  const id = await create('银川市出租汽车运力调整办法');
  // Let the workflow's own first projection land, so this test races only itself.
  for (let i = 0; i < 100 && !(await h.deps.models.Decision.exists({ _id: id })); i++) await new Promise((r) => setTimeout(r, 100));
  const { summary } = (await h.deps.models.Decision.findById(id, { summary: 1 }).lean()) as { summary: DecisionSummary };
  const acts = createActivities({ models: h.deps.models });
  const event = { seq: 900, at: Date.now(), actor: 'x', action: 'start' as const, stepId: 'initiation', summary: 's' };
  const newer = { ...summary, seq: 901, status: 'in-progress' as const };
  const older = { ...summary, seq: 3, status: 'incident' as const };
  await acts.projectDecision({ summary: newer, audit: [event], records: [] });
  await acts.projectDecision({ summary: newer, audit: [event], records: [] });
  await acts.projectDecision({ summary: older, audit: [event], records: [] });
  expect(await h.deps.models.AuditEvent.countDocuments({ decisionId: id, seq: 900 })).toBe(1);
  const doc = await h.deps.models.Decision.findById(id).lean();
  expect(doc?.seq).toBe(901);
  expect(doc?.status).toBe('in-progress');
});

test('histories recorded from earlier versions still replay: workflow changes must stay compatible or be patched', async () => {
  // Recorded with `temporal workflow show -o json` from real decisions: a completed one that went
  // through a legality-review return and revision, and one waiting in the parallel section.
  const dir = path.join(__dirname, '..', 'fixtures', 'histories');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(2);
  const code = fs.readFileSync(readSuiteState().bundlePath, 'utf8');
  for (const f of files) {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: { code } }, history, f)).resolves.toBeUndefined();
  }
});

test('recorded decision histories replay deterministically against the current workflow code', async () => {
  const id = await create('固原市中心城区义务教育学校布局调整方案');
  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/collective_decision/start`, {}); // refused: leaves no history
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation(), 'zjj'); // forbidden: not even tried
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  const history = await h.env.client.workflow.getHandle(`decision-${id}`).fetchHistory();
  const code = fs.readFileSync(readSuiteState().bundlePath, 'utf8');
  await expect(Worker.runReplayHistory({ workflowBundle: { code } }, history, `decision-${id}`)).resolves.toBeUndefined();
});
