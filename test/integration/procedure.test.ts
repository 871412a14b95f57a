/**
 * Whole decisions driven through the real stack (API → Temporal → worker → FerretDB) by the
 * demo world's people: the lawful path to archive and execution, premature and statute-barred
 * acts refused with the reason and kept in the audit trail with their class, the office's
 * findings, the review body reopening a skipped step, the meeting's confirmations.
 */
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { daysAgo, sample } from '../support/records';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('procedure');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

const ALL_FACTS = { technical: true, stabilityRisk: true, affectsMarketEntities: true };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;
const auditOf = async (id: string): Promise<Json[]> => (await h.api('GET', `/api/decisions/${id}/audit`)).body.items;

test('a lawful decision runs the whole procedure to archive and execution', async () => {
  const id = await p.create(ALL_FACTS);
  await p.drafted(id, ALL_FACTS);
  await p.throughParallel(id, ALL_FACTS);
  let view = await p.reviewed(id);
  expect(view.elements.collective_decision.status).toBe('enabled');
  view = await p.meet(id);
  expect(view.elements.party_report.status).toBe('enabled');
  const meeting = view.records.find((r: Json) => r.kind === 'collective-decision' && r.action === 'complete');
  expect(meeting.data.dossier).toMatchObject({ draftVersion: 1, legalityReview: { outcome: 'lawful' } });
  expect(Object.keys(meeting.data.confirmations).sort()).toEqual(['mayor', 'vicemayor']);
  view = await p.perform(id, 'party_report', sample['party-report']());
  expect(view.elements.congress.status).toBe('bypassed');
  expect(view.elements.congress.finding).toMatchObject({ applies: false, ground: 'not-congress-matter' });
  await p.perform(id, 'publication', sample.publication());
  await p.perform(id, 'archive', sample.archive());
  view = await waitFor(id, (v) => v.elements.implementation.status === 'enabled');
  expect(view.elements.seal_archive.status).toBe('completed');
  await p.perform(id, 'implementation', sample.implementation());
  view = await waitFor(id, (v) => v.status === 'completed');
  expect(view.currentSteps).toEqual([]);

  const sealed = await h.deps.models.Archive.findById(id).lean();
  expect(sealed?.dossier.records.length).toBeGreaterThan(10);
  const audit = await auditOf(id);
  expect(audit.filter((e) => e.result === 'refused')).toEqual([]);
  expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['service', 'opinion', 'minutes', 'confirm']));
  const listed = await waitForList(`q=${encodeURIComponent('老旧小区')}&status=completed`, id);
  expect(listed.status).toBe('completed');
  // The file is closed: no more actions, drafts or attachments (Art. 33).
  const late = await h.api('POST', `/api/decisions/${id}/steps/implementation/start`, {});
  expect([late.status, late.body.error.code]).toEqual([409, 'DECISION_CLOSED']);
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '补充', content: '事后修改' })).status).toBe(409);
  const upload = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments`, { method: 'POST', headers: { ...(await h.authHeaders('zjj')), 'x-filename': encodeURIComponent('补充材料.txt') }, body: 'late' });
  expect(upload.status).toBe(409);
});

test('every mandatory step attempted early is refused with 409, its reason and article, and audited as a statutory refusal', async () => {
  const id = await p.create(ALL_FACTS);
  for (const step of ['legality_review', 'collective_decision', 'party_report', 'publication', 'archive']) {
    const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/start`, {});
    expect([step, r.status, r.body.error.code, r.body.error.details[0].code]).toEqual([step, 409, 'STEP_BLOCKED', 'STEP_NOT_ENABLED']);
    expect(r.body.error.details[0].missing).toContain('initiation');
  }
  // Completing a step not started is a state error, not a skip attempt; finding a mandatory step not applicable is refused.
  const early = await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  expect([early.status, early.body.error.details[0].code]).toEqual([409, 'STEP_NOT_STARTED']);
  const na = await h.api('POST', `/api/decisions/${id}/steps/initiation/not-applicable`, { reasons: '不需要启动程序。' });
  expect([na.status, na.body.error.details[0].code]).toEqual([409, 'STEP_MANDATORY']);

  const refused = (await auditOf(id)).filter((e) => e.result === 'refused');
  expect(refused.map((e) => e.stepId)).toEqual(['legality_review', 'collective_decision', 'party_report', 'publication', 'archive', 'initiation', 'initiation']);
  expect(refused.map((e) => e.class)).toEqual(['statutory', 'statutory', 'statutory', 'statutory', 'statutory', 'state', 'statutory']);
  expect(refused[1].actor).toBe('王秘书 (office)');
  expect(refused[1].reasons[0].article).toBe('Decree 713 Arts. 29-30');

  const state = await h.api('GET', `/api/decisions/${id}`);
  const lock = state.body.elements.collective_decision.lockReasons.map((r: { code: string }) => r.code);
  expect(lock).toEqual(expect.arrayContaining(['PREDECESSORS_INCOMPLETE', 'LEGALITY_REVIEW_MISSING', 'DOSSIER_INCOMPLETE']));
});

