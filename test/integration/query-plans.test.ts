/**
 * Every query path has an index it can use — asked of the store itself. Each query below is the
 * shape a route or activity sends (named beside it); with a few thousand documents in each
 * collection, the store's own plan (`explain`) must read through an index: PostgreSQL's plan under
 * FerretDB names one (the GIN twins of server/ferretdb-gin.sql), MongoDB's has an IXSCAN.
 * FerretDB's SQLite backend has no index a filter can use, so there is nothing to check there.
 */
import crypto from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { bucketToken } from '../../activities/decision-index';
import { connectStore, readsWholeCollections, type Models } from '../../activities/models';
import { titleGrams } from '../../activities/title-grams';
import { readSuiteState } from '../support/suite-state';

const suite = readSuiteState();
const onSqlite = suite.storeBackend === 'sqlite';
let conn: Connection;
let models: Models;

const N = 3000;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000);

/**
 * Inserted as given, without hydrating mongoose documents: the seed is 66,000 documents, and
 * hydrated ones held the Jest worker's heap over a gigabyte (it once ran out beside other files).
 */
const LEAN = { lean: true } as const;

/** A store shaped like one in use: many decisions, people and notices, each filter selective. */
async function seed() {
  ({ conn, models } = await connectStore(suite.mongoUri, `test_plans_${crypto.randomBytes(4).toString('hex')}`));
  const m = models;
  await Promise.all([
    m.Decision.insertMany(
      range(N).map((i) => ({
        _id: `D${i}`,
        seq: 1,
        title: `事项${i}`,
        titleGrams: titleGrams(`事项${i}`),
        agency: `机关${i % 40}`,
        draftingUnit: `局${i % 90}`,
        category: 'public-policy',
        status: i % 50 === 0 ? 'incident' : i % 3 ? 'completed' : 'in-progress',
        currentSteps: i % 3 ? [] : [`step${i % 30}`],
        currentKinds: i % 3 ? [] : [`kind${i % 30}`],
        overdue: i % 97 === 0,
        listBuckets: [bucketToken(6, i >> 6), bucketToken(10, i >> 10), bucketToken(14, 0)],
        createdAt: at(i),
        updatedAt: at(i),
        catalogueItem: i % 5 ? null : `cat-${i % 40}-2026-${i % 30}`,
      })),
      LEAN,
    ),
    m.NotifyJob.insertMany(range(N).map((i) => ({ _id: `D${i % 300}:${i}`, decisionId: `D${i % 300}`, seq: i, since: i, status: i % 50 ? 'claimed' : 'pending', createdAt: at(i) })), LEAN),
    m.AuditEvent.insertMany(range(N).map((i) => ({ _id: `D${i % 300}:${i}`, decisionId: `D${i % 300}`, at: at(i), seq: i, actor: ['a', 'b', 'c'][i % 3] + (i % 97), action: 'start', result: i % 7 ? 'accepted' : 'refused', summary: 's', sealed: i >= 20 })), LEAN),
    m.LiveMark.insertMany(range(N).map((i) => ({ _id: `live:${i}`, n: i, page: i >> 6, decisionId: `D${i % 300}`, at: at(i) })), LEAN),
    m.StepRecord.insertMany(range(N).map((i) => ({ _id: `R${i}`, decisionId: `D${i % 300}`, seq: i, elementId: 'e', kind: 'k', action: 'complete', actor: 'a', at: at(i), visit: 1 })), LEAN),
    m.Draft.insertMany(range(N).map((i) => ({ _id: `D${i % 300}:${i}`, decisionId: `D${i % 300}`, hash: `${i}`, title: 't', content: 'c', createdAt: at(i), createdBy: 'a' })), LEAN),
    m.Notification.insertMany(
      range(N).map((i) => ({ _id: `N${i}`, recipient: `u${i % 100}`, decisionId: `D${i % 300}`, kind: 'step-enabled', message: { zh: 'z', en: 'e' }, createdAt: at(i), readAt: i % 20 ? at(i) : null, unread: i % 20 === 0, page: i >> 7, outbox: i % 100 === 0 ? 'pending' : null, email: { status: i % 100 === 0 ? 'pending' : 'none' } })),
      LEAN,
    ),
    m.Participant.insertMany(range(N).map((i) => ({ _id: `P${i}`, decisionId: `D${i % 300}`, username: `u${i % 100}`, name: 'n', role: 'legal-adviser', purpose: 'early-intervention', invitedBy: 'a', invitedAt: at(i) })), LEAN),
    m.Comment.insertMany(range(N).map((i) => ({ _id: `C${i}`, decisionId: `D${i % 300}`, draftVersion: 1 + (i % 3), author: 'a', authorName: 'n', role: 'legal-adviser', text: 't', createdAt: at(i) })), LEAN),
    m.Opinion.insertMany(range(N).map((i) => ({ _id: `O${i}`, decisionId: `D${i % 300}`, draftVersion: 1 + (i % 3), author: 'a', authorName: 'n', capacity: 'legal-adviser', opinion: 'o', createdAt: at(i) })), LEAN),
    m.Session.insertMany(range(N).map((i) => ({ _id: `S${i}`, username: `u${i % 300}`, csrfToken: 'c', createdAt: at(i), lastSeenAt: at(i), expiresAt: at(i + 720) })), LEAN),
    m.SecurityEvent.insertMany(range(N).map((i) => ({ _id: `E${i}`, at: at(i), kind: 'login', username: `u${i % 300}`, page: i >> 6, sealed: true })), LEAN),
    m.User.insertMany(range(N).map((i) => ({ _id: `u${i}`, name: 'n', roles: [`role${i % 60}`], orgId: `org${i % 200}`, passwordHash: 'h', createdAt: at(i), passwordChangedAt: at(i) })), LEAN),
    m.Organisation.insertMany(range(N).map((i) => ({ _id: `org${i}`, kind: ['agency', 'department', 'secretariat'][i % 3], name: `单位${i}`, agencyId: `org${i % 500}`, createdAt: at(i) })), LEAN),
    m.Counter.insertMany(range(N).map((i) => ({ _id: `inbox:u${i}`, seq: i, unread: 1 })), LEAN),
    m.ComplianceEntry.insertMany(
      range(N).map((i) => ({ _id: `D${i}`, seq: 1, ay: `2026|机关${i % 40}`, agency: `机关${i % 40}`, year: 2026, title: 't', draftingUnit: 'd', status: 's', createdAt: at(i), updatedAt: at(i), month: `2026-${String(1 + (i % 12)).padStart(2, '0')}`, keys: [`2026|机关${i % 40}|started`, `2026|机关${i % 40}|k|kind${i % 16}|done`], refused: [`2026|机关${i % 40}|ref|statutory${i % 30}`], fold: {} })),
      LEAN,
    ),
    m.ComplianceCount.insertMany(range(N).map((i) => ({ _id: `${2000 + (i % 100)}|机关${i}`, agency: `机关${i}`, year: 2000 + (i % 100), counts: { started: 1 } })), LEAN),
    m.Urging.insertMany(
      range(N).map((i) => ({ _id: `U${i}`, decisionId: `D${i % 300}`, agency: `机关${i % 40}`, title: 't', kind: 'irregular', responsibleRole: 'department', responsibleUnit: 'u', reason: 'r', expected: 'e', replyBy: '2026-01-01', sentBy: 's', sentByName: 's', sentAt: at(i), year: 2026, status: i % 3 ? 'answered' : 'open' })),
      LEAN,
    ),
    m.Catalogue.insertMany(range(N).map((i) => ({ _id: `org${i % 500}-${2000 + (i % 90)}`, agencyId: `org${i % 500}`, agency: `机关${i % 500}`, year: 2000 + (i % 90), draftVersion: 1, createdAt: at(i), updatedAt: at(i) })), LEAN),
    m.OpinionNumber.insertMany(range(N).map((i) => ({ _id: `D${i % 300}:${i}`, decisionId: `D${i % 300}`, agency: `机关${i % 40}`, year: 2026, number: i, createdAt: at(i) })), LEAN),
  ]);
  // The hash chains (activities/audit-chain.ts): nearly everything sealed, the sealer's queue short.
  const h = { sm3: '0'.repeat(64), sha256: '0'.repeat(64) };
  await m.AuditLink.insertMany(range(N).map((i) => ({ _id: `L${i}`, chain: i % 2 ? 'system' : `decision:D${i % 300}`, seq: i, page: i >> 8, claim: `C${i}`, ref: `audit_events/D${i}`, sealedAt: at(i), digest: h, prev: h, hash: h })), LEAN);
  // Sealed as inserted (not by a later updateMany): the planner's statistics then see the real spread,
  // as they do in a store in use, rather than a moment when every event looked unsealed.
  await m.Definition.insertMany(range(N).map((i) => ({ _id: `H${i}`, key: 'k', version: `${i}`, xml: '<x/>', storedAt: at(i), sealed: i % 100 !== 0 })), LEAN);
}

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

