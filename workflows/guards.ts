/**
 * Statutory guards: the rules of Decree 713 that hold whatever the BPMN says (shared/domain
 * README, "Invariants"), one per article. The workflow's update validators run them before a
 * step action is accepted; every reason comes from the statute catalogue.
 */
import { articleCitation, CONDITIONAL_KINDS, GROUNDS, KINDS, reasonOf, STATUS_LABELS, type Bilingual, type GroundCode } from '../definitions/statute';
import { addCalendarDays, workingDaysBetween } from './calendar';
import { missingPredecessors, SETTLED } from './engine';
import { elementsOfKind, initiationFindingReasons, openReopenedSteps } from './findings';
import { minutesReasons, unconfirmedSpeakers } from './meeting';
import type { Reason, StepAction, StepRecord, WorkflowState } from './model';
import type { CompiledElement, StepKind } from './procedure';
import type { z } from 'zod';
import { parseBilingual, RECORD_SCHEMAS, ReturnSchema, StartSchema, type FieldIssue, type FindingInput, type RecordName } from './records';
import { draftMaterials } from './state';
import { backfillReasons, chinaDate, declaredDateProblems, actTime } from './time';

export { chinaDate } from './time';

export interface GuardContext {
  ws: WorkflowState;
  element: CompiledElement;
  kind: StepKind;
  action: StepAction['action'];
  /** Parsed record (complete) or action data. */
  data: Record<string, unknown>;
  /** The day the act happens: today, or an imported act's declared date. */
  today: string;
  /** Facts the API supplied from the directory or the store (StepAction.system), never from the request. */
  system?: StepAction['system'];
}

export interface Guard {
  /** Name used by the tests, e.g. "Art. 25". */
  name: string;
  kinds: StepKind[];
  actions: StepAction['action'][];
  check(ctx: GuardContext): Reason[];
}

export function lastRecord(ws: WorkflowState, kind: StepKind, actions: StepAction['action'][] = ['complete', 'return']): StepRecord | undefined {
  for (let i = ws.records.length - 1; i >= 0; i--) {
    const r = ws.records[i];
    if (r.kind === kind && actions.includes(r.action)) return r;
  }
  return undefined;
}

const currentDraft = (ws: WorkflowState) => (ws.drafts.length ? ws.drafts[ws.drafts.length - 1] : null);
const before = (a: string, b: string) => a < b;
/** A step as reasons name it: the definition's own (Chinese) name, and the statutory kind in English. */
export const stepLabel = (e: CompiledElement): Bilingual => ({ zh: e.name, en: e.step ? KINDS[e.step.kind].en : e.name });
/** Bilingual texts run together, each language with its own separator. */
const joined = (parts: Bilingual[], sep: Bilingual = { zh: '', en: '' }): Bilingual => ({ zh: parts.map((p) => p.zh).join(sep.zh), en: parts.map((p) => p.en).join(sep.en).trim() });
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const CONSENT = new Set(['agreed', 'agreed-with-changes']);

function shiftDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A conditional kind the office found applicable is done only when every element of it is completed. */
function performed(ws: WorkflowState, kind: StepKind): boolean {
  const ids = elementsOfKind(ws, kind);
  return ids.length > 0 && ids.every((id) => ws.engine.elements[id].status === 'completed');
}

