/**
 * Writers of one document take turns on the store the tests run (FerretDB 1.24, whose updates are
 * unisolated read-modify-writes): concurrent increments all count, a sequence hands out each
 * number once, and a lease left by a writer that died is broken once it expires.
 */
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { inTurn, LEASE_MS, turnKey } from '../../activities/in-turn';
import { connectStore, updatesInIsolation, type Models } from '../../activities/models';
import { nextSeq } from '../../activities/paged-log';
import { readSuiteState } from '../support/suite-state';

const suite = readSuiteState();
const db = `test_turns_${crypto.randomBytes(4).toString('hex')}`;
let conn: Connection;
let models: Models;
/** A second connection: writers of another process, which queue apart and meet only at the lease. */
let other: { conn: Connection; models: Models };
beforeAll(async () => {
  ({ conn, models } = await connectStore(suite.mongoUri, db));
  other = await connectStore(suite.mongoUri, db);
});
afterAll(async () => {
  await other?.conn.close();
  await conn?.dropDatabase();
  await conn?.close();
});

const increment = (id: string, m = models) => inTurn(m, m.Counter, id, () => m.Counter.updateOne({ _id: id }, { $inc: { seq: 1 } }, { upsert: true }));

test('the store under test does not isolate updates, so turns are taken', () => {
  // Were this MongoDB, inTurn would run updates at once and the tests below would test MongoDB.
  expect(updatesInIsolation(models)).toBe(false);
});

test('100 concurrent increments from 20 writers in two processes all count', async () => {
  await models.Counter.create({ _id: 'hits', seq: 0 });
  await Promise.all(Array.from({ length: 20 }, async (_, w) => {
    for (let i = 0; i < 5; i++) await increment('hits', w % 2 ? other.models : models);
  }));
  expect((await models.Counter.findById('hits').lean())!.seq).toBe(100);
  expect(await models.Lease.countDocuments({})).toBe(0);
});

test('a sequence hands out each number once, however many ask at once', async () => {
  const got = await Promise.all(Array.from({ length: 60 }, () => nextSeq(models, 'numbers')));
  expect(new Set(got).size).toBe(60);
  expect(Math.max(...got)).toBe(60);
});

test('a lease left by a dead writer is broken once it expires, and not before', async () => {
  const key = turnKey(models.Counter, 'orphan');
  await models.Lease.create({ _id: key, holder: 'a worker that died', until: new Date(Date.now() + 400) });
  const started = Date.now();
  await increment('orphan');
  expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  expect((await models.Counter.findById('orphan').lean())!.seq).toBe(1);
  expect(await models.Lease.findById(key).lean()).toBeNull();
  expect(LEASE_MS).toBeGreaterThan(1000);
});

test('writers queued in one process share one lease, and one that fails does not stop those behind it', async () => {
  const leases = jest.spyOn(models.Lease, 'create');
  try {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        inTurn(models, models.Counter, 'queued', async () => {
          if (i % 7 === 3) throw new Error(`writer ${i} refused`);
          await models.Counter.updateOne({ _id: 'queued' }, { $inc: { seq: 1 } }, { upsert: true });
          return i;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.message)).toEqual([3, 10, 17, 24, 31, 38].map((i) => `writer ${i} refused`));
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 7 !== 3));
    expect((await models.Counter.findById('queued').lean())!.seq).toBe(34);
    // Forty writers, one lease (another only if the queue outlasted a hold).
    expect(leases.mock.calls.length).toBeLessThanOrEqual(2);
    expect(await models.Lease.countDocuments({})).toBe(0);
  } finally {
    leases.mockRestore();
  }
});
