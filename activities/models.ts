/**
 * The read model and document archive (mongoose). Temporal holds the truth; activities
 * write here idempotently, keyed by deterministic ids, so a retried activity writes nothing twice.
 * Only features both MongoDB and FerretDB support are used: no transactions, no $lookup.
 */
import mongoose, { Schema, type Connection } from 'mongoose';

const json = { versionKey: false, minimize: false } as const;

const decisionSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    title: { type: String, required: true },
    agency: { type: String, required: true },
    draftingUnit: { type: String, required: true },
    category: { type: String, required: true },
    status: { type: String, required: true },
    currentSteps: { type: [String], default: [] },
    /** Step kinds of the current steps, so queues work across definitions. */
    currentKinds: { type: [String], default: [] },
    overdue: { type: Boolean, default: false },
    procedure: { key: String, version: String, hash: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  json,
);

/**
 * The whole query view at `seq`, kept apart from the list fields: list queries then scan small
 * documents (FerretDB on SQLite reads whole documents), and queues read views only for the
 * few decisions they show.
 */
const decisionViewSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, view: { type: Schema.Types.Mixed, required: true } },
  json,
);
decisionSchema.index({ agency: 1, updatedAt: -1 });
decisionSchema.index({ status: 1, updatedAt: -1 });

const auditSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    at: { type: Date, required: true },
    seq: { type: Number },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    stepId: { type: String },
    /** accepted: done by the workflow; refused: rejected by a guard or validation (recorded by the API). */
    result: { type: String, enum: ['accepted', 'refused'], required: true },
    /** Refusals: statutory (a skip attempt), input (a form error), state (already done, not open), authorization. */
    class: { type: String, enum: ['statutory', 'input', 'state', 'authorization'] },
    /** Acts entered through an import (补录): the date they actually happened. */
    occurredOn: { type: String },
    code: { type: String },
    summary: { type: String, required: true },
    reasons: { type: Schema.Types.Mixed },
  },
  json,
);
auditSchema.index({ decisionId: 1, at: 1 });

const recordSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    elementId: { type: String, required: true },
    kind: { type: String, required: true },
    action: { type: String, required: true },
    actor: { type: String, required: true },
    at: { type: Date, required: true },
    visit: { type: Number, required: true },
    draftVersion: { type: Number, default: null },
    draftHash: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  json,
);

const draftSchema = new Schema(
  {
    /** `${decisionId}:${sha256}` — the same content stored twice is one document. */
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    hash: { type: String, required: true },
    title: { type: String, required: true },
    content: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  json,
);

const archiveSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
    sealedAt: { type: Date, required: true },
    dossier: { type: Schema.Types.Mixed, required: true },
  },
  json,
);

/**
 * One notification for one person (`recipient` is a username), keyed deterministically
 * (`decision:step:visit:kind:recipient`) so a retried activity or sweep notifies nobody twice.
 * `email` is an outbox: the mailer (server/mailer.ts) claims `pending` ones, sends and marks them.
 */
const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    recipient: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    stepId: { type: String },
    role: { type: String },
    kind: { type: String, required: true },
    message: { zh: String, en: String },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
    email: {
      /** pending → sending (claimed by one dispatcher) → sent; back to pending on failure, failed after the last attempt. */
      status: { type: String, enum: ['pending', 'sending', 'sent', 'failed', 'none'], default: 'none' },
      to: { type: String },
      attempts: { type: Number, default: 0 },
      lastError: { type: String },
      /** When a dispatcher last claimed it: a stale claim is released, and retries back off from it. */
      claimedAt: { type: Date },
      sentAt: { type: Date },
    },
  },
  json,
);
notificationSchema.index({ recipient: 1, createdAt: -1 });
notificationSchema.index({ 'email.status': 1 });

/**
 * The organisation: agencies (决策机关) with their head and meeting members, departments
 * (承办单位), the legality review body (合法性审查机构), the secretariat, the legal advisers'
 * pool, supervisors' offices with a jurisdiction, and the expert bank.
 */
export const ORG_KINDS = ['agency', 'department', 'secretariat', 'legality-review-body', 'adviser-pool', 'supervisor-office', 'expert-bank'] as const;
const organisationSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ORG_KINDS, required: true },
    name: { type: String, required: true },
    /** The agency a department, secretariat, review body or adviser pool serves. */
    agencyId: { type: String, default: null },
    /** Agencies only: the head (username) and the members of its executive/plenary meeting. */
    head: { type: String, default: null },
    meetingMembers: { type: [String], default: [] },
    /** Supervisor offices: the agencies they oversee. */
    jurisdiction: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  json,
);

const userSchema = new Schema(
  {
    /** The login name. */
    _id: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], required: true },
    orgId: { type: String, required: true, index: true },
    email: { type: String, default: null },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    /** Legal advisers: 法律顾问 (external adviser) or 公职律师 (government lawyer). */
    lawyerType: { type: String, enum: ['legal-adviser', 'government-lawyer', null], default: null },
    /** Experts in the expert bank. */
    expert: {
      field: { type: String },
      affiliation: { type: String },
      /** Conflict-of-interest declarations: an organisation or party the expert has an interest in. */
      conflicts: { type: [{ party: String, note: String, declaredAt: Date }], default: undefined },
    },
    createdAt: { type: Date, required: true },
    passwordChangedAt: { type: Date, required: true },
  },
  json,
);