test('the drafting unit cannot skip a conditional step; the office revises the finding, and only on a named ground', async () => {
  const id = await p.create(ALL_FACTS);
  await p.drafted(id, ALL_FACTS);
  const skip = await h.api('POST', `/api/decisions/${id}/steps/expert_review/not-applicable`, { reasons: '时间紧迫，来不及论证。' });
  expect([skip.status, skip.body.error.details[0].code]).toEqual([409, 'APPLICABILITY_BY_FINDING']);
  // The department may not revise findings at all; the office may, on a ground the law names.
  const dept = await h.api('POST', `/api/decisions/${id}/findings`, { kind: 'expert-review', applies: false, ground: 'not-technical', reasons: '不涉及专业技术。' }, 'zjj');
  expect(dept.status).toBe(403);
  const badGround = await h.api('POST', `/api/decisions/${id}/findings`, { kind: 'expert-review', applies: false, ground: 'urgent', reasons: '时间紧迫，来不及论证。' }, 'office');
  expect([badGround.status, badGround.body.error.details[0].code]).toEqual([409, 'GROUND_NOT_RECOGNISED']);
  const revised = await p.post(`/api/decisions/${id}/findings`, { kind: 'expert-review', applies: false, ground: 'not-technical', reasons: '经复核，草案只涉及一般管理措施。' }, 'office');
  expect(revised.elements.expert_review).toMatchObject({ status: 'not-applicable', finding: { applies: false, ground: 'not-technical', source: 'revision', by: '王秘书 (office)' } });
  const audit = await auditOf(id);
  expect(audit.filter((e) => e.result === 'refused').map((e) => [e.action, e.class])).toEqual([
    ['not-applicable', 'statutory'],
    ['POST /api/decisions/:id/findings', 'authorization'],
    ['finding', 'statutory'],
  ]);
  expect(audit.find((e) => e.action === 'finding' && e.result === 'accepted').summary).toContain('not-technical');
});

test('Art. 27(2): the legality review body reopens a step wrongly skipped, and the review waits for it', async () => {
  const facts = { stabilityRisk: false };
  const id = await p.create(facts);
  await p.drafted(id, facts);
  await p.throughParallel(id, facts);
  await p.act(id, 'legality_review', 'start');
  const view = await p.post(`/api/decisions/${id}/reopen`, { stepId: 'risk_assessment', reasons: '涉及房屋征收，应当评估社会稳定风险。' }, 'sfj');
  expect(view.elements.risk_assessment).toMatchObject({ status: 'enabled', reopened: true, finding: { applies: true, source: 'reopen' } });
  expect(view.elements.legality_review.status).toBe('rework');
  const next = await p.perform(id, 'risk_assessment', sample['risk-assessment']());
  expect(next.elements.legality_review).toMatchObject({ status: 'enabled', visits: 2 });
  expect((await p.reviewed(id)).elements.collective_decision.status).toBe('enabled');
});