export const GUARDS: Guard[] = [
  {
    name: 'Art. 10',
    kinds: ['initiation'],
    actions: ['complete'],
    check: ({ ws, data }) => initiationFindingReasons(ws, (data.applicability ?? {}) as Record<string, FindingInput>),
  },
  {
    name: 'Art. 12',
    kinds: ['drafting'],
    actions: ['complete'],
    check: ({ ws }) => (ws.drafts.length ? [] : [reasonOf('DRAFT_MISSING')]),
  },
  {
    name: 'Art. 13',
    kinds: ['drafting'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const c = data.interAgencyConsultation as { agreed: boolean; disputes?: unknown; coordination?: unknown } | undefined;
      if (!c) return ws.matter.otherAgencies?.value ? [reasonOf('AGENCIES_NOT_CONSULTED')] : [];
      return !c.agreed && (!c.disputes || !c.coordination) ? [reasonOf('DISPUTE_NOT_REPORTED')] : [];
    },
  },
  {
    name: 'Art. 14',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const out: Reason[] = [];
      const forms = ws.consultations.length + (data.hearings as unknown[]).length + (data.otherForms as unknown[]).length;
      if (forms === 0) out.push(reasonOf('PARTICIPATION_FORM_MISSING'));
      if (ws.matter.affectsSpecificGroups?.value && !data.specificGroupsConsulted) out.push(reasonOf('SPECIFIC_GROUPS_NOT_CONSULTED'));
      return out;
    },
  },
  {
    name: 'Art. 15',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ ws, data, today }) => {
      const out: Reason[] = [];
      const reported = new Set((data.consultations as { id: string }[]).map((c) => c.id));
      for (const id of reported) if (!ws.consultations.some((c) => c.id === id)) out.push(reasonOf('CONSULTATION_UNKNOWN', { id }));
      for (const c of ws.consultations) {
        // The period runs from when the consultation opened in the system.
        const min = addCalendarDays(ws.input.calendar, c.opensOn, 30);
        if (before(c.closesOn, min.date) && !c.shorteningReason) out.push(reasonOf('CONSULTATION_TOO_SHORT', { opensOn: c.opensOn, minClose: min.date }));
        if (!before(c.closesOn, today)) out.push(reasonOf('CONSULTATION_STILL_OPEN', { closesOn: c.closesOn }));
        else if (!reported.has(c.id)) out.push(reasonOf('CONSULTATION_RESULT_MISSING', { id: c.id }));
      }
      return out;
    },
  },
  {
    name: 'Arts. 16-17',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ data }) => {
      const out: Reason[] = [];
      for (const h of data.hearings as { hearingDate: string; materialsDeliveredOn: string; recordSignedByParticipants: boolean }[]) {
        // 7日前送达: delivery + 7 calendar days must not fall after the hearing; no holiday roll-over for a notice period.
        const earliest = shiftDays(h.materialsDeliveredOn, 7);
        if (before(h.hearingDate, earliest)) out.push(reasonOf('HEARING_NOTICE_TOO_SHORT', { deliveredOn: h.materialsDeliveredOn, earliest }));
        if (!h.recordSignedByParticipants) out.push(reasonOf('HEARING_RECORD_UNSIGNED'));
      }
      return out;
    },
  },
  {
    // What the portal received is counted by the system: a typed count that disagrees is refused,
    // and every opinion needs its answer before the adoption report goes to the decision body.
    name: 'Arts. 15, 18 (as received)',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ data, system }) => {
      const facts = system?.participation;
      if (!facts) return [];
      const out: Reason[] = [];
      const typed = data.consultations as { id: string; commentsReceived: number }[];
      for (const f of facts.consultations) {
        const t = typed.find((c) => c.id === f.id);
        if (t && t.commentsReceived !== f.received)
          out.push(
            reasonOf('PARTICIPATION_RECORD_MISMATCH', {
              detail: { zh: `公开征求意见${f.id}在系统中收到意见${f.received}条，记录填写为${t.commentsReceived}条。`, en: `consultation ${f.id} received ${f.received} opinion(s) in the system; the record says ${t.commentsReceived}.` },
            }),
          );
        if (f.answered < f.received) out.push(reasonOf('OPINIONS_UNANSWERED', { id: f.id, count: f.received - f.answered }));
      }
      return out;
    },
  },
  {
    // Hearings announced in the system are reported as they ran: delivered 7 days before, signed record on file.
    name: 'Arts. 16-17 (in the system)',
    kinds: ['public-participation'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const out: Reason[] = [];
      const typed = data.hearings as { id?: string; hearingDate: string; materialsDeliveredOn: string; recordSignedByParticipants: boolean }[];
      const mismatch = (zh: string, en: string) => out.push(reasonOf('PARTICIPATION_RECORD_MISMATCH', { detail: { zh, en } }));
      for (const t of typed) if (t.id && !(ws.hearings ?? []).some((h) => h.id === t.id)) out.push(reasonOf('HEARING_UNKNOWN', { id: t.id }));
      for (const h of (ws.hearings ?? []).filter((x) => !x.cancelled)) {
        if (!h.materialsDeliveredOn) out.push(reasonOf('HEARING_MATERIALS_NOT_DELIVERED', { id: h.id }));
        if (!h.signedRecord) out.push(reasonOf('HEARING_RECORD_MISSING', { id: h.id, date: h.scheduledOn }));
        const t = typed.find((x) => x.id === h.id);
        if (!t) mismatch(`听证会${h.id}（${h.scheduledOn}）在系统中有公告，但未列入记录。`, `hearing ${h.id} (${h.scheduledOn}) was announced in the system but is missing from the record.`);
        else if (t.hearingDate !== h.scheduledOn || (h.materialsDeliveredOn && t.materialsDeliveredOn !== h.materialsDeliveredOn) || t.recordSignedByParticipants !== Boolean(h.signedRecord))
          mismatch(`听证会${h.id}的日期、材料送达日期或签字记录与系统中的记录不一致。`, `hearing ${h.id}'s date, delivery date or signed record differs from what the system recorded.`);
      }
      return out;
    },
  },
  {
    name: 'Arts. 19-20',
    kinds: ['expert-review'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const out: Reason[] = [];
      const ids = data.opinions as string[];
      const experts = ws.opinions.filter((o) => o.capacity === 'expert');
      if (!experts.length) out.push(reasonOf('EXPERT_OPINION_MISSING'));
      for (const id of ids) {
        const o = experts.find((x) => x.id === id);
        if (!o) out.push(reasonOf('OPINION_NOT_ON_FILE', { article: 'Decree 713 Art. 19', id, who: { zh: '专家库专家', en: 'expert of the expert bank' } }));
        else if (!o.noDirectInterest) out.push(reasonOf('EXPERT_HAS_DIRECT_INTEREST', { name: o.authorName }));
      }
      return out;
    },
  },
  {
    name: 'Arts. 23-24',
    kinds: ['risk-assessment'],
    actions: ['complete'],
    check: ({ data }) => {
      const points = data.riskPoints as { description: string; level: string; measures: string[]; residual: string }[];
      const problems: Bilingual[] = [];
      const uncontrolled = points.filter((p) => p.residual === 'not-controllable').map((p) => p.description);
      if (data.conclusion === 'controllable' && uncontrolled.length)
        problems.push({ zh: `结论为风险可控，但风险点“${uncontrolled.join('、')}”采取措施后仍不可控。`, en: `it says controllable, but “${uncontrolled.join('”, “')}” stays uncontrolled after the measures. ` });
      if (data.conclusion === 'not-controllable' && !uncontrolled.length)
        problems.push({ zh: '结论为风险不可控，但没有任何风险点被评为采取措施后仍不可控。', en: 'it says not controllable, but no risk point is rated uncontrolled after the measures. ' });
      const unmeasured = points.filter((p) => p.level !== 'low' && p.measures.length === 0).map((p) => p.description);
      if (unmeasured.length) problems.push({ zh: `中、高风险点“${unmeasured.join('、')}”没有防范化解措施。`, en: `the medium or high risks “${unmeasured.join('”, “')}” have no measures. ` });
      return problems.length ? [reasonOf('RISK_CONCLUSION_INCONSISTENT', { detail: joined(problems) })] : [];
    },
  },
  {
    name: 'Art. 26',
    kinds: ['legality-review'],
    actions: ['complete'],
    check: ({ ws, element, data, today }) => {
      // Submitted when the draft reached the review in the system (the step opened); the opinion is dated when recorded.
      const submittedOn = chinaDate(ws.engine.elements[element.id].enabledAt ?? ws.createdAt);
      const n = workingDaysBetween(ws.input.calendar, submittedOn, today);
      if (n.count >= 7 || data.shortenedReviewReason) return [];
      return [reasonOf('REVIEW_PERIOD_TOO_SHORT', { submittedOn, opinionOn: today, days: n.count, note: n.approximate ? `（${n.notes.join('; ')}）` : '' })];
    },
  },
  {
    name: 'Art. 27',
    kinds: ['legality-review'],
    actions: ['complete'],
    check: ({ data }) => {
      const allOk = data.powersOk && data.procedureOk && data.contentOk;
      const problems: Bilingual[] = [];
      if (data.outcome === 'lawful' && !allOk) problems.push({ zh: '结论为合法，但权限、程序、内容三项中有未通过的。', en: '“lawful” needs powers, procedure and content all found lawful. ' });
      if (data.outcome === 'unlawful' && allOk) problems.push({ zh: '结论为不合法，但权限、程序、内容三项均认为合法。', en: '“unlawful”, yet powers, procedure and content are all found lawful. ' });
      if (data.outcome === 'lawful-with-changes' && !(data.requiredChanges as string[]).length) problems.push({ zh: '结论为修改后合法，但没有写明须修改的内容。', en: '“lawful after changes” must list the changes. ' });
      if (data.outcome === 'exploratory' && !data.legalRisk) problems.push({ zh: '探索性改革事项须明示法律风险。', en: 'an exploratory reform must state the legal risk. ' });
      return problems.length ? [reasonOf('REVIEW_OUTCOME_INCONSISTENT', { detail: joined(problems) })] : [];
    },
  },
  {
    name: 'Art. 27(2)',
    kinds: ['legality-review'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const open = openReopenedSteps(ws);
      return open.length ? [reasonOf('APPLICABLE_STEP_OPEN', { steps: joined(open.map((id) => stepLabel(ws.input.procedure.elements[id])), { zh: '、', en: ', ' }) }, open)] : [];
    },
  },
  {
    name: 'Art. 28',
    kinds: ['legality-review'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const version = currentDraft(ws)?.version ?? 0;
      const onFile = ws.opinions.filter((o) => o.capacity !== 'expert' && o.draftVersion === version);
      const cited = data.adviserOpinions as string[];
      const out: Reason[] = [];
      if (!onFile.length) out.push(reasonOf('LEGAL_ADVISER_OPINION_MISSING', { version }));
      for (const id of cited) if (!onFile.some((o) => o.id === id)) out.push(reasonOf('OPINION_NOT_ON_FILE', { article: 'Decree 713 Art. 28', id, who: { zh: '法律顾问、公职律师', en: 'legal adviser or government lawyer' } }));
      const omitted = onFile.filter((o) => !cited.includes(o.id));
      if (omitted.length) out.push(reasonOf('ADVISER_OPINION_OMITTED', { version, names: [...new Set(omitted.map((o) => o.authorName))].join('、') }));
      return out;
    },
  },
  {
    name: 'Art. 25',
    kinds: ['collective-decision'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const missing = elementsOfKind(ws, 'legality-review');
      const r = lastRecord(ws, 'legality-review');
      if (!r || r.action !== 'complete') return [reasonOf('LEGALITY_REVIEW_MISSING', {}, missing)];
      const outcome = r.data.outcome as string;
      if (outcome !== 'lawful' && outcome !== 'exploratory') return [reasonOf('LEGALITY_REVIEW_NOT_PASSED', { outcome }, missing)];
      // What was reviewed stays reviewed: the draft and its materials must be those the opinion covered.
      const draft = currentDraft(ws);
      if (r.draftHash !== (draft?.hash ?? null) || !sameList(r.materials ?? [], draftMaterials(ws, draft?.version)))
        return [reasonOf('LEGALITY_REVIEW_STALE', { version: r.draftVersion ?? 0 }, missing)];
      return [];
    },
  },
  {
    name: 'Art. 24',
    kinds: ['collective-decision'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const r = lastRecord(ws, 'risk-assessment', ['complete']);
      return r && r.data.conclusion === 'not-controllable' ? [reasonOf('RISK_NOT_CONTROLLABLE', {}, elementsOfKind(ws, 'risk-assessment'))] : [];
    },
  },
  {
    name: 'Fair Competition Review Regulation',
    kinds: ['collective-decision', 'publication'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const r = lastRecord(ws, 'fair-competition-review', ['complete']);
      return r && r.data.conclusion === 'non-compliant' ? [reasonOf('FAIR_COMPETITION_NON_COMPLIANT', {}, elementsOfKind(ws, 'fair-competition-review'))] : [];
    },
  },
  {
    name: 'Art. 29',
    kinds: ['collective-decision'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const out: Reason[] = [];
      // Art. 29(1)-(4): every conditional step is performed, or found not applicable by the office on a named ground.
      for (const kind of CONDITIONAL_KINDS.filter((k) => k !== 'congress' && k !== 'publication')) {
        const ids = elementsOfKind(ws, kind);
        if (!ids.length) continue;
        const f = ws.findings[kind];
        if (!f || (f.applies && !performed(ws, kind)))
          out.push(reasonOf('DOSSIER_INCOMPLETE', { step: KINDS[kind] }, ids.filter((id) => ws.engine.elements[id].status !== 'completed')));
      }
      return out;
    },
  },
  {
    name: 'Art. 30',
    kinds: ['collective-decision'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const m = ws.meeting;
      if (!m?.minutes) return [reasonOf('MINUTES_MISSING')];
      const out = minutesReasons(ws, m.minutes);
      const { pending, disputed } = unconfirmedSpeakers(ws);
      if (disputed.length) out.push(reasonOf('STATEMENT_DISPUTED', { names: disputed.join('、') }));
      if (pending.length) out.push(reasonOf('STATEMENT_NOT_CONFIRMED', { names: pending.join('、') }));
      const current = currentDraft(ws)?.version ?? 0;
      if (data.draftVersion !== current) out.push(reasonOf('DOSSIER_VERSION_MISMATCH', { decided: String(data.draftVersion), current }));
      return out;
    },
  },
  {
    name: 'Art. 31',
    kinds: ['party-report'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const r = lastRecord(ws, 'collective-decision', ['complete']);
      return r && r.data.decision !== 'rejected' ? [] : [reasonOf('NOT_DECIDED', {}, elementsOfKind(ws, 'collective-decision'))];
    },
  },
  {
    name: 'Arts. 31-32',
    kinds: ['publication'],
    actions: ['start', 'complete'],
    check: ({ ws }) => {
      const out: Reason[] = [];
      const d = lastRecord(ws, 'collective-decision', ['complete']);
      if (!d || d.data.decision === 'rejected') out.push(reasonOf('NOT_DECIDED', {}, elementsOfKind(ws, 'collective-decision')));
      const party = lastRecord(ws, 'party-report', ['complete']);
      if (!party) out.push(reasonOf('PARTY_REPORT_MISSING', {}, elementsOfKind(ws, 'party-report')));
      else if (!CONSENT.has(party.data.outcome as string)) out.push(reasonOf('PARTY_CONSENT_MISSING', { response: String(party.data.outcome) }, elementsOfKind(ws, 'party-report')));
      return out;
    },
  },
  {
    name: 'Art. 32',
    kinds: ['publication'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      const out: Reason[] = [];
      const channels = data.channels as string[];
      if (!channels.includes('gazette') && !channels.includes('government-website')) out.push(reasonOf('PUBLICATION_CHANNEL'));
      const heard = [lastRecord(ws, 'public-participation', ['complete']) ? KINDS['public-participation'] : null, lastRecord(ws, 'expert-review', ['complete']) ? KINDS['expert-review'] : null].filter((x) => x !== null);
      if (heard.length && !data.adoptionExplanation) out.push(reasonOf('ADOPTION_EXPLANATION_MISSING', { what: joined(heard, { zh: '和', en: ' and ' }) }));
      const why = [ws.findings['expert-review']?.applies ? { zh: '专业性、技术性较强', en: 'specialised or technical' } : null, ws.matter.publicConcern?.value ? { zh: '社会公众普遍关心', en: 'of broad public concern' } : null].filter((x) => x !== null);
      if (why.length && !data.interpretation) out.push(reasonOf('INTERPRETATION_MISSING', { why: joined(why, { zh: '且', en: ' and ' }) }));
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
      return open.length ? [reasonOf('RECORDS_INCOMPLETE', {}, open)] : [];
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
      return assessors.has(data.evaluator as string) ? [reasonOf('EVALUATOR_NOT_INDEPENDENT', { evaluator: String(data.evaluator) })] : [];
    },
  },
  {
    name: 'Art. 37',
    kinds: ['implementation', 'post-evaluation'],
    actions: ['start', 'complete'],
    check: ({ ws }) => (ws.execution.suspended ? [reasonOf('DECISION_SUSPENDED', { reasons: ws.execution.suspended.reasons })] : []),
  },
  {
    name: 'Art. 37 adjustment',
    kinds: ['adjustment'],
    actions: ['complete'],
    check: ({ ws, data }) => {
      if (data.type !== 'major-adjustment') return [];
      const linked = ws.adjustedBy.map((a) => a.decisionId);
      return !linked.length || (data.linkedDecisionId && !linked.includes(data.linkedDecisionId as string)) ? [reasonOf('ADJUSTMENT_NOT_LINKED')] : [];
    },
  },
  {
    name: 'Revision',
    kinds: ['revision'],
    actions: ['complete'],
    check: ({ ws, element }) => {
      const since = ws.engine.elements[element.id].enabledAt ?? 0;
      return ws.drafts.some((d) => d.addedAt >= since && d.duringStep === element.id) ? [] : [reasonOf('DRAFT_NOT_REVISED')];
    },
  },
];

