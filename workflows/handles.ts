/**
 * The decisionProcedure workflow's query and updates as typed handles. The workflow registers
 * them; the API calls them (`handle.executeUpdate(actUpdate, …)`) — one definition, no bare strings.
 * Only definitions and types: safe to import outside the workflow sandbox.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DecisionView, DraftInput, EventInput, MaterialInput, OpinionInput, StepAction } from './model';

export const stateQuery = defineQuery<DecisionView>('state');
/** A step action: start, complete (with its record), return. */
export const actUpdate = defineUpdate<DecisionView, [StepAction]>('act');
/** A new draft version (its content is in the store; the workflow keeps the hash). */
export const draftUpdate = defineUpdate<DecisionView, [DraftInput]>('draft');
/** A finding revised, a step reopened, a consultation opened, minutes, confirmations, execution events… */
export const eventUpdate = defineUpdate<DecisionView, [EventInput]>('event');
/** A person's own opinion put on file (Arts. 19, 28). */
export const opinionUpdate = defineUpdate<DecisionView, [OpinionInput]>('opinion');
/** A draft material or a step's evidence, by hash (the bytes are in the store). */
export const materialUpdate = defineUpdate<DecisionView, [MaterialInput]>('material');

export { FailureType } from './failures';
