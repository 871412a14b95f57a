/**
 * Time is the system's (domain invariant 9): statutory periods run from moments the system
 * recorded; declared dates of outside events are never in the future, never before the decision
 * or the step they belong to; back-dating is impossible, and a procedure carried out before the
 * system enters only through a marked import (补录).
 */
import { act, advance, clock, codes, draft, event, newDecision, opinion, perform, resetClock, TODAY } from '../support/driver';
import { drafted, minutes, reviewed, throughParallel } from '../support/paths';
import { daysAgo, findingsFor, sample, useFixedClock } from '../support/records';

useFixedClock(clock);
beforeEach(() => resetClock());

describe('Art. 26 — seven working days from the submission the system recorded', () => {
  test('Art. 26: the review period runs from when the draft reached the review, to when the opinion is recorded', async () => {
    const ws = await drafted();
    throughParallel(ws);
    act(ws, 'legality_review', 'start');
    const id = opinion(ws, { capacity: 'legal-adviser' });
    const { shortenedReviewReason: _none, ...record } = sample['legality-review']('lawful', [id]);
    const r = act(ws, 'legality_review', 'complete', record);
    expect(codes(r)).toEqual(['REVIEW_PERIOD_TOO_SHORT']);
    expect(r.kind === 'blocked' && r.reasons[0].zh).toContain(`${TODAY}送审至${TODAY}仅0个工作日`);
    // 2026-11-27 is a Friday: seven working days later is Tuesday 8 December.
    advance(10);
    expect(codes(act(ws, 'legality_review', 'complete', record))).toEqual(['REVIEW_PERIOD_TOO_SHORT']);
    advance(1);
    expect(codes(act(ws, 'legality_review', 'complete', record))).toEqual(['ok']);
  });

  test('Art. 26: neither the submission nor the opinion can be dated by hand', async () => {
    const ws = await drafted();
    throughParallel(ws);
    expect(codes(act(ws, 'legality_review', 'start', { submittedOn: daysAgo(30) }))).toEqual(['invalid:']);
    act(ws, 'legality_review', 'start');
    const id = opinion(ws, { capacity: 'legal-adviser' });
    expect(codes(act(ws, 'legality_review', 'complete', { ...sample['legality-review']('lawful', [id]), opinionDate: daysAgo(20) }))).toEqual(['invalid:']);
    expect(codes(act(ws, 'legality_review', 'complete', sample['legality-review']('lawful', [id])))).toEqual(['ok']);
    // The opinion is dated when the system records it.
    expect(ws.records.at(-1)!.at).toBe(clock());
  });
});

describe('Art. 15 — the consultation runs from when it opened in the system', () => {
  async function consulting() {
    const ws = await drafted();
    act(ws, 'public_participation', 'start');
    return ws;
  }

  test('Art. 15: a consultation shorter than 30 days needs the reason stated when it opens', async () => {
    const ws = await consulting();
    expect(codes(event(ws, { type: 'consultation-opened', channel: 'government-website', closesOn: '2026-12-20' }))).toEqual(['CONSULTATION_TOO_SHORT']);
    expect(codes(event(ws, { type: 'consultation-opened', channel: 'government-website', closesOn: '2026-12-20', shorteningReason: '冬季供暖保障需在年底前出台。' }))).toEqual(['ok']);
    expect(ws.consultations[0]).toMatchObject({ id: 'C1', opensOn: TODAY, closesOn: '2026-12-20' });
  });

  test('Art. 15: public participation cannot close before the consultation has run its period', async () => {
    const ws = await consulting();
    // 30 days from Friday 27 November end on Sunday 27 December, which rolls to Monday (Civil Code Art. 203).
    expect(codes(event(ws, { type: 'consultation-opened', channel: 'government-website', closesOn: '2026-12-27' }))).toEqual(['CONSULTATION_TOO_SHORT']);
    expect(codes(event(ws, { type: 'consultation-opened', channel: 'government-website', closesOn: '2026-12-28' }))).toEqual(['ok']);
    const record = sample['public-participation']([{ id: 'C1', commentsReceived: 126 }]);
    expect(codes(act(ws, 'public_participation', 'complete', record))).toEqual(['CONSULTATION_STILL_OPEN']);
    advance(31);
    expect(codes(act(ws, 'public_participation', 'complete', record))).toEqual(['CONSULTATION_STILL_OPEN']);
    advance(1);
    expect(codes(act(ws, 'public_participation', 'complete', { ...record, consultations: [] }))).toEqual(['CONSULTATION_RESULT_MISSING']);
    expect(codes(act(ws, 'public_participation', 'complete', record))).toEqual(['ok']);
  });

  test('Art. 15: a consultation is opened in the system, not typed into the record', async () => {
    const ws = await consulting();
    const typed = { ...sample['public-participation'](), consultations: [{ id: 'C7', commentsReceived: 300 }] };
    expect(codes(act(ws, 'public_participation', 'complete', typed))).toEqual(['CONSULTATION_UNKNOWN']);
  });
});

