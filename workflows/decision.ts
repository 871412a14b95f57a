/**
 * decisionProcedure: one workflow per major administrative decision. It interprets the
 * compiled BPMN it was started with, accepts acts as Updates whose validators run the statutory
 * guards, and keeps the read model in step.
 *
 * The history stays lean: an Update answers a few fields (the API queries the view), and each
 * change is projected as a delta — the decision's summary, and only the audit events and records
 * since the last projection — by a local activity the Update waits for, so the read model never
 * lags an act its author saw succeed. The same write queues the change for the notifier, which
 * tells people outside the workflow: a slow notification never holds the decision or anyone's act.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { applyEvent, applyMaterial, applyOpinion, checkDraft, checkEvent, checkMaterial, checkOpinion, type ActCheck } from './acts';
import { fireDueTimers, leaveTask, nextTimerDue, pendingServiceTasks } from './engine';
import { FailureType } from './failures';
import { checkAction, type CheckResult } from './guards';
import { actUpdate, draftUpdate, eventUpdate, materialUpdate, opinionUpdate, projectionQuery, stateQuery } from './handles';
import type { ActResult, DecisionInput, DecisionView, ServiceTaskInput } from './model';
import { applyAction, applyDraft, audit, createState, engineContext } from './state';
import { summaryOf } from './summary';
import { buildView } from './view';

export { actUpdate, draftUpdate, eventUpdate, materialUpdate, opinionUpdate, projectionQuery, stateQuery } from './handles';
export { FailureType } from './failures';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** The projection runs in the worker that holds the decision, inside the act: no task queue round trip. */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/** Turn a refusal into the typed failure the API maps to an HTTP status. */
function refuse(result: CheckResult | ActCheck): void {
  switch (result.kind) {
    case 'ok':
    case 'repeat':
      return;
    case 'not-found':
      throw ApplicationFailure.create({ type: FailureType.NOT_FOUND, message: result.message, nonRetryable: true });
    case 'invalid':
      throw ApplicationFailure.create({
        type: FailureType.VALIDATION_FAILED,
        message: result.issues.map((i) => `${i.path || '(body)'}: ${i.en}`).join('; '),
        details: [result.issues],
        nonRetryable: true,
      });
    case 'blocked':
      throw ApplicationFailure.create({ type: FailureType.STEP_BLOCKED, message: result.reasons.map((r) => r.en).join(' '), details: [result.reasons], nonRetryable: true });
  }
}

/** The workflow's result when the procedure ends: small, like every payload; the record is in the read model and the archive. */
export interface ProcedureResult {
  decisionId: string;
  status: DecisionView['status'];
  seq: number;
}

