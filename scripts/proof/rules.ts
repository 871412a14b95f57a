/**
 * The statute checked again over a replayed decision, from what the replay produced rather than
 * through the guards that ran at the time: the step records, the summaries the workflow projected
 * after each change, and the acts the history accepted. The rules are the statute catalogue's
 * (definitions/statute.ts) and use the same pure helpers as the guards (findings, calendar), so
 * "the guards let it through" and "the record shows it lawful" are two separate findings.
 *
 * A rule that needs the state just before an act uses the summary projected at the seq before
 * it; when two acts landed within one projection there is no such summary, and the act counts as
 * not re-checked here (the re-run guards still judged it) rather than as a violation.
 */
import { APPLICABILITY, CONDITIONAL_KINDS, KINDS, type ConditionalKind, type GroundCode } from '../../definitions/statute';
import { addCalendarDays, workingDaysBetween } from '../../workflows/calendar';
import { findingReasons } from '../../workflows/findings';
import type { DecisionInput, DecisionSummary, EventInput, ProjectionDelta, StepRecord } from '../../workflows/model';
import type { ReplayedAct } from '../../workflows/proof-interceptors';
import type { FindingInput } from '../../workflows/records';
import { actTime, chinaDate } from '../../workflows/time';

export interface RuleResult {
  rule: string;
  zh: string;
  en: string;
  /** Acts or records the rule looked at. */
  checked: number;
  /** Of those, how many could not be judged from the projections (judged by the re-run guards only). */
  indeterminate: number;
  violations: { seq?: number; zh: string; en: string }[];
}

interface Replay {
  input: DecisionInput;
  acts: ReplayedAct[];
  projections: ProjectionDelta[];
}

const CONSENT = new Set(['agreed', 'agreed-with-changes']);
const PASSED = new Set(['lawful', 'exploratory']);

