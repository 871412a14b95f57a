/**
 * Acting on a decision's workflow: one typed Update, its refusal mapped to the API's error (409
 * with the statute's reasons, 400 with field issues, 404) and recorded in the decision's audit
 * trail with its class — a statutory refusal (a skip attempt) apart from a form error or a step
 * already done (domain invariant 8). A repeated act that already took effect is no refusal.
 *
 * An act waits on Temporal in bounded slices (server/temporal-calls.ts). When the store dies after
 * the workflow has the act, the workflow's projection (a local activity) retries until the store
 * returns, so the act is neither lost nor done twice; the client gets a 503 naming the store
 * within 2 s, saying whether Temporal has received or accepted the act, and a retry with the same
 * Idempotency-Key joins that act (its Update id derives from the key) and answers its outcome.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { FailureType } from '../workflows/failures';
import type { ActResult, DecisionView, Reason } from '../workflows/model';
import { ApiError, type ErrorCode } from './errors';
import { nextUpdateId } from './idempotency';
import { queryState, recordRefusal, workflowId, type AppDeps } from './route-kit';
import { PROBE_MS, withTemporal } from './temporal-calls';

/** Reason codes that are their own API error code (clients already branch on them). */
const OWN_CODES = new Set<ErrorCode>(['DRAFT_LOCKED', 'DECISION_CLOSED']);

/** Map a Temporal update failure to an API error. */
export async function mapUpdateError(deps: AppDeps, id: string, err: unknown): Promise<ApiError> {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const details = err.cause.details?.[0];
    switch (err.cause.type) {
      case FailureType.STEP_BLOCKED: {
        const reasons = (Array.isArray(details) ? details : []) as Reason[];
        const own = reasons.length === 1 && OWN_CODES.has(reasons[0].code as ErrorCode) ? (reasons[0].code as ErrorCode) : 'STEP_BLOCKED';
        return new ApiError(own, err.cause.message, reasons);
      }
      case FailureType.VALIDATION_FAILED:
        return new ApiError('VALIDATION_FAILED', err.cause.message, details);
      case FailureType.NOT_FOUND:
        return new ApiError('NOT_FOUND', err.cause.message);
    }
  }
  if (err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message))) {
    // A closed workflow no longer takes updates: tell "ended" apart from "never existed".
    const closed = await deps.client
      .withDeadline(Date.now() + PROBE_MS, () => deps.client.workflow.getHandle(workflowId(id)).describe())
      .then((d) => d.status.name !== 'RUNNING')
      .catch(() => false);
    return closed
      ? new ApiError('DECISION_CLOSED', 'This decision procedure has ended and its file is sealed; the record is read-only (Decree 713 Art. 33).')
      : new ApiError('NOT_FOUND', `No decision ${id}.`);
  }
  throw err;
}

export interface UpdateCall {
  actor: string;
  /** What the audit trail calls the attempt (start, complete, draft, finding…). */
  action: string;
  stepId?: string;
}

/**
 * Run one typed Update on a decision's workflow; a refusal is recorded in its audit trail and
 * thrown as the API error. The answer is small (it stays in the history); see `actAndView`.
 */
export async function runUpdate<A>(deps: AppDeps, id: string, def: UpdateDefinition<ActResult, [A]>, arg: A, call: UpdateCall): Promise<ActResult> {
  const act = { workflowId: workflowId(id), updateId: nextUpdateId() };
  try {
    return await withTemporal(deps, () => deps.client.workflow.getHandle(act.workflowId).executeUpdate(def, { args: [arg], updateId: act.updateId }), { act });
  } catch (err) {
    // A missing dependency is no refusal: nothing to record (and the store may be what is missing).
    if (err instanceof ApiError && err.code === 'DEPENDENCY_UNAVAILABLE') throw err;
    const e = await mapUpdateError(deps, id, err);
    // An unknown decision has no audit trail to write to.
    if (e.code !== 'NOT_FOUND' || err instanceof WorkflowUpdateFailedError) await recordRefusal(deps, id, call.actor, call.action, call.stepId, e);
    throw e;
  }
}

/**
 * Run an Update, then answer the decision's whole view from the workflow's query — the state the
 * act produced (a query is answered after the Update that preceded it) and never part of the history.
 */
export async function actAndView<A>(deps: AppDeps, id: string, def: UpdateDefinition<ActResult, [A]>, arg: A, call: UpdateCall): Promise<DecisionView & { repeated?: boolean }> {
  const result = await runUpdate(deps, id, def, arg, call);
  const view = await queryState(deps, id);
  return result.repeated ? { ...view, repeated: true } : view;
}