test('Art. 30: each speaker confirms their own statement; the head alone suspends execution (Art. 37)', async () => {
  const id = await p.create();
  await p.drafted(id);
  await p.throughParallel(id);
  await p.reviewed(id);
  await p.act(id, 'collective_decision', 'start');
  const dissent = sample.minutes({ statements: [{ speaker: 'vicemayor', position: 'disagree', text: '资金来源不明确。' }, { speaker: 'mayor', position: 'agree', text: '通过。' }] });
  const noReasons = await h.api('POST', `/api/decisions/${id}/meeting/minutes`, dissent, 'office');
  expect([noReasons.status, noReasons.body.error.details[0].code]).toEqual([409, 'HEAD_AGAINST_MAJORITY_WITHOUT_REASONS']);
  await p.post(`/api/decisions/${id}/meeting/minutes`, { ...dissent, reasons: '民生急需，资金由专项债解决。' }, 'office');
  expect((await h.api('POST', `/api/decisions/${id}/meeting/confirm`, { confirm: true }, 'office')).status).toBe(403);
  await p.post(`/api/decisions/${id}/meeting/confirm`, { confirm: true }, 'mayor');
  const early = await h.api('POST', `/api/decisions/${id}/steps/collective_decision/complete`, { draftVersion: 1 });
  expect([early.status, early.body.error.details[0].code, early.body.error.details[0].zh]).toEqual([409, 'STATEMENT_NOT_CONFIRMED', expect.stringContaining('钱副市长')]);
  await p.post(`/api/decisions/${id}/meeting/confirm`, { confirm: true }, 'vicemayor');
  const done = await p.act(id, 'collective_decision', 'complete', { draftVersion: 1 });
  const record = done.records.find((r: Json) => r.kind === 'collective-decision' && r.action === 'complete');
  expect(record.data.statements[0]).toEqual({ speaker: 'vicemayor', position: 'disagree', text: '资金来源不明确。' });
  expect(record.data.confirmations.vicemayor).toMatchObject({ confirm: true, minutesVersion: 1 });

  await p.perform(id, 'party_report', sample['party-report']());
  await p.perform(id, 'publication', sample.publication());
  await p.perform(id, 'archive', sample.archive());
  await waitFor(id, (v) => v.elements.implementation.status === 'enabled');
  expect((await h.api('POST', `/api/decisions/${id}/execution/suspend`, { reasons: '发生突发情况，先行中止。' }, 'vicemayor')).status).toBe(403);
  const suspended = await p.post(`/api/decisions/${id}/execution/suspend`, { reasons: '发生突发情况，先行中止。' }, 'mayor');
  expect(suspended.execution.suspended).toMatchObject({ reasons: '发生突发情况，先行中止。', by: '孙市长 (mayor)' });
  const blocked = await h.api('POST', `/api/decisions/${id}/steps/implementation/start`, {});
  expect([blocked.status, blocked.body.error.details[0].code]).toEqual([409, 'DECISION_SUSPENDED']);
});

test('bad input is a 400 naming the field in Chinese and English, and nothing recorded is lost', async () => {
  const bad = await h.api('POST', '/api/decisions', { title: 'x', agency: '银川市人民政府', draftingUnit: '住建局', category: 'nonsense' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.title', 'body.category']));

  const id = await p.create();
  await p.act(id, 'initiation', 'start');
  const r = await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, { ...sample.initiation(), draftingUnit: '' });
  expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  const issue = r.body.error.details.find((d: { path: string }) => d.path === 'draftingUnit');
  expect(issue).toEqual({ path: 'draftingUnit', message: '「承办单位」不能为空。', en: '“Drafting unit” cannot be empty.' });
  const view = (await h.api('GET', `/api/decisions/${id}`)).body;
  expect(view.elements.initiation).toMatchObject({ status: 'active', startedBy: '王秘书 (office)' });
  const refused = (await auditOf(id)).filter((e) => e.result === 'refused');
  expect(refused.map((e) => e.class)).toEqual(['input']);

  expect((await h.api('GET', '/api/decisions/Dnope-0000')).status).toBe(404);
  expect((await h.api('POST', `/api/decisions/${id}/steps/no_such_step/start`, {})).status).toBe(404);
});

test('a double click is one act, not a refusal', async () => {
  const id = await p.create();
  await p.act(id, 'initiation', 'start');
  const again = await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  expect(again.status).toBe(200);
  await p.act(id, 'initiation', 'complete', sample.initiation());
  expect((await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation())).status).toBe(200);
  const audit = await auditOf(id);
  expect(audit.filter((e) => e.result === 'refused')).toEqual([]);
  expect(audit.filter((e) => e.action === 'start' || e.action === 'complete')).toHaveLength(2);
});