export type CheckResult =
  | { kind: 'ok'; data: Record<string, unknown> }
  /** The same person repeated an act that already took effect (a double click): no new act. */
  | { kind: 'repeat' }
  | { kind: 'blocked'; reasons: Reason[] }
  | { kind: 'invalid'; issues: FieldIssue[] }
  | { kind: 'not-found'; message: string };

/** Why the step's status does not allow this action; honest about done, skipped and waiting steps. */
function structural(ws: WorkflowState, e: CompiledElement, action: StepAction['action']): Reason[] {
  const st = ws.engine.elements[e.id];
  const step = e.step!;
  const p = { article: articleCitation(step.article), step: stepLabel(e) };
  const notNow = (): Reason => {
    switch (st.status) {
      case 'locked':
        return reasonOf('STEP_NOT_ENABLED', p, missingPredecessors(ws.input.procedure, ws.engine, e.id));
      case 'completed':
        return reasonOf('STEP_ALREADY_DONE', p);
      case 'bypassed':
      case 'not-applicable': {
        const f = ws.findings[step.kind as keyof WorkflowState['findings']];
        const g = f?.ground && f.ground in GROUNDS ? GROUNDS[f.ground as GroundCode] : STATUS_LABELS[st.status];
        return reasonOf('STEP_FOUND_NOT_APPLICABLE', { ...p, ground: f?.reasons ? { zh: `${g.zh}（${f.reasons}）`, en: `${g.en} (${f.reasons})` } : g });
      }
      case 'rework':
        return reasonOf('STEP_IN_REWORK', p);
      case 'enabled':
        return reasonOf('STEP_NOT_STARTED', p);
      default:
        return reasonOf('STEP_ALREADY_STARTED', p);
    }
  };
  switch (action) {
    case 'start':
      return st.status === 'enabled' ? [] : [notNow()];
    case 'complete':
      return st.status === 'active' ? [] : [notNow()];
    case 'return':
      if (!step.returnable) return [reasonOf('NOT_RETURNABLE', p)];
      return st.status === 'active' ? [] : [notNow()];
    case 'not-applicable':
      // Applicability is the office's reasoned finding (Art. 10), never the performer's step action.
      return [step.conditional ? reasonOf('APPLICABILITY_BY_FINDING', { step: e.name }) : reasonOf('STEP_MANDATORY', p)];
  }
}

