/**
 * Public participation as it really ran (Decree 713 Arts. 15-18): the record's counts are what
 * the portal received (the API hands the workflow the facts), every opinion is answered before
 * the adoption report goes on, and hearings are announced in advance, their materials delivered
 * 7 days before, their signed record filed after — each refusal with its article.
 */
import { checkAction } from '../../workflows/guards';
import { applyAction } from '../../workflows/state';
import type { ParticipationFacts, WorkflowState } from '../../workflows/model';
import { act, advance, clock, codes, event, resetClock, TODAY } from '../support/driver';
import { drafted } from '../support/paths';
import { daysAgo, sample, useFixedClock } from '../support/records';

useFixedClock(clock);
beforeEach(() => resetClock());

const facts = (received: number, answered = received): ParticipationFacts => ({ consultations: [{ id: 'C1', received, answered, digest: 'a'.repeat(64) }] });

/** Complete public participation the way the API does: the record, and the facts the store holds. */
function complete(ws: WorkflowState, data: Record<string, unknown>, participation?: ParticipationFacts) {
  const a = { action: 'complete' as const, stepId: 'public_participation', actor: 'tester', data, ...(participation ? { system: { participation } } : {}) };
  const r = checkAction(ws, a, clock());
  if (r.kind === 'ok') applyAction(ws, a, r.data, clock());
  return r;
}

async function consulted() {
  const ws = await drafted();
  act(ws, 'public_participation', 'start');
  expect(codes(event(ws, { type: 'consultation-opened', channel: 'government-website', closesOn: '2026-12-28', explanation: '起草说明。', requires: { name: true, contact: false } }))).toEqual(['ok']);
  expect(ws.consultations[0]).toMatchObject({ explanation: '起草说明。', requires: { name: true, contact: false } });
  advance(32);
  return ws;
}

describe('Arts. 15, 18 — the record counts what the portal received', () => {
  test('Arts. 15, 18: a typed count that disagrees with what the portal received is refused', async () => {
    const ws = await consulted();
    const r = complete(ws, sample['public-participation']([{ id: 'C1', commentsReceived: 12 }]), facts(3));
    expect(codes(r)).toEqual(['PARTICIPATION_RECORD_MISMATCH']);
    expect(r.kind === 'blocked' && r.reasons[0]).toMatchObject({ article: 'Decree 713 Arts. 15-18', class: 'statutory', zh: expect.stringContaining('收到意见3条，记录填写为12条') });
    expect(codes(complete(ws, sample['public-participation']([{ id: 'C1', commentsReceived: 3 }]), facts(3)))).toEqual(['ok']);
    expect(ws.records.at(-1)!.data.consultations).toEqual([{ id: 'C1', commentsReceived: 3 }]);
  });

  test('Art. 18: every opinion has its answer before the adoption report goes to the decision body', async () => {
    const ws = await consulted();
    const r = complete(ws, sample['public-participation']([{ id: 'C1', commentsReceived: 5 }]), facts(5, 3));
    expect(codes(r)).toEqual(['OPINIONS_UNANSWERED']);
    expect(r.kind === 'blocked' && r.reasons[0].zh).toContain('有2条尚未研究提出处理意见');
  });

  test('a record completed before the portal existed (no facts handed in) still completes as it did: old histories replay', async () => {
    const ws = await consulted();
    expect(codes(complete(ws, sample['public-participation']([{ id: 'C1', commentsReceived: 126 }])))).toEqual(['ok']);
  });
});

