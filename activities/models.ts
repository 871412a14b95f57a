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

const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    stepId: { type: String },
    role: { type: String },
    kind: { type: String, required: true },
    message: { zh: String, en: String },
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
