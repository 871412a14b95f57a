/**
 * The statutory guards, one rule per test, named after the article it enforces. They run on
 * the standard procedure's state through the same checkAction the workflow's validators use.
 */
import { GUARDS } from '../../workflows/guards';
import { act, codes, draft, newDecision, NOW, perform } from '../support/driver';
import { sample, useFixedClock } from '../support/records';

useFixedClock(NOW);

const legalityStart = { submittedOn: '2026-10-08' };
const fixed = {
  pp: () => ({
    consultations: [{ channel: 'government-website', opensOn: '2026-09-01', closesOn: '2026-10-08' }],
    hearings: [],
    otherForms: [],
    adoptionReport: '采纳情况说明。',
  }),
};

/** A decision carried lawfully up to the collective decision. */
async function readyForMeeting(facts: Partial<Record<string, boolean>> = {}) {
  const ws = await newDecision(facts);
  perform(ws, 'initiation', sample.initiation());
  draft(ws, 'v1');
  perform(ws, 'drafting', sample.drafting());
  perform(ws, 'public_participation', fixed.pp());
  if (facts.technical) perform(ws, 'expert_review', sample['expert-review']());
  if (facts.stabilityRisk) perform(ws, 'risk_assessment', sample['risk-assessment']());
  if (facts.affectsMarketEntities) perform(ws, 'fair_competition_review', sample['fair-competition-review']());
  perform(ws, 'legality_review', sample['legality-review'](), legalityStart);
  return ws;
}

describe('Art. 25 — legality review before the meeting', () => {
  test('Art. 25: an unreviewed draft cannot go to the meeting', async () => {
    const ws = await newDecision();
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(expect.arrayContaining(['STEP_NOT_ENABLED', 'LEGALITY_REVIEW_MISSING']));
  });

  test('Art. 25: a draft found unlawful cannot go to the meeting', async () => {
    const ws = await readyForMeeting();
    ws.records.push({ ...ws.records[ws.records.length - 1], seq: 999, data: { ...sample['legality-review']('unlawful') } });
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['LEGALITY_REVIEW_NOT_PASSED']);
  });

  test('Art. 25: a draft changed after the review needs a new review, whatever the diagram allows', async () => {
    const ws = await readyForMeeting();
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
    const ws2 = await readyForMeeting();
    // An edited definition could let the draft change after review; the guard still holds.
    ws2.drafts.push({ ...ws2.drafts[0], version: 2, hash: 'changed' });
    expect(codes(act(ws2, 'collective_decision', 'start'))).toEqual(['LEGALITY_REVIEW_STALE']);
  });

  test('Art. 25: an exploratory reform may go forward only with its legal risk stated', async () => {
    const ws = await readyForMeeting();
    const exploratory = { ...sample['legality-review']('exploratory') };
    ws.records.push({ ...ws.records[ws.records.length - 1], seq: 999, data: { ...exploratory, legalRisk: '国家尚无明确规定，存在被撤销的风险。' } });
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);

    const ws2 = await newDecision();
    perform(ws2, 'initiation', sample.initiation());
    draft(ws2, 'v1');
    perform(ws2, 'drafting', sample.drafting());
    perform(ws2, 'public_participation', fixed.pp());
    act(ws2, 'legality_review', 'start', legalityStart);
    expect(codes(act(ws2, 'legality_review', 'complete', exploratory))).toEqual(['invalid:legalRisk']);
  });
});

test('Art. 24: a risk found not controllable blocks the meeting, whatever the diagram allows', async () => {
  const ws = await readyForMeeting({ stabilityRisk: true });
  expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(['ok']);
  const ws2 = await readyForMeeting({ stabilityRisk: true });
  ws2.records.push({ ...ws2.records[0], kind: 'risk-assessment', action: 'complete', seq: 999, data: sample['risk-assessment']('not-controllable') });
  expect(codes(act(ws2, 'collective_decision', 'start'))).toEqual(['RISK_NOT_CONTROLLABLE']);
});

test('Art. 29: the meeting is locked while a triggered step is neither done nor found not applicable', async () => {
  const ws = await newDecision({ technical: true, affectsMarketEntities: true });
  const lock = act(ws, 'collective_decision', 'start');
  expect(lock.kind === 'blocked' && lock.reasons.filter((r) => r.code === 'DOSSIER_INCOMPLETE').map((r) => r.missing)).toEqual([
    ['public_participation'],
    ['expert_review'],
    ['fair_competition_review'],
  ]);
});

