/**
 * What the supervision dashboard counts of one decision (pure): its count keys, computed from its
 * summary and from a fold of its step records and audit events. The projection folds each delta
 * in (activities/compliance.ts), a rebuild folds everything the store holds — the same function on
 * the same events, so both give the same keys.
 *
 * Key grammar (each key counts decisions, once per decision):
 *   started · st|<status> · overdue · due|<date> · late · decided · against
 *   short|consultation · short|review · adviser
 *   k|<kind>|done · k|<kind>|na · k|<kind>|na|<ground> · k|<kind>|overdue · k|<kind>|late · k|<kind>|days|<n>
 *   ind|legality · ind|pp|required · ind|pp|done          (assessment indicators, server/indicators.ts)
 * Refusals are counted apart, by the API as it records them: rf|<class> (attempts), ref|<class> (decisions).
 */
import type { DecisionSummary } from '../workflows/model';
import { chinaDate } from '../workflows/time';

/** What a decision's events leave behind for its keys; carried from one projection to the next. */
export interface ComplianceFold {
  /** Element id → step kind, learnt from records and open steps (timers name elements only). */
  kindOf: Record<string, string>;
  /** Visits started and not yet ended: `${elementId}#${visit}` → when started (ms). */
  open: Record<string, number>;
  /** Per step kind: calendar days from starting to ending it, summed over its visits. */
  days: Record<string, number>;
  /** Step kinds completed at least once. */
  done: string[];
  /** Elements whose period ran out (their boundary timer fired, or they showed overdue). */
  lateEls: string[];
  /** Reasons given for consultations shorter than 30 days (Art. 15). */
  shortConsultations: string[];
  /** The reason recorded for a legality review shorter than 7 working days (Art. 26). */
  shortReview: string | null;
  /** The reasons the head gave for deciding against the majority (Art. 30); '' when none were recorded. */
  against: string | null;
  /** The meeting adopted the decision (with or without amendments). */
  decided: boolean;
  /** The legality review cited a legal adviser's or government lawyer's own opinion (Art. 28). */
  adviser: boolean;
}

export const emptyFold = (): ComplianceFold => ({ kindOf: {}, open: {}, days: {}, done: [], lateEls: [], shortConsultations: [], shortReview: null, against: null, decided: false, adviser: false });

/** The parts of a step record the fold reads. */
export interface FoldRecord {
  seq: number;
  elementId: string;
  kind: string;
  action: string;
  at: number | Date;
  visit: number;
  data?: Record<string, unknown> | null;
}

/** The parts of an accepted audit event the fold reads. */
export interface FoldEvent {
  seq?: number | null;
  action: string;
  stepId?: string | null;
  summary: string;
}

/** Reasons are shown in drill-downs; the whole text stays in the decision's own record. */
const REASON_MAX = 300;
const clip = (s: string) => (s.length > REASON_MAX ? `${s.slice(0, REASON_MAX)}…` : s);
const ms = (t: number | Date) => (typeof t === 'number' ? t : t.getTime());
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
/** Calendar days between two instants, as dates in China: 0 when both fall on the same day. */
export const daysBetween = (from: number, to: number) => Math.max(0, dayNumber(chinaDate(to)) - dayNumber(chinaDate(from)));

const addTo = (list: string[], v: string) => (list.includes(v) ? list : [...list, v]);

/**
 * The reason a consultation was shortened, from its audit event: workflows/acts.ts writes
 * "opened consultation C1 until <date> (shortened: <reason>)" (a unit test pins the format).
 */
export function shorteningReason(summary: string): string | null {
  const m = /^opened consultation \S+ until \S+ \(shortened: ([\s\S]*)\)$/.exec(summary);
  return m ? m[1] : null;
}

/**
 * Whether the head decided against the majority of the members who spoke (Art. 30), by the rule
 * workflows/meeting.ts applies: adopting with more members disagreeing than agreeing, or
 * rejecting with more agreeing.
 */
export function headAgainstMajority(data: Record<string, unknown>): boolean {
  const head = (data.roster as { head?: { username?: string } } | null | undefined)?.head?.username;
  const statements = Array.isArray(data.statements) ? (data.statements as { speaker: string; position: string }[]) : [];
  const members = statements.filter((s) => s.speaker !== head);
  const agree = members.filter((s) => s.position === 'agree').length;
  const disagree = members.filter((s) => s.position === 'disagree').length;
  return data.decision !== 'rejected' ? disagree > agree : agree > disagree;
}

