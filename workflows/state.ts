/**
 * Pure state transitions of one decision: creation, accepted step actions and draft versions.
 * The workflow calls these after its validators have accepted an act; unit tests call them
 * directly. Other acts (findings, consultations, minutes, opinions…) are in acts.ts.
 */
import { addWorkingDays } from './calendar';
import { leaveTask, startEngine, startTask, type EngineContext } from './engine';
import { effectiveFacts } from './findings';
import type { AuditEvent, DecisionInput, DraftInput, Finding, StepAction, WorkflowState } from './model';
import type { ConditionalKind } from '../definitions/statute';
import type { CompiledElement } from './procedure';
import { outcomeOf, REWORK_OUTCOMES, type FindingInput } from './records';
import { actTime, chinaDate } from './time';

const MS_PER_DAY = 86_400_000;

/** ISO-8601 durations of days/hours/minutes/seconds (P21D, PT2H, P1DT12H). */
export function isoDurationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return 0;
  const [, d, h, mi, s] = m.map((x) => Number(x ?? 0));
  return d * MS_PER_DAY + h * 3600_000 + mi * 60_000 + s * 1000;
}

/** The interpreter's view of time and facts at `now` (facts follow the office's findings). */
export function engineContext(ws: WorkflowState, now: number): EngineContext {
  const input = ws.input;
  return {
    now,
    facts: effectiveFacts(ws),
    dueAt: (timer: CompiledElement, armedAt: number) => {
      if (timer.timer?.workingDays) {
        // Due at the end (24:00 China time) of the n-th working day after arming.
        const due = addWorkingDays(input.calendar, chinaDate(armedAt), timer.timer.workingDays);
        return Date.parse(`${due.date}T00:00:00+08:00`) + MS_PER_DAY;
      }
      return armedAt + isoDurationMs(timer.timer?.isoDuration ?? 'P0D');
    },
  };
}

/** Append an audit event; `occurredOn` marks an imported act. */
export function audit(ws: WorkflowState, e: Omit<AuditEvent, 'seq' | 'at'>, now: number) {
  ws.seq += 1;
  ws.audit.push({ ...e, seq: ws.seq, at: now });
}

/** Note an imported act's date: imports run in the order things happened. */
export function noteImported(ws: WorkflowState, occurredOn: string | undefined) {
  if (occurredOn && ws.import) ws.import.lastOn = occurredOn;
}

/** A new decision: one token on the start event, advanced as far as it goes. */
export function createState(input: DecisionInput, now: number): WorkflowState {
  const ws: WorkflowState = {
    input,
    engine: undefined as unknown as WorkflowState['engine'],
    records: [],
    drafts: [],
    audit: [],
    createdAt: now,
    seq: 0,
    findings: {},
    matter: {},
    consultations: [],
    hearings: [],
    opinions: [],
    materials: [],
    meeting: null,
    execution: { problems: [], suspended: null, history: [] },
    adjustedBy: [],
    import: input.origin?.kind === 'import' ? { by: input.meta.createdBy, reason: input.origin.reason, startedOn: input.origin.startedOn, open: true, lastOn: input.origin.startedOn } : null,
    catalogue: input.catalogue ? { ...input.catalogue, by: input.meta.createdBy, at: now, source: 'creation' } : null,
    exemptions: [],
  };
  const started = ws.import ? actTime(ws.import.startedOn, now) : now;
  ws.engine = startEngine(input.procedure, engineContext(ws, started));
  const how = ws.import ? ` as an import (补录) of a procedure started on ${ws.import.startedOn}: ${ws.import.reason}` : '';
  const item = ws.catalogue ? `, carrying out catalogue item ${ws.catalogue.itemId} of ${ws.catalogue.year}${ws.catalogue.fullProcedure ? ' (all five procedures)' : ''}` : '';
  audit(ws, { actor: input.meta.createdBy, action: 'create', summary: `created with ${input.procedure.key}@${input.procedure.version}${how}${item}`, occurredOn: ws.import?.startedOn }, now);
  return ws;
}

/** The draft materials (not step evidence) of one draft version, as their hashes in upload order. */
export function draftMaterials(ws: WorkflowState, version: number | undefined): string[] {
  return ws.materials.filter((m) => m.stepId === null && m.draftVersion === version).map((m) => m.sha256);
}

/** The record of a collective decision: the minutes the members confirmed, and the dossier it decided on (Art. 29). */
function meetingRecord(ws: WorkflowState, data: Record<string, unknown>): Record<string, unknown> {
  const m = ws.meeting!;
  const last = (kind: string) => [...ws.records].reverse().find((r) => r.kind === kind && r.action === 'complete');
  const legality = last('legality-review');
  return {
    ...data,
    ...m.minutes,
    roster: m.roster,
    confirmations: m.confirmations,
    dossier: {
      draftVersion: data.draftVersion,
      draftHash: ws.drafts.at(-1)?.hash ?? null,
      legalityReview: legality ? { seq: legality.seq, outcome: legality.data.outcome } : null,
      publicParticipation: last('public-participation')?.seq ?? null,
      expertReview: last('expert-review')?.seq ?? null,
      riskAssessment: last('risk-assessment')?.seq ?? null,
      fairCompetitionReview: last('fair-competition-review')?.seq ?? null,
    },
  };
}

