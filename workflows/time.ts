/**
 * Time is the system's (domain invariant 9): every act is dated when the system records it; a
 * declared date of an outside event (a meeting, a hearing, the Party committee's answer) is never
 * in the future, never before the decision existed, never before the step it belongs to opened.
 * Only an import (补录) of a procedure carried out before the system dates acts by what the
 * importer declares — in order, never in the future — and every such act is marked.
 */
import { FIELD_LABELS } from '../definitions/labels';
import { reasonOf } from '../definitions/statute';
import type { FieldIssue } from './messages';
import type { Reason, WorkflowState } from './model';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar date in China (UTC+8) of an instant. */
export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Noon in China on a date: the instant an imported act is dated at. */
export function chinaNoon(date: string): number {
  return Date.parse(`${date}T12:00:00+08:00`);
}

/** When an act happened: now, or — for an imported act — noon of its declared date (never later than now). */
export function actTime(occurredOn: string | undefined, now: number): number {
  return occurredOn ? Math.min(now, chinaNoon(occurredOn)) : now;
}

/** The day the decision began: its creation in the system, or the declared start of an imported procedure. */
export function decisionStartDate(ws: WorkflowState): string {
  return ws.import?.startedOn ?? chinaDate(ws.createdAt);
}

/** Whether an act may carry an imported date, and whether it must. */
export function backfillReasons(ws: WorkflowState, occurredOn: string | undefined, now: number): { reasons: Reason[]; issues: FieldIssue[] } {
  const today = chinaDate(now);
  if (occurredOn === undefined) return { reasons: [], issues: ws.import?.open ? [issue('occurredOn', reasonOf('BACKFILL_REQUIRED'))] : [] };
  if (!ws.import?.open) return { reasons: [reasonOf('BACKFILL_NOT_OPEN')], issues: [] };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(occurredOn) || Number.isNaN(Date.parse(occurredOn)))
    return { reasons: [], issues: [{ path: 'occurredOn', message: '「实际办理日期」应为日期，格式为“年-月-日”。', en: '“Date it happened” must be a date, YYYY-MM-DD.' }] };
  const label = FIELD_LABELS.occurredOn;
  if (occurredOn > today) return { reasons: [], issues: [issue('occurredOn', reasonOf('DATE_IN_FUTURE', { field: label.zh, date: occurredOn, today }), { field: label.en, date: occurredOn, today })] };
  if (occurredOn < ws.import.startedOn) return { reasons: [reasonOf('DATE_BEFORE_DECISION', { field: label.zh, date: occurredOn, since: ws.import.startedOn })], issues: [] };
  if (occurredOn < ws.import.lastOn) return { reasons: [reasonOf('BACKFILL_OUT_OF_ORDER', { date: occurredOn, since: ws.import.lastOn })], issues: [] };
  return { reasons: [], issues: [] };
}

/** Record fields that declare the date of an event outside the system (closesOn is a deadline, not an event). */
export const DECLARED_DATE_FIELDS = new Set(['decidedOn', 'reportedOn', 'respondedOn', 'meetingDate', 'publishedOn', 'archivedOn', 'date', 'heldOn', 'hearingDate', 'materialsDeliveredOn', 'on']);

function declaredDates(value: unknown, path: string[] = []): { path: string; field: string; date: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => declaredDates(v, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      DECLARED_DATE_FIELDS.has(k) && typeof v === 'string' ? [{ path: [...path, k].join('.'), field: k, date: v }] : declaredDates(v, [...path, k]),
    );
  return [];
}

/**
 * The declared dates in a record: a future one is a form error (400, beside the field); one before
 * the decision began or before the step opened is back-dating, refused under the statute (409).
 */
export function declaredDateProblems(ws: WorkflowState, data: unknown, stepOpenedAt: number | undefined, actedAt: number): { reasons: Reason[]; issues: FieldIssue[] } {
  const today = chinaDate(actedAt);
  const start = decisionStartDate(ws);
  const opened = stepOpenedAt === undefined ? start : chinaDate(stepOpenedAt);
  const reasons: Reason[] = [];
  const issues: FieldIssue[] = [];
  for (const d of declaredDates(data)) {
    const label = FIELD_LABELS[d.field] ?? { zh: d.field, en: d.field };
    if (d.date > today) issues.push(issue(d.path, reasonOf('DATE_IN_FUTURE', { field: label.zh, date: d.date, today }), { field: label.en, date: d.date, today }));
    else if (d.date < start) reasons.push(reasonOf('DATE_BEFORE_DECISION', { field: label.zh, date: d.date, since: start }));
    else if (d.date < opened) reasons.push(reasonOf('DATE_BEFORE_STEP', { field: label.zh, date: d.date, since: opened }));
  }
  return { reasons, issues };
}

/** A field issue from a catalogue reason; `enParams` re-fill the English with English labels. */
function issue(path: string, r: Reason, enParams?: Record<string, string>): FieldIssue {
  const en = enParams ? reasonOf(r.code as 'DATE_IN_FUTURE', enParams).en : r.en;
  return { path, message: r.zh, en };
}