/** Whether a plan (PostgreSQL's under FerretDB, or MongoDB's) reads through an index, and which. */
function indexUsed(plan: unknown): string | null {
  if (!plan || typeof plan !== 'object') return null;
  const node = plan as Record<string, unknown>;
  if (typeof node['Index Name'] === 'string') return node['Index Name'];
  if (node.stage === 'IXSCAN' || node.stage === 'IDHACK' || node.stage === 'EXPRESS_IXSCAN') return String(node.indexName ?? node.stage);
  for (const v of Object.values(node)) {
    const found = Array.isArray(v) ? v.map(indexUsed).find(Boolean) : indexUsed(v);
    if (found) return found;
  }
  return null;
}

type AnyModel = Model<never>;
/** [where it is used, model, filter, sort]. */
const paths: [string, (m: Models) => AnyModel, Record<string, unknown>, Record<string, 1 | -1>?][] = [
  ['a decision by id (access, desk, projection)', (m) => m.Decision as never, { _id: 'D1234' }],
  ['the notifier claiming the oldest pending change', (m) => m.NotifyJob as never, { status: 'pending' }, { createdAt: 1 }],
  ["a decision's audit trail (GET …/audit)", (m) => m.AuditEvent as never, { decisionId: 'D42' }, { at: 1, seq: 1 }],
  ["a decision's step records", (m) => m.StepRecord as never, { decisionId: 'D42' }, { seq: 1 }],
  ["a decision's drafts", (m) => m.Draft as never, { decisionId: 'D42' }],
  ["a decision's people (GET …/participants)", (m) => m.Participant as never, { decisionId: 'D42' }, { invitedAt: 1 }],
  ["one person's attachment to a decision (access)", (m) => m.Participant as never, { decisionId: 'D42', username: 'u42' }],
  ['the decisions a person is attached to (list scope)', (m) => m.Participant as never, { username: 'u42' }],
  ["a draft version's comments", (m) => m.Comment as never, { decisionId: 'D42', draftVersion: 2 }, { createdAt: 1 }],
  ["a decision's opinions (GET …/opinions, Art. 28 check)", (m) => m.Opinion as never, { decisionId: 'D42', draftVersion: 1 }, { createdAt: 1 }],
  ['the bell: one page of a person\'s inbox', (m) => m.Notification as never, { recipient: 'u7', page: 3 }, { createdAt: -1 }],
  ["a person's unread notifications (unread only, read all)", (m) => m.Notification as never, { recipient: 'u7', unread: true }, { createdAt: -1 }],
  ["a person's inbox counters", (m) => m.Counter as never, { _id: 'inbox:u7' }],
  ['the e-mail outbox', (m) => m.Notification as never, { outbox: 'pending', 'email.status': 'pending' }, { createdAt: 1 }],
  ['a session by id (every request)', (m) => m.Session as never, { _id: 'S77' }],
  ["a person's sessions (password change, disable)", (m) => m.Session as never, { username: 'u77' }],
  ['one page of the security log', (m) => m.SecurityEvent as never, { page: 7 }, { at: -1 }],
  ["a person's security events", (m) => m.SecurityEvent as never, { username: 'u7' }, { at: -1 }],
  ['the list: one agency', (m) => m.Decision as never, { agency: '机关7' }, { updatedAt: -1 }],
  ['the list: one status', (m) => m.Decision as never, { status: 'incident' }, { updatedAt: -1 }],
  ['the list: a current step', (m) => m.Decision as never, { currentSteps: 'step3' }, { updatedAt: -1 }],
  ['the list: overdue', (m) => m.Decision as never, { overdue: true }, { updatedAt: -1 }],
  ['the list: a title search asks for one gram first', (m) => m.Decision as never, { titleGrams: '98', title: { $regex: '298' } }],
  ['the list: a common word, one bucket at a time', (m) => m.Decision as never, { titleGrams: '事项', listBuckets: bucketToken(6, 20), title: { $regex: '事项' } }],
  ['the list: one recency bucket', (m) => m.Decision as never, { listBuckets: bucketToken(6, 20) }, { updatedAt: -1 }],
  ['the desk: at a step kind, of one agency', (m) => m.Decision as never, { currentKinds: 'kind3', agency: '机关3' }],
  ['the due-soon sweep: in progress at a step kind', (m) => m.Decision as never, { status: 'in-progress', currentKinds: 'kind3' }],
  ['holders of a role (notifications)', (m) => m.User as never, { roles: 'role7', disabled: { $ne: true } }],
  ['the members of an organisation', (m) => m.User as never, { orgId: 'org7' }],
  ["an agency's departments (new decision)", (m) => m.Organisation as never, { kind: 'department', agencyId: 'org7' }],
  ['an agency by name (the meeting roster)', (m) => m.Organisation as never, { kind: 'agency', name: '单位9' }],
  ['the security log: one kind', (m) => m.SecurityEvent as never, { kind: 'forbidden' }, { at: -1 }],
  ["the indicators: a year's catalogues", (m) => m.Catalogue as never, { year: 2026, agency: { $in: ['机关7', '机关8'] } }],
  ["the dashboard: an agency-year's counts", (m) => m.ComplianceCount as never, { _id: '2026|机关7' }],
  ['the dashboard: the years counted', (m) => m.ComplianceCount as never, { year: 2026 }],
  ['the decisions behind a figure', (m) => m.ComplianceEntry as never, { keys: '2026|机关7|k|kind7|done' }, { updatedAt: -1 }],
  ['a large figure, one month of it', (m) => m.ComplianceEntry as never, { keys: '2026|机关7|k|kind7|done', month: '2026-03' }],
  ['the decisions behind a refusal figure', (m) => m.ComplianceEntry as never, { refused: '2026|机关7|ref|statutory7' }, { updatedAt: -1 }],
  ['my work, 待办: my agency\'s decisions in progress', (m) => m.Decision as never, { agency: '机关7', status: 'in-progress' }],
  ['my work, 已办: what I did', (m) => m.AuditEvent as never, { actor: 'a7', result: 'accepted' }, { at: -1 }],
  ['my work, 我发起的: my unit\'s decisions', (m) => m.Decision as never, { draftingUnit: '局7' }, { updatedAt: -1 }],
  ['live updates: one page of the live feed', (m) => m.LiveMark as never, { page: 3 }],
  ['live updates: a bucket of the newest decisions', (m) => m.Decision as never, { listBuckets: bucketToken(6, 46) }],
  ["the sealer's queue: audit events", (m) => m.AuditEvent as never, { sealed: false }, { at: 1 }],
  ["the sealer's queue: security events", (m) => m.SecurityEvent as never, { sealed: false }, { at: 1 }],
  ["the sealer's queue: definition deployments", (m) => m.Definition as never, { sealed: false }, { storedAt: 1 }],
  ["a decision's chain (…/audit/verify, the proof bundle)", (m) => m.AuditLink as never, { chain: 'decision:D42' }],
  ["a page of the system's chain (audit verify)", (m) => m.AuditLink as never, { chain: 'system', page: 3 }, { seq: 1 }],
  ["an event's link (the sealer's claim, the proof bundle)", (m) => m.AuditLink as never, { claim: 'C77' }],
  ['the decisions carrying out a catalogue item (item standing)', (m) => m.Decision as never, { catalogueItem: 'cat-5-2026-5' }],
  ["a decision's urgings", (m) => m.Urging as never, { decisionId: 'D42' }, { sentAt: 1 }],
  ["an agency's urgings (the dashboard's figures)", (m) => m.Urging as never, { agency: '机关7' }],
  ["an agency's open urgings", (m) => m.Urging as never, { agency: '机关7', status: 'open' }],
  ["a year's catalogues (figures)", (m) => m.Catalogue as never, { year: 2030 }],
  ["an agency's catalogues", (m) => m.Catalogue as never, { agency: '机关7' }],
  ["a decision's legality opinion numbers", (m) => m.OpinionNumber as never, { decisionId: 'D42' }],
];

// One test, in order: a store seeded in beforeAll and explained test by test made FerretDB's
// explain stall under Jest now and then; seeded and explained in one go, it never did.
it('every query path reads through an index; a filter on an unindexed field does not', async () => {
  await seed();
  if (onSqlite) {
    // SQLite's backend has no index a filter can use: the list must know it reads whole collections (server/decision-list.ts).
    expect(readsWholeCollections(models)).toBe(true);
    return;
  }
  const used: [string, string | null][] = [];
  for (const [where, model, filter, sort] of paths) used.push([where, indexUsed(await model(models).collection.find(filter as never, sort ? { sort } : {}).explain())]);
  expect(used.filter(([, index]) => !index)).toEqual([]);
  expect(indexUsed(await models.Decision.collection.find({ category: 'public-policy' }).explain())).toBeNull();
}, 600_000);
