/**
 * The read model's own indexes, on the suite's real store: the decisions list paged by recency
 * buckets and counted by per-agency counts (activities/decision-index.ts, server/decision-list.ts),
 * the inbox paged with its unread count (activities/inbox.ts), and the upgrade of a store written
 * before they existed. Every answer is checked against the plain query it replaces.
 */
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { LIST_SEQ, listBuckets, writeListEntry, type ListDocument } from '../../activities/decision-index';
import { INBOX_PAGE_SIZE, markAllRead, markRead, readInbox } from '../../activities/inbox';
import { connectStore, readsWholeCollections, type Models } from '../../activities/models';
import { insertNotification } from '../../activities/notify';
import { currentSeq } from '../../activities/paged-log';
import { recountAll } from '../../activities/read-model-upgrade';
import { decisionStats, listDecisions, type ListFilter } from '../../server/decision-list';
import { readSuiteState } from '../support/suite-state';

let conn: Connection;
let models: Models;

beforeAll(async () => {
  ({ conn, models } = await connectStore(readSuiteState().mongoUri, `test_read_model_${crypto.randomBytes(4).toString('hex')}`));
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

const AGENCIES = ['银川市人民政府', '石嘴山市人民政府', '吴忠市人民政府'];
const STEPS = ['initiation', 'drafting', 'public_participation', 'legality_review'];
const STATUSES = ['in-progress', 'in-progress', 'in-progress', 'completed', 'incident'];

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const t0 = Date.UTC(2026, 0, 1);
let clock = 0;
function decisionDoc(i: number, r: () => number): ListDocument {
  const status = STATUSES[Math.floor(r() * STATUSES.length)];
  const at = new Date(t0 + ++clock * 60_000);
  return {
    title: `决策事项${i}${i % 7 === 0 ? '（试行）' : ''}`,
    agency: AGENCIES[Math.floor(r() * r() * AGENCIES.length)],
    draftingUnit: '某局',
    category: 'public-policy',
    status,
    currentSteps: status === 'in-progress' ? [STEPS[Math.floor(r() * STEPS.length)], ...(r() < 0.2 ? ['legality_review'] : [])] : [],
    currentKinds: [],
    overdue: status === 'in-progress' && r() < 0.15,
    seq: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The plain answer: every readable decision that matches, sorted, counted. */
async function plainList(agencies: string[], f: ListFilter) {
  const all = await models.Decision.find({}).lean();
  const rows = all
    .filter((d) => agencies.includes(d.agency) && (!f.agency || d.agency === f.agency) && (!f.status || d.status === f.status))
    .filter((d) => (!f.step || d.currentSteps.includes(f.step)) && (f.overdue === undefined || d.overdue === f.overdue) && (!f.q || d.title.includes(f.q)))
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a._id < b._id ? -1 : 1));
  return rows.map((d) => d._id);
}

describe('the decisions list', () => {
  const ids: string[] = [];
  // Small thresholds, so that 240 decisions take the bucket path as 100,000 would, and a title
  // search matching more than 12 stops counting and pages by buckets, as one matching 20,000 would.
  const tuning = { readAtOnce: 5, perBucket: 10, searchCap: 12 };

  beforeAll(async () => {
    const r = rng(7);
    for (let i = 0; i < 240; i++) {
      const id = `D-LIST-${String(i).padStart(3, '0')}`;
      ids.push(id);
      await writeListEntry(models, id, decisionDoc(i, r));
    }
    // Decisions move on: a new state takes a new place and moves the counts; a retried projection of the same state changes neither.
    for (let k = 0; k < 90; k++) {
      const id = ids[Math.floor(r() * ids.length)];
      const before = (await models.Decision.findById(id).lean())!;
      const next = { ...decisionDoc(k, r), agency: before.agency, title: before.title };
      await writeListEntry(models, id, next);
      if (k % 10 === 0) await writeListEntry(models, id, next);
    }
  });

  const scopes = { one: [AGENCIES[0]], two: [AGENCIES[0], AGENCIES[1]], all: AGENCIES };
  const filters: [string, keyof typeof scopes, ListFilter][] = [
    ['everything', 'all', {}],
    ['one agency', 'one', {}],
    ['two agencies of three', 'two', {}],
    ['agency asked within a wider scope', 'all', { agency: AGENCIES[1] }],
    ['in progress at a step', 'all', { status: 'in-progress', step: 'legality_review' }],
    ['overdue', 'two', { overdue: true }],
    ['completed', 'one', { status: 'completed' }],
    ['not overdue, in progress', 'all', { status: 'in-progress', overdue: false }],
    ['a title search', 'all', { q: '事项1' }],
    ['a title search within one agency and status', 'one', { q: '项2', status: 'in-progress' }],
    ['a title search of one character', 'two', { q: '7' }],
    ['a title search across a bracket', 'all', { q: '1（试' }],
    ['a title search of punctuation only', 'all', { q: '（' }],
    ['a title search that nothing matches', 'all', { q: '停车' }],
    ['a title search matching a few, under the cap', 'all', { q: '事项23' }],
    ['a title search matching a few, in a bracket', 'all', { q: '3（试' }],
  ];

  it.each(filters)('pages and counts as the plain query does: %s', async (_name, scope, f) => {
    const expected = await plainList(scopes[scope], f);
    // A search matching more than the cap may stop counting (FerretDB on SQLite reads everything
    // anyway, so it counts): then it says "at least" a number that is more than the cap and no more
    // than the truth. Its pages are the plain query's all the same.
    for (const pageSize of [7, 20]) {
      const pages = Math.ceil(expected.length / pageSize) + 1;
      for (let page = 1; page <= pages; page++) {
        const got = await listDecisions(models, { agencies: scopes[scope], ids: [] }, f, page, pageSize, tuning);
        expect({ page, ids: got.items.map((d) => d._id) }).toEqual({ page, ids: expected.slice((page - 1) * pageSize, page * pageSize) });
        if (got.more) {
          expect(f.q && !readsWholeCollections(models)).toBeTruthy();
          expect(got.total).toBeGreaterThan(tuning.searchCap);
          expect(got.total).toBeLessThanOrEqual(expected.length);
        } else expect(got.total).toBe(expected.length);
      }
    }
  });

  it('covers both sides of the search cap: a common word is not counted to the end, a rarer one is', async () => {
    const common = await listDecisions(models, { agencies: AGENCIES, ids: [] }, { q: '事项' }, 1, 7, tuning);
    const rare = { agencies: AGENCIES, ids: [] };
    const few = await listDecisions(models, rare, { q: '事项23' }, 1, 7, tuning);
    expect(few).toMatchObject({ total: (await plainList(AGENCIES, { q: '事项23' })).length });
    expect(few.more).toBeUndefined();
    if (readsWholeCollections(models)) expect(common.more).toBeUndefined();
    else expect(common).toMatchObject({ more: true, total: expect.any(Number) });
  });

  it('adds decisions read by attachment to the agencies read whole, once each', async () => {
    const other = (await models.Decision.find({ agency: AGENCIES[2] }).lean()).map((d) => d._id).slice(0, 3);
    const expected = [...new Set([...(await plainList([AGENCIES[0]], {})), ...other])];
    const got = await listDecisions(models, { agencies: [AGENCIES[0]], ids: [...other, ids[0]] }, {}, 1, 500, tuning);
    expect(got.total).toBe(expected.length);
    expect(new Set(got.items.map((d) => d._id))).toEqual(new Set(expected));
    const only = await listDecisions(models, { agencies: [AGENCIES[0]], ids: other }, { only: [other[0], 'D-NOT-THERE'] }, 1, 20, tuning);
    expect(only.items.map((d) => d._id)).toEqual([other[0]]);
  });

  it('keeps its bookkeeping out of the items', async () => {
    const got = await listDecisions(models, { agencies: AGENCIES, ids: [] }, {}, 1, 5, tuning);
    for (const d of got.items) {
      expect(d).not.toHaveProperty('listBuckets');
      expect(d).not.toHaveProperty('countedAs');
      expect(d).not.toHaveProperty('titleGrams');
    }
  });

  it('counts by status and overdue as countDocuments does', async () => {
    for (const agencies of Object.values(scopes)) {
      const stats = await decisionStats(models, { agencies, ids: [] });
      const count = (q: Record<string, unknown>) => models.Decision.countDocuments({ agency: { $in: agencies }, ...q });
      expect(stats).toEqual({
        total: await count({}),
        overdue: await count({ overdue: true }),
        byStatus: { 'in-progress': await count({ status: 'in-progress' }), completed: await count({ status: 'completed' }), incident: await count({ status: 'incident' }) },
      });
    }
  });

  it('store recount repairs counts that drifted', async () => {
    const right = await decisionStats(models, { agencies: AGENCIES, ids: [] });
    await models.DecisionCount.updateOne({ _id: AGENCIES[0] }, { $inc: { 'counts.in-progress|0': 5 } });
    expect((await decisionStats(models, { agencies: AGENCIES, ids: [] })).total).toBe(right.total + 5);
    await recountAll(models);
    expect(await decisionStats(models, { agencies: AGENCIES, ids: [] })).toEqual(right);
  });

  it('a decision takes a new place only when its updatedAt changes', async () => {
    const doc = (await models.Decision.findById(ids[5]).lean())!;
    const { _id, listBuckets: before, countedAs: _c, ...rest } = doc;
    const head = await currentSeq(models, LIST_SEQ);
    await writeListEntry(models, _id, rest as ListDocument);
    expect((await models.Decision.findById(ids[5]).lean())!.listBuckets).toEqual(before);
    expect(await currentSeq(models, LIST_SEQ)).toBe(head);
    await writeListEntry(models, _id, { ...(rest as ListDocument), updatedAt: new Date(doc.updatedAt.getTime() + 1) });
    expect(await currentSeq(models, LIST_SEQ)).toBe(head + 1);
    expect((await models.Decision.findById(ids[5]).lean())!.listBuckets).toEqual(listBuckets(head + 1));
  });
});

describe('the inbox', () => {
  const to = { username: 'inbox-reader', email: null };
  const notice = (i: number) => ({ id: `N-${i}`, to, decisionId: `D-${i % 7}`, kind: 'step-enabled', zh: `通知${i}`, en: `notice ${i}` });

  it('shows the newest first across pages, counts unread, and marks read one or all', async () => {
    const n = INBOX_PAGE_SIZE * 3 + 5;
    for (let i = 0; i < n; i++) expect(await insertNotification(models, notice(i))).toBe(true);
    // Written again (a retried projection): nothing new, nothing counted twice.
    expect(await insertNotification(models, notice(3))).toBe(false);
    const all = (await models.Notification.find({ recipient: to.username }).lean()).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? -1 : 1));

    const first = await readInbox(models, to.username, { unreadOnly: false, limit: 50 });
    expect(first.unread).toBe(n);
    expect(first.items.map((x) => x._id)).toEqual(all.slice(0, 50).map((x) => x._id));
    expect((await readInbox(models, to.username, { unreadOnly: false, limit: 200 })).items).toHaveLength(n);

    expect(await markRead(models, to.username, 'N-10')).toBe(true);
    expect(await markRead(models, to.username, 'N-10')).toBe(true); // already read: still there, not counted again
    expect(await markRead(models, 'someone-else', 'N-11')).toBe(false);
    const after = await readInbox(models, to.username, { unreadOnly: true, limit: 200 });
    expect(after.unread).toBe(n - 1);
    expect(after.items.map((x) => x._id)).not.toContain('N-10');
    expect(after.items).toHaveLength(n - 1);

    // A count that drifted (a worker died between a notification and its count) is set right again.
    await models.Counter.updateOne({ _id: 'inbox:inbox-reader' }, { $inc: { unread: 3 } });
    expect((await readInbox(models, to.username, { unreadOnly: false, limit: 1 })).unread).toBe(n + 2);
    await recountAll(models);
    expect((await readInbox(models, to.username, { unreadOnly: false, limit: 1 })).unread).toBe(n - 1);

    expect(await markAllRead(models, to.username)).toBe(n - 1);
    expect((await readInbox(models, to.username, { unreadOnly: false, limit: 5 })).unread).toBe(0);
  });
});

