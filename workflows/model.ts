/** Plain data kept by the decisionProcedure workflow and returned by its query. */
import type { WorkingCalendar } from './calendar';
import type { ElementState, EngineState } from './engine';
import type { ConditionalKind, FullProcedureKind, MatterFact, StatuteReason } from '../definitions/statute';
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
   * roster on file when the collective decision starts; what the portal received when public
   * participation completes.
   */
  system?: { roster?: Roster; participation?: ParticipationFacts };
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
  /** The explanation of the draft published with it (Art. 15: 决策草案及其说明). */
  explanation?: string;
  /** What a submitter must give besides the opinion. */
  requires?: { name: boolean; contact: boolean };
}

/**
 * What the portal received in each consultation, counted by the API from the store when public
 * participation completes (opinions are stored one by one, never sent through the workflow):
 * how many arrived in time, how many have an answer, and a digest of the opinions and answers.
 */
export interface ParticipationFacts {
  consultations: { id: string; received: number; answered: number; digest: string }[];
}

/** A hearing (Arts. 16-17) announced in the system: time and place, selection, list, delivery, signed record. */
export interface Hearing {
  id: string;
  /** The day it is held, and the time. */
  scheduledOn: string;
  startsAt: string;
  place: string;
  selectionMethod: string;
  participants: { name: string; represents?: string }[];
  announcedOn: string;
  announcedAt: number;
  announcedBy: string;
  /** When the participant list was published (with the announcement, or later). */
  participantsPublishedOn?: string;
  /** When the materials reached the participants (a declared date, ≥ 7 days before the hearing). */
  materialsDeliveredOn?: string;
  /** The record confirmed and signed by the participants (Art. 17): a file in the store, by hash. */
  signedRecord?: { fileId: string; sha256: string; filename: string; by: string; at: number };
  cancelled?: { reasons: string; by: string; at: number };
  imported?: boolean;
}

/** The hearing events (Arts. 16-17). */
export type HearingEvent =
  | { type: 'hearing-announced'; scheduledOn: string; startsAt: string; place: string; selectionMethod: string; participants?: { name: string; represents?: string }[] }
  | { type: 'hearing-participants'; hearingId: string; participants: { name: string; represents?: string }[] }
  | { type: 'hearing-materials-delivered'; hearingId: string; deliveredOn: string }
  | { type: 'hearing-record-signed'; hearingId: string; fileId: string; sha256: string; filename: string }
  | { type: 'hearing-cancelled'; hearingId: string; reasons: string };

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

/**
 * The annual catalogue item a decision carries out (Decree 713 Art. 3(3)), as the API read it from
 * the published catalogue, with the deployment policy in force when the link was made: whether
 * catalogue items perform all five procedures (Ningxia practice).
 */
export interface CatalogueItemRef {
  itemId: string;
  title: string;
  year: number;
  fullProcedure: boolean;
}

/** The decision's catalogue item, linked at creation or afterwards by the office. */
export interface CatalogueLink extends CatalogueItemRef {
  by: string;
  at: number;
  source: 'creation' | 'linked';
}

/** The decision body's exemption from the full-procedure policy for some steps, with reasons. */
export interface ProcedureExemption {
  kinds: FullProcedureKind[];
  reasons: string;
  basis?: string;
  by: string;
  at: number;
}

