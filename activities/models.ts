/**
 * The read model and document archive (mongoose). Temporal holds the truth; activities
 * write here idempotently, keyed by deterministic ids, so a retried activity writes nothing twice.
 * Only features both MongoDB and FerretDB support are used: no transactions, no $lookup.
 *
 * Indexes: every query path has one, declared here and built at start-up. FerretDB 1.24 (on
 * PostgreSQL) filters in SQL only by equality on top-level fields, then sorts, skips, limits and
 * counts in its own code over every document that matched — so each hot query filters by
 * equality on fields that match few documents (a decision, a person, a list bucket), and counts
 * come from counters. Compound indexes list their equality fields first and their sort field
 * last: server/ferretdb-gin.sql gives the equality fields the GIN index FerretDB's SQL can use.
 */
import mongoose, { Schema, type Connection } from 'mongoose';
import { upgradeReadModel } from './read-model-upgrade';

const json = { versionKey: false, minimize: false } as const;

/**
 * The hash chains' fields on every sealed kind of event (audit events, security events, definition
 * deployments; activities/audit-chain.ts): written unsealed by any writer, then linked by the
 * sealer, which keeps here a copy of the event's links — the ledger (`audit_links`) is the authority.
 */
const sealFields = {
  sealed: { type: Boolean, default: false },
  seal: { type: Schema.Types.Mixed },
};

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
    /**
     * The decision's summary at `seq` (workflows/summary.ts): open steps with their due dates,
     * draft versions, findings, the meeting's confirmations — what queues, reminders and
     * notifications read. A few KB; the whole view is the workflow's query, never stored.
     */
    summary: { type: Schema.Types.Mixed },
    /** The title's characters and pairs of characters, what a title search asks first (activities/title-grams.ts). */
    titleGrams: { type: [String], default: undefined },
    /** The list's recency buckets of this decision's place in the list (activities/decision-index.ts). */
    listBuckets: { type: [String], default: undefined },
    /** The facets the per-agency counts hold this decision under (activities/decision-index.ts). */
    countedAs: { type: String, default: null },
    /** The annual catalogue item it carries out (Art. 3(3)), from its summary; null when none. */
    catalogueItem: { type: String, default: null },
  },
  json,
);
// The list's filters, each with the list's order; the list pages by listBuckets.
decisionSchema.index({ agency: 1, updatedAt: -1 });
decisionSchema.index({ status: 1, updatedAt: -1 });
decisionSchema.index({ currentSteps: 1, updatedAt: -1 });
decisionSchema.index({ currentKinds: 1, updatedAt: -1 });
decisionSchema.index({ overdue: 1, updatedAt: -1 });
decisionSchema.index({ listBuckets: 1, updatedAt: -1 });
/** 我发起的: a department's own decisions (server/my-work.ts). */
decisionSchema.index({ draftingUnit: 1, updatedAt: -1 });
/** The decisions carrying out one catalogue item (activities/catalogue.ts). */
decisionSchema.index({ catalogueItem: 1 });
/** The title search's first question: one gram of what was typed (activities/title-grams.ts). */
decisionSchema.index({ titleGrams: 1 });

const auditSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
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
    ...sealFields,
  },
  json,
);
/** A decision's audit trail, in order (GET /api/decisions/:id/audit). */
auditSchema.index({ decisionId: 1, at: 1 });
/** 已办: what one person did (server/my-work.ts), newest first. */
auditSchema.index({ actor: 1, result: 1, at: -1 });
/** The sealer's queue (activities/audit-chain.ts). */
auditSchema.index({ sealed: 1, at: 1 });

const recordSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
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

recordSchema.index({ decisionId: 1, seq: 1 });
/** The portal's published decisions: completed publication records (server/portal/publications.ts). */
recordSchema.index({ kind: 1, action: 1 });

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
    /** A version uploaded as a Word document: the original file (in GridFS), whose text this is. */
    original: { type: { fileId: String, filename: String, size: Number, sha256: String, contentType: String }, default: undefined },
  },
  json,
);

const archiveSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
    sealedAt: { type: Date, required: true },
    dossier: { type: Schema.Types.Mixed, required: true },
    /** The archive package's own hashes, recorded the first time it is built (activities/archive-package.ts): every later build must match. */
    package: { type: Schema.Types.Mixed, default: null },
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
    /** Not yet read (readAt null): a filter FerretDB can use, which `readAt: null` is not. */
    unread: { type: Boolean, default: true },
    /** The recipient's inbox page (activities/inbox.ts): the bell reads the newest pages only. */
    page: { type: Number },
    /** The e-mail outbox state while there is something to do: pending or sending, else null (server/mailer.ts). */
    outbox: { type: String, enum: ['pending', 'sending', null], default: null },
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
notificationSchema.index({ recipient: 1, page: 1, createdAt: -1 });
notificationSchema.index({ recipient: 1, unread: 1, createdAt: -1 });
notificationSchema.index({ outbox: 1, createdAt: 1 });

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
organisationSchema.index({ kind: 1, agencyId: 1 });
organisationSchema.index({ kind: 1, name: 1 });

const userSchema = new Schema(
  {
    /** The login name. */
    _id: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], required: true, index: true },
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
    /** Its page in the log (activities/paged-log.ts): the newest events are read page by page. */
    page: { type: Number },
    ...sealFields,
  },
  json,
);
securityEventSchema.index({ page: 1, at: -1 });
securityEventSchema.index({ sealed: 1, at: 1 });
securityEventSchema.index({ username: 1, at: -1 });
/** The security log filtered by kind (server/security-log.ts). */
securityEventSchema.index({ kind: 1, at: -1 });

/**
 * People attached to one decision: legal advisers intervening early (提前介入), experts invited to
 * review, invitees to the meeting. Key `${decisionId}:${username}:${purpose}`.
 */
const participantSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
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
participantSchema.index({ decisionId: 1, invitedAt: 1 });

/** Comments on a draft version (early intervention), optionally anchored to a quoted passage. */
const commentSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
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
commentSchema.index({ decisionId: 1, draftVersion: 1, createdAt: 1 });

/**
 * A legal adviser's, government lawyer's or expert's own signed opinion on a draft version
 * (Decree 713 Art. 28 / Art. 20); the legality review and expert review forms take them in.
 */
const opinionSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
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
opinionSchema.index({ decisionId: 1, draftVersion: 1, createdAt: 1 });

/**
 * Changes waiting to be announced (activities/change-notifier.ts): the projection queues one per
 * change with its summary written, a notifier claims it, tells people and removes it. Key
 * `${decisionId}:${seq}`, so a retried projection queues nothing twice.
 */
const notifyJobSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
    seq: { type: Number, required: true },
    since: { type: Number, required: true },
    minutesRecorded: { type: Boolean, default: false },
    status: { type: String, enum: ['pending', 'claimed'], default: 'pending' },
    claimedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  json,
);
notifyJobSchema.index({ status: 1, createdAt: 1 });

/**
 * The live feed (activities/live-feed.ts): one small mark per change that open pages must hear of
 * and the decisions' list places do not carry — a refused attempt or an API-written act on a
 * decision, a person's inbox changing. Numbered by a sequence, on pages of 64, so each API
 * instance's watcher reads only the newest page by equality; old pages are deleted as it grows.
 */
const liveMarkSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true },
    page: { type: Number, required: true },
    decisionId: { type: String },
    username: { type: String },
    at: { type: Date, required: true },
  },
  json,
);
liveMarkSchema.index({ page: 1, n: 1 });

/** Every definition version a decision has started with, by hash, so its diagram is never lost. */
const definitionSchema = new Schema(
  { _id: { type: String, required: true }, key: String, version: String, name: String, xml: { type: String, required: true }, storedAt: Date, ...sealFields },
  json,
);
definitionSchema.index({ sealed: 1, storedAt: 1 });

/**
 * The hash chains' ledger (activities/audit-chain.ts, audit-hash.ts): one link per position of a
 * chain, `_id` "<chain>#<seq>". A position is taken by inserting its link, and the unique `claim`
 * ("<chain>@<collection>/<event id>") lets an event into a chain once: the store's unique keys
 * settle every race between sealers, with no transaction and no read-modify-write.
 */
const auditLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    chain: { type: String, required: true },
    seq: { type: Number, required: true },
    /** floor(seq / LINK_PAGE_SIZE): a chain is read page by page. */
    page: { type: Number, required: true },
    claim: { type: String, required: true },
    ref: { type: String, required: true },
    sealedAt: { type: Date, required: true },
    digest: { sm3: String, sha256: String },
    prev: { sm3: String, sha256: String },
    hash: { sm3: String, sha256: String },
    fields: { type: Schema.Types.Mixed },
  },
  json,
);
auditLinkSchema.index({ claim: 1 }, { unique: true });
auditLinkSchema.index({ chain: 1, page: 1, seq: 1 });

/**
 * Sequence numbers (and an inbox's unread count) kept beside what they number: one document
 * per sequence, advanced by $inc in turn (activities/in-turn.ts; paged-log.ts, inbox.ts).
 */
const counterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, default: 0 }, unread: { type: Number } }, json);

/** A writer's turn at a document on FerretDB (activities/in-turn.ts): held while it exists, until `until` at most. */
const leaseSchema = new Schema({ _id: { type: String, required: true }, holder: { type: String, required: true }, until: { type: Date, required: true } }, json);

/**
 * Per agency (_id: its name): how many decisions there are by status, overdue and current step,
 * so lists and their counts never count documents (activities/decision-index.ts).
 */
const decisionCountSchema = new Schema({ _id: { type: String, required: true }, counts: { type: Schema.Types.Mixed, default: {} } }, json);

/**
 * One decision as the supervision dashboard counts it (activities/compliance.ts): its count keys
 * (prefixed with its agency and year, so a drill-down is one equality filter), what was folded
 * from its records and audit events up to `seq`, and the refusal classes it has met.
 */
const complianceEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    /** The counts document it is counted in: `${year}|${agency}`. */
    ay: { type: String, required: true },
    agency: { type: String, required: true },
    year: { type: Number, required: true },
    title: { type: String, required: true },
    draftingUnit: { type: String, required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** updatedAt's month (UTC, YYYY-MM): a drill-down reads a large figure month by month. */
    month: { type: String },
    keys: { type: [String], default: [] },
    /** Refusal classes met, `${ay}|ref|${class}` — added by the API as it records a refusal. */
    refused: { type: [String], default: [] },
    fold: { type: Schema.Types.Mixed, default: {} },
  },
  json,
);
complianceEntrySchema.index({ keys: 1, updatedAt: -1 });
complianceEntrySchema.index({ refused: 1, updatedAt: -1 });
complianceEntrySchema.index({ month: 1, updatedAt: -1 });

/** Per agency and year (_id `${year}|${agency}`): how many decisions hold each compliance key. */
const complianceCountSchema = new Schema(
  { _id: { type: String, required: true }, agency: { type: String, required: true }, year: { type: Number, required: true }, counts: { type: Schema.Types.Mixed, default: {} } },
  json,
);
complianceCountSchema.index({ year: 1, agency: 1 });

/**
 * A consultation as the public portal shows it (server/portal/), projected by the API from the
 * decision's view: the workflow holds the truth (opened when, closes on, shortened why). Key
 * `${decisionId}-${consultationId}`, the portal's address of it.
 */
const publicConsultationSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
    consultationId: { type: String, required: true },
    /** Every published consultation is listed (an equality FerretDB filters on). */
    listed: { type: Boolean, default: true },
    title: { type: String, required: true },
    agency: { type: String, required: true },
    draftingUnit: { type: String, required: true },
    draft: { version: Number, hash: String, title: String },
    explanation: { type: String, default: '' },
    channel: { type: String, required: true },
    noticeUrl: { type: String, default: null },
    opensOn: { type: String, required: true },
    openedAt: { type: Date, required: true },
    closesOn: { type: String, required: true },
    /** The end of closesOn (24:00 China time): an opinion arriving from then on is refused. */
    closesAt: { type: Date, required: true },
    shorteningReason: { type: String, default: null },
    requires: { name: { type: Boolean, default: false }, contact: { type: Boolean, default: false } },
    imported: { type: Boolean, default: false },
    /** Public participation completed: the answers are final and went to the decision body. */
    reportedAt: { type: Date, default: null },
    publishedAt: { type: Date, required: true },
  },
  json,
);
publicConsultationSchema.index({ listed: 1, openedAt: -1 });
publicConsultationSchema.index({ decisionId: 1 });