describe('Arts. 16-17 — hearings in the system', () => {
  async function hearing(on = '2026-12-10') {
    const ws = await drafted();
    act(ws, 'public_participation', 'start');
    expect(codes(event(ws, { type: 'hearing-announced', scheduledOn: on, startsAt: '09:30', place: '市民大厅', selectionMethod: '随机抽取。' }))).toEqual(['ok']);
    return ws;
  }

  test('Art. 16: a hearing is announced before the day it is held', async () => {
    const ws = await drafted();
    expect(codes(event(ws, { type: 'hearing-announced', scheduledOn: '2026-12-10', startsAt: '09:30', place: '市民大厅', selectionMethod: '随机抽取。' }))).toEqual(['STEP_NOT_STARTED']);
    act(ws, 'public_participation', 'start');
    expect(codes(event(ws, { type: 'hearing-announced', scheduledOn: TODAY, startsAt: '09:30', place: '市民大厅', selectionMethod: '随机抽取。' }))).toEqual(['HEARING_NOT_IN_ADVANCE']);
  });

  test('Art. 16: the participant list is published before the materials go out, and the materials reach them 7 days before', async () => {
    const ws = await hearing('2026-12-03');
    expect(codes(event(ws, { type: 'hearing-materials-delivered', hearingId: 'H1', deliveredOn: TODAY }))).toEqual(['HEARING_PARTICIPANTS_NOT_PUBLISHED']);
    expect(codes(event(ws, { type: 'hearing-participants', hearingId: 'H1', participants: [{ name: '张三', represents: '居民代表' }] }))).toEqual(['ok']);
    // Friday 27 November + 7 days is Friday 4 December: a hearing on the 3rd is a day short.
    const r = event(ws, { type: 'hearing-materials-delivered', hearingId: 'H1', deliveredOn: TODAY });
    expect(codes(r)).toEqual(['HEARING_NOTICE_TOO_SHORT']);
    expect(r.kind === 'blocked' && r.reasons[0].zh).toContain('听证会最早于2026-12-04举行');
    expect(codes(event(ws, { type: 'hearing-materials-delivered', hearingId: 'H1', deliveredOn: '2026-11-28' }))).toEqual(['invalid:deliveredOn']);
    expect(codes(event(ws, { type: 'hearing-materials-delivered', hearingId: 'H9', deliveredOn: TODAY }))).toEqual(['invalid:hearingId']);
  });

  test('Arts. 16-17: the list is settled with the delivery; the signed record is filed after the hearing; the record is the system’s', async () => {
    const ws = await hearing('2026-12-10');
    event(ws, { type: 'hearing-participants', hearingId: 'H1', participants: [{ name: '张三' }] });
    expect(codes(event(ws, { type: 'hearing-materials-delivered', hearingId: 'H1', deliveredOn: TODAY }))).toEqual(['ok']);
    expect(codes(event(ws, { type: 'hearing-participants', hearingId: 'H1', participants: [{ name: '李四' }] }))).toEqual(['HEARING_PARTICIPANTS_LATE']);
    expect(codes(event(ws, { type: 'hearing-materials-delivered', hearingId: 'H1', deliveredOn: daysAgo(0) }))).toEqual(['repeat']);
    const signed = { type: 'hearing-record-signed' as const, hearingId: 'H1', fileId: 'f1', sha256: 'b'.repeat(64), filename: '听证记录.pdf' };
    expect(codes(event(ws, signed))).toEqual(['HEARING_NOT_HELD']);
    const record = { ...sample['public-participation'](), hearings: [{ id: 'H1', hearingDate: '2026-12-10', materialsDeliveredOn: TODAY, participants: ['张三'], recordSignedByParticipants: true }] };
    advance(13);
    expect(codes(complete(ws, record))).toEqual(['HEARING_RECORD_MISSING', 'PARTICIPATION_RECORD_MISMATCH']);
    expect(codes(event(ws, signed))).toEqual(['ok']);
    const typedWrong = { ...record, hearings: [{ ...record.hearings[0], hearingDate: '2026-12-09' }] };
    expect(codes(complete(ws, typedWrong))).toEqual(['PARTICIPATION_RECORD_MISMATCH']);
    expect(codes(complete(ws, { ...record, hearings: [] }))).toEqual(['PARTICIPATION_RECORD_MISMATCH']);
    expect(codes(complete(ws, record))).toEqual(['ok']);
  });

  test('a cancelled hearing is shown with its reasons and asks nothing more of the record', async () => {
    const ws = await hearing('2026-12-10');
    expect(codes(event(ws, { type: 'hearing-cancelled', hearingId: 'H1', reasons: '场地无法保障，取消。' }))).toEqual(['ok']);
    expect(codes(event(ws, { type: 'hearing-participants', hearingId: 'H1', participants: [{ name: '张三' }] }))).toEqual(['HEARING_CANCELLED']);
    expect(codes(complete(ws, sample['public-participation']()))).toEqual(['ok']);
  });
});
