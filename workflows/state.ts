/**
 * Pure state transitions of one decision: creation, accepted step actions, draft versions
 * and service tasks. The workflow calls these after its validators have accepted an action;
 * unit tests call them directly.
 */
import { addWorkingDays } from './calendar';
import { leaveTask, startEngine, startTask, type EngineContext } from './engine';
import { chinaDate } from './guards';
import type { AuditEvent, DecisionInput, DraftInput, StepAction, WorkflowState } from './model';
import type { CompiledElement } from './procedure';
import { outcomeOf, REWORK_OUTCOMES } from './records';

const MS_PER_DAY = 86_400_000;

/** ISO-8601 durations of days/hours/minutes/seconds (P21D, PT2H, P1DT12H). */
export function isoDurationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return 0;
  const [, d, h, mi, s] = m.map((x) => Number(x ?? 0));
  return d * MS_PER_DAY + h * 3600_000 + mi * 60_000 + s * 1000;
}

/** The interpreter's view of time and facts at `now`. */
export function engineContext(input: DecisionInput, now: number): EngineContext {
  return {
    now,
    facts: input.facts,
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

export function audit(ws: WorkflowState, e: Omit<AuditEvent, 'seq' | 'at'>, now: number) {
  ws.seq += 1;
  ws.audit.push({ ...e, seq: ws.seq, at: now });
}

/** A new decision: one token on the start event, advanced as far as it goes. */
export function createState(input: DecisionInput, now: number): WorkflowState {
  const ws: WorkflowState = { input, engine: startEngine(input.procedure, engineContext(input, now)), records: [], drafts: [], audit: [], createdAt: now, seq: 0 };
  audit(ws, { actor: input.meta.createdBy, action: 'create', summary: `created with ${input.procedure.key}@${input.procedure.version}` }, now);
  return ws;
}

/** Apply an action the guards accepted; `data` is the parsed record. */
export function applyAction(ws: WorkflowState, action: StepAction, data: Record<string, unknown>, now: number) {
  const p = ws.input.procedure;
  const e = p.elements[action.stepId];
  const st = ws.engine.elements[e.id];
  const current = ws.drafts.length ? ws.drafts[ws.drafts.length - 1] : null;
  ws.records.push({
    seq: ws.seq + 1, // the audit event below takes the same number
    elementId: e.id,
    kind: e.step!.kind,
    action: action.action,
    actor: action.actor,
    at: now,
    visit: st.visits,
    draftVersion: current?.version ?? null,
    draftHash: current?.hash ?? null,
    data,
  });
  const c = engineContext(ws.input, now);
  let summary: string;
  switch (action.action) {
    case 'start':
      startTask(p, ws.engine, e.id, action.actor, c);
      summary = `started ${e.name}`;
      break;
    case 'complete': {
      const outcome = outcomeOf(data);
      leaveTask(p, ws.engine, e.id, action.actor, outcome, REWORK_OUTCOMES.has(outcome) ? 'rework' : 'completed', c);
      summary = `completed ${e.name}: ${outcome}`;
      break;
    }
    case 'return':
      leaveTask(p, ws.engine, e.id, action.actor, 'returned', 'rework', c);
      summary = `returned ${e.name}: ${String(data.reason)}`;
      break;
    case 'not-applicable':
      leaveTask(p, ws.engine, e.id, action.actor, 'not-applicable', 'not-applicable', c);
      summary = `found ${e.name} not applicable: ${String(data.reasons)}`;
      break;
  }
  audit(ws, { actor: action.actor, action: action.action, stepId: e.id, summary }, now);
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
  ws.drafts.push({ version, hash: d.hash, title: d.title, note: d.note, size: d.size, addedAt: now, addedBy: d.actor, duringStep: step.id });
  audit(ws, { actor: d.actor, action: 'draft', stepId: step.id, summary: `draft version ${version} (${d.hash.slice(0, 12)})` }, now);
}
