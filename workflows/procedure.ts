/**
 * The compiled procedure: plain data produced from BPMN by definitions/compiler.ts
 * (outside the workflow) and handed to the decisionProcedure workflow as input, so a
 * decision keeps the definition version it started with for life.
 */

import type { Role, StepKind } from '../definitions/statute';

/** Step kinds and performing roles come from the statute catalogue. */
export { STEP_KINDS, STEP_ROLES as ROLES, type Role, type StepKind } from '../definitions/statute';

export type ElementType =
  | 'startEvent'
  | 'endEvent'
  | 'userTask'
  | 'serviceTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'intermediateTimer'
  | 'boundaryTimer';

/** A condition over case facts and step outcomes, parsed at compile time (workflows/conditions.ts). */
export type Condition =
  | { op: 'lit'; value: string | number | boolean | null }
  | { op: 'path'; path: string[] }
  | { op: 'not'; arg: Condition }
  | { op: 'and' | 'or'; args: Condition[] }
  | { op: 'eq' | 'ne'; left: Condition; right: Condition };

export interface StepMeta {
  kind: StepKind;
  /** Decree 713 article(s) the step rests on, e.g. "25-28". */
  article: string;
  role: Role;
  /** Name of the record schema in workflows/records.ts. */
  record: string;
  /** A conditional step may end in a reasoned not-applicable finding. */
  conditional: boolean;
  /** The performer may return the step for rework (e.g. Art. 26 return for supplement). */
  returnable: boolean;
}

export interface TimerSpec {
  /** ISO-8601 duration in days/hours/minutes/seconds (P15D, PT1H), or working days via juece:workingDays. */
  isoDuration?: string;
  workingDays?: number;
}

export interface CompiledElement {
  id: string;
  type: ElementType;
  name: string;
  incoming: string[];
  outgoing: string[];
  /** userTask only. */
  step?: StepMeta;
  /** serviceTask only: the activity to run (activities/index.ts registry). */
  activity?: string;
  /** exclusiveGateway: the default flow id. */
  defaultFlow?: string;
  /** intermediateTimer / boundaryTimer. */
  timer?: TimerSpec;
  /** boundaryTimer: the task it is attached to and whether it cancels it. */
  attachedTo?: string;
  cancelActivity?: boolean;
  /** Tasks: ids of boundary events attached to them. */
  boundary?: string[];
}

export interface CompiledFlow {
  id: string;
  name: string;
  source: string;
  target: string;
  condition?: Condition;
  /** The expression text as written in the BPMN, for display. */
  conditionText?: string;
}

export interface CompiledProcedure {
  /** Process id, e.g. "major-decision". */
  key: string;
  name: string;
  /** juece:version on the process (definition version). */
  version: string;
  /** sha256 of the BPMN XML, so a decision can always find the exact diagram it runs. */
  hash: string;
  startEvent: string;
  elements: Record<string, CompiledElement>;
  flows: Record<string, CompiledFlow>;
}
