/**
 * From drafting to the legality opinion (Decree 713 Arts. 12-28): the draft and its inter-agency
 * consultation, the steps of the parallel section, opinions from people, outcomes that agree
 * with their findings, and what was reviewed staying reviewed. One rule per test.
 */
import { act, advance, clock, codes, draft, material, newDecision, opinion, perform, resetClock } from '../support/driver';
import { drafted, readyForMeeting, reviewed, throughParallel } from '../support/paths';
import { sample, useFixedClock } from '../support/records';

useFixedClock(clock);
beforeEach(() => resetClock());

describe('Arts. 12-13 — drafting', () => {
  test('Art. 12: drafting cannot be completed without a draft version', async () => {
    const ws = await newDecision();
    perform(ws, 'initiation', sample.initiation());
    act(ws, 'drafting', 'start');
    expect(codes(act(ws, 'drafting', 'complete', sample.drafting()))).toEqual(['DRAFT_MISSING']);
  });

  test("Art. 13: a matter involving other departments' duties needs their consultation on record", async () => {
    const ws = await newDecision({ otherAgencies: true });
    perform(ws, 'initiation', sample.initiation({ otherAgencies: true }));
    draft(ws, 'v1');
    act(ws, 'drafting', 'start');
    expect(codes(act(ws, 'drafting', 'complete', sample.drafting()))).toEqual(['AGENCIES_NOT_CONSULTED']);
  });

  test('Art. 13: a disagreement needs the dispute statement and how it was put to coordination', async () => {
    const ws = await newDecision({ otherAgencies: true });
    perform(ws, 'initiation', sample.initiation({ otherAgencies: true }));
    draft(ws, 'v1');
    act(ws, 'drafting', 'start');
    const disagreed = { units: ['市财政局'], agreed: false };
    expect(codes(act(ws, 'drafting', 'complete', { ...sample.drafting(), interAgencyConsultation: disagreed }))).toEqual(['DISPUTE_NOT_REPORTED']);
    const disputes = { points: '资金来源', positions: [{ unit: '市财政局', view: '不同意由市级财政全额承担。' }], ownView: '建议市、区按比例分担，依据《预算法》第三十八条。' };
    expect(codes(act(ws, 'drafting', 'complete', { ...sample.drafting(), interAgencyConsultation: { ...disagreed, disputes } }))).toEqual(['DISPUTE_NOT_REPORTED']);
    const coordination = { reportedTo: '市政府分管副市长', reportedOn: sample.archive().archivedOn, result: '已协调一致。' };
    expect(codes(act(ws, 'drafting', 'complete', { ...sample.drafting(), interAgencyConsultation: { ...disagreed, disputes, coordination } }))).toEqual(['ok']);
  });
});

describe('Arts. 14-24 — the parallel section', () => {
  test('Art. 14: public participation needs at least one form of participation', async () => {
    const ws = await drafted();
    act(ws, 'public_participation', 'start');
    expect(codes(act(ws, 'public_participation', 'complete', { ...sample['public-participation'](), otherForms: [] }))).toEqual(['PARTICIPATION_FORM_MISSING']);
  });

  test('Art. 19: expert review rests on opinions given by experts of the bank themselves', async () => {
    const ws = await drafted({ technical: true });
    act(ws, 'expert_review', 'start');
    expect(codes(act(ws, 'expert_review', 'complete', sample['expert-review'](['typed-by-clerk'])))).toEqual(['EXPERT_OPINION_MISSING', 'OPINION_NOT_ON_FILE']);
    const adviser = opinion(ws, { capacity: 'legal-adviser' });
    expect(codes(act(ws, 'expert_review', 'complete', sample['expert-review']([adviser])))).toEqual(['EXPERT_OPINION_MISSING', 'OPINION_NOT_ON_FILE']);
    const expert = opinion(ws, { capacity: 'expert' });
    expect(codes(act(ws, 'expert_review', 'complete', sample['expert-review']([expert])))).toEqual(['ok']);
  });

  test('Art. 20: an expert with a direct interest gives no opinion', async () => {
    const ws = await drafted({ technical: true });
    expect(() => opinion(ws, { capacity: 'expert', noDirectInterest: false })).toThrow(/EXPERT_HAS_DIRECT_INTEREST/);
  });

  test('Arts. 23-24: the risk conclusion must agree with its risk points and measures', async () => {
    const ws = await drafted({ stabilityRisk: true });
    act(ws, 'risk_assessment', 'start');
    const rec = sample['risk-assessment']();
    const untreated = { ...rec, riskPoints: [{ ...rec.riskPoints[0], residual: 'not-controllable' }] };
    expect(codes(act(ws, 'risk_assessment', 'complete', untreated))).toEqual(['RISK_CONCLUSION_INCONSISTENT']);
    const noMeasures = { ...rec, riskPoints: [{ ...rec.riskPoints[0], measures: [] }] };
    expect(codes(act(ws, 'risk_assessment', 'complete', noMeasures))).toEqual(['RISK_CONCLUSION_INCONSISTENT']);
    expect(codes(act(ws, 'risk_assessment', 'complete', { ...rec, conclusion: 'not-controllable' }))).toEqual(['RISK_CONCLUSION_INCONSISTENT']);
  });

  test('Art. 24: a risk found not controllable blocks the meeting until the draft is revised and reassessed', async () => {
    const ws = await drafted({ stabilityRisk: true });
    perform(ws, 'public_participation', sample['public-participation']());
    perform(ws, 'risk_assessment', sample['risk-assessment']('not-controllable'));
    expect(ws.engine.elements.revise_for_risk.status).toBe('enabled');
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(expect.arrayContaining(['STEP_NOT_ENABLED', 'RISK_NOT_CONTROLLABLE', 'LEGALITY_REVIEW_MISSING']));
    draft(ws, 'v2');
    perform(ws, 'revise_for_risk', sample.revision());
    perform(ws, 'risk_assessment', sample['risk-assessment']());
    reviewed(ws);
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
  });

  test('Fair Competition Review Regulation: a non-compliant measure is not issued until revised and reviewed again', async () => {
    const ws = await drafted({ affectsMarketEntities: true });
    perform(ws, 'public_participation', sample['public-participation']());
    perform(ws, 'fair_competition_review', sample['fair-competition-review']('non-compliant'));
    expect(ws.engine.elements.revise_for_fc.status).toBe('enabled');
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(expect.arrayContaining(['FAIR_COMPETITION_NON_COMPLIANT']));
    draft(ws, 'v2');
    perform(ws, 'revise_for_fc', sample.revision());
    perform(ws, 'fair_competition_review', sample['fair-competition-review']());
    reviewed(ws);
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
  });
});