/** Fold step records and audit events with seq > `after` into `fold` (a new fold; the old one is left as it was). */
export function foldEvents(fold: ComplianceFold, records: readonly FoldRecord[], audit: readonly FoldEvent[], after: number): ComplianceFold {
  const f: ComplianceFold = { ...fold, kindOf: { ...fold.kindOf }, open: { ...fold.open }, days: { ...fold.days } };
  for (const r of [...records].filter((x) => x.seq > after).sort((a, b) => a.seq - b.seq)) {
    f.kindOf[r.elementId] = r.kind;
    const visit = `${r.elementId}#${r.visit}`;
    const data = r.data ?? {};
    if (r.action === 'start') {
      f.open[visit] = ms(r.at);
      continue;
    }
    if (r.action !== 'complete' && r.action !== 'return') continue;
    if (visit in f.open) {
      f.days[r.kind] = (f.days[r.kind] ?? 0) + daysBetween(f.open[visit], ms(r.at));
      delete f.open[visit];
    }
    if (r.action !== 'complete') continue;
    f.done = addTo(f.done, r.kind);
    if (r.kind === 'legality-review') {
      if (typeof data.shortenedReviewReason === 'string' && data.shortenedReviewReason) f.shortReview = clip(data.shortenedReviewReason);
      if (Array.isArray(data.adviserOpinions) && data.adviserOpinions.length) f.adviser = true;
    }
    if (r.kind === 'collective-decision') {
      f.decided = data.decision !== 'rejected';
      f.against = headAgainstMajority(data) ? clip(typeof data.reasons === 'string' ? data.reasons : '') : null;
    }
  }
  for (const a of audit) {
    if ((a.seq ?? 0) <= after) continue;
    if (a.action === 'timer' && a.stepId) f.lateEls = addTo(f.lateEls, a.stepId);
    if (a.action === 'consultation-opened') {
      const reason = shorteningReason(a.summary);
      if (reason !== null) f.shortConsultations = [...f.shortConsultations, clip(reason)];
    }
  }
  return f;
}

/** What the summary adds: the kinds of open steps, and those open past their period. */
export function foldSummary(fold: ComplianceFold, s: DecisionSummary): ComplianceFold {
  const f: ComplianceFold = { ...fold, kindOf: { ...fold.kindOf } };
  for (const o of s.openSteps) {
    f.kindOf[o.id] = o.kind;
    if (o.overdue) f.lateEls = addTo(f.lateEls, o.id);
  }
  return f;
}

/** The year a decision is counted in: the year its procedure started (an import's declared start). */
export function yearOf(s: Pick<DecisionSummary, 'createdAt' | 'imported'>): number {
  return Number((s.imported?.startedOn ?? chinaDate(s.createdAt)).slice(0, 4));
}

/** Open steps with a due date that are not yet overdue: the decision's earliest due date. */
function earliestDue(s: DecisionSummary): string | undefined {
  return s.openSteps
    .filter((o) => !o.overdue && o.due)
    .map((o) => o.due!.date)
    .sort()[0];
}

/** The decision's count keys, unprefixed, each once. */
export function complianceKeys(s: DecisionSummary, fold: ComplianceFold): string[] {
  const keys = new Set<string>(['started', `st|${s.status}`]);
  if (s.overdue) keys.add('overdue');
  const due = earliestDue(s);
  if (due) keys.add(`due|${due}`);
  for (const o of s.openSteps) if (o.overdue) keys.add(`k|${o.kind}|overdue`);
  const late = fold.lateEls.map((el) => fold.kindOf[el]).filter((k): k is string => Boolean(k));
  if (late.length) keys.add('late');
  for (const kind of late) keys.add(`k|${kind}|late`);
  for (const kind of fold.done) keys.add(`k|${kind}|done`);
  for (const [kind, days] of Object.entries(fold.days)) if (fold.done.includes(kind)) keys.add(`k|${kind}|days|${days}`);
  for (const [kind, finding] of Object.entries(s.findings)) {
    if (finding.applies) continue;
    keys.add(`k|${kind}|na`);
    keys.add(`k|${kind}|na|${finding.ground ?? 'none'}`);
  }
  if (fold.shortConsultations.length) keys.add('short|consultation');
  if (fold.shortReview !== null) keys.add('short|review');
  if (fold.against !== null) keys.add('against');
  if (fold.adviser) keys.add('adviser');
  if (fold.decided) {
    keys.add('decided');
    if (fold.done.includes('legality-review')) keys.add('ind|legality');
    // Public participation is required unless the office found it not applicable on a lawful ground (Art. 14).
    if (s.findings['public-participation']?.applies !== false) {
      keys.add('ind|pp|required');
      if (fold.done.includes('public-participation')) keys.add('ind|pp|done');
    }
  }
  return [...keys].sort();
}