/** The parsed record of an action, or its issues. */
function parseData(e: CompiledElement, action: StepAction): { data: Record<string, unknown> } | { issues: FieldIssue[] } {
  const schema = action.action === 'complete' ? RECORD_SCHEMAS[e.step!.record as RecordName] : action.action === 'start' ? StartSchema : ReturnSchema;
  if (!schema) return { issues: [{ path: '', message: `未知的记录格式 ${e.step!.record}`, en: `unknown record schema ${e.step!.record}` }] };
  const parsed = parseBilingual(schema as z.ZodType, action.data ?? {});
  return parsed.success ? { data: parsed.data as Record<string, unknown> } : { issues: parsed.issues };
}

/** The same person sending the same act again, after it took effect: a double click, not a refusal. */
function isRepeat(ws: WorkflowState, e: CompiledElement, action: StepAction): boolean {
  const st = ws.engine.elements[e.id];
  const last = [...ws.records].reverse().find((r) => r.elementId === e.id);
  if (!last || last.visit !== st.visits || last.action !== action.action || last.actor !== action.actor) return false;
  const resulting = action.action === 'start' ? st.status === 'active' : SETTLED.has(st.status) || st.status === 'enabled';
  if (!resulting) return false;
  const parsed = parseData(e, action);
  if (!('data' in parsed)) return false;
  return Object.entries(parsed.data).every(([k, v]) => JSON.stringify(v) === JSON.stringify(last.data[k]));
}