/** Every other act on a decision besides steps and drafts. */
export type DecisionEvent =
  | ({ type: 'finding' } & FindingRevision)
  | { type: 'reopen'; stepId: string; reasons: string }
  | { type: 'consultation-opened'; channel: string; closesOn: string; shorteningReason?: string; noticeUrl?: string; explanation?: string; requires?: { name: boolean; contact: boolean } }
  | HearingEvent
  | { type: 'minutes'; minutes: Minutes }
  | { type: 'confirm'; username: string; confirm?: true; dispute?: string }
  | { type: 'problem-reported'; kind: string; description: string }
  | { type: 'suspended'; reasons: string }
  | { type: 'resumed'; reasons: string }
  | { type: 'linked'; decisionId: string; title: string }
  | { type: 'import-ended' }
  | ({ type: 'catalogue-linked' } & CatalogueItemRef)
  | { type: 'exemption'; kinds: FullProcedureKind[]; reasons: string; basis?: string };
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
  /** The annual catalogue item it carries out, when named at creation. */
  catalogue?: CatalogueItemRef;
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
  /** Hearings announced in the system (Arts. 16-17). */
  hearings: Hearing[];
  opinions: OpinionRef[];
  materials: Material[];
  meeting: Meeting | null;
  execution: Execution;
  /** New decisions that re-run the procedure to adjust this one (Art. 37). */
  adjustedBy: { decisionId: string; title: string; at: number }[];
  import: ImportState | null;
  /** The catalogue item this decision carries out (Art. 3(3)), if any. */
  catalogue: CatalogueLink | null;
  /** The decision body's exemptions from the full-procedure policy. */
  exemptions: ProcedureExemption[];
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
  hearings: Hearing[];
  opinions: OpinionRef[];
  materials: Material[];
  meeting: Meeting | null;
  execution: Execution;
  adjustedBy: WorkflowState['adjustedBy'];
  import: ImportState | null;
  catalogue: CatalogueLink | null;
  exemptions: ProcedureExemption[];
}

/** What a service-task activity receives: which decision and step; it reads the rest from the read model. */
export interface ServiceTaskInput {
  decisionId: string;
  stepId: string;
}

/** An open step as the read model keeps it (queues, reminders, notifications). */
export interface OpenStep {
  id: string;
  name: string;
  kind: StepKind;
  role: string;
  status: 'enabled' | 'active';
  visits: number;
  enabledAt: number;
  startedBy?: string;
  due?: { date: string; approximate: boolean; notes: string[] };
  overdue: boolean;
}

/** The decision as the read model keeps it: a few KB, whatever the records hold (workflows/summary.ts). */
export interface DecisionSummary {
  decisionId: string;
  seq: number;
  meta: DecisionMeta;
  procedure: DecisionView['procedure'];
  status: DecisionView['status'];
  createdAt: number;
  updatedAt: number;
  openSteps: OpenStep[];
  overdue: boolean;
  drafts: { current: number | null; lastReviewed: number | null; versions: { version: number; hash: string; title: string; addedAt: number; addedBy: string }[] };
  /** Per conditional step kind: applies, or not on which ground (for the dashboards). */
  findings: Record<string, { applies: boolean; ground?: string; source: Finding['source'] }>;
  /** The current minutes: who spoke, who has answered for this version. */
  meeting: { minutesVersion: number; meetingType: string; meetingDate: string; speakers: string[]; answered: string[] } | null;
  imported: { open: boolean; startedOn: string } | null;
  suspended: boolean;
  /** The catalogue item it carries out; absent when none (summaries of older decisions stay as they were). */
  catalogue?: { itemId: string; year: number };
}

/** What one projection writes: the summary at `summary.seq`, and the audit events and records since the last one. */
export interface ProjectionDelta {
  summary: DecisionSummary;
  audit: AuditEvent[];
  records: StepRecord[];
  /** Who to tell about this change, queued with it for the notifier (activities/change-notifier.ts). */
  notify?: { since: number; minutesRecorded: boolean };
}

/**
 * Who to tell after the change projected at `seq`: steps enabled since `since`, and speakers when
 * new minutes were recorded. The activity reads the summary the projection wrote.
 */
export interface NotifyInput {
  decisionId: string;
  seq: number;
  since: number;
  minutesRecorded: boolean;
}

/** What an accepted act answers: small, because it is kept in the history; the API queries the view. */
export interface ActResult {
  decisionId: string;
  seq: number;
  status: DecisionView['status'];
  currentSteps: string[];
  /** The same person repeated an act that had already taken effect. */
  repeated?: boolean;
}
