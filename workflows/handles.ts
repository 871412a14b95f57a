/**
 * The decisionProcedure workflow's query and updates as typed handles. An Update answers an
 * ActResult (a few fields, kept in the history); the view comes from the query. The workflow registers
 * them; the API calls them (`handle.executeUpdate(actUpdate, …)`) — one definition, no bare strings.
 * Only definitions and types: safe to import outside the workflow sandbox.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActResult, DecisionView, DraftInput, EventInput, MaterialInput, OpinionInput, ProjectionDelta, StepAction } from './model';

export const stateQuery = defineQuery<DecisionView>('state');
/** Everything the read model should hold of the decision — the summary, every audit event and record — for `juece reconcile`. */
export const projectionQuery = defineQuery<ProjectionDelta>('projection');
/** A step action: start, complete (with its record), return. */
export const actUpdate = defineUpdate<ActResult, [StepAction]>('act');
/** A new draft version (its content is in the store; the workflow keeps the hash). */
export const draftUpdate = defineUpdate<ActResult, [DraftInput]>('draft');
/** A finding revised, a step reopened, a consultation opened, minutes, confirmations, execution events… */
export const eventUpdate = defineUpdate<ActResult, [EventInput]>('event');
/** A person's own opinion put on file (Arts. 19, 28). */
export const opinionUpdate = defineUpdate<ActResult, [OpinionInput]>('opinion');
/** A draft material or a step's evidence, by hash (the bytes are in the store). */
export const materialUpdate = defineUpdate<ActResult, [MaterialInput]>('material');

export { FailureType } from './failures';