function recordsOf(projections: ProjectionDelta[]): StepRecord[] {
  const bySeq = new Map<number, StepRecord>();
  for (const p of projections) for (const r of p.records) bySeq.set(r.seq, r);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The latest record of `kind` (with one of `actions`) before seq `before`. */
const lastBefore = (records: StepRecord[], kind: string, before: number, actions = ['complete', 'return']) =>
  [...records].reverse().find((r) => r.seq < before && r.kind === kind && actions.includes(r.action));

const stepName = (input: DecisionInput, id: string) => input.procedure.elements[id]?.name ?? id;

/** Re-check the statute over a replayed decision: one result per rule. */
export function checkRules({ input, acts, projections }: Replay): RuleResult[] {
  const records = recordsOf(projections);
  const summaries = projections.map((p) => p.summary).sort((a, b) => a.seq - b.seq);
  const summaryAt = (seq: number): DecisionSummary | undefined => summaries.find((s) => s.seq === seq);
  const final = summaries.at(-1);
  const results: RuleResult[] = [];
  const rule = (r: Omit<RuleResult, 'checked' | 'indeterminate' | 'violations'>) => {
    const out: RuleResult = { ...r, checked: 0, indeterminate: 0, violations: [] };
    results.push(out);
    return out;
  };

  // Every step act was taken on an open step: started when enabled (its predecessors done), completed or returned when started.
  const open = rule({ rule: 'Sequence', zh: '程序顺序：各环节均在前置环节完成、本环节开启后办理', en: 'every step was performed only once it was open (its prerequisites done)' });
  for (const r of records) {
    open.checked++;
    const before = summaryAt(r.seq - 1);
    if (!before) {
      open.indeterminate++;
      continue;
    }
    const want = r.action === 'start' ? 'enabled' : 'active';
    const st = before.openSteps.find((s) => s.id === r.elementId);
    if (st?.status !== want)
      open.violations.push({
        seq: r.seq,
        zh: `第${r.seq}号记录：「${stepName(input, r.elementId)}」${r.action === 'start' ? '开始' : '办结或退回'}时该环节${st ? '状态不符' : '尚未开启'}。`,
        en: `record ${r.seq}: ${r.elementId} was ${r.action === 'start' ? 'started' : `${r.action}d`} while it was ${st ? st.status : 'not open'}.`,
      });
  }

  // Art. 10: a conditional step is skipped only on a ground the statute names, with reasons.
  const grounded = rule({ rule: 'Art. 10', zh: '不适用的认定均有法定理由', en: 'every not-applicable finding rests on a ground the statute names' });
  for (const r of records.filter((x) => x.kind === 'initiation' && x.action === 'complete')) {
    for (const [kind, f] of Object.entries((r.data.applicability ?? {}) as Record<string, FindingInput>)) {
      grounded.checked++;
      for (const reason of findingReasons(kind as ConditionalKind, f)) grounded.violations.push({ seq: r.seq, zh: `立项认定「${KINDS[kind as ConditionalKind]?.zh ?? kind}」：${reason.zh}`, en: `initiation finding on ${kind}: ${reason.en}` });
    }
  }
  for (const a of acts.filter((x) => x.name === 'event' && (x.args[0] as EventInput).type === 'finding')) {
    const ev = a.args[0] as EventInput & { kind?: ConditionalKind; matter?: string };
    if (ev.type !== 'finding' || 'matter' in ev || !ev.kind) continue;
    grounded.checked++;
    for (const reason of findingReasons(ev.kind, ev as unknown as FindingInput)) grounded.violations.push({ zh: `修改认定「${KINDS[ev.kind].zh}」：${reason.zh}`, en: `revised finding on ${ev.kind}: ${reason.en}` });
  }
  for (const [kind, f] of Object.entries(final?.findings ?? {})) {
    if (f.applies || !(CONDITIONAL_KINDS as readonly string[]).includes(kind)) continue;
    grounded.checked++;
    if (!f.ground || !APPLICABILITY[kind as ConditionalKind].grounds.includes(f.ground as GroundCode))
      grounded.violations.push({ zh: `「${KINDS[kind as ConditionalKind].zh}」被认定不适用，理由「${f.ground ?? '无'}」不是法定理由。`, en: `${kind} found not applicable on "${f.ground ?? 'no ground'}", which the statute does not name.` });
  }

  // Art. 15: a consultation runs 30 days from when it opened in the system, unless shortened with reasons.
  const period = rule({ rule: 'Art. 15', zh: '征求意见期限不少于30日，或说明缩短理由', en: 'consultations ran at least 30 days, or the shortening was explained' });
  for (const a of acts.filter((x) => x.name === 'event' && (x.args[0] as EventInput).type === 'consultation-opened')) {
    const ev = a.args[0] as Extract<EventInput, { type: 'consultation-opened' }>;
    period.checked++;
    const opensOn = chinaDate(actTime(ev.occurredOn, a.at));
    const min = addCalendarDays(input.calendar, opensOn, 30).date;
    if (ev.closesOn <= opensOn || (ev.closesOn < min && !ev.shorteningReason))
      period.violations.push({ zh: `${opensOn}开始的征求意见截止于${ev.closesOn}，早于${min}且未说明理由。`, en: `the consultation opened on ${opensOn} closes on ${ev.closesOn}, before ${min}, without reasons.` });
  }

  // Art. 26: the legality review takes 7 working days from when the draft reached it, unless shortened with reasons.
  const review = rule({ rule: 'Art. 26', zh: '合法性审查时间不少于7个工作日，或说明理由', en: 'legality reviews took at least 7 working days, or the shortening was explained' });
  for (const r of records.filter((x) => x.kind === 'legality-review' && x.action === 'complete')) {
    review.checked++;
    const opened = summaries.flatMap((s) => s.openSteps).find((s) => s.id === r.elementId && s.visits === r.visit);
    if (!opened) {
      review.indeterminate++;
      continue;
    }
    const days = workingDaysBetween(input.calendar, chinaDate(opened.enabledAt), chinaDate(r.at)).count;
    if (days < 7 && !r.data.shortenedReviewReason)
      review.violations.push({ seq: r.seq, zh: `第${r.seq}号记录：合法性审查仅用${days}个工作日，且未说明理由。`, en: `record ${r.seq}: the legality review took ${days} working day(s), without reasons.` });
  }

  // Art. 25: no meeting without a passed legality review of the very draft it decides.
  const reviewed = rule({ rule: 'Art. 25', zh: '未经合法性审查或审查不合法的，不得提交讨论', en: 'no meeting without a passed legality review of the draft it decided' });
  for (const r of records.filter((x) => x.kind === 'collective-decision' && x.action === 'start')) {
    reviewed.checked++;
    const lr = lastBefore(records, 'legality-review', r.seq);
    const problem = !lr || lr.action !== 'complete' ? { zh: '此前没有合法性审查意见', en: 'no legality opinion before it' } : !PASSED.has(String(lr.data.outcome)) ? { zh: `合法性审查结论为「${String(lr.data.outcome)}」`, en: `the legality opinion was "${String(lr.data.outcome)}"` } : lr.draftHash !== r.draftHash ? { zh: `审查的是第${lr.draftVersion}稿，讨论的是另一稿`, en: `the review covered draft ${lr.draftVersion}, the meeting another` } : null;
    if (problem) reviewed.violations.push({ seq: r.seq, zh: `第${r.seq}号记录：集体讨论开始时${problem.zh}。`, en: `record ${r.seq}: the meeting started with ${problem.en}.` });
  }

  // Art. 29: every conditional procedure was performed, or found not applicable, before the meeting decided.
  const dossier = rule({ rule: 'Art. 29', zh: '集体讨论前，各项程序均已履行或经认定不适用', en: 'before the meeting decided, every procedure was performed or found not applicable' });
  for (const r of records.filter((x) => x.kind === 'collective-decision' && x.action === 'complete')) {
    for (const kind of ['public-participation', 'expert-review', 'risk-assessment', 'fair-competition-review'] as const) {
      if (!Object.values(input.procedure.elements).some((e) => e.step?.kind === kind)) continue;
      dossier.checked++;
      const f = final?.findings[kind];
      const performed = records.some((x) => x.kind === kind && x.action === 'complete' && x.seq < r.seq);
      if (!f || (f.applies && !performed)) dossier.violations.push({ seq: r.seq, zh: `第${r.seq}号记录：「${KINDS[kind].zh}」既未履行也未经认定不适用。`, en: `record ${r.seq}: ${kind} was neither performed nor found not applicable.` });
    }
  }

  // Art. 30 (and Art. 38): every speaker confirmed their own statement in the minutes the meeting decided on.
  const minutes = rule({ rule: 'Art. 30', zh: '会议记录中的发言均经发言人本人确认', en: "every statement in the minutes was confirmed by its speaker" });
  for (const r of records.filter((x) => x.kind === 'collective-decision' && x.action === 'complete')) {
    const d = r.data as { statements?: { speaker: string }[]; version?: number; confirmations?: Record<string, { confirm: boolean; minutesVersion: number }> };
    for (const s of new Set((d.statements ?? []).map((x) => x.speaker))) {
      minutes.checked++;
      const c = d.confirmations?.[s];
      if (!c?.confirm || c.minutesVersion !== d.version) minutes.violations.push({ seq: r.seq, zh: `第${r.seq}号记录：${s}的发言未经本人确认。`, en: `record ${r.seq}: ${s} did not confirm their statement.` });
    }
  }

  // Art. 31: published only after the decision was made and the Party committee consented.
  const consent = rule({ rule: 'Art. 31', zh: '经党委同意后方可公布', en: 'published only after the decision and the Party committee’s consent' });
  for (const r of records.filter((x) => x.kind === 'publication' && x.action === 'start')) {
    consent.checked++;
    const decided = lastBefore(records, 'collective-decision', r.seq, ['complete']);
    const party = lastBefore(records, 'party-report', r.seq, ['complete']);
    if (!decided || decided.data.decision === 'rejected') consent.violations.push({ seq: r.seq, zh: `第${r.seq}号记录：公布时尚未作出决定。`, en: `record ${r.seq}: publication began with no decision made.` });
    else if (!party || !CONSENT.has(String(party.data.outcome))) consent.violations.push({ seq: r.seq, zh: `第${r.seq}号记录：公布时未取得党委同意。`, en: `record ${r.seq}: publication began without the Party committee's consent.` });
  }
  return results;
}
