/**
 * decisionProcedure: one workflow per major administrative decision. It interprets the
 * compiled BPMN it was started with, accepts step actions as Updates whose validators run
 * the statutory guards, and projects every change into the read model through activities.
 */
import { allHandlersFinished, ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { fireDueTimers, leaveTask, nextTimerDue, pendingServiceTasks } from './engine';
import { checkAction, chinaDate } from './guards';
import type { DecisionInput, DecisionView, DraftInput, ServiceTaskInput, StepAction } from './model';
import { applyAction, applyDraft, audit, createState, engineContext, openDraftStep } from './state';
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

export async function decisionProcedure(input: DecisionInput): Promise<DecisionView> {
  const p = input.procedure;
  const ctx = () => engineContext(input, Date.now()); // workflow time: deterministic inside the Temporal sandbox
  const ws = createState(input, Date.now());
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

  setHandler(stateQuery, () => buildView(ws, Date.now()));

  setHandler(
    actUpdate,
    async (action) => {
      const result = checkAction(ws, action, chinaDate(Date.now()));
      if (result.kind !== 'ok') throw new Error('unreachable: the validator accepted this action on the same state');
      applyAction(ws, action, result.data, Date.now());
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

  setHandler(
    draftUpdate,
    async (d) => {
      applyDraft(ws, d, Date.now());
      await flush();
      return buildView(ws, Date.now());
    },
    {
      validator: (d) => {
        if (ws.engine.completed)
          throw ApplicationFailure.create({ type: FailureType.DRAFT_LOCKED, message: 'the decision procedure has ended', nonRetryable: true });
        if (!openDraftStep(ws))
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
      leaveTask(p, ws.engine, id, 'system', 'completed', 'completed', ctx());
      audit(ws, { actor: 'system', action: 'service', stepId: id, summary: `${e.name} done` }, Date.now());
    }
    if (projectedSeq < ws.seq) await flush();
    if (ws.engine.completed && projectedSeq === ws.seq) break;
  }
  await condition(allHandlersFinished);
  return buildView(ws, Date.now());
}
