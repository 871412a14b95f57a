/** Plain data kept by the decisionProcedure workflow and returned by its query. */
import type { WorkingCalendar } from './calendar';
import type { ElementState, EngineState } from './engine';
import type { ConditionalKind, MatterFact, StatuteReason } from '../definitions/statute';
import type { CompiledProcedure, StepKind } from './procedure';
import type { CaseFacts, FindingRevision, Minutes } from './records';

/**
 * Why something is refused or locked — code, article, both languages and the refusal class,
 * from the statute catalogue (definitions/statute.ts); `missing` names steps to do first.
 */
export type Reason = StatuteReason;

export type StepActionKind = 'start' | 'complete' | 'return' | 'not-applicable';

/** What every act on a decision carries besides its own data. */
export interface ActEnvelope {
  /** The audit label of the person acting, 姓名 (login). */
  actor: string;
  /**
   * Only while a decision is being imported (补录): the date the act actually happened, which
   * then dates it instead of the system's clock. Refused on every live decision.
   */
  occurredOn?: string;
}

export interface StepAction extends ActEnvelope {
  action: StepActionKind;
  stepId: string;
  data: Record<string, unknown>;
  /**
   * Facts the API supplies from the directory, never from the request body — the meeting
   * roster on file when the collective decision starts.
   */
  system?: { roster?: Roster };
}

export interface DraftInput extends ActEnvelope {
  title: string;
  /** sha256 of the content, computed by the API, which stores the content itself. */
  hash: string;
  note?: string;
  size: number;
}

/** The head and the members of the decision body's meeting, as on file when the meeting opened. */
export interface Roster {
  agency: string;
  head: { username: string; name: string } | null;
  members: { username: string; name: string }[];
}

/** The office's reasoned finding on whether a conditional step applies (Decree 713 Art. 10). */
export interface Finding {
  applies: boolean;
  ground?: string;
  reasons?: string;
  basis?: string;
  by: string;
  at: number;
  /** initiation: decided at the start; revision: the office revised it; reopen: the legality review body reopened the step (Art. 27(2)). */
  source: 'initiation' | 'revision' | 'reopen';
  imported?: boolean;
}

export interface MatterFinding {
  value: boolean;
  reasons?: string;
  by: string;
  at: number;
  source: 'initiation' | 'revision';
}

/** An open consultation, opened in the system: its period runs from then (Art. 15). */
export interface Consultation {
  id: string;
  channel: string;
  opensOn: string;
  openedAt: number;
  closesOn: string;
  shorteningReason?: string;
  noticeUrl?: string;
  openedBy: string;
  imported?: boolean;
}

/**
 * A person's own opinion on a draft version — a legal adviser's or government lawyer's (Art. 28)
 * or an expert's (Art. 19) — given under their account or as a document they signed. The text
 * lives in the store; the workflow keeps who, on what, and the hash.
 */
export interface OpinionRef {
  id: string;
  author: string;
  authorName: string;
  capacity: 'legal-adviser' | 'government-lawyer' | 'expert';
  draftVersion: number;
  /** sha256 of the opinion text (or of the signed document). */
  hash: string;
  source: 'account' | 'signed-document';
  /** Who put it on file: the author, or whoever uploaded the signed document. */
  recordedBy: string;
  at: number;
  /** Experts affirm they have no direct interest in the matter (Art. 20). */
  noDirectInterest?: boolean;
}
export type OpinionInput = Omit<OpinionRef, 'at'> & ActEnvelope;

/** A file of the decision: draft material (stepId null) or evidence of a step. Bytes live in the store. */
export interface Material {
  id: string;
  sha256: string;
  filename: string;
  size: number;
  draftVersion: number;
  stepId: string | null;
  by: string;
  at: number;
}
export type MaterialInput = Omit<Material, 'at' | 'by'> & ActEnvelope;

/** The meeting of the current collective-decision visit: roster, minutes and each speaker's confirmation. */
export interface Meeting {
  visit: number;
  roster: Roster | null;
  minutes: (Minutes & { version: number; by: string; at: number }) | null;
  /** username → their answer on the current minutes version. */
  confirmations: Record<string, { at: number; confirm: boolean; dispute?: string; minutesVersion: number }>;
}

/** Execution (Arts. 34-37): problems reported, an emergency suspension by the head. */
export interface Execution {
  problems: { kind: string; description: string; by: string; at: number }[];
  suspended: { by: string; at: number; reasons: string } | null;
  history: { event: 'suspended' | 'resumed'; by: string; at: number; reasons: string }[];
}

