/**
 * Statutory guards: the invariants of Decree 713 that hold whatever the BPMN says
 * (shared/domain/README.md, "Invariants"). Each guard names its article; the workflow's
 * update validators run them before any step action is accepted.
 */
import { addCalendarDays, workingDaysBetween } from './calendar';
import { missingPredecessors, SETTLED } from './engine';
import type { Reason, StepAction, StepRecord, WorkflowState } from './model';
import type { CompiledElement, StepKind } from './procedure';
import type { z } from 'zod';
import { NotApplicableSchema, parseBilingual, RECORD_SCHEMAS, ReturnSchema, StartSchema, type FieldIssue, type RecordName } from './records';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar date in China (UTC+8) of an instant. */
export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Status names as the people using Juece say them. */
export const STATUS_ZH: Record<string, string> = {
  locked: '锁定',
  enabled: '可办理',
  active: '办理中',
  completed: '已完成',
  'not-applicable': '不适用',
  rework: '退回修改',
  bypassed: '无需办理',
};

function reason(code: string, article: string, zh: string, en: string, missing?: string[]): Reason {
  return missing ? { code, article, zh, en, missing } : { code, article, zh, en };
}

export interface GuardContext {
  ws: WorkflowState;
  element: CompiledElement;
  kind: StepKind;
  action: StepAction['action'];
  /** Parsed record (complete) or action data. */
  data: Record<string, unknown>;
  today: string;
}

export interface Guard {
  /** Name used by the tests, e.g. "Art. 25". */
  name: string;
  kinds: StepKind[];
  actions: StepAction['action'][];
  check(ctx: GuardContext): Reason[];
}

function lastRecord(ws: WorkflowState, kind: StepKind, actions: StepAction['action'][] = ['complete', 'return']): StepRecord | undefined {
  for (let i = ws.records.length - 1; i >= 0; i--) {
    const r = ws.records[i];
    if (r.kind === kind && actions.includes(r.action)) return r;
  }
  return undefined;
}

function currentDraftHash(ws: WorkflowState): string | null {
  return ws.drafts.length ? ws.drafts[ws.drafts.length - 1].hash : null;
}

function elementsOfKind(ws: WorkflowState, kind: StepKind): string[] {
  return Object.values(ws.input.procedure.elements)
    .filter((e) => e.step?.kind === kind)
    .map((e) => e.id);
}

/** A conditional step is settled when every element of its kind is completed, not applicable or bypassed. */
function kindSettled(ws: WorkflowState, kind: StepKind): boolean {
  const ids = elementsOfKind(ws, kind);
  return ids.length > 0 && ids.every((id) => ['completed', 'not-applicable'].includes(ws.engine.elements[id].status));
}

const before = (a: string, b: string) => a < b;

