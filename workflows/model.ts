/** Plain data kept by the decisionProcedure workflow and returned by its query. */
import type { WorkingCalendar } from './calendar';
import type { ElementState, EngineState } from './engine';
import type { CompiledProcedure, StepKind } from './procedure';
import type { CaseFacts } from './records';

/** Why something is refused or locked — with the article and both languages. */
export interface Reason {
  code: string;
  /** e.g. "Decree 713 Art. 25". */
  article: string;
  zh: string;
  en: string;
  /** Element ids that must be done first, where the reason is a missing prerequisite. */
  missing?: string[];
}

export type StepActionKind = 'start' | 'complete' | 'return' | 'not-applicable';

export interface StepAction {
  action: StepActionKind;
  stepId: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface DraftInput {
  actor: string;
  title: string;
  /** sha256 of the content, computed by the API, which stores the content itself. */
  hash: string;
  note?: string;
  size: number;
}

export interface DraftVersion {
  version: number;
  hash: string;
  title: string;
  note?: string;
  size: number;
  addedAt: number;
  addedBy: string;
  /** The step during which it was recorded. */
  duringStep: string;
}

export interface StepRecord {
  seq: number;
  elementId: string;
  kind: StepKind;
  action: StepActionKind;
  actor: string;
  at: number;
  /** The visit of the element this record belongs to (loops revisit steps). */
  visit: number;
  draftVersion: number | null;
  draftHash: string | null;
  data: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  at: number;
  actor: string;
  action: StepActionKind | 'create' | 'draft' | 'timer' | 'service';
  stepId?: string;
  summary: string;
}

export interface DecisionMeta {
  title: string;
  agency: string;
  draftingUnit: string;
  category: string;
  createdBy: string;
}

export interface DecisionInput {
  decisionId: string;
  meta: DecisionMeta;
  facts: CaseFacts;
  procedure: CompiledProcedure;
  calendar: WorkingCalendar;
}

export interface WorkflowState {
  input: DecisionInput;
  engine: EngineState;
  records: StepRecord[];
  drafts: DraftVersion[];
  audit: AuditEvent[];
  createdAt: number;
  seq: number;
}

/** One BPMN element as the query shows it: its engine state plus its step meta and reasons. */
export interface ElementView extends ElementState {
  id: string;
  type: string;
  name: string;
  kind?: StepKind;
  article?: string;
  role?: string;
  record?: string;
  conditional?: boolean;
  returnable?: boolean;
  /** The date by which the step is due (working-day calendar), where it has a period. */
  due?: { date: string; approximate: boolean; notes: string[] };
  lockReasons: Reason[];
  /** Actions the statute currently allows on this step. */
  allowedActions: StepActionKind[];
}

/** The query result: everything the UI and the API need about one decision. */
export interface DecisionView {
  decisionId: string;
  meta: DecisionMeta;
  facts: CaseFacts;
  procedure: { key: string; version: string; hash: string; name: string };
  status: 'in-progress' | 'completed' | 'incident';
  incidents: string[];
  createdAt: number;
  updatedAt: number;
  seq: number;
  currentDraft: DraftVersion | null;
  drafts: DraftVersion[];
  /** Enabled or active user tasks. */
  currentSteps: string[];
  elements: Record<string, ElementView>;
  takenFlows: string[];
  records: StepRecord[];
}

/** What a service-task activity receives. */
export interface ServiceTaskInput {
  decisionId: string;
  stepId: string;
  view: DecisionView;
}