/**
 * One opinion from the public, stored as it arrives (never through the workflow), insert-once by
 * its receipt number, with the drafting unit's answer (Art. 18). `receivedAt` is when the request
 * arrived, which the deadline is judged by.
 */
const publicOpinionSchema = new Schema(
  {
    _id: { type: String, required: true },
    consultationKey: { type: String, required: true },
    decisionId: { type: String, required: true },
    consultationId: { type: String, required: true },
    name: { type: String, default: null },
    contact: { type: String, default: null },
    /** The article of the draft it addresses (第X条), null for the draft as a whole. */
    clause: { type: Number, default: null },
    text: { type: String, required: true },
    attachments: { type: [{ fileId: String, filename: String, size: Number, sha256: String, contentType: String }], default: [] },
    /** sha256 of what was submitted: a retry with the same submission key must carry the same. */
    contentHash: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    answer: {
      type: new Schema({ decision: { type: String, enum: ['adopted', 'partly-adopted', 'not-adopted'], required: true }, reason: { type: String, required: true }, by: String, at: Date }, { _id: false, versionKey: false }),
      default: null,
    },
  },
  json,
);
publicOpinionSchema.index({ consultationKey: 1, receivedAt: 1 });

/** A hearing as the portal shows it, projected from the decision's view (key `${decisionId}-${hearingId}`). */
const publicHearingSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
    hearingId: { type: String, required: true },
    listed: { type: Boolean, default: true },
    title: { type: String, required: true },
    agency: { type: String, required: true },
    draftingUnit: { type: String, required: true },
    scheduledOn: { type: String, required: true },
    startsAt: { type: String, required: true },
    place: { type: String, required: true },
    selectionMethod: { type: String, required: true },
    participants: { type: [{ name: String, represents: String, _id: false }], default: [] },
    announcedOn: { type: String, required: true },
    participantsPublishedOn: { type: String, default: null },
    materialsDeliveredOn: { type: String, default: null },
    recordFiled: { type: Boolean, default: false },
    cancelled: { type: String, default: null },
  },
  json,
);
publicHearingSchema.index({ listed: 1, scheduledOn: -1 });

/**
 * The portal's per-address rate limit: one document per admitted submission, `${address}:${window}:${n}`
 * for n = 1…limit. A unique key is the one write both MongoDB and FerretDB make atomic across API
 * processes (FerretDB 1.x applies $inc without isolation), so the (limit+1)-th cannot get in.
 */
const portalSlotSchema = new Schema({ _id: { type: String, required: true }, window: { type: Number, required: true } }, json);
portalSlotSchema.index({ window: 1 });

/** The portal's settings shared by every API process (the form-token key), insert-once. */
const portalSettingSchema = new Schema({ _id: { type: String, required: true }, value: { type: String, required: true }, createdAt: Date }, json);

const probeSchema = new Schema({ _id: { type: String, required: true }, note: String, writtenAt: Date }, json);

/**
 * 督办: a supervisor's urging notice on an overdue or irregular decision, sent to the unit
 * responsible (the role that must act), and that unit's answer (activities/urging.ts).
 */
const urgingSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true },
    agency: { type: String, required: true },
    title: { type: String, required: true },
    /** overdue: a step or the archive handover is late; irregular: a procedural irregularity the supervisor names. */
    kind: { type: String, enum: ['overdue', 'irregular'], required: true },
    stepId: { type: String, default: null },
    /** The role that must answer, and the unit's name as the notice addresses it. */
    responsibleRole: { type: String, required: true },
    responsibleUnit: { type: String, required: true },
    reason: { type: String, required: true },
    expected: { type: String, required: true },
    replyBy: { type: String, required: true },
    sentBy: { type: String, required: true },
    sentByName: { type: String, required: true },
    sentAt: { type: Date, required: true },
    year: { type: Number, required: true },
    status: { type: String, enum: ['open', 'answered'], required: true },
    answer: {
      type: new Schema({ text: String, attachmentId: { type: String, default: null }, filename: { type: String, default: null }, by: String, at: Date }, { _id: false }),
      default: null,
    },
  },
  json,
);
urgingSchema.index({ decisionId: 1, sentAt: 1 });
urgingSchema.index({ agency: 1, status: 1 });

