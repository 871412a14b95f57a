/**
 * Updates of one document by many writers that must not lose each other: the counts the list and
 * the dashboard keep ($inc), the sequences that number list places and inbox pages, a decision's
 * compliance entry that both its projection and the API's refusals change.
 *
 * MongoDB applies each update to a document atomically. FerretDB 1.24 (the embedded store and the
 * tests) applies it as a read-modify-write of the whole document without isolation: of 100
 * concurrent `$inc: {n: 1}` from 20 clients on one document, 24 counted (measured on PostgreSQL,
 * 2026-12-02), and a dashboard fed by 40 decisions projected four at a time showed 25 started.
 * What FerretDB does keep atomic is a unique key (activities/audit-chain.ts measures both). So on
 * FerretDB the writers of a document take turns: inserting the lease `<collection>:<_id>` holds
 * the document, deleting it lets the next writer in. Writers of one document in one process queue
 * and share one lease (taken once for the queue, held at most HOLD_MS). Reads need no turn.
 *
 * A writer that dies while holding a lease (a killed worker) leaves it to expire after LEASE_MS;
 * the next writer breaks it. Holds last milliseconds, so the lease is generous; a writer that
 * cannot get its turn within WAIT_MS fails, and its activity or request is retried.
 */
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { isDuplicateKey, updatesInIsolation, type Models } from './models';

export const LEASE_MS = 15_000;
const WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The turn's key: the collection and the document it updates. */
export const turnKey = (model: Pick<Model<never>, 'collection'>, id: string) => `${model.collection.name}:${id}`;

/**
 * Run `update` — writes to document `id` of `model` — in its turn: at once on MongoDB, under the
 * document's lease on FerretDB. Writers that take turns on a document must all go through here.
 */
export async function inTurn<T>(models: Models, model: Pick<Model<never>, 'collection'>, id: string, update: () => Promise<T>): Promise<T> {
  if (updatesInIsolation(models)) return update();
  const key = turnKey(model, id);
  const runners = runnersOf(models);
  return new Promise<T>((resolve, reject) => {
    const job: Job = { update, resolve: resolve as (v: unknown) => void, reject };
    const running = runners.get(key);
    if (running) return void running.push(job);
    runners.set(key, [job]);
    void runQueue(models, key, runners);
  });
}

/** A writer waiting for its turn, and how to tell it the outcome. */
interface Job {
  update: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

/** How long one lease is held for the writers queued behind it before other processes get a turn. */
const HOLD_MS = 1_000;

/**
 * The writers of one document in this process, one after another: a lease is taken once for all
 * that are queued (a hot counter — the list's sequence, an agency's counts — would otherwise pay
 * an insert and a delete per writer, and every act of the process would wait for them), held for
 * at most HOLD_MS, then released and taken again while writers keep arriving.
 */
async function runQueue(models: Models, key: string, runners: Map<string, Job[]>): Promise<void> {
  const queue = runners.get(key)!;
  while (queue.length) {
    const holder = randomUUID();
    try {
      await acquire(models, key, holder);
    } catch (err) {
      for (const job of queue.splice(0)) job.reject(err);
      break;
    }
    const until = Date.now() + HOLD_MS;
    try {
      while (queue.length && Date.now() < until) {
        const job = queue.shift()!;
        await job.update().then(job.resolve, job.reject);
      }
    } finally {
      await models.Lease.deleteOne({ _id: key, holder }).catch(() => undefined); // an unreleased lease expires
    }
  }
  // Nothing is queued between the check above and this line: no await lies between them.
  runners.delete(key);
}

const processRunners = new WeakMap<object, Map<string, Job[]>>();
function runnersOf(models: Models): Map<string, Job[]> {
  let r = processRunners.get(models.Lease.db);
  if (!r) processRunners.set(models.Lease.db, (r = new Map()));
  return r;
}

async function acquire(models: Models, key: string, holder: string): Promise<void> {
  const giveUp = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await models.Lease.create({ _id: key, holder, until: new Date(Date.now() + LEASE_MS) });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const held = await models.Lease.findById(key, { holder: 1, until: 1 }).lean();
    if (held && held.until.getTime() < Date.now()) {
      // Its holder died: break the lease, then race for it again (the insert decides).
      await models.Lease.deleteOne({ _id: key, holder: held.holder });
      continue;
    }
    if (Date.now() > giveUp) throw new Error(`the store is busy: no turn to update ${key} within ${WAIT_MS / 1000} s`);
    // Short, jittered waits: holds last a few milliseconds; the jitter keeps waiters from colliding.
    await sleep(Math.min(2 ** Math.min(attempt, 5), 25) + Math.random() * 4);
  }
}
