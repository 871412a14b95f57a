/**
 * Applicability is a reasoned finding, not a creation flag (Decree 713 Art. 10; domain invariant
 * 10), and exemptions stand only on grounds the law names (Arts. 14, 19, 22, 32). One rule per
 * test, each built through the acts a user takes.
 */
import { act, advance, clock, codes, event, newDecision, opinion, perform, resetClock } from '../support/driver';
import { drafted, readyForMeeting, reviewed, throughParallel } from '../support/paths';
import { findingsFor, matterFor, sample, useFixedClock } from '../support/records';

useFixedClock(clock);
beforeEach(() => resetClock());

describe('Art. 10 — the office decides which conditional steps apply', () => {
  test('Art. 10: initiation must record a finding on every conditional step', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    const { applicability, ...rest } = sample.initiation();
    const partial = { ...applicability } as Record<string, unknown>;
    delete partial['expert-review'];
    expect(codes(act(ws, 'initiation', 'complete', { ...rest, applicability: partial }))).toEqual(['invalid:applicability.expert-review']);
  });

  test("Art. 10: the drafting unit's proposal decides nothing — the office's finding opens expert review", async () => {
    // The department proposed "not technical"; the office finds it technical.
    const ws = await newDecision({ technical: false });
    perform(ws, 'initiation', { ...sample.initiation(), applicability: findingsFor({ technical: true }) });
    expect(ws.findings['expert-review']).toMatchObject({ applies: true, source: 'initiation', by: 'tester' });
    act(ws, 'drafting', 'start');
    event(ws, { type: 'finding', kind: 'risk-assessment', applies: false, ground: 'no-adverse-impact', reasons: '复核后维持原认定。' });
    expect(ws.engine.elements.expert_review.status).toBe('locked');
  });

  test('Art. 10: the drafting unit cannot find its own step not applicable', async () => {
    const ws = await drafted({ technical: true });
    const r = act(ws, 'expert_review', 'not-applicable', { reasons: '时间紧迫' });
    expect(codes(r)).toEqual(['APPLICABILITY_BY_FINDING']);
    expect(r.kind === 'blocked' && r.reasons[0].class).toBe('statutory');
  });

  test('Art. 10: a "not applicable" finding needs its reasons', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    const applicability = { ...findingsFor(), 'expert-review': { applies: false, ground: 'not-technical' } };
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability }))).toEqual(['FINDING_REASONS_MISSING']);
  });

  test('Art. 10: when the draft becomes technical, the revised finding reopens expert review', async () => {
    const ws = await drafted();
    expect(ws.engine.elements.expert_review.status).toBe('bypassed');
    expect(codes(event(ws, { type: 'finding', kind: 'expert-review', applies: true, reasons: '草案新增技术标准条款，须组织专家论证。' }))).toEqual(['ok']);
    expect(ws.engine.elements.expert_review.status).toBe('enabled');
    // The legality review cannot begin while the reopened step is open (Art. 27(2)).
    perform(ws, 'public_participation', sample['public-participation']());
    expect(ws.engine.elements.legality_review.status).toBe('enabled');
    expect(codes(act(ws, 'legality_review', 'start'))).toEqual(['APPLICABLE_STEP_OPEN']);
    perform(ws, 'expert_review', sample['expert-review']([opinion(ws, { capacity: 'expert' })]));
    expect(codes(act(ws, 'legality_review', 'start'))).toEqual(['ok']);
  });

  test('Art. 10: a step already performed cannot afterwards be found not applicable', async () => {
    const ws = await drafted({ technical: true });
    perform(ws, 'expert_review', sample['expert-review']([opinion(ws, { capacity: 'expert' })]));
    expect(codes(event(ws, { type: 'finding', kind: 'expert-review', applies: false, ground: 'not-technical', reasons: '重新认定为不涉及专业技术。' }))).toEqual(['STEP_ALREADY_PERFORMED']);
  });

  test('Art. 10: once the legality review has given its opinion, the office can no longer change a finding', async () => {
    const ws = await readyForMeeting();
    expect(codes(event(ws, { type: 'finding', kind: 'expert-review', applies: true, reasons: '情况变化，须组织专家论证。' }))).toEqual(['FINDING_LOCKED']);
  });

  test('Art. 10: the facts about the matter are revisited too — specific groups then must be consulted (Art. 14(3))', async () => {
    const ws = await drafted();
    expect(codes(event(ws, { type: 'finding', matter: 'affectsSpecificGroups', value: true, reasons: '方案调整后涉及残疾人群体。' }))).toEqual(['ok']);
    act(ws, 'public_participation', 'start');
    expect(codes(act(ws, 'public_participation', 'complete', sample['public-participation']()))).toEqual(['SPECIFIC_GROUPS_NOT_CONSULTED']);
  });
});

