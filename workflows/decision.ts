/**
 * decisionProcedure: one workflow per major administrative decision. It interprets the
 * compiled BPMN it was started with, accepts step actions as Updates whose validators run
 * the statutory guards, and projects every change into the read model through activities.
 */
import { allHandlersFinished, ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { addWorkingDays } from './calendar';
import { fireDueTimers, leaveTask, nextTimerDue, pendingServiceTasks, startEngine, startTask, type EngineContext } from './engine';
import { checkAction, chinaDate } from './guards';
import type { AuditEvent, DecisionInput, DecisionView, DraftInput, ServiceTaskInput, StepAction, WorkflowState } from './model';
import type { CompiledElement } from './procedure';
import { outcomeOf, REWORK_OUTCOMES } from './records';
import { buildView } from './view';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export const stateQuery = defineQuery<DecisionView>('state');
export const actUpdate = defineUpdate<DecisionView, [StepAction]>('act');
export const draftUpdate = defineUpdate<DecisionView, [DraftInput]>('draft');

/** Failure types the API maps to HTTP statuses. */
export const FailureType = {
  STEP_BLOCKED: 'STEP_BLOCKED',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  DRAFT_LOCKED: 'DRAFT_LOCKED',
} as const;

const MS_PER_DAY = 86_400_000;

/** ISO-8601 durations of days/hours/minutes/seconds (P21D, PT2H, P1DT12H). */
function isoDurationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return 0;
  const [, d, h, mi, s] = m.map((x) => Number(x ?? 0));
  return d * MS_PER_DAY + h * 3600_000 + mi * 60_000 + s * 1000;
}

