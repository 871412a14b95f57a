/** Workflow bundle entry: only deterministic code is reachable from here. */
export { decisionProcedure, stateQuery, actUpdate, draftUpdate } from './decision';
export { probeWorkflow } from './smoke';