/**
 * An agency's annual decision catalogue (决策事项目录, Decree 713 Art. 3(3), Ningxia Decree 115
 * Art. 4), `${agencyId}-${year}`: the working draft with the Party committee's consent to exactly
 * its content, and the version last published; every published version is kept apart.
 */
const catalogueSchema = new Schema(
  {
    _id: { type: String, required: true },
    agencyId: { type: String, required: true },
    agency: { type: String, required: true },
    year: { type: Number, required: true },
    /** The version the draft will publish as (1, then one more per adjustment). */
    draftVersion: { type: Number, required: true },
    /** null once the draft has been published and no adjustment is open. */
    draft: { type: Schema.Types.Mixed, default: null },
    published: { type: Number, default: 0 },
    publishedAt: { type: Date, default: null },
    nextItem: { type: Number, default: 1 },
    /** What was done to it and what was refused (activities/catalogue.ts CatalogueEvent), oldest first. */
    history: { type: [Schema.Types.Mixed], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  json,
);
catalogueSchema.index({ agency: 1 });
catalogueSchema.index({ year: 1 });

/** One published version of a catalogue, `${catalogueId}:v${n}`, never changed once written. */
const catalogueVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    catalogueId: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    items: { type: Schema.Types.Mixed, required: true },
    contentHash: { type: String, required: true },
    consent: { type: Schema.Types.Mixed, required: true },
    adjustment: { type: Schema.Types.Mixed, default: null },
    publishedAt: { type: Date, required: true },
    publishedBy: { type: String, required: true },
  },
  json,
);

/** 合法性审查意见书 numbers, `${decisionId}:${recordSeq}` → 〔year〕第N号 of the agency and year, assigned once. */
const opinionNumberSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionId: { type: String, required: true, index: true },
    agency: { type: String, required: true },
    year: { type: Number, required: true },
    number: { type: Number, default: null },
    createdAt: { type: Date, required: true },
  },
  json,
);

/** Models bound to one connection (the API and the worker each open their own). */
export function createModels(conn: Connection) {
  return {
    Decision: conn.model('Decision', decisionSchema, 'decisions'),
    AuditEvent: conn.model('AuditEvent', auditSchema, 'audit_events'),
    StepRecord: conn.model('StepRecord', recordSchema, 'step_records'),
    Draft: conn.model('Draft', draftSchema, 'drafts'),
    Archive: conn.model('Archive', archiveSchema, 'archives'),
    Notification: conn.model('Notification', notificationSchema, 'notifications'),
    NotifyJob: conn.model('NotifyJob', notifyJobSchema, 'notify_jobs'),
    LiveMark: conn.model('LiveMark', liveMarkSchema, 'live_marks'),
    Organisation: conn.model('Organisation', organisationSchema, 'organisations'),
    User: conn.model('User', userSchema, 'users'),
    Session: conn.model('Session', sessionSchema, 'sessions'),
    LoginThrottle: conn.model('LoginThrottle', loginThrottleSchema, 'login_throttle'),
    SecurityEvent: conn.model('SecurityEvent', securityEventSchema, 'security_events'),
    Participant: conn.model('Participant', participantSchema, 'participants'),
    Comment: conn.model('Comment', commentSchema, 'draft_comments'),
    Opinion: conn.model('Opinion', opinionSchema, 'opinions'),
    Definition: conn.model('Definition', definitionSchema, 'definitions'),
    AuditLink: conn.model('AuditLink', auditLinkSchema, 'audit_links'),
    Counter: conn.model('Counter', counterSchema, 'counters'),
    Lease: conn.model('Lease', leaseSchema, 'leases'),
    DecisionCount: conn.model('DecisionCount', decisionCountSchema, 'decision_counts'),
    ComplianceEntry: conn.model('ComplianceEntry', complianceEntrySchema, 'compliance_entries'),
    ComplianceCount: conn.model('ComplianceCount', complianceCountSchema, 'compliance_counts'),
    Urging: conn.model('Urging', urgingSchema, 'urgings'),
    Catalogue: conn.model('Catalogue', catalogueSchema, 'catalogues'),
    CatalogueVersion: conn.model('CatalogueVersion', catalogueVersionSchema, 'catalogue_versions'),
    OpinionNumber: conn.model('OpinionNumber', opinionNumberSchema, 'opinion_numbers'),
    PublicConsultation: conn.model('PublicConsultation', publicConsultationSchema, 'public_consultations'),
    PublicOpinion: conn.model('PublicOpinion', publicOpinionSchema, 'public_opinions'),
    PublicHearing: conn.model('PublicHearing', publicHearingSchema, 'public_hearings'),
    PortalSlot: conn.model('PortalSlot', portalSlotSchema, 'portal_slots'),
    PortalSetting: conn.model('PortalSetting', portalSettingSchema, 'portal_settings'),
    /** Written by the smoke workflow of the foundation test. */
    Probe: conn.model('Probe', probeSchema, 'probes'),
  };
}
export type Models = ReturnType<typeof createModels>;