describe('Arts. 25-28 — the legality review', () => {
  async function inReview() {
    const ws = await drafted();
    throughParallel(ws);
    act(ws, 'legality_review', 'start');
    return ws;
  }

  test("Art. 28: the review needs a legal adviser's or government lawyer's own opinion on the draft under review", async () => {
    const ws = await inReview();
    expect(codes(act(ws, 'legality_review', 'complete', sample['legality-review']('lawful', [])))).toEqual(['LEGAL_ADVISER_OPINION_MISSING']);
    // A typed name is no opinion, and neither is an id nobody put on file.
    expect(codes(act(ws, 'legality_review', 'complete', sample['legality-review']('lawful', ['赵律师'])))).toEqual(['invalid:adviserOpinions.0']);
    expect(codes(act(ws, 'legality_review', 'complete', sample['legality-review']('lawful', ['op-999'])))).toEqual(['LEGAL_ADVISER_OPINION_MISSING', 'OPINION_NOT_ON_FILE']);
  });

  test('Art. 28: the opinion leaves out no adviser who gave one', async () => {
    const ws = await inReview();
    const a = opinion(ws, { capacity: 'legal-adviser', authorName: '赵律师' });
    opinion(ws, { capacity: 'government-lawyer', author: 'gov', authorName: '钱公职律师' });
    const r = act(ws, 'legality_review', 'complete', sample['legality-review']('lawful', [a]));
    expect(codes(r)).toEqual(['ADVISER_OPINION_OMITTED']);
    expect(r.kind === 'blocked' && r.reasons[0].zh).toContain('钱公职律师');
  });

  test('Art. 28: an opinion on an earlier draft version does not cover the draft under review', async () => {
    const ws = await drafted();
    const old = opinion(ws, { capacity: 'legal-adviser' });
    throughParallel(ws);
    act(ws, 'legality_review', 'start');
    act(ws, 'legality_review', 'return', { reason: '请补充成本效益分析。' });
    draft(ws, 'v2');
    perform(ws, 'revise_for_legality', sample.revision());
    act(ws, 'legality_review', 'start');
    expect(codes(act(ws, 'legality_review', 'complete', sample['legality-review']('lawful', [old])))).toEqual(['LEGAL_ADVISER_OPINION_MISSING', 'OPINION_NOT_ON_FILE']);
  });

  test('Art. 27: "lawful" needs powers, procedure and content all lawful; "with changes" names them; "exploratory" states the risk', async () => {
    const ws = await inReview();
    const a = opinion(ws, { capacity: 'legal-adviser' });
    expect(codes(act(ws, 'legality_review', 'complete', { ...sample['legality-review']('lawful', [a]), contentOk: false }))).toEqual(['REVIEW_OUTCOME_INCONSISTENT']);
    expect(codes(act(ws, 'legality_review', 'complete', { ...sample['legality-review']('unlawful', [a]), contentOk: true }))).toEqual(['REVIEW_OUTCOME_INCONSISTENT']);
    expect(codes(act(ws, 'legality_review', 'complete', { ...sample['legality-review']('lawful-with-changes', [a]), requiredChanges: [] }))).toEqual(['REVIEW_OUTCOME_INCONSISTENT']);
    expect(codes(act(ws, 'legality_review', 'complete', sample['legality-review']('exploratory', [a])))).toEqual(['REVIEW_OUTCOME_INCONSISTENT']);
  });

  test('Art. 25(2): a draft found unlawful cannot go to the meeting; the revised draft needs a fresh review', async () => {
    const ws = await inReview();
    act(ws, 'legality_review', 'complete', sample['legality-review']('unlawful', [opinion(ws, { capacity: 'legal-adviser' })]));
    expect(ws.engine.elements.revise_for_legality.status).toBe('enabled');
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(expect.arrayContaining(['STEP_NOT_ENABLED', 'LEGALITY_REVIEW_NOT_PASSED']));
    draft(ws, 'v2');
    perform(ws, 'revise_for_legality', sample.revision());
    advance(1);
    reviewed(ws);
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
  });

  test('Art. 25: an exploratory reform goes forward with its legal risk stated', async () => {
    const ws = await inReview();
    const rec = { ...sample['legality-review']('exploratory', [opinion(ws, { capacity: 'legal-adviser' })]), legalRisk: '国家尚无明确规定，存在被撤销的风险。' };
    expect(codes(act(ws, 'legality_review', 'complete', rec))).toEqual(['ok']);
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
  });
});