/** Apply an action the guards accepted; `data` is the parsed record. */
export function applyAction(ws: WorkflowState, action: StepAction, data: Record<string, unknown>, now: number) {
  const p = ws.input.procedure;
  const e = p.elements[action.stepId];
  const st = ws.engine.elements[e.id];
  const at = actTime(action.occurredOn, now);
  const current = ws.drafts.length ? ws.drafts[ws.drafts.length - 1] : null;
  const kind = e.step!.kind;
  if (action.action === 'start' && kind === 'collective-decision') ws.meeting = { visit: st.visits, roster: action.system?.roster ?? null, minutes: null, confirmations: {} };
  const stored = action.action === 'complete' && kind === 'collective-decision' ? meetingRecord(ws, data) : data;
  ws.records.push({
    seq: ws.seq + 1, // the audit event below takes the same number
    elementId: e.id,
    kind,
    action: action.action,
    actor: action.actor,
    at,
    recordedAt: now,
    ...(action.occurredOn ? { imported: true } : {}),
    visit: st.visits,
    draftVersion: current?.version ?? null,
    draftHash: current?.hash ?? null,
    ...(kind === 'legality-review' && action.action === 'complete' ? { materials: draftMaterials(ws, current?.version) } : {}),
    data: stored,
  });
  const c = engineContext(ws, at);
  let summary: string;
  switch (action.action) {
    case 'start':
      startTask(p, ws.engine, e.id, action.actor, c);
      summary = `started ${e.name}`;
      break;
    case 'complete': {
      if (kind === 'initiation') recordInitialFindings(ws, data, action.actor, at, Boolean(action.occurredOn));
      const outcome = outcomeOf(stored);
      leaveTask(p, ws.engine, e.id, action.actor, outcome, REWORK_OUTCOMES.has(outcome) ? 'rework' : 'completed', engineContext(ws, at));
      summary = `completed ${e.name}: ${outcome}`;
      break;
    }
    case 'return':
      leaveTask(p, ws.engine, e.id, action.actor, 'returned', 'rework', c);
      summary = `returned ${e.name}: ${String(data.reason)}`;
      break;
    case 'not-applicable':
      // Refused by the guards: applicability is the office's finding (Art. 10), never a step action.
      throw new Error('not-applicable is not a step action');
  }
  noteImported(ws, action.occurredOn);
  audit(ws, { actor: action.actor, action: action.action, stepId: e.id, summary, occurredOn: action.occurredOn }, now);
}

/** Initiation records the office's findings (Art. 10): they decide which conditional steps run. */
function recordInitialFindings(ws: WorkflowState, data: Record<string, unknown>, by: string, at: number, imported: boolean) {
  const applicability = (data.applicability ?? {}) as Partial<Record<ConditionalKind, FindingInput>>;
  for (const [kind, f] of Object.entries(applicability)) {
    if (!f) continue;
    const finding: Finding = { applies: f.applies, by, at, source: 'initiation', ...(f.applies ? {} : { ground: f.ground, reasons: f.reasons, basis: f.basis }), ...(imported ? { imported } : {}) };
    if (f.applies && f.reasons) finding.reasons = f.reasons;
    ws.findings[kind as ConditionalKind] = finding;
  }
  for (const [k, v] of Object.entries((data.matter ?? {}) as Record<string, boolean>)) ws.matter[k as keyof WorkflowState['matter']] = { value: v, by, at, source: 'initiation' };
}

/** Drafts may change only while a drafting or revision step is open (Arts. 12, 24, 28). */
export function openDraftStep(ws: WorkflowState): CompiledElement | undefined {
  return Object.values(ws.input.procedure.elements).find(
    (e) => (e.step?.kind === 'drafting' || e.step?.kind === 'revision') && ['enabled', 'active'].includes(ws.engine.elements[e.id].status),
  );
}

/** Record a new draft version during the open drafting or revision step. */
export function applyDraft(ws: WorkflowState, d: DraftInput, now: number) {
  const step = openDraftStep(ws);
  if (!step) throw new Error('no drafting or revision step is open');
  const version = ws.drafts.length + 1;
  ws.drafts.push({ version, hash: d.hash, title: d.title, note: d.note, size: d.size, addedAt: actTime(d.occurredOn, now), addedBy: d.actor, duringStep: step.id });
  noteImported(ws, d.occurredOn);
  audit(ws, { actor: d.actor, action: 'draft', stepId: step.id, summary: `draft version ${version} (${d.hash.slice(0, 12)})`, occurredOn: d.occurredOn }, now);
}