/** How long an operation waits for a store that cannot be reached before it fails. */
export const STORE_SELECTION_TIMEOUT_MS = 800;

/** Open a connection to the store, build indexes and bring an older store's read model up to date. */
export async function connectStore(uri: string, dbName: string): Promise<{ conn: Connection; models: Models }> {
  // A store that is gone fails an operation within 0.8 s (server/dependency-errors.ts makes it a
  // 503 naming the store) instead of five; the worker's projections retry until it returns. Only a
  // store that cannot be reached waits this long: a known server is selected at once, however busy.
  // Nor does mongoose hold operations while it reconnects (its buffering waits 10 s, then fails).
  const conn = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: STORE_SELECTION_TIMEOUT_MS, bufferCommands: false, autoIndex: false });
  await conn.asPromise();
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  await learnStore(models);
  await upgradeReadModel(models);
  return { conn, models };
}

const wholeCollectionReaders = new WeakSet<object>();
const isolatedUpdaters = new WeakSet<object>();

/**
 * Learn from one query plan whether the store filters through indexes (MongoDB, FerretDB on
 * PostgreSQL) or reads whole collections for anything but an _id lookup (FerretDB on SQLite).
 */
async function learnStore(models: Models): Promise<void> {
  const plan = ((await models.Counter.collection.find({ seq: -1 }).explain()) as { queryPlanner?: Record<string, unknown> }).queryPlanner ?? {};
  if (!('Plan' in plan) && !('winningPlan' in plan)) wholeCollectionReaders.add(models.Counter.db);
  const info = await models.Counter.db.db!.admin().command({ buildInfo: 1 });
  if (!('ferretdbVersion' in info)) isolatedUpdaters.add(models.Counter.db);
}

/**
 * True on MongoDB, which applies each update to a document atomically; false on FerretDB 1.x,
 * whose updates are unisolated read-modify-writes (activities/in-turn.ts takes turns instead).
 */
export function updatesInIsolation(models: Models): boolean {
  return isolatedUpdaters.has(models.Counter.db);
}

/**
 * True on FerretDB's SQLite backend, where every query reads the whole collection: one query is
 * then cheaper than several small ones, so the paged reads (list buckets, inbox pages) ask once.
 */
export function readsWholeCollections(models: Models): boolean {
  return wholeCollectionReaders.has(models.Counter.db);
}

/**
 * Documents by _id, one lookup each, a few at a time: FerretDB runs `_id: {$in: …}` by reading
 * the whole collection, an equality on _id through an index. Missing ones are left out.
 */
export async function findByIds<T>(find: (id: string) => Promise<T | null>, ids: readonly string[]): Promise<T[]> {
  const found: T[] = [];
  for (let i = 0; i < ids.length; i += 16) found.push(...(await Promise.all(ids.slice(i, i + 16).map(find))).filter((d): d is Awaited<T> => d !== null));
  return found;
}

/** MongoDB's duplicate-key error, which FerretDB reports the same way. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