describe('a store written before the read model kept its own indexes', () => {
  let old: { conn: Connection; models: Models };
  const db = `test_read_model_old_${crypto.randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await old.conn.dropDatabase();
    await old.conn.close();
  });

  it('is brought up to date when it is opened: lists, counts and inboxes work on its old documents', async () => {
    // Write documents as the previous version did: no list places, counts, inbox pages or unread flags.
    const raw = await connectStore(readSuiteState().mongoUri, db);
    const r = rng(11);
    const docs = Array.from({ length: 30 }, (_, i) => ({ _id: `D-OLD-${i}`, ...decisionDoc(i, r) }));
    await raw.conn.db!.collection('decisions').insertMany(docs as never[]);
    await raw.conn.db!.collection('notifications').insertMany(
      Array.from({ length: 40 }, (_, i) => ({ _id: `OLD-${i}`, recipient: 'veteran', decisionId: 'D-OLD-1', kind: 'step-enabled', message: { zh: '旧', en: 'old' }, createdAt: new Date(t0 + i * 1000), readAt: i < 10 ? new Date() : null, email: { status: i === 39 ? 'pending' : 'none' } })) as never[],
    );
    await raw.conn.db!.collection('counters').deleteOne({ _id: 'read-model' } as never);
    await raw.conn.close();

    old = await connectStore(readSuiteState().mongoUri, db);
    const listed = await listDecisions(old.models, { agencies: AGENCIES, ids: [] }, {}, 1, 100, { readAtOnce: 5, perBucket: 10 });
    expect(listed.total).toBe(30);
    expect(listed.items.map((d) => d._id)).toEqual(docs.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).map((d) => d._id));
    expect((await old.models.Decision.findById('D-OLD-0').lean())!.listBuckets).toEqual(expect.arrayContaining([expect.stringMatching(/^6:/)]));
    // Its titles are searchable: the upgrade gave them their grams.
    const searched = await listDecisions(old.models, { agencies: AGENCIES, ids: [] }, { q: '事项2' }, 1, 100);
    expect(searched.items.map((d) => d._id).sort()).toEqual(docs.filter((d) => String((d as Record<string, unknown>).title).includes('事项2')).map((d) => d._id).sort());
    expect(searched.total).toBeGreaterThan(0);
    const inbox = await readInbox(old.models, 'veteran', { unreadOnly: false, limit: 100 });
    expect(inbox.unread).toBe(30);
    expect(inbox.items.map((n) => n._id)).toEqual(Array.from({ length: 40 }, (_, i) => `OLD-${39 - i}`));
    expect((await old.models.Notification.findById('OLD-39').lean())!.outbox).toBe('pending');
  });
});

it('list places map to one bucket per size', () => {
  expect(listBuckets(0)).toEqual(['6:0', '10:0', '14:0']);
  expect(listBuckets(70000)).toEqual(['6:1093', '10:68', '14:4']);
});