describe('Art. 15 — open consultation', () => {
  const attempt = async (consultation: Record<string, unknown>) => {
    const ws = await newDecision();
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    act(ws, 'public_participation', 'start');
    return codes(act(ws, 'public_participation', 'complete', { ...fixed.pp(), consultations: [{ channel: 'government-website', ...consultation }] }));
  };

  test('Art. 15: a consultation shorter than 30 days without a stated reason is refused', async () => {
    expect(await attempt({ opensOn: '2026-11-01', closesOn: '2026-11-20' })).toEqual(['CONSULTATION_TOO_SHORT']);
  });

  test('Art. 15: a shortened consultation with the reason stated in the notice is accepted', async () => {
    expect(await attempt({ opensOn: '2026-11-01', closesOn: '2026-11-20', shorteningReason: '供水安全情况紧急' })).toEqual(['ok']);
  });

  test('Art. 15 with Civil Code Art. 203: a period ending on the National Day holiday runs to the next working day', async () => {
    // 2026-09-01 + 30 days = 2026-10-01, a holiday; the period ends on 2026-10-08.
    expect(await attempt({ opensOn: '2026-09-01', closesOn: '2026-10-07' })).toEqual(['CONSULTATION_TOO_SHORT']);
    expect(await attempt({ opensOn: '2026-09-01', closesOn: '2026-10-08' })).toEqual(['ok']);
  });

  test('Art. 15: a consultation still open cannot be recorded as done', async () => {
    expect(await attempt({ opensOn: '2026-11-01', closesOn: '2026-12-20' })).toEqual(['CONSULTATION_STILL_OPEN']);
  });
});

describe('Arts. 14, 16–17 — participation and hearings', () => {
  const attempt = async (pp: Record<string, unknown>, facts: Partial<Record<string, boolean>> = {}) => {
    const ws = await newDecision(facts);
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    act(ws, 'public_participation', 'start');
    return codes(act(ws, 'public_participation', 'complete', { ...fixed.pp(), ...pp }));
  };
  const hearing = (over: Record<string, unknown>) => ({ hearingDate: '2026-11-10', materialsDeliveredOn: '2026-11-03', participants: ['居民代表'], recordSignedByParticipants: true, ...over });

  test('Art. 16: hearing materials delivered fewer than 7 days before the hearing are refused', async () => {
    expect(await attempt({ hearings: [hearing({ materialsDeliveredOn: '2026-11-04' })] })).toEqual(['HEARING_NOTICE_TOO_SHORT']);
    expect(await attempt({ hearings: [hearing({})] })).toEqual(['ok']);
  });

  test('Art. 17: a hearing record not signed by the participants is refused', async () => {
    expect(await attempt({ hearings: [hearing({ recordSignedByParticipants: false })] })).toEqual(['HEARING_RECORD_UNSIGNED']);
  });

  test('Art. 14: participation with no form at all is refused', async () => {
    expect(await attempt({ consultations: [] })).toEqual(['PARTICIPATION_FORM_MISSING']);
  });

  test('Art. 14(3): specific groups affected must be consulted', async () => {
    expect(await attempt({}, { affectsSpecificGroups: true })).toEqual(['SPECIFIC_GROUPS_NOT_CONSULTED']);
    expect(await attempt({ specificGroupsConsulted: '与家长委员会座谈' }, { affectsSpecificGroups: true })).toEqual(['ok']);
  });
});

describe('Arts. 19–20 — experts', () => {
  const attempt = async (expert: Record<string, unknown>) => {
    const ws = await newDecision({ technical: true });
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    act(ws, 'expert_review', 'start');
    const rec = sample['expert-review']();
    return codes(act(ws, 'expert_review', 'complete', { ...rec, experts: [{ ...rec.experts[0], ...expert }] }));
  };
  test('Art. 20: an expert with a direct interest is refused', async () => {
    expect(await attempt({ directInterest: true })).toEqual(['EXPERT_HAS_DIRECT_INTEREST']);
  });
  test('Art. 19: an unsigned written opinion is refused', async () => {
    expect(await attempt({ signed: false })).toEqual(['EXPERT_OPINION_UNSIGNED']);
  });
});

