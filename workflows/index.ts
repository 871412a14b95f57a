/** Workflow bundle entry: only deterministic code is reachable from here. */
export { decisionProcedure, stateQuery, actUpdate, draftUpdate, eventUpdate, opinionUpdate, materialUpdate } from './decision';
export { probeWorkflow } from './smoke';