export async function decisionProcedure(input: DecisionInput): Promise<DecisionView> {
  const p = input.procedure;
  const ctx = (): EngineContext => ({
    now: Date.now(), // workflow time: deterministic inside the Temporal sandbox
    facts: input.facts,
    dueAt: (timer: CompiledElement, armedAt: number) => {
      if (timer.timer?.workingDays) {
        // Due at the end (24:00 China time) of the n-th working day after arming.
        const due = addWorkingDays(input.calendar, chinaDate(armedAt), timer.timer.workingDays);
        return Date.parse(`${due.date}T00:00:00+08:00`) + MS_PER_DAY;
      }
      return armedAt + isoDurationMs(timer.timer?.isoDuration ?? 'P0D');
    },
  });

  const ws: WorkflowState = { input, engine: startEngine(p, ctx()), records: [], drafts: [], audit: [], createdAt: Date.now(), seq: 0 };
  let projectedSeq = 0;

  const audit = (e: Omit<AuditEvent, 'seq' | 'at'>) => {
    ws.seq += 1;
    ws.audit.push({ ...e, seq: ws.seq, at: Date.now() });
  };
  audit({ actor: input.meta.createdBy, action: 'create', summary: `created with ${p.key}@${p.version}` });

  /** Write every change not yet projected; idempotent, so overlapping calls are harmless. */
  const flush = async () => {
    const upTo = ws.seq;
    await acts.projectDecision({
      view: buildView(ws, Date.now()),
      audit: ws.audit.filter((a) => a.seq > projectedSeq),
      records: ws.records.filter((r) => r.seq > projectedSeq),
    });
    projectedSeq = Math.max(projectedSeq, upTo);
  };

  setHandler(stateQuery, () => buildView(ws, Date.now()));

  setHandler(
    actUpdate,
    async (action) => {
      const result = checkAction(ws, action, chinaDate(Date.now()));
      if (result.kind !== 'ok') throw new Error('unreachable: validator passed'); // the validator ran checkAction on the same state
      const e = p.elements[action.stepId];
      const st = ws.engine.elements[action.stepId];
      const current = ws.drafts.length ? ws.drafts[ws.drafts.length - 1] : null;
      ws.records.push({
        seq: ws.seq + 1, // the audit event below takes the same number
        elementId: e.id,
        kind: e.step!.kind,
        action: action.action,
        actor: action.actor,
        at: Date.now(),
        visit: st.visits,
        draftVersion: current?.version ?? null,
        draftHash: current?.hash ?? null,
        data: result.data,
      });
      const c = ctx();
      let summary: string;
      switch (action.action) {
        case 'start':
          startTask(p, ws.engine, e.id, action.actor, c);
          summary = `started ${e.name}`;
          break;
        case 'complete': {
          const outcome = outcomeOf(result.data);
          leaveTask(p, ws.engine, e.id, action.actor, outcome, REWORK_OUTCOMES.has(outcome) ? 'rework' : 'completed', c);
          summary = `completed ${e.name}: ${outcome}`;
          break;
        }
        case 'return':
          leaveTask(p, ws.engine, e.id, action.actor, 'returned', 'rework', c);
          summary = `returned ${e.name}: ${String(result.data.reason)}`;
          break;
        case 'not-applicable':
          leaveTask(p, ws.engine, e.id, action.actor, 'not-applicable', 'not-applicable', c);
          summary = `found ${e.name} not applicable: ${String(result.data.reasons)}`;
          break;
      }
      audit({ actor: action.actor, action: action.action, stepId: e.id, summary });
      await flush();
      return buildView(ws, Date.now());
    },
    {
      validator: (action) => {
        const result = checkAction(ws, action, chinaDate(Date.now()));
        if (result.kind === 'ok') return;
        if (result.kind === 'not-found') throw ApplicationFailure.create({ type: FailureType.NOT_FOUND, message: result.message, nonRetryable: true });
        if (result.kind === 'invalid')
          throw ApplicationFailure.create({
            type: FailureType.VALIDATION_FAILED,
            message: result.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '),
            details: [result.issues],
            nonRetryable: true,
          });
        throw ApplicationFailure.create({
          type: FailureType.STEP_BLOCKED,
          message: result.reasons.map((r) => r.en).join(' '),
          details: [result.reasons],
          nonRetryable: true,
        });
      },
    },
  );

  /** Drafts may change only while a drafting or revision step is open (Arts. 12, 24, 28). */
  const draftStep = () =>
    Object.values(p.elements).find(
      (e) => (e.step?.kind === 'drafting' || e.step?.kind === 'revision') && ['enabled', 'active'].includes(ws.engine.elements[e.id].status),
    );

  setHandler(
    draftUpdate,
    async (d) => {
      const step = draftStep()!;
      const version = ws.drafts.length + 1;
      ws.drafts.push({ version, hash: d.hash, title: d.title, note: d.note, size: d.size, addedAt: Date.now(), addedBy: d.actor, duringStep: step.id });
      audit({ actor: d.actor, action: 'draft', stepId: step.id, summary: `draft version ${version} (${d.hash.slice(0, 12)})` });
      await flush();
      return buildView(ws, Date.now());
    },
    {
      validator: (d) => {
        if (ws.engine.completed)
          throw ApplicationFailure.create({ type: FailureType.DRAFT_LOCKED, message: 'the decision procedure has ended', nonRetryable: true });
        if (!draftStep())
          throw ApplicationFailure.create({
            type: FailureType.DRAFT_LOCKED,
            message: 'A new draft version can be recorded only while drafting or a revision step is open (Decree 713 Arts. 12, 24, 28).',
            details: [[{ code: 'DRAFT_LOCKED', article: 'Decree 713 Arts. 12, 24, 28', zh: '只有在草案拟订或修改环节才能提交新的草案版本。', en: 'A new draft version can be recorded only while drafting or a revision step is open.' }]],
            nonRetryable: true,
          });
        if (ws.drafts.length && ws.drafts[ws.drafts.length - 1].hash === d.hash)
          throw ApplicationFailure.create({ type: FailureType.VALIDATION_FAILED, message: 'content: identical to the current draft version', details: [[{ path: 'content', message: 'identical to the current draft version' }]], nonRetryable: true });
      },
    },
  );

  await flush();

  // The driver: run service tasks and timers until the procedure ends. Update handlers
  // project their own changes; the driver projects what it changes itself.
  for (;;) {
    const due = nextTimerDue(ws.engine);
    const woke = await condition(
      () => pendingServiceTasks(p, ws.engine).length > 0 || (ws.engine.completed && projectedSeq === ws.seq),
      due === undefined ? undefined : Math.max(1, due - Date.now()),
    );
    if (!woke) {
      for (const id of fireDueTimers(p, ws.engine, ctx()))
        audit({ actor: 'timer', action: 'timer', stepId: p.elements[id].attachedTo ?? id, summary: `${p.elements[id].name} fired` });
    }
    for (const id of pendingServiceTasks(p, ws.engine)) {
      const e = p.elements[id];
      const name = e.activity as keyof Activities;
      if (name === 'projectDecision' || typeof acts[name] !== 'function') {
        // A definition error: park the token as an incident; the state stays queryable.
        ws.engine.incidents.push(`service task ${id}: unknown activity ${String(e.activity)}`);
        ws.engine.tokens = ws.engine.tokens.filter((t) => t.at !== id);
        continue;
      }
      await (acts[name] as (a: ServiceTaskInput) => Promise<unknown>)({ decisionId: input.decisionId, stepId: id, view: buildView(ws, Date.now()) });
      leaveTask(p, ws.engine, id, 'system', 'completed', 'completed', ctx());
      audit({ actor: 'system', action: 'service', stepId: id, summary: `${e.name} done` });
    }
    if (projectedSeq < ws.seq) await flush();
    if (ws.engine.completed && projectedSeq === ws.seq) break;
  }
  await condition(allHandlersFinished);
  return buildView(ws, Date.now());
}