describe('Arts. 26, 28 — the legality review itself', () => {
  const attempt = async (start: Record<string, unknown>, record: Record<string, unknown>) => {
    const ws = await newDecision();
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    perform(ws, 'public_participation', fixed.pp());
    act(ws, 'legality_review', 'start', start);
    return codes(act(ws, 'legality_review', 'complete', { ...sample['legality-review'](), ...record }));
  };

  test('Art. 26: a review shorter than 7 working days, counted on the holiday calendar, needs a reason', async () => {
    // Submitted 2026-09-28: working days after it are 9-29, 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12, 10-13.
    expect(await attempt({ submittedOn: '2026-09-28' }, { opinionDate: '2026-10-12' })).toEqual(['REVIEW_PERIOD_TOO_SHORT']);
    expect(await attempt({ submittedOn: '2026-09-28' }, { opinionDate: '2026-10-13' })).toEqual(['ok']);
    expect(await attempt({ submittedOn: '2026-09-28' }, { opinionDate: '2026-10-12', shortenedReviewReason: '市政府紧急部署' })).toEqual(['ok']);
  });

  test("Art. 28: a review without a legal adviser's or government lawyer's opinion is refused", async () => {
    expect(await attempt(legalityStart, { legalAdviserOpinions: [] })).toEqual(['LEGAL_ADVISER_OPINION_MISSING']);
  });

  test('Art. 26: the review may be returned for supplement, which sends the draft to revision', async () => {
    const ws = await newDecision();
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    perform(ws, 'public_participation', fixed.pp());
    act(ws, 'legality_review', 'start', legalityStart);
    expect(codes(act(ws, 'legality_review', 'return', { reason: '缺少履行法定程序的说明。' }))).toEqual(['ok']);
    expect(ws.engine.elements.legality_review.status).toBe('rework');
    expect(ws.engine.elements.revise_for_legality.status).toBe('enabled');
    expect(codes(act(ws, 'collective_decision', 'start'))).toEqual(expect.arrayContaining(['LEGALITY_REVIEW_MISSING']));
  });
});

describe('Art. 30 — the meeting record', () => {
  const attempt = async (over: Record<string, unknown>) => {
    const ws = await readyForMeeting();
    act(ws, 'collective_decision', 'start');
    return codes(act(ws, 'collective_decision', 'complete', sample['collective-decision'](over)));
  };
  const members = (positions: string[]) => [
    ...positions.map((position, i) => ({ speaker: ['副市长甲', '副市长乙', '秘书长'][i], capacity: 'member', position, text: position === 'disagree' ? '不同意，理由如下。' : '同意。' })),
    { speaker: '市长', capacity: 'head', position: 'agree', text: '通过。' },
  ];

  test('Art. 30: the head must speak last', async () => {
    const s = members(['agree', 'agree']);
    expect(await attempt({ statements: [s[2], s[0], s[1]] })).toEqual(['HEAD_NOT_LAST']);
  });
  test('Art. 30: the head deciding against the majority must give reasons', async () => {
    expect(await attempt({ statements: members(['disagree', 'disagree', 'agree']) })).toEqual(['HEAD_AGAINST_MAJORITY_WITHOUT_REASONS']);
    expect(await attempt({ statements: members(['disagree', 'disagree', 'agree']), reasons: '民生急需。' })).toEqual(['ok']);
    expect(await attempt({ statements: members(['agree', 'agree', 'disagree']), decision: 'rejected' })).toEqual(['HEAD_AGAINST_MAJORITY_WITHOUT_REASONS']);
  });
  test('Art. 30: the meeting must be an executive or plenary meeting', async () => {
    expect(await attempt({ meetingType: 'circulation' })).toEqual(['invalid:meetingType']);
  });
  test('Art. 30: dissent is kept verbatim and cannot be blank', async () => {
    const s = members(['disagree', 'agree', 'agree']);
    s[0].text = '';
    expect(await attempt({ statements: s })).toEqual(['invalid:statements.0.text']);
  });
  test('Art. 30: every speaker must be among the attendees', async () => {
    expect(await attempt({ attendees: ['市长'] })).toEqual(expect.arrayContaining(['SPEAKER_NOT_ATTENDING']));
  });
});