describe('Art. 25 — what was reviewed stays reviewed', () => {
  test('Art. 25: material cannot be added to a reviewed draft; it goes into a revision and a fresh review', async () => {
    const ws = await readyForMeeting();
    expect(codes(material(ws, { id: 'f1' }))).toEqual(['MATERIAL_AFTER_REVIEW']);
    expect(ws.materials).toEqual([]);
  });

  test('Art. 25: material added during a revision is covered by the next review, not the last one', async () => {
    const ws = await drafted();
    expect(codes(material(ws, { id: 'explanation' }))).toEqual(['DRAFT_LOCKED']);
    throughParallel(ws);
    perform(ws, 'legality_review', sample['legality-review']('lawful-with-changes', [opinion(ws, { capacity: 'legal-adviser' })]));
    draft(ws, 'v2');
    expect(codes(material(ws, { id: 'explanation' }))).toEqual(['ok']);
    perform(ws, 'revise_for_legality', sample.revision());
    reviewed(ws);
    expect(ws.records.at(-1)!.materials).toEqual(['sha-explanation']);
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
  });

  test("Art. 33: a completed step's evidence is fixed", async () => {
    const ws = await drafted();
    act(ws, 'public_participation', 'start');
    expect(codes(material(ws, { id: 'minutes-of-symposium', stepId: 'public_participation' }))).toEqual(['ok']);
    act(ws, 'public_participation', 'complete', sample['public-participation']());
    expect(codes(material(ws, { id: 'late-evidence', stepId: 'public_participation' }))).toEqual(['EVIDENCE_STEP_CLOSED']);
  });

  test('Art. 12: drafts change only while drafting or a revision is open', async () => {
    const ws = await readyForMeeting();
    expect(() => draft(ws, 'v2')).toThrow(/DRAFT_LOCKED/);
  });
});

describe('Refusals classified, and a double click is no refusal', () => {
  test('Invariant 8: a premature step is a statutory refusal; re-completing a finished step says it is finished', async () => {
    const ws = await newDecision();
    const early = act(ws, 'legality_review', 'start');
    expect(early.kind === 'blocked' && early.reasons.map((r) => r.class)).toContain('statutory');
    perform(ws, 'initiation', sample.initiation());
    const again = act(ws, 'initiation', 'complete', { ...sample.initiation(), studyReport: '另一份报告。' }, { actor: 'other' });
    expect(codes(again)).toEqual(['STEP_ALREADY_DONE']);
    expect(again.kind === 'blocked' && again.reasons[0]).toMatchObject({ class: 'state', zh: '“决策启动”已经办结，无需再次办理。', en: '“Initiation” is already completed.' });
  });

  test('Invariant 8: the same person repeating an act that took effect (a double click) changes nothing and is no refusal', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    expect(codes(act(ws, 'initiation', 'start'))).toEqual(['repeat']);
    act(ws, 'initiation', 'complete', sample.initiation());
    const seq = ws.seq;
    expect(codes(act(ws, 'initiation', 'complete', sample.initiation()))).toEqual(['repeat']);
    expect(ws.seq).toBe(seq);
  });

  test('Honest messages: a missing field is named in Chinese the way the form names it', async () => {
    const ws = await drafted();
    throughParallel(ws);
    act(ws, 'legality_review', 'start');
    const { outcome: _dropped, ...noOutcome } = sample['legality-review']();
    const r = act(ws, 'legality_review', 'complete', noOutcome);
    expect(r).toEqual({ kind: 'invalid', issues: [{ path: 'outcome', message: '「结论」为必填项。', en: '“Outcome” is required.' }] });
    const bad = act(ws, 'legality_review', 'complete', { ...sample['legality-review'](), outcome: 'fine' });
    expect(bad.kind === 'invalid' && bad.issues[0].message).toMatch(/^「结论」只能选择：合法（lawful）、修改后合法（lawful-with-changes）/);
  });
});