export async function decisionProcedure(input: DecisionInput): Promise<ProcedureResult> {
  const p = input.procedure;
  const ws = createState(input, Date.now()); // workflow time: deterministic inside the Temporal sandbox
  let projectedSeq = 0;

  /**
   * Write every change not yet projected. Projections run one at a time, in order (each waits
   * for the one before it), so the read model never sees an older state after a newer one.
   */
  let projecting: Promise<void> = Promise.resolve();
  const projectOnce = async () => {
    if (projectedSeq >= ws.seq) return;
    const upTo = ws.seq;
    const events = ws.audit.filter((a) => a.seq > projectedSeq);
    await local.projectDecision({
      summary: summaryOf(ws, Date.now()),
      audit: events,
      records: ws.records.filter((r) => r.seq > projectedSeq),
      // Steps this change enabled were enabled at or after its earliest event (the engine stamps them so).
      ...(events.length ? { notify: { since: Math.min(...events.map((a) => a.at)), minutesRecorded: events.some((a) => a.action === 'minutes') } } : {}),
    });
    projectedSeq = Math.max(projectedSeq, upTo);
  };
  const flush = () => (projecting = projecting.then(projectOnce, projectOnce));

  const answer = (repeated = false): ActResult => {
    const v = summaryOf(ws, Date.now());
    return { decisionId: input.decisionId, seq: ws.seq, status: v.status, currentSteps: v.openSteps.map((s) => s.id), ...(repeated ? { repeated } : {}) };
  };

  /**
   * Register an Update: the validator refuses with the guards' reasons; the handler applies,
   * projects and answers. The handler runs right after its validator in the same activation, on
   * the same state, so it reuses the validator's verdict (parsing a record twice is the costliest
   * part of an act); on replay validators do not run, and the handler checks for itself.
   */
  function handle<A>(def: UpdateDefinition<ActResult, [A]>, check: (a: A, now: number) => CheckResult | ActCheck, apply: (a: A, data: Record<string, unknown> | undefined, now: number) => void) {
    let validated: { arg: A; result: CheckResult | ActCheck } | undefined;
    setHandler(
      def,
      async (a) => {
        const now = Date.now();
        const result: CheckResult | ActCheck = validated?.arg === a ? validated.result : check(a, now);
        validated = undefined;
        if (result.kind === 'repeat') return answer(true); // a double click: the first one took effect
        if (result.kind !== 'ok') throw new Error('unreachable: the validator accepted this act on the same state');
        apply(a, (result as { data?: Record<string, unknown> }).data, now);
        await flush();
        return answer();
      },
      {
        validator: (a) => {
          const result = check(a, Date.now());
          validated = { arg: a, result };
          refuse(result);
        },
      },
    );
  }

  setHandler(stateQuery, () => buildView(ws, Date.now()));
  setHandler(projectionQuery, () => ({ summary: summaryOf(ws, Date.now()), audit: ws.audit, records: ws.records }));
  handle(actUpdate, (a, now) => checkAction(ws, a, now), (a, data, now) => applyAction(ws, a, data!, now));
  handle(draftUpdate, (d, now) => checkDraft(ws, d, now), (d, _data, now) => applyDraft(ws, d, now));
  handle(eventUpdate, (e, now) => checkEvent(ws, e, now), (e, _data, now) => applyEvent(ws, e, now));
  handle(opinionUpdate, (o, now) => checkOpinion(ws, o, now), (o, _data, now) => applyOpinion(ws, o, now));
  handle(materialUpdate, (m, now) => checkMaterial(ws, m, now), (m, _data, now) => applyMaterial(ws, m, now));

  await flush();

  // The driver: service tasks and timers until the procedure ends. Update handlers project
  // their own changes; the driver projects what it changes itself.
  const settled = () => ws.engine.completed && projectedSeq === ws.seq;
  for (;;) {
    const due = nextTimerDue(ws.engine);
    const woke = await condition(() => pendingServiceTasks(p, ws.engine).length > 0 || settled(), due === undefined ? undefined : Math.max(1, due - Date.now()));
    if (!woke) {
      for (const id of fireDueTimers(p, ws.engine, engineContext(ws, Date.now())))
        audit(ws, { actor: 'timer', action: 'timer', stepId: p.elements[id].attachedTo ?? id, summary: `${p.elements[id].name} fired` }, Date.now());
    }
    for (const id of pendingServiceTasks(p, ws.engine)) {
      const e = p.elements[id];
      const name = e.activity as keyof Activities;
      if (name === 'projectDecision' || name === 'notifyChanges' || typeof acts[name] !== 'function') {
        // A definition error: park the token as an incident; the state stays queryable.
        ws.engine.incidents.push(`service task ${id}: unknown activity ${String(e.activity)}`);
        ws.engine.tokens = ws.engine.tokens.filter((t) => t.at !== id);
        continue;
      }
      // The activity reads the read model, so it must hold every change so far.
      await flush();
      await (acts[name] as (a: ServiceTaskInput) => Promise<unknown>)({ decisionId: input.decisionId, stepId: id });
      leaveTask(p, ws.engine, id, 'system', 'completed', 'completed', engineContext(ws, Date.now()));
      audit(ws, { actor: 'system', action: 'service', stepId: id, summary: `${e.name} done` }, Date.now());
    }
    if (projectedSeq < ws.seq) await flush();
    if (settled()) break;
  }
  await condition(allHandlersFinished);
  return { decisionId: input.decisionId, status: ws.engine.incidents.length ? 'incident' : 'completed', seq: ws.seq };
}