/** A procedure carried out before the system was adopted, entered afterwards (补录). */
export interface ImportState {
  by: string;
  reason: string;
  /** When the procedure actually started. */
  startedOn: string;
  open: boolean;
  /** The date of the latest imported act: imports run in the order things happened. */
  lastOn: string;
  endedAt?: number;
}

/** Every other act on a decision besides steps and drafts. */
export type DecisionEvent =
  | ({ type: 'finding' } & FindingRevision)
  | { type: 'reopen'; stepId: string; reasons: string }
  | { type: 'consultation-opened'; channel: string; closesOn: string; shorteningReason?: string; noticeUrl?: string }
  | { type: 'minutes'; minutes: Minutes }
  | { type: 'confirm'; username: string; confirm?: true; dispute?: string }
  | { type: 'problem-reported'; kind: string; description: string }
  | { type: 'suspended'; reasons: string }
  | { type: 'resumed'; reasons: string }
  | { type: 'linked'; decisionId: string; title: string }
  | { type: 'import-ended' };
export type EventInput = DecisionEvent & ActEnvelope;

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
  /** When it happened: the system's time, or the imported date of a 补录 act. */
  at: number;
  /** When the system recorded it. */
  recordedAt: number;
  /** Entered through an import (补录) rather than done in the system. */
  imported?: boolean;
  /** The visit of the element this record belongs to (loops revisit steps). */
  visit: number;
  draftVersion: number | null;
  draftHash: string | null;
  /** Legality review: the hashes of the draft's materials it covered (Art. 25: what was reviewed stays reviewed). */
  materials?: string[];
  data: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  /** When the system recorded it. */
  at: number;
  /** The imported date, for acts entered through an import (补录). */
  occurredOn?: string;
  actor: string;
  action: StepActionKind | DecisionEvent['type'] | 'dispute' | 'create' | 'draft' | 'opinion' | 'attachment' | 'timer' | 'service';
  stepId?: string;
  summary: string;
}

export interface DecisionMeta {
  title: string;
  agency: string;
  draftingUnit: string;
  category: string;
  createdBy: string;
  /** A major adjustment (Art. 37): the decision this one adjusts. */
  adjusts?: string;
}

/** Deployment settings the statute leaves open (the national value by default). */
export interface ProcedurePolicy {
  /** A meeting decides when more than this share of its members attend (default 1/2). */
  quorum: number;
}

export interface DecisionInput {
  decisionId: string;
  meta: DecisionMeta;
  /** The drafting unit's proposal; the office's findings at initiation decide (Art. 10). */
  facts: CaseFacts;
  procedure: CompiledProcedure;
  calendar: WorkingCalendar;
  policy?: ProcedurePolicy;
  /** Set when the decision is an import (补录) of a procedure carried out before the system. */
  origin?: { kind: 'import'; reason: string; startedOn: string };
}

export interface WorkflowState {
  input: DecisionInput;
  engine: EngineState;
  records: StepRecord[];
  drafts: DraftVersion[];
  audit: AuditEvent[];
  createdAt: number;
  seq: number;
  findings: Partial<Record<ConditionalKind, Finding>>;
  matter: Partial<Record<MatterFact, MatterFinding>>;
  consultations: Consultation[];
  opinions: OpinionRef[];
  materials: Material[];
  meeting: Meeting | null;
  execution: Execution;
  /** New decisions that re-run the procedure to adjust this one (Art. 37). */
  adjustedBy: { decisionId: string; title: string; at: number }[];
  import: ImportState | null;
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
  /** Conditional steps: the office's finding on whether it applies, with its ground. */
  finding?: Finding;
  /** The step's latest record was entered through an import (补录). */
  imported?: boolean;
  /** A step reopened by the legality review body or a revised finding, outside the drawn path. */
  reopened?: boolean;
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
  /** The office's findings (Art. 10) and the facts about the matter. */
  findings: WorkflowState['findings'];
  matter: WorkflowState['matter'];
  /** The gateway facts that follow from the findings (or the proposal, before initiation). */
  effectiveFacts: Record<string, boolean>;
  consultations: Consultation[];
  opinions: OpinionRef[];
  materials: Material[];
  meeting: Meeting | null;
  execution: Execution;
  adjustedBy: WorkflowState['adjustedBy'];
  import: ImportState | null;
}

/** What a service-task activity receives. */
export interface ServiceTaskInput {
  decisionId: string;
  stepId: string;
  view: DecisionView;
}