export const GUARDS: Guard[] = [
  {
    name: 'Art. 12',
    kinds: ['drafting'],
    actions: ['complete'],
    check: ({ ws }) =>
      ws.drafts.length
        ? []
        : [reason('DRAFT_MISSING', 'Decree 713 Art. 12', '尚未提交决策草案版本，不能完成草案拟订。', 'No draft version has been recorded; drafting cannot be completed.')],
  },
  {
    name: 'Art. 14',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const out: Reason[] = [];
      const forms = (data.consultations as unknown[]).length + (data.hearings as unknown[]).length + (data.otherForms as unknown[]).length;
      if (forms === 0)
        out.push(reason('PARTICIPATION_FORM_MISSING', 'Decree 713 Art. 14', '未记录任何公众参与方式（公开征求意见、听证、座谈等）。', 'No form of public participation (consultation, hearing, symposium…) is recorded.'));
      if (ws.input.facts.affectsSpecificGroups && !data.specificGroupsConsulted)
        out.push(
          reason('SPECIFIC_GROUPS_NOT_CONSULTED', 'Decree 713 Art. 14(3)', '决策事项涉及特定群体利益，应当与相关人民团体、社会组织以及群众代表沟通协商。', 'The matter affects specific groups: their organisations and representatives must be consulted.'),
        );
      return out;
    },
  },
  {
    name: 'Art. 15',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ ws, data, today }) => {
      const out: Reason[] = [];
      for (const c of data.consultations as { opensOn: string; closesOn: string; shorteningReason?: string }[]) {
        const min = addCalendarDays(ws.input.calendar, c.opensOn, 30);
        if (before(c.closesOn, min.date) && !c.shorteningReason)
          out.push(
            reason(
              'CONSULTATION_TOO_SHORT',
              'Decree 713 Art. 15',
              `公开征求意见期限一般不少于30日：${c.opensOn}开始的征求意见最早于${min.date}截止，缩短期限须在公告中说明理由。`,
              `Open consultation normally lasts at least 30 days: one opened on ${c.opensOn} closes no earlier than ${min.date} unless a shortening reason was stated in the notice.`,
            ),
          );
        if (before(today, c.closesOn))
          out.push(reason('CONSULTATION_STILL_OPEN', 'Decree 713 Art. 15', `公开征求意见至${c.closesOn}截止，尚未结束。`, `The consultation is open until ${c.closesOn}.`));
        if (before(c.closesOn, c.opensOn))
          out.push(reason('CONSULTATION_DATES', 'Decree 713 Art. 15', '征求意见截止日期早于开始日期。', 'The consultation closes before it opens.'));
      }
      return out;
    },
  },
  {
    name: 'Art. 16',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ data, today }) => {
      const out: Reason[] = [];
      for (const h of data.hearings as { hearingDate: string; materialsDeliveredOn: string; recordSignedByParticipants: boolean }[]) {
        // 7日前送达: delivery + 7 calendar days must not fall after the hearing; no holiday roll-over for a notice period.
        const sevenDaysAfter = shiftDays(h.materialsDeliveredOn, 7);
        if (before(h.hearingDate, sevenDaysAfter))
          out.push(
            reason(
              'HEARING_NOTICE_TOO_SHORT',
              'Decree 713 Art. 16',
              `听证会材料应当于听证会7日前送达：${h.materialsDeliveredOn}送达的材料，听证会最早于${sevenDaysAfter}举行。`,
              `Hearing materials must reach participants 7 days before the hearing: delivered on ${h.materialsDeliveredOn}, the hearing may be held on ${sevenDaysAfter} at the earliest.`,
            ),
          );
        if (!h.recordSignedByParticipants)
          out.push(reason('HEARING_RECORD_UNSIGNED', 'Decree 713 Art. 17', '听证会记录须经听证参加人确认并签字。', 'The hearing record must be confirmed and signed by the participants.'));
        if (before(today, h.hearingDate))
          out.push(reason('HEARING_NOT_HELD', 'Decree 713 Art. 16', `听证会定于${h.hearingDate}，尚未举行。`, `The hearing is set for ${h.hearingDate} and has not been held.`));
      }
      return out;
    },
  },
  {
    name: 'Arts. 19-20',
    kinds: ['expert-review'],
    actions: ['complete'],
    check: ({ data }) => {
      const out: Reason[] = [];
      for (const e of data.experts as { name: string; directInterest: boolean; signed: boolean }[]) {
        if (e.directInterest)
          out.push(reason('EXPERT_HAS_DIRECT_INTEREST', 'Decree 713 Art. 20', `专家${e.name}与决策事项有直接利害关系，不得选择。`, `Expert ${e.name} has a direct interest in the matter and may not take part.`));
        if (!e.signed)
          out.push(reason('EXPERT_OPINION_UNSIGNED', 'Decree 713 Art. 19', `专家${e.name}的书面论证意见未署名、盖章。`, `Expert ${e.name}'s written opinion is not signed or sealed.`));
      }
      return out;
    },
  },
  {
    name: 'Art. 26',
    kinds: ['legality-review'],
    actions: ['complete'],
    check: ({ ws, element, data, today }) => {
      const out: Reason[] = [];
      const start = [...ws.records].reverse().find((r) => r.elementId === element.id && r.action === 'start');
      const st = ws.engine.elements[element.id];
      const submittedOn = (start?.data.submittedOn as string | undefined) ?? chinaDate(st.startedAt ?? ws.createdAt);
      const opinionDate = (data.opinionDate as string | undefined) ?? today;
      if (before(today, opinionDate))
        out.push(reason('DATE_IN_FUTURE', 'Decree 713 Art. 26', `审查意见日期${opinionDate}晚于今天。`, `The opinion date ${opinionDate} is in the future.`));
      const n = workingDaysBetween(ws.input.calendar, submittedOn, opinionDate);
      if (n.count < 7 && !data.shortenedReviewReason) {
        const note = n.approximate ? `（${n.notes.join('; ')}）` : '';
        out.push(
          reason(
            'REVIEW_PERIOD_TOO_SHORT',
            'Decree 713 Art. 26',
            `合法性审查时间一般不少于7个工作日：${submittedOn}送审至${opinionDate}仅${n.count}个工作日${note}；少于7个工作日须记录理由。`,
            `Legality review normally gets at least 7 working days: from submission on ${submittedOn} to ${opinionDate} is ${n.count} working day(s)${n.approximate ? ` (${n.notes.join('; ')})` : ''}; a shorter review needs a recorded reason.`,
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'Art. 28',
    kinds: ['legality-review'],
    actions: ['complete'],
    check: ({ data }) =>
      (data.legalAdviserOpinions as unknown[]).length
        ? []
        : [
            reason(
              'LEGAL_ADVISER_OPINION_MISSING',
              'Decree 713 Art. 28',
              '合法性审查过程中应当组织法律顾问、公职律师提出法律意见，尚未记录。',
              "The legality review must include a legal adviser's or government lawyer's opinion; none is recorded.",
            ),
          ],
  },
  {
    name: 'Art. 25',
    kinds: ['collective-decision'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const r = lastRecord(ws, 'legality-review');
      if (!r || r.action !== 'complete')
        return [
          reason(
            'LEGALITY_REVIEW_MISSING',
            'Decree 713 Art. 25',
            '决策草案未经合法性审查，不得提交决策机关讨论。',
            'The draft has not passed legality review and may not be put to the decision body.',
            elementsOfKind(ws, 'legality-review'),
          ),
        ];
      const outcome = r.data.outcome as string;
      if (outcome !== 'lawful' && outcome !== 'exploratory')
        return [
          reason(
            'LEGALITY_REVIEW_NOT_PASSED',
            'Decree 713 Art. 25',
            `合法性审查结论为"${outcome}"，经审查不合法或须修改的草案不得提交讨论，须修改后重新审查。`,
            `The legality review found "${outcome}"; the draft must be revised and reviewed again before the meeting.`,
            elementsOfKind(ws, 'legality-review'),
          ),
        ];
      if (r.draftHash !== currentDraftHash(ws))
        return [
          reason(
            'LEGALITY_REVIEW_STALE',
            'Decree 713 Art. 25',
            `合法性审查针对的是第${r.draftVersion}稿，草案此后已修改，须重新进行合法性审查。`,
            `The legality review covered draft version ${r.draftVersion}; the draft has changed since, so it needs a fresh review.`,
            elementsOfKind(ws, 'legality-review'),
          ),
        ];
      return [];
    },
  },
  {
    name: 'Art. 24',
    kinds: ['collective-decision'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const r = lastRecord(ws, 'risk-assessment', ['complete']);
      if (r && r.data.conclusion === 'not-controllable')
        return [
          reason(
            'RISK_NOT_CONTROLLABLE',
            'Decree 713 Art. 24',
            '风险评估结论为风险不可控，须调整决策草案并重新评估至风险可控后，方可作出决策。',
            'The risk assessment found the risk not controllable; the draft must be revised and reassessed until the risk is controllable.',
            elementsOfKind(ws, 'risk-assessment'),
          ),
        ];
      return [];
    },
  },
  {
    name: 'Art. 29',
    kinds: ['collective-decision'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const f = ws.input.facts;
      const required: [StepKind, boolean, string, string, string][] = [
        ['public-participation', !f.nonDisclosable, 'Decree 713 Art. 29(2)', '公众参与', 'public participation'],
        ['expert-review', f.technical, 'Decree 713 Art. 29(3)', '专家论证', 'expert review'],
        ['risk-assessment', f.stabilityRisk, 'Decree 713 Art. 29(4)', '风险评估', 'risk assessment'],
        ['fair-competition-review', f.affectsMarketEntities, 'Decree 713 Art. 29(1)', '公平竞争审查', 'fair-competition review'],
      ];
      const out: Reason[] = [];
      for (const [kind, triggered, article, zh, en] of required) {
        if (triggered && !kindSettled(ws, kind))
          out.push(
            reason(
              'DOSSIER_INCOMPLETE',
              article,
              `提请审议材料不全：本事项须完成${zh}或记录不适用的理由。`,
              `The dossier is incomplete: this matter needs ${en}, or a reasoned not-applicable finding.`,
              elementsOfKind(ws, kind),
            ),
          );
      }
      return out;
    },
  },
  {
    name: 'Art. 30',
    kinds: ['collective-decision'],
    actions: ['complete'],
    check: ({ data }) => {
      const out: Reason[] = [];
      const statements = data.statements as { speaker: string; capacity: string; position: string }[];
      const attendees = new Set(data.attendees as string[]);
      const heads = statements.filter((s) => s.capacity === 'head');
      if (heads.length !== 1 || statements[statements.length - 1].capacity !== 'head')
        out.push(reason('HEAD_NOT_LAST', 'Decree 713 Art. 30', '行政首长应当在会议组成人员充分发表意见后最后发表意见。', 'The head must speak once, last, after the members.'));
      for (const s of statements)
        if (!attendees.has(s.speaker))
          out.push(reason('SPEAKER_NOT_ATTENDING', 'Decree 713 Art. 30', `发言人${s.speaker}不在出席人员名单中。`, `Speaker ${s.speaker} is not listed among the attendees.`));
      const members = statements.filter((s) => s.capacity === 'member');
      const agree = members.filter((s) => s.position === 'agree').length;
      const disagree = members.filter((s) => s.position === 'disagree').length;
      const adopting = data.decision !== 'rejected';
      const againstMajority = adopting ? disagree > agree : agree > disagree;
      if (againstMajority && !data.reasons)
        out.push(
          reason(
            'HEAD_AGAINST_MAJORITY_WITHOUT_REASONS',
            'Decree 713 Art. 30',
            `行政首长的决定与会议组成人员多数意见（同意${agree}人、不同意${disagree}人）不一致，应当在会上说明理由。`,
            `The head's decision departs from the majority of members (${agree} agree, ${disagree} disagree); the reasons given at the meeting must be recorded.`,
          ),
        );
      return out;
    },
  },
  {
    name: 'Art. 31',
    kinds: ['party-report'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const r = lastRecord(ws, 'collective-decision', ['complete']);
      return r && r.data.decision !== 'rejected'
        ? []
        : [reason('NOT_DECIDED', 'Decree 713 Arts. 30-31', '决策机关尚未集体讨论通过该决策。', 'The decision body has not adopted the decision at a meeting.', elementsOfKind(ws, 'collective-decision'))];
    },
  },
  {
    name: 'Arts. 31-32',
    kinds: ['publication'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const out: Reason[] = [];
      const d = lastRecord(ws, 'collective-decision', ['complete']);
      if (!d || d.data.decision === 'rejected')
        out.push(reason('NOT_DECIDED', 'Decree 713 Art. 32', '决策尚未经集体讨论决定通过，不得公布。', 'The decision has not been adopted at a meeting and may not be published.', elementsOfKind(ws, 'collective-decision')));
      if (!lastRecord(ws, 'party-report', ['complete']))
        out.push(reason('PARTY_REPORT_MISSING', 'Decree 713 Art. 31', '重大行政决策出台前应当向同级党委请示报告，尚未完成。', 'The decision must be reported to the Party committee before it is issued; not yet done.', elementsOfKind(ws, 'party-report')));
      return out;
    },
  },
  {
    name: 'Art. 33',
    kinds: ['archive'],
    actions: ['complete'],
    check: ({ ws, element }) => {
      const open = Object.values(ws.input.procedure.elements)
        .filter((e) => e.type === 'userTask' && e.id !== element.id && ['enabled', 'active'].includes(ws.engine.elements[e.id].status))
        .map((e) => e.id);
      if (!open.length) return [];
      return [reason('RECORDS_INCOMPLETE', 'Decree 713 Art. 33', '仍有未完成的程序环节，材料不完整，不能归档。', 'Procedural steps are still open; the file is incomplete and cannot be archived.', open)];
    },
  },
  {
    name: 'Art. 36',
    kinds: ['post-evaluation'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const assessors = new Set<string>([ws.input.meta.draftingUnit]);
      const risk = lastRecord(ws, 'risk-assessment', ['complete']);
      if (risk) assessors.add(risk.data.assessor as string);
      return assessors.has(data.evaluator as string)
        ? [
            reason(
              'EVALUATOR_NOT_INDEPENDENT',
              'Decree 713 Art. 36',
              `${String(data.evaluator)}承担了决策前主要论证评估工作，不得作为决策后评估单位。`,
              `${String(data.evaluator)} did the main pre-decision assessment and may not carry out the post-decision evaluation.`,
            ),
          ]
        : [];
    },
  },
  {
    name: 'Revision',
    kinds: ['revision'],
    actions: ['complete'],
    check: ({ ws, element }) => {
      const since = ws.engine.elements[element.id].enabledAt ?? 0;
      return ws.drafts.some((d) => d.addedAt >= since && d.duringStep === element.id)
        ? []
        : [reason('DRAFT_NOT_REVISED', 'Decree 713 Arts. 24, 28', '须先提交修改后的决策草案新版本。', 'Record the revised draft as a new version first.')];
    },
  },
];

function shiftDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Dates in a record that describe past events must not lie in the future. */
const PAST_DATE_FIELDS = ['decidedOn', 'meetingDate', 'reportedOn', 'publishedOn', 'archivedOn', 'date', 'heldOn', 'submittedOn'];
function futureDates(value: unknown, today: string, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => futureDates(v, today, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      PAST_DATE_FIELDS.includes(k) && typeof v === 'string' && v > today ? [[...path, k].join('.')] : futureDates(v, today, [...path, k]),
    );
  return [];
}

export type CheckResult =
  | { kind: 'ok'; data: Record<string, unknown> }
  | { kind: 'blocked'; reasons: Reason[] }
  | { kind: 'invalid'; issues: FieldIssue[] }
  | { kind: 'not-found'; message: string };

function structural(ws: WorkflowState, action: StepAction): Reason[] {
  const id = action.stepId;
  const e = ws.input.procedure.elements[id];
  const st = ws.engine.elements[id];
  const step = e.step!;
  const missing = () => missingPredecessors(ws.input.procedure, ws.engine, id);
  const notEnabled = (need: string) =>
    reason(
      'STEP_NOT_ENABLED',
      `Decree 713 Art. ${step.article}`,
      `"${e.name}"当前状态为"${STATUS_ZH[st.status]}"，${need}。`,
      `"${e.name}" is ${st.status}; ${need === '须先完成前置环节' ? 'the steps before it must be done first' : need}.`,
      st.status === 'locked' ? missing() : undefined,
    );
  if (ws.engine.completed) return [reason('DECISION_CLOSED', 'Decree 713 Art. 33', '该决策程序已经结束。', 'This decision procedure has ended.')];
  switch (action.action) {
    case 'start':
      return st.status === 'enabled' ? [] : [notEnabled(st.status === 'active' ? '已经开始' : '须先完成前置环节')];
    case 'complete':
      return st.status === 'active' ? [] : [notEnabled(st.status === 'enabled' ? '须先开始该环节' : '须先完成前置环节')];
    case 'return':
      if (!step.returnable) return [reason('NOT_RETURNABLE', `Decree 713 Art. ${step.article}`, `"${e.name}"不能退回。`, `"${e.name}" cannot be returned.`)];
      return st.status === 'active' ? [] : [notEnabled('须先开始该环节')];
    case 'not-applicable':
      if (!step.conditional)
        return [
          reason(
            'STEP_MANDATORY',
            `Decree 713 Art. ${step.article}`,
            `"${e.name}"是法定必经程序，不能认定为不适用。`,
            `"${e.name}" is mandatory and cannot be found not applicable.`,
          ),
        ];
      return st.status === 'enabled' || st.status === 'active' ? [] : [notEnabled('须先完成前置环节')];
  }
}

/** Everything the statute says about one attempted action: ok with parsed data, blocked, or invalid. */
export function checkAction(ws: WorkflowState, action: StepAction, today: string): CheckResult {
  const e = ws.input.procedure.elements[action.stepId];
  if (!e || e.type !== 'userTask' || !e.step) return { kind: 'not-found', message: `no step "${action.stepId}" in this decision's procedure` };
  const blocked = structural(ws, action);
  if (blocked.length) {
    // A premature attempt also hears the statutory conditions it would face (the legal reason).
    const extra = ws.engine.elements[e.id].status === 'locked' ? statutoryReasons(ws, e, 'start', {}, today) : [];
    return { kind: 'blocked', reasons: [...blocked, ...extra] };
  }

  const schema =
    action.action === 'complete' ? RECORD_SCHEMAS[e.step.record as RecordName] : action.action === 'start' ? StartSchema : action.action === 'return' ? ReturnSchema : NotApplicableSchema;
  if (!schema) return { kind: 'invalid', issues: [{ path: '', message: `未知的记录格式 ${e.step.record}`, en: `unknown record schema ${e.step.record}` }] };
  const parsed = parseBilingual(schema as z.ZodType, action.data ?? {});
  if (!parsed.success) return { kind: 'invalid', issues: parsed.issues };
  const data = parsed.data as Record<string, unknown>;
  const future = futureDates(data, today);
  if (future.length) return { kind: 'invalid', issues: future.map((p) => ({ path: p, message: `日期晚于今天（${today}）`, en: `date is after today (${today})` })) };

  const reasons = statutoryReasons(ws, e, action.action, data, today);
  return reasons.length ? { kind: 'blocked', reasons } : { kind: 'ok', data };
}

function statutoryReasons(ws: WorkflowState, element: CompiledElement, action: StepAction['action'], data: Record<string, unknown>, today: string): Reason[] {
  const kind = element.step!.kind;
  return GUARDS.filter((g) => g.kinds.includes(kind) && g.actions.includes(action)).flatMap((g) => g.check({ ws, element, kind, action, data, today }));
}

/** Why a step cannot be taken now: missing predecessors and the statutory start conditions. */
export function lockReasons(ws: WorkflowState, id: string, today: string): Reason[] {
  const e = ws.input.procedure.elements[id];
  const st = ws.engine.elements[id];
  if (!e.step || SETTLED.has(st.status) || st.status === 'active') return [];
  const out: Reason[] = [];
  if (st.status === 'locked') {
    const missing = missingPredecessors(ws.input.procedure, ws.engine, id);
    if (missing.length)
      out.push(
        reason(
          'PREDECESSORS_INCOMPLETE',
          `Decree 713 Art. ${e.step.article}`,
          `须先完成：${missing.map((m) => ws.input.procedure.elements[m].name).join('、')}。`,
          `Waiting for: ${missing.join(', ')}.`,
          missing,
        ),
      );
  }
  return [...out, ...statutoryReasons(ws, e, 'start', {}, today)];
}
