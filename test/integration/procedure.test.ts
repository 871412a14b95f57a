/**
 * Whole decisions driven through the real stack (API → Temporal → worker → FerretDB):
 * lawful paths, premature steps refused with the legal reason and kept in the audit trail.
 */
import { startHarness, type Harness } from '../support/harness';
import { daysAgo, sample } from '../support/records';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('procedure');
});
afterAll(async () => {
  await h?.close();
});

const ALL_FACTS = { technical: true, stabilityRisk: true, affectsMarketEntities: true };

async function create(facts: Record<string, boolean> = ALL_FACTS, title = '银川市老旧小区改造三年行动计划(2027—2029年)') {
  const r = await h.api('POST', '/api/decisions', { title, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', facts });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function act(id: string, step: string, action: string, data: unknown = {}, expected = 200) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  if (r.status !== expected) throw new Error(`${action} ${step}: expected ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** start + complete a step with its sample record. */
async function perform(id: string, step: string, record: unknown, startData: unknown = {}) {
  await act(id, step, 'start', startData);
  return act(id, step, 'complete', record);
}

async function draft(id: string, content: string) {
  const r = await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content });
  expect(r.status).toBe(201);
  return r.body;
}

async function throughParallelSection(id: string, risk: 'controllable' | 'not-controllable' = 'controllable') {
  await perform(id, 'initiation', sample.initiation());
  await draft(id, '第一稿');
  await perform(id, 'drafting', sample.drafting());
  await perform(id, 'public_participation', sample['public-participation']());
  await perform(id, 'expert_review', sample['expert-review']());
  await perform(id, 'fair_competition_review', sample['fair-competition-review']());
  return perform(id, 'risk_assessment', sample['risk-assessment'](risk));
}

const legalityStart = { submittedOn: daysAgo(30) };

test('a lawful decision runs the whole procedure to archive and implementation', async () => {
  const id = await create();
  await throughParallelSection(id);
  let view = await perform(id, 'legality_review', sample['legality-review'](), legalityStart);
  expect(view.elements.collective_decision.status).toBe('enabled');
  view = await perform(id, 'collective_decision', sample['collective-decision']());
  expect(view.elements.party_report.status).toBe('enabled');
  view = await perform(id, 'party_report', sample['party-report']());
  expect(view.elements.congress.status).toBe('bypassed');
  view = await perform(id, 'publication', sample.publication());
  expect(view.elements.archive.status).toBe('enabled');
  await perform(id, 'archive', sample.archive());
  // seal_archive is a service task the worker runs; then implementation opens.
  view = await waitFor(id, (v) => v.elements.implementation.status === 'enabled');
  expect(view.elements.seal_archive.status).toBe('completed');
  view = await perform(id, 'implementation', sample.implementation());
  expect(view.elements.post_evaluation.status).toBe('bypassed');
  view = await waitFor(id, (v) => v.status === 'completed');
  expect(view.currentSteps).toEqual([]);


  const sealed = await h.deps.models.Archive.findById(id).lean();
  expect(sealed?.dossier.records.length).toBeGreaterThan(10);
  const audit = await h.api('GET', `/api/decisions/${id}/audit`);
  expect(audit.body.items.filter((e: { result: string }) => e.result === 'refused')).toEqual([]);
  expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('service');
  const listed = await waitForList(`q=${encodeURIComponent('老旧小区')}&status=completed`, id);
  expect(listed.status).toBe('completed');
  // The file is closed: no more actions, drafts or attachments (Art. 33).
  const late = await h.api('POST', `/api/decisions/${id}/steps/implementation/start`, {});
  expect([late.status, late.body.error.code]).toEqual([409, 'DECISION_CLOSED']);
  const lateDraft = await h.api('POST', `/api/decisions/${id}/drafts`, { title: '补充', content: '事后修改' });
  expect(lateDraft.status).toBe(409);
  const upload = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments`, { method: 'POST', headers: { ...(await h.authHeaders('zjj')), 'x-filename': encodeURIComponent('补充材料.txt') }, body: 'late' });
  expect(upload.status).toBe(409);
});

test('every mandatory step attempted early is refused with 409, its reason and article, and audited', async () => {
  const id = await create();
  for (const step of ['legality_review', 'collective_decision', 'party_report', 'publication', 'archive']) {
    const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/start`, {});
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('STEP_BLOCKED');
    expect(r.body.error.details[0].code).toBe('STEP_NOT_ENABLED');
    expect(r.body.error.details[0].missing).toContain('initiation');
  }
  // Completing a step without starting it, or finding a mandatory step not applicable, is refused too.
  expect((await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation())).status).toBe(409);
  const na = await h.api('POST', `/api/decisions/${id}/steps/initiation/not-applicable`, { reasons: '不需要启动程序。' });
  expect(na.status).toBe(409);
  expect(na.body.error.details[0].code).toBe('STEP_MANDATORY');

  const audit = await h.api('GET', `/api/decisions/${id}/audit`);
  const refused = audit.body.items.filter((e: { result: string }) => e.result === 'refused');
  expect(refused.map((e: { stepId: string }) => e.stepId)).toEqual(['legality_review', 'collective_decision', 'party_report', 'publication', 'archive', 'initiation', 'initiation']);
  expect(refused[1].actor).toBe('王秘书 (office)');
  expect(refused[1].reasons[0].article).toMatch(/Art\. 29-30/);

  const state = await h.api('GET', `/api/decisions/${id}`);
  const lock = state.body.elements.collective_decision.lockReasons.map((r: { code: string }) => r.code);
  expect(lock).toEqual(expect.arrayContaining(['PREDECESSORS_INCOMPLETE', 'LEGALITY_REVIEW_MISSING', 'DOSSIER_INCOMPLETE']));
});