/** A login session: the cookie holds a random token, the store only its sha256. */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true, index: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  json,
);

/** Failed-login counters per login name and per client address (key = `user:…` / `ip:…`). */
const loginThrottleSchema = new Schema(
  { _id: { type: String, required: true }, failures: { type: Number, default: 0 }, windowStart: Date, lockedUntil: { type: Date, default: null } },
  json,
);

/** Security events outside any one decision: logins, lock-outs, refusals of non-decision routes. */
const securityEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    kind: { type: String, required: true },
    username: { type: String },
    ip: { type: String },
    route: { type: String },
    /** In Chinese where there is a Chinese text, else as it came; `detailEn` beside it in English. */
    detail: { type: String },
    detailEn: { type: String },
  },
  json,
);
securityEventSchema.index({ at: -1 });

/**
 * People attached to one decision: legal advisers intervening early (提前介入), experts invited to
 * review, invitees to the meeting. Key `${decisionId}:${username}:${purpose}`.
 */
const participantSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    username: { type: String, required: true, index: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    purpose: { type: String, enum: ['early-intervention', 'expert-review', 'meeting'], required: true },
    invitedBy: { type: String, required: true },
    invitedAt: { type: Date, required: true },
    note: { type: String },
  },
  json,
);

/** Comments on a draft version (early intervention), optionally anchored to a quoted passage. */
const commentSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    draftVersion: { type: Number, required: true },
    author: { type: String, required: true },
    authorName: { type: String, required: true },
    role: { type: String, required: true },
    text: { type: String, required: true },
    quote: { type: String, default: null },
    stepIds: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  json,
);

/**
 * A legal adviser's, government lawyer's or expert's own signed opinion on a draft version
 * (Decree 713 Art. 28 / Art. 20); the legality review and expert review forms take them in.
 */
const opinionSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    draftVersion: { type: Number, required: true },
    author: { type: String, required: true },
    authorName: { type: String, required: true },
    capacity: { type: String, enum: ['legal-adviser', 'government-lawyer', 'expert'], required: true },
    opinion: { type: String, required: true },
    legalBases: { type: [String], default: [] },
    /** account: given under the author's own account; signed-document: their signed document, put on file by `recordedBy`. */
    source: { type: String, enum: ['account', 'signed-document'], default: 'account' },
    recordedBy: { type: String },
    /** The signed document (an attachment id) for signed-document opinions. */
    documentId: { type: String, default: null },
    /** sha256 of the opinion text, or of the signed document: what the decision's workflow holds. */
    hash: { type: String },
    noDirectInterest: { type: Boolean },
    createdAt: { type: Date, required: true },
  },
  json,
);

/** Every definition version a decision has started with, by hash, so its diagram is never lost. */
const definitionSchema = new Schema(
  { _id: { type: String, required: true }, key: String, version: String, name: String, xml: { type: String, required: true }, storedAt: Date },
  json,
);

const probeSchema = new Schema({ _id: { type: String, required: true }, note: String, writtenAt: Date }, json);

/** Models bound to one connection (the API and the worker each open their own). */
export function createModels(conn: Connection) {
  return {
    Decision: conn.model('Decision', decisionSchema, 'decisions'),
    DecisionView: conn.model('DecisionView', decisionViewSchema, 'decision_views'),
    AuditEvent: conn.model('AuditEvent', auditSchema, 'audit_events'),
    StepRecord: conn.model('StepRecord', recordSchema, 'step_records'),
    Draft: conn.model('Draft', draftSchema, 'drafts'),
    Archive: conn.model('Archive', archiveSchema, 'archives'),
    Notification: conn.model('Notification', notificationSchema, 'notifications'),
    Organisation: conn.model('Organisation', organisationSchema, 'organisations'),
    User: conn.model('User', userSchema, 'users'),
    Session: conn.model('Session', sessionSchema, 'sessions'),
    LoginThrottle: conn.model('LoginThrottle', loginThrottleSchema, 'login_throttle'),
    SecurityEvent: conn.model('SecurityEvent', securityEventSchema, 'security_events'),
    Participant: conn.model('Participant', participantSchema, 'participants'),
    Comment: conn.model('Comment', commentSchema, 'draft_comments'),
    Opinion: conn.model('Opinion', opinionSchema, 'opinions'),
    Definition: conn.model('Definition', definitionSchema, 'definitions'),
    /** Written by the smoke workflow of the foundation test. */
    Probe: conn.model('Probe', probeSchema, 'probes'),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Open a connection to the store and build indexes once. */
export async function connectStore(uri: string, dbName: string): Promise<{ conn: Connection; models: Models }> {
  const conn = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000, autoIndex: false });
  await conn.asPromise();
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  return { conn, models };
}

/** MongoDB's duplicate-key error, which FerretDB reports the same way. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