/**
 * Everything the statute says about one attempted action: ok with parsed data, a repeat, blocked,
 * or invalid. `o.offer` asks only what the statute allows (for the view's buttons): what the API
 * itself supplies with the act — the meeting roster, an import's date — is not held against it.
 */
export function checkAction(ws: WorkflowState, action: StepAction, now: number, o: { offer?: boolean } = {}): CheckResult {
  const e = ws.input.procedure.elements[action.stepId];
  if (!e || e.type !== 'userTask' || !e.step) return { kind: 'not-found', message: `no step "${action.stepId}" in this decision's procedure` };
  if (ws.engine.completed) return { kind: 'blocked', reasons: [reasonOf('DECISION_CLOSED')] };
  if (isRepeat(ws, e, action)) return { kind: 'repeat' };
  const at = actTime(action.occurredOn, now);
  const today = chinaDate(at);
  const blocked = structural(ws, e, action.action);
  if (blocked.length) {
    // A premature attempt also hears the statutory conditions it would face (the legal reason).
    const extra = ws.engine.elements[e.id].status === 'locked' ? statutoryReasons(ws, e, 'start', {}, today) : [];
    return { kind: 'blocked', reasons: [...blocked, ...extra] };
  }
  const backfill = o.offer ? { issues: [], reasons: [] } : backfillReasons(ws, action.occurredOn, now);
  if (backfill.issues.length) return { kind: 'invalid', issues: backfill.issues };
  if (backfill.reasons.length) return { kind: 'blocked', reasons: backfill.reasons };
  if (!o.offer && e.step.kind === 'collective-decision' && action.action === 'start' && !action.system?.roster?.head)
    return { kind: 'blocked', reasons: [reasonOf('ROSTER_MISSING', { agency: ws.input.meta.agency })] };

  const parsed = parseData(e, action);
  if ('issues' in parsed) return { kind: 'invalid', issues: parsed.issues };
  const dates = declaredDateProblems(ws, parsed.data, ws.engine.elements[e.id].enabledAt, at);
  if (dates.issues.length) return { kind: 'invalid', issues: dates.issues };
  const reasons = [...dates.reasons, ...statutoryReasons(ws, e, action.action, parsed.data, today, action.system)];
  return reasons.length ? { kind: 'blocked', reasons } : { kind: 'ok', data: parsed.data };
}

function statutoryReasons(ws: WorkflowState, element: CompiledElement, action: StepAction['action'], data: Record<string, unknown>, today: string, system?: StepAction['system']): Reason[] {
  const kind = element.step!.kind;
  return GUARDS.filter((g) => g.kinds.includes(kind) && g.actions.includes(action)).flatMap((g) => g.check({ ws, element, kind, action, data, today, system }));
}

/** Why a step cannot be taken now: missing predecessors and the statutory start conditions. */
export function lockReasons(ws: WorkflowState, id: string, today: string): Reason[] {
  const e = ws.input.procedure.elements[id];
  const st = ws.engine.elements[id];
  if (!e.step || SETTLED.has(st.status) || st.status === 'active') return [];
  const out: Reason[] = [];
  if (st.status === 'locked') {
    const missing = missingPredecessors(ws.input.procedure, ws.engine, id);
    if (missing.length) out.push(reasonOf('PREDECESSORS_INCOMPLETE', { article: articleCitation(e.step.article), steps: joined(missing.map((m) => stepLabel(ws.input.procedure.elements[m])), { zh: '、', en: ', ' }) }, missing));
  }
  return [...out, ...statutoryReasons(ws, e, 'start', {}, today)];
}
