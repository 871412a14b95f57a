/**
 * decisionProcedure: one workflow per major administrative decision. It interprets the
 * compiled BPMN it was started with, accepts acts as Updates whose validators run the statutory
 * guards, and projects every change into the read model through activities.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { applyEvent, applyMaterial, applyOpinion, checkDraft, checkEvent, checkMaterial, checkOpinion, type ActCheck } from './acts';
import { fireDueTimers, leaveTask, nextTimerDue, pendingServiceTasks } from './engine';
import { FailureType } from './failures';
import { checkAction, type CheckResult } from './guards';
import { actUpdate, draftUpdate, eventUpdate, materialUpdate, opinionUpdate, stateQuery } from './handles';
import type { DecisionInput, DecisionView, ServiceTaskInput } from './model';
import { applyAction, applyDraft, audit, createState, engineContext } from './state';
import { buildView } from './view';

export { FailureType } from './failures';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export { actUpdate, draftUpdate, eventUpdate, materialUpdate, opinionUpdate, stateQuery } from './handles';

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

export async function decisionProcedure(input: DecisionInput): Promise<DecisionView> {
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
    await acts.projectDecision({
      view: buildView(ws, Date.now()),
      audit: ws.audit.filter((a) => a.seq > projectedSeq),
      records: ws.records.filter((r) => r.seq > projectedSeq),
    });
    projectedSeq = Math.max(projectedSeq, upTo);
  };
  const flush = () => (projecting = projecting.then(projectOnce, projectOnce));

  /** Register an Update: the validator refuses with the guards' reasons; the handler applies, projects and answers. */
  function handle<A>(def: UpdateDefinition<DecisionView, [A]>, check: (a: A, now: number) => CheckResult | ActCheck, apply: (a: A, data: Record<string, unknown> | undefined, now: number) => void) {
    setHandler(
      def,
      async (a) => {
        const now = Date.now();
        const result = check(a, now);
        if (result.kind === 'repeat') return buildView(ws, now); // a double click: the first one took effect
        if (result.kind !== 'ok') throw new Error('unreachable: the validator accepted this act on the same state');
        apply(a, 'data' in result ? result.data : undefined, now);
        await flush();
        return buildView(ws, Date.now());
      },
      { validator: (a) => refuse(check(a, Date.now())) },
    );
  }

  setHandler(stateQuery, () => buildView(ws, Date.now()));
  handle(actUpdate, (a, now) => checkAction(ws, a, now), (a, data, now) => applyAction(ws, a, data!, now));
  handle(draftUpdate, (d, now) => checkDraft(ws, d, now), (d, _data, now) => applyDraft(ws, d, now));
  handle(eventUpdate, (e, now) => checkEvent(ws, e, now), (e, _data, now) => applyEvent(ws, e, now));
  handle(opinionUpdate, (o, now) => checkOpinion(ws, o, now), (o, _data, now) => applyOpinion(ws, o, now));
  handle(materialUpdate, (m, now) => checkMaterial(ws, m, now), (m, _data, now) => applyMaterial(ws, m, now));

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
      for (const id of fireDueTimers(p, ws.engine, engineContext(ws, Date.now())))
        audit(ws, { actor: 'timer', action: 'timer', stepId: p.elements[id].attachedTo ?? id, summary: `${p.elements[id].name} fired` }, Date.now());
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
      leaveTask(p, ws.engine, id, 'system', 'completed', 'completed', engineContext(ws, Date.now()));
      audit(ws, { actor: 'system', action: 'service', stepId: id, summary: `${e.name} done` }, Date.now());
    }
    if (projectedSeq < ws.seq) await flush();
    if (ws.engine.completed && projectedSeq === ws.seq) break;
  }
  await condition(allHandlersFinished);
  return buildView(ws, Date.now());
}