test('bad input is a 400 naming the field, and nothing recorded is lost', async () => {
  const bad = await h.api('POST', '/api/decisions', { title: 'x', agency: '银川市人民政府', draftingUnit: '住建局', category: 'nonsense' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.title', 'body.category']));

  const id = await create();
  await act(id, 'initiation', 'start');
  const r = await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, { ...sample.initiation(), draftingUnit: '' });
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('VALIDATION_FAILED');
  expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain('draftingUnit');
  // Chinese first, English beside it, for the language switch.
  const issue = r.body.error.details.find((d: { path: string }) => d.path === 'draftingUnit');
  expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
  expect(issue.en).toMatch(/^[\x20-\x7e]+$/);
  const view = (await h.api('GET', `/api/decisions/${id}`)).body;
  expect(view.elements.initiation.status).toBe('active');
  expect(view.elements.initiation.startedBy).toBe('王秘书 (office)');

  expect((await h.api('GET', '/api/decisions/Dnope-0000')).status).toBe(404);
  expect((await h.api('POST', `/api/decisions/${id}/steps/no_such_step/start`, {})).status).toBe(404);
});

test('risk not controllable → revise → reassess; the legality review then covers the revised draft', async () => {
  const id = await create();
  let view = await throughParallelSection(id, 'not-controllable');
  expect(view.elements.risk_assessment.status).toBe('rework');
  expect(view.elements.revise_for_risk.status).toBe('enabled');
  expect(view.elements.legality_review.status).toBe('locked');

  // The revision needs a new draft version first.
  await act(id, 'revise_for_risk', 'start');
  const early = await h.api('POST', `/api/decisions/${id}/steps/revise_for_risk/complete`, sample.revision());
  expect(early.status).toBe(409);
  expect(early.body.error.details[0].code).toBe('DRAFT_NOT_REVISED');
  await draft(id, '第二稿：分批实施');
  await act(id, 'revise_for_risk', 'complete', sample.revision());

  view = await perform(id, 'risk_assessment', sample['risk-assessment']('controllable'));
  expect(view.elements.risk_assessment.visits).toBe(2);
  expect(view.elements.legality_review.status).toBe('enabled');
  view = await perform(id, 'legality_review', sample['legality-review'](), legalityStart);
  const review = view.records.filter((r: { kind: string; action: string }) => r.kind === 'legality-review' && r.action === 'complete').pop();
  expect(review.draftVersion).toBe(2);
  expect(view.elements.collective_decision.status).toBe('enabled');
});

test('an unlawful opinion sends the draft back for revision and a fresh review', async () => {
  const id = await create({ technical: false, stabilityRisk: false, affectsMarketEntities: false });
  await perform(id, 'initiation', sample.initiation());
  await draft(id, '第一稿：收取改造费');
  await perform(id, 'drafting', sample.drafting());
  await perform(id, 'public_participation', sample['public-participation']());
  let view = await perform(id, 'legality_review', sample['legality-review']('unlawful'), legalityStart);
  expect(view.elements.legality_review.status).toBe('rework');
  expect(view.elements.revise_for_legality.status).toBe('enabled');
  const blocked = await h.api('POST', `/api/decisions/${id}/steps/collective_decision/start`, {});
  expect(blocked.status).toBe(409);
  expect(blocked.body.error.details[0].missing).toEqual(['revise_for_legality']);

  await act(id, 'revise_for_legality', 'start');
  await draft(id, '第二稿：删除收费条款');
  await act(id, 'revise_for_legality', 'complete', sample.revision());
  view = await perform(id, 'legality_review', sample['legality-review'](), legalityStart);
  expect(view.elements.legality_review.visits).toBe(2);
  expect(view.elements.collective_decision.status).toBe('enabled');
});

test('the head deciding against the majority without reasons is refused; with reasons it stands', async () => {
  const id = await create({ technical: false, stabilityRisk: false, affectsMarketEntities: false });
  await perform(id, 'initiation', sample.initiation());
  await draft(id, '第一稿');
  await perform(id, 'drafting', sample.drafting());
  await perform(id, 'public_participation', sample['public-participation']());
  await perform(id, 'legality_review', sample['legality-review'](), legalityStart);
  await act(id, 'collective_decision', 'start');
  const against = sample['collective-decision']({
    statements: [
      { speaker: '副市长甲', capacity: 'member', position: 'disagree', text: '时机不成熟。' },
      { speaker: '副市长乙', capacity: 'member', position: 'disagree', text: '资金来源不明确。' },
      { speaker: '秘书长', capacity: 'member', position: 'agree', text: '同意。' },
      { speaker: '市长', capacity: 'head', position: 'agree', text: '通过。' },
    ],
  });
  const r = await h.api('POST', `/api/decisions/${id}/steps/collective_decision/complete`, against);
  expect(r.status).toBe(409);
  expect(r.body.error.details.map((d: { code: string }) => d.code)).toEqual(['HEAD_AGAINST_MAJORITY_WITHOUT_REASONS']);
  const ok = await act(id, 'collective_decision', 'complete', { ...against, reasons: '民生急需，资金由专项债解决。' });
  expect(ok.elements.party_report.status).toBe('enabled');
  const dissent = ok.records.find((x: { kind: string; action: string }) => x.kind === 'collective-decision' && x.action === 'complete');
  expect(dissent.data.statements[0].text).toBe('时机不成熟。');
});

test('a decision survives a worker restart mid-procedure', async () => {
  const id = await create({ technical: false, stabilityRisk: false, affectsMarketEntities: false });
  await perform(id, 'initiation', sample.initiation());
  await draft(id, '第一稿');
  await h.stopWorker();
  await h.startWorker();
  const view = await perform(id, 'drafting', sample.drafting());
  expect(view.elements.initiation.status).toBe('completed');
  expect(view.elements.public_participation.status).toBe('enabled');
  expect(view.drafts).toHaveLength(1);
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