describe('Art. 27(2) — the legality review body reopens a step wrongly skipped', () => {
  test('Art. 27(2): reopening sends the decision back to perform the step, and the review waits for it', async () => {
    const ws = await drafted();
    throughParallel(ws);
    act(ws, 'legality_review', 'start');
    expect(codes(event(ws, { type: 'reopen', stepId: 'risk_assessment', reasons: '涉及征收补偿，应当评估社会稳定风险。', actor: '司法局' }))).toEqual(['ok']);
    expect(ws.engine.elements.risk_assessment.status).toBe('enabled');
    expect(ws.engine.elements.legality_review.status).toBe('rework');
    expect(ws.findings['risk-assessment']).toMatchObject({ applies: true, source: 'reopen', by: '司法局' });
    perform(ws, 'risk_assessment', sample['risk-assessment']());
    // Back to the review, as a new submission (Art. 26 counts from it).
    expect(ws.engine.elements.legality_review).toMatchObject({ status: 'enabled', visits: 2 });
    advance(14);
    reviewed(ws);
    expect(ws.engine.elements.collective_decision.status).toBe('enabled');
  });

  test('Art. 27(2): only a skipped conditional step can be reopened, and only during the review', async () => {
    const ws = await drafted();
    expect(codes(event(ws, { type: 'reopen', stepId: 'risk_assessment', reasons: '应当评估风险。' }))).toEqual(['REOPEN_NOT_IN_REVIEW']);
    throughParallel(ws);
    expect(codes(event(ws, { type: 'reopen', stepId: 'public_participation', reasons: '应当重新征求意见。' }))).toEqual(['REOPEN_NOT_SKIPPED']);
    expect(codes(event(ws, { type: 'reopen', stepId: 'drafting', reasons: '应当重新起草。' }))).toEqual(['STEP_MANDATORY']);
  });
});

describe('Exemptions only on grounds the law names', () => {
  test('Arts. 14, 32: public participation is exempt only for a matter not disclosed by law — "time is short" is no ground', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    const applicability = { ...findingsFor(), 'public-participation': { applies: false, ground: 'urgent', reasons: '时间紧迫，来不及征求意见。' } };
    const r = act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability });
    expect(codes(r)).toEqual(['GROUND_NOT_RECOGNISED', 'FINDINGS_INCONSISTENT']);
    expect(r.kind === 'blocked' && r.reasons[0].zh).toContain('依法确定为国家秘密');
  });

  test('Arts. 14, 32: a matter exempt from public participation as non-disclosable is not published either', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    const secret = findingsFor({ nonDisclosable: true });
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability: { ...secret, publication: { applies: true } } }))).toEqual(['FINDINGS_INCONSISTENT']);
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability: secret, matter: matterFor() }))).toEqual(['ok']);
    expect(ws.engine.elements.public_participation.status).toBe('locked');
  });

  test('Art. 14: a non-disclosure ground that rests on a classification must cite it', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    const noBasis = { applies: false, ground: 'state-secret', reasons: '涉及国家秘密。' };
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability: { ...findingsFor(), 'public-participation': noBasis, publication: noBasis } }))).toEqual([
      'GROUND_BASIS_MISSING',
      'GROUND_BASIS_MISSING',
    ]);
  });

  test('Art. 19: expert review on a matter found technical cannot be skipped on another ground', async () => {
    const ws = await drafted({ technical: true });
    expect(codes(event(ws, { type: 'finding', kind: 'expert-review', applies: false, ground: 'no-adverse-impact', reasons: '专家论证会难以组织。' }))).toEqual(['GROUND_NOT_RECOGNISED']);
    expect(ws.engine.elements.expert_review.status).toBe('enabled');
  });

  test('Art. 22(2): risk assessment is skipped as already assessed only by citing that assessment', async () => {
    const ws = await drafted({ stabilityRisk: true });
    const already = { type: 'finding' as const, kind: 'risk-assessment' as const, applies: false, ground: 'already-assessed', reasons: '项目已按规定开展社会稳定风险评估。' };
    expect(codes(event(ws, already))).toEqual(['GROUND_BASIS_MISSING']);
    expect(codes(event(ws, { ...already, basis: '银川市发改委社会稳定风险评估报告（银发改稳评〔2026〕8号）' }))).toEqual(['ok']);
    expect(ws.engine.elements.risk_assessment.status).toBe('not-applicable');
    expect(ws.findings['risk-assessment']).toMatchObject({ ground: 'already-assessed', source: 'revision' });
  });
});