describe('Invariant 9 — declared dates of outside events', () => {
  test('Art. 30: a meeting date cannot lie in the future', async () => {
    const ws = await drafted();
    throughParallel(ws);
    reviewed(ws);
    act(ws, 'collective_decision', 'start');
    expect(codes(event(ws, { type: 'minutes', minutes: minutes({ meetingDate: '2026-11-30' }) }))).toEqual(['invalid:minutes.meetingDate']);
  });

  test('Art. 30: a meeting cannot be dated before the step it must follow (back-dating)', async () => {
    const ws = await drafted();
    throughParallel(ws);
    advance(2);
    reviewed(ws);
    act(ws, 'collective_decision', 'start');
    const r = event(ws, { type: 'minutes', minutes: minutes({ meetingDate: TODAY }) });
    expect(codes(r)).toEqual(['DATE_BEFORE_STEP']);
    expect(r.kind === 'blocked' && r.reasons[0].class).toBe('statutory');
  });

  test('Art. 10: the decision to start cannot predate the decision itself', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: daysAgo(3) } }))).toEqual(['DATE_BEFORE_DECISION']);
  });

  test('Art. 16: materials must reach hearing participants seven days before the hearing', async () => {
    const ws = await drafted();
    act(ws, 'public_participation', 'start');
    advance(10);
    const hearing = { hearingDate: daysAgo(1), materialsDeliveredOn: daysAgo(5), participants: ['居民代表张某'], recordSignedByParticipants: true };
    const pp = { ...sample['public-participation'](), hearings: [hearing] };
    expect(codes(act(ws, 'public_participation', 'complete', pp))).toEqual(['HEARING_NOTICE_TOO_SHORT']);
    expect(codes(act(ws, 'public_participation', 'complete', { ...pp, hearings: [{ ...hearing, materialsDeliveredOn: daysAgo(9), recordSignedByParticipants: false }] }))).toEqual(['HEARING_RECORD_UNSIGNED']);
    expect(codes(act(ws, 'public_participation', 'complete', { ...pp, hearings: [{ ...hearing, materialsDeliveredOn: daysAgo(9) }] }))).toEqual(['ok']);
  });
});

describe('补录 — a procedure carried out before the system enters only as a marked import', () => {
  test('Art. 33: a live decision cannot be dated by its users', async () => {
    const ws = await newDecision();
    expect(codes(act(ws, 'initiation', 'start', {}, { occurredOn: daysAgo(30) }))).toEqual(['BACKFILL_NOT_OPEN']);
  });

  test('Art. 33: an import dates each act as declared — in order, never in the future — and marks it', async () => {
    const ws = await newDecision({}, { import: { reason: '系统上线前已启动的决策事项，按纸质案卷补录。', startedOn: '2026-03-02' } });
    expect(codes(act(ws, 'initiation', 'start'))).toEqual(['invalid:occurredOn']);
    expect(codes(act(ws, 'initiation', 'start', {}, { occurredOn: '2026-02-27' }))).toEqual(['DATE_BEFORE_DECISION']);
    expect(codes(act(ws, 'initiation', 'start', {}, { occurredOn: '2026-12-01' }))).toEqual(['invalid:occurredOn']);
    perform(ws, 'initiation', { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: '2026-03-05' } }, { occurredOn: '2026-03-05' });
    expect(codes(act(ws, 'drafting', 'start', {}, { occurredOn: '2026-03-04' }))).toEqual(['BACKFILL_OUT_OF_ORDER']);
    draft(ws, 'v1', { occurredOn: '2026-03-20' });
    perform(ws, 'drafting', sample.drafting(), { occurredOn: '2026-04-01' });
    expect(ws.records.at(-1)).toMatchObject({ imported: true, at: Date.parse('2026-04-01T12:00:00+08:00') });
    expect(ws.audit.at(-1)).toMatchObject({ occurredOn: '2026-04-01', at: clock() });
    // Periods count on the imported dates: a review opened 2026-05-06 and answered 2026-05-08 is too short.
    const pp = { ...sample['public-participation'](), otherForms: [{ form: 'symposium', heldOn: '2026-04-20', summary: '座谈会。' }] };
    perform(ws, 'public_participation', pp, { occurredOn: '2026-05-06' });
    act(ws, 'legality_review', 'start', {}, { occurredOn: '2026-05-06' });
    const id = opinion(ws, { capacity: 'legal-adviser', occurredOn: '2026-05-07' });
    const record = { ...sample['legality-review']('lawful', [id]), shortenedReviewReason: undefined };
    expect(codes(act(ws, 'legality_review', 'complete', record, { occurredOn: '2026-05-08' }))).toEqual(['REVIEW_PERIOD_TOO_SHORT']);
    expect(codes(act(ws, 'legality_review', 'complete', record, { occurredOn: '2026-05-18' }))).toEqual(['ok']);
  });

  test('Art. 33: once the import ends, every act is dated by the system', async () => {
    const ws = await newDecision({}, { import: { reason: '系统上线前已启动的决策事项，按纸质案卷补录。', startedOn: '2026-03-02' } });
    perform(ws, 'initiation', { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: '2026-03-05' } }, { occurredOn: '2026-03-05' });
    expect(codes(event(ws, { type: 'import-ended' }))).toEqual(['ok']);
    expect(codes(act(ws, 'drafting', 'start', {}, { occurredOn: '2026-03-06' }))).toEqual(['BACKFILL_NOT_OPEN']);
    expect(codes(act(ws, 'drafting', 'start'))).toEqual(['ok']);
    expect(ws.records.at(-1)!.imported).toBeUndefined();
  });

  test('Art. 10: the import still needs the findings, as a live decision does', async () => {
    const ws = await newDecision({}, { import: { reason: '系统上线前已启动的决策事项，按纸质案卷补录。', startedOn: '2026-03-02' } });
    act(ws, 'initiation', 'start', {}, { occurredOn: '2026-03-05' });
    const applicability = { ...findingsFor(), 'risk-assessment': { applies: false, ground: 'already-assessed', reasons: '项目环评时已作风险评估。' } };
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), startDecision: { decidedBy: '市政府', decidedOn: '2026-03-05' }, applicability }, { occurredOn: '2026-03-05' }))).toEqual([
      'GROUND_BASIS_MISSING',
    ]);
  });
});
