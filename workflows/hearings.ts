/**
 * Hearings (Decree 713 Arts. 16-17) as acts in the system: announced in advance with time, place
 * and the participant selection method; the participant list published before the materials go
 * out; the day the materials reached the participants — at least 7 days before the hearing; the
 * record the participants confirmed and signed, filed after the hearing. Each act is checked here
 * (pure, the validator's) and applied (the handler's); the portal shows what was announced.
 */
import { KINDS, reasonOf } from '../definitions/statute';
import { elementsOfKind } from './findings';
import type { FieldIssue } from './messages';
import type { Hearing, HearingEvent, Reason, WorkflowState } from './model';
import { chinaDate, declaredDateProblems } from './time';

type Check = { kind: 'ok' } | { kind: 'repeat' } | { kind: 'blocked'; reasons: Reason[] } | { kind: 'invalid'; issues: FieldIssue[] };
const ok: Check = { kind: 'ok' };
const blocked = (...reasons: Reason[]): Check => (reasons.length ? { kind: 'blocked', reasons } : ok);

/** Calendar days after a date (a notice period: no holiday roll-over). */
export function shiftDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The earliest day a hearing may be held when its materials were delivered on `deliveredOn` (Art. 16: 7日前送达). */
export const earliestHearingDay = (deliveredOn: string) => shiftDays(deliveredOn, 7);

const activeParticipation = (ws: WorkflowState) => elementsOfKind(ws, 'public-participation').find((id) => ws.engine.elements[id].status === 'active');

/** Whether a hearing act may happen now (`at` is when it happens: now, or an import's declared day). */
export function checkHearingEvent(ws: WorkflowState, ev: HearingEvent, at: number): Check {
  const pp = activeParticipation(ws);
  if (!pp) return blocked(reasonOf('STEP_NOT_STARTED', { article: KINDS['public-participation'].article, step: KINDS['public-participation'] }));
  const today = chinaDate(at);
  if (ev.type === 'hearing-announced') return ev.scheduledOn > today ? ok : blocked(reasonOf('HEARING_NOT_IN_ADVANCE', { date: ev.scheduledOn, today }));
  const h = ws.hearings.find((x) => x.id === ev.hearingId);
  if (!h) return { kind: 'invalid', issues: [{ path: 'hearingId', message: reasonOf('HEARING_UNKNOWN', { id: ev.hearingId }).zh, en: reasonOf('HEARING_UNKNOWN', { id: ev.hearingId }).en }] };
  if (h.cancelled) return ev.type === 'hearing-cancelled' ? { kind: 'repeat' } : blocked(reasonOf('HEARING_CANCELLED', { id: h.id }));
  const held = today >= h.scheduledOn;
  switch (ev.type) {
    case 'hearing-participants': {
      if (held) return blocked(reasonOf('HEARING_PARTICIPANTS_LATE', { detail: { zh: `听证会${h.id}定于${h.scheduledOn}举行，已不能再公布或更改名单。`, en: `hearing ${h.id} is on ${h.scheduledOn}; the list can no longer be published or changed.` } }));
      if (h.materialsDeliveredOn)
        return blocked(reasonOf('HEARING_PARTICIPANTS_LATE', { detail: { zh: `听证材料已于${h.materialsDeliveredOn}送达，名单已确定。`, en: `the materials were delivered on ${h.materialsDeliveredOn}, so the list is settled.` } }));
      return JSON.stringify(h.participants) === JSON.stringify(ev.participants) ? { kind: 'repeat' } : ok;
    }
    case 'hearing-materials-delivered': {
      if (h.materialsDeliveredOn) return h.materialsDeliveredOn === ev.deliveredOn ? { kind: 'repeat' } : blocked(reasonOf('HEARING_DELIVERY_RECORDED', { id: h.id, date: h.materialsDeliveredOn }));
      if (!h.participants.length) return blocked(reasonOf('HEARING_PARTICIPANTS_NOT_PUBLISHED', { id: h.id }));
      // A declared date of an outside event: never in the future, never before the step opened (Invariant 9).
      const dates = declaredDateProblems(ws, { materialsDeliveredOn: ev.deliveredOn }, ws.engine.elements[pp].enabledAt, at);
      if (dates.issues.length) return { kind: 'invalid', issues: dates.issues.map((i) => ({ ...i, path: 'deliveredOn' })) };
      if (dates.reasons.length) return blocked(...dates.reasons);
      const earliest = earliestHearingDay(ev.deliveredOn);
      return h.scheduledOn < earliest ? blocked(reasonOf('HEARING_NOTICE_TOO_SHORT', { deliveredOn: ev.deliveredOn, earliest })) : ok;
    }
    case 'hearing-record-signed':
      if (h.signedRecord) return h.signedRecord.sha256 === ev.sha256 ? { kind: 'repeat' } : ok;
      if (!held) return blocked(reasonOf('HEARING_NOT_HELD', { id: h.id, date: h.scheduledOn }));
      return h.materialsDeliveredOn ? ok : blocked(reasonOf('HEARING_MATERIALS_NOT_DELIVERED', { id: h.id }));
    case 'hearing-cancelled':
      return h.signedRecord ? blocked(reasonOf('HEARING_RECORD_MISSING', { id: h.id, date: h.scheduledOn })) : ok;
  }
}

/** Apply an accepted hearing act; returns the audit summary and the step it belongs to. */
export function applyHearingEvent(ws: WorkflowState, ev: HearingEvent & { actor: string; occurredOn?: string }, at: number): { summary: string; stepId?: string } {
  const stepId = activeParticipation(ws);
  const day = chinaDate(at);
  if (ev.type === 'hearing-announced') {
    const h: Hearing = {
      id: `H${ws.hearings.length + 1}`,
      scheduledOn: ev.scheduledOn,
      startsAt: ev.startsAt,
      place: ev.place,
      selectionMethod: ev.selectionMethod,
      participants: ev.participants ?? [],
      announcedOn: day,
      announcedAt: at,
      announcedBy: ev.actor,
      ...(ev.participants?.length ? { participantsPublishedOn: day } : {}),
      ...(ev.occurredOn ? { imported: true } : {}),
    };
    ws.hearings.push(h);
    return { stepId, summary: `announced hearing ${h.id} on ${h.scheduledOn} ${h.startsAt} at ${h.place}${h.participants.length ? ` with ${h.participants.length} participant(s)` : ''}` };
  }
  const h = ws.hearings.find((x) => x.id === ev.hearingId)!;
  switch (ev.type) {
    case 'hearing-participants':
      h.participants = ev.participants;
      h.participantsPublishedOn = day;
      return { stepId, summary: `published the ${ev.participants.length} participant(s) of hearing ${h.id}` };
    case 'hearing-materials-delivered':
      h.materialsDeliveredOn = ev.deliveredOn;
      return { stepId, summary: `hearing ${h.id}: materials reached the participants on ${ev.deliveredOn}` };
    case 'hearing-record-signed':
      h.signedRecord = { fileId: ev.fileId, sha256: ev.sha256, filename: ev.filename, by: ev.actor, at };
      return { stepId, summary: `hearing ${h.id}: the signed record "${ev.filename}" (sha256 ${ev.sha256.slice(0, 12)}) filed` };
    case 'hearing-cancelled':
      h.cancelled = { reasons: ev.reasons, by: ev.actor, at };
      return { stepId, summary: `cancelled hearing ${h.id}: ${ev.reasons}` };
  }
}