test('risk not controllable → revise → reassess; the legality review then covers the revised draft', async () => {
  const id = await p.create(ALL_FACTS);
  await p.drafted(id, ALL_FACTS);
  let view = await p.throughParallel(id, ALL_FACTS, 'not-controllable');
  expect(view.elements.risk_assessment.status).toBe('rework');
  expect(view.elements.revise_for_risk.status).toBe('enabled');
  expect(view.elements.legality_review.status).toBe('locked');
  await p.act(id, 'revise_for_risk', 'start');
  const early = await h.api('POST', `/api/decisions/${id}/steps/revise_for_risk/complete`, sample.revision());
  expect([early.status, early.body.error.details[0].code]).toEqual([409, 'DRAFT_NOT_REVISED']);
  await p.draft(id, '第二稿：分批实施');
  await p.act(id, 'revise_for_risk', 'complete', sample.revision());
  view = await p.perform(id, 'risk_assessment', sample['risk-assessment']('controllable'));
  expect(view.elements.risk_assessment.visits).toBe(2);
  expect(view.elements.legality_review.status).toBe('enabled');
  view = await p.reviewed(id);
  const review = view.records.filter((r: Json) => r.kind === 'legality-review' && r.action === 'complete').pop();
  expect(review.draftVersion).toBe(2);
  expect(view.elements.collective_decision.status).toBe('enabled');
});

test('an import (补录) of a procedure carried out before the system is entered by the office, dated as it happened, and marked', async () => {
  const dept = await h.api('POST', '/api/decisions', { title: '补录事项', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', import: { reason: '系统上线前已启动，按纸质案卷补录。', startedOn: daysAgo(200) } }, 'zjj');
  expect(dept.status).toBe(403);
  const id = (await p.post('/api/decisions', { title: '补录事项', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', import: { reason: '系统上线前已启动，按纸质案卷补录。', startedOn: daysAgo(200) } }, 'office', 201)).id;
  const on = (n: number) => `?occurredOn=${daysAgo(n)}`;
  expect((await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {})).status).toBe(400);
  await p.post(`/api/decisions/${id}/steps/initiation/start${on(190)}`, {}, 'office');
  const view = await p.post(`/api/decisions/${id}/steps/initiation/complete${on(190)}`, { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: daysAgo(190) } }, 'office');
  expect(view.elements.initiation).toMatchObject({ status: 'completed', imported: true });
  expect(view.import).toMatchObject({ open: true, startedOn: daysAgo(200), by: '王秘书 (office)' });
  const refusedOrder = await h.api('POST', `/api/decisions/${id}/steps/drafting/start${on(195)}`, {});
  expect([refusedOrder.status, refusedOrder.body.error.details[0].code]).toEqual([409, 'BACKFILL_OUT_OF_ORDER']);
  await p.post(`/api/decisions/${id}/import/end`, {}, 'office');
  const live = await h.api('POST', `/api/decisions/${id}/steps/drafting/start${on(180)}`, {});
  expect([live.status, live.body.error.details[0].code]).toEqual([409, 'BACKFILL_NOT_OPEN']);
  const audit = await auditOf(id);
  expect(audit.find((e) => e.action === 'complete')).toMatchObject({ occurredOn: daysAgo(190), result: 'accepted' });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
async function waitFor(id: string, pred: (v: any) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = (await h.api('GET', `/api/decisions/${id}`)).body;
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${id}: ${JSON.stringify(v.currentSteps)} ${v.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForList(query: string, id: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await h.api('GET', `/api/decisions?${query}`);
    const hit = r.body.items?.find((d: { id: string }) => d.id === id);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`decision ${id} never listed for ${query}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