describe('Arts. 31–33 — after the meeting', () => {
  test('Arts. 31–32: publication only after the decision and the Party committee report, whatever the diagram allows', async () => {
    const guard = GUARDS.find((g) => g.name === 'Arts. 31-32')!;
    const ws = await readyForMeeting();
    const check = () => guard.check({ ws, element: ws.input.procedure.elements.publication, kind: 'publication', action: 'start', data: {}, today: '2026-11-27' }).map((r) => r.code);
    expect(check()).toEqual(['NOT_DECIDED', 'PARTY_REPORT_MISSING']);
    perform(ws, 'collective_decision', sample['collective-decision']());
    expect(check()).toEqual(['PARTY_REPORT_MISSING']);
    perform(ws, 'party_report', sample['party-report']());
    expect(check()).toEqual([]);
  });

  test('Art. 32: publication is refused before the Party committee report', async () => {
    const ws = await readyForMeeting();
    perform(ws, 'collective_decision', sample['collective-decision']());
    expect(codes(act(ws, 'publication', 'start'))).toEqual(expect.arrayContaining(['STEP_NOT_ENABLED', 'PARTY_REPORT_MISSING']));
    perform(ws, 'party_report', sample['party-report']());
    expect(codes(act(ws, 'publication', 'start'))).toEqual(['ok']);
  });

  test('Art. 31: a rejected decision is not reported or published; the file is still archived', async () => {
    const ws = await readyForMeeting();
    perform(ws, 'collective_decision', sample['collective-decision']({ decision: 'rejected', reasons: '时机不成熟。' }));
    expect(ws.engine.elements.party_report.status).toBe('bypassed');
    expect(ws.engine.elements.publication.status).toBe('bypassed');
    expect(ws.engine.elements.archive.status).toBe('enabled');
  });

  test('Art. 33: the file cannot be archived while a step is still open', async () => {
    const ws = await readyForMeeting();
    perform(ws, 'collective_decision', sample['collective-decision']());
    perform(ws, 'party_report', sample['party-report']());
    perform(ws, 'publication', sample.publication());
    act(ws, 'archive', 'start');
    ws.engine.elements.congress.status = 'enabled'; // an open step, however it came to be
    expect(codes(act(ws, 'archive', 'complete', sample.archive()))).toEqual(['RECORDS_INCOMPLETE']);
  });
});

test('Art. 36: the unit that did the main pre-decision assessment may not evaluate the decision', () => {
  const guard = GUARDS.find((g) => g.name === 'Art. 36')!;
  const ws = { input: { meta: { draftingUnit: '住建局' } }, records: [] } as never;
  expect(guard.check({ ws, data: { evaluator: '住建局' } } as never).map((r) => r.code)).toEqual(['EVALUATOR_NOT_INDEPENDENT']);
  expect(guard.check({ ws, data: { evaluator: '第三方评估机构' } } as never)).toEqual([]);
});

describe('not-applicable findings and drafts', () => {
  test('a mandatory step can never be found not applicable', async () => {
    const ws = await newDecision();
    expect(codes(act(ws, 'initiation', 'not-applicable', { reasons: '无需启动程序。' }))).toEqual(['STEP_MANDATORY']);
  });

  test('a conditional step found not applicable needs reasons, and then counts as settled', async () => {
    const ws = await newDecision({ stabilityRisk: true });
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    expect(codes(act(ws, 'risk_assessment', 'not-applicable', {}))).toEqual(['invalid:reasons']);
    expect(codes(act(ws, 'risk_assessment', 'not-applicable', { reasons: '已按规定开展社会稳定风险评估，不重复评估（第22条）。', basis: '永宁县社稳评〔2026〕3号' }))).toEqual(['ok']);
    expect(ws.engine.elements.risk_assessment.status).toBe('not-applicable');
  });

  test('Art. 12: drafting cannot be completed without a draft version', async () => {
    const ws = await newDecision();
    perform(ws, 'initiation', sample.initiation());
    act(ws, 'drafting', 'start');
    expect(codes(act(ws, 'drafting', 'complete', sample.drafting()))).toEqual(['DRAFT_MISSING']);
  });

  test('Arts. 24, 28: a revision step needs a new draft version', async () => {
    const ws = await newDecision({ stabilityRisk: true });
    perform(ws, 'initiation', sample.initiation());
    draft(ws, 'v1');
    perform(ws, 'drafting', sample.drafting());
    perform(ws, 'risk_assessment', sample['risk-assessment']('not-controllable'));
    act(ws, 'revise_for_risk', 'start');
    expect(codes(act(ws, 'revise_for_risk', 'complete', sample.revision()))).toEqual(['DRAFT_NOT_REVISED']);
    draft(ws, 'v2');
    expect(codes(act(ws, 'revise_for_risk', 'complete', sample.revision()))).toEqual(['ok']);
    expect(ws.engine.elements.risk_assessment.status).toBe('enabled');
  });

  test('a record dated in the future is refused, naming the field', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), startDecision: { decidedBy: '市政府', decidedOn: '2026-12-31' } }))).toEqual([
      'invalid:startDecision.decidedOn',
    ]);
  });
});
