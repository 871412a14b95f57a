/**
 * Throttling of password guesses, per login name and per client address. Every attempt is counted
 * before its password is checked, so parallel guesses cannot slip past the limit between a read
 * and a write: the sixth of twenty simultaneous guesses is refused without its password being
 * looked at. A success gives its attempt back.
 *
 * The count is one $inc, atomic on MongoDB across API processes. FerretDB 1.x (the embedded store,
 * one API process) applies $inc as a read-modify-write without isolation — twenty concurrent
 * increments were measured to add eight — so within a process the counting is also serialised per
 * key. No transactions and no findOneAndUpdate projections: FerretDB has neither.
 */
import { isDuplicateKey, type Models } from '../activities/models';

/** Lock a login name after 5 failures in 15 minutes, an address after 30; the lock lasts 15 minutes. */
export const THROTTLE = { window: 15 * 60_000, perUser: 5, perAddress: 30, lock: 15 * 60_000 };

export interface Attempt {
  key: string;
  limit: number;
}

export const userKey = (username: string): Attempt => ({ key: `user:${username.toLowerCase()}`, limit: THROTTLE.perUser });
export const addressKey = (ip: string): Attempt => ({ key: `ip:${ip}`, limit: THROTTLE.perAddress });

/** The remaining lock of a throttle key in ms, or 0. */
export async function lockedFor(models: Models, key: string, now = Date.now()): Promise<number> {
  const t = await models.LoginThrottle.findById(key).lean();
  return t?.lockedUntil && t.lockedUntil.getTime() > now ? t.lockedUntil.getTime() - now : 0;
}

/** Run `f` after every earlier call for `key` in this process has finished. */
const queues = new Map<string, Promise<unknown>>();
function serially<T>(key: string, f: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(f, f);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/**
 * Count one attempt on `key`; returns how many attempts its window now holds. A served lock, or a
 * window past its end without a lock, starts afresh first.
 */
function countAttempt(models: Models, key: string, now: number): Promise<number> {
  return serially(key, () => increment(models, key, now));
}

async function increment(models: Models, key: string, now: number): Promise<number> {
  const T = models.LoginThrottle;
  await T.updateOne(
    { _id: key, $or: [{ lockedUntil: { $lte: new Date(now) } }, { lockedUntil: null, windowStart: { $lte: new Date(now - THROTTLE.window) } }] },
    { $set: { failures: 0, windowStart: new Date(now), lockedUntil: null } },
  );
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await T.findOneAndUpdate({ _id: key }, { $inc: { failures: 1 }, $setOnInsert: { windowStart: new Date(now), lockedUntil: null } }, { upsert: true, returnDocument: 'after' }).lean();
      return doc?.failures ?? 1;
    } catch (err) {
      // Two first attempts racing to create the document: the loser increments the winner's.
      if (!isDuplicateKey(err) || attempt >= 3) throw err;
    }
  }
}

async function lock(models: Models, key: string, now: number): Promise<void> {
  await models.LoginThrottle.updateOne({ _id: key, lockedUntil: null }, { $set: { lockedUntil: new Date(now + THROTTLE.lock) } });
}

/**
 * Count an attempt on every key before the password is checked. Returns the keys whose limit it
 * exceeded (the attempt must then be refused unchecked) — and locks them.
 */
export async function countAttempts(models: Models, keys: Attempt[], now = Date.now()): Promise<Attempt[]> {
  const counts = await Promise.all(keys.map((k) => countAttempt(models, k.key, now)));
  const over = keys.filter((k, i) => counts[i] > k.limit);
  await Promise.all(over.map((k) => lock(models, k.key, now)));
  return over;
}

/** A failed attempt that reached a key's limit locks it; returns whether any key is now locked. */
export async function failed(models: Models, keys: Attempt[], now = Date.now()): Promise<boolean> {
  const docs = await Promise.all(keys.map((k) => models.LoginThrottle.findById(k.key).lean()));
  const reached = keys.filter((k, i) => (docs[i]?.failures ?? 0) >= k.limit);
  await Promise.all(reached.map((k) => lock(models, k.key, now)));
  return reached.length > 0;
}

/** A success gives back its counted attempt; a name's failures are forgotten. */
export async function succeeded(models: Models, keys: Attempt[]): Promise<void> {
  await Promise.all(
    keys.map((k) =>
      serially(k.key, async () => {
        if (k.key.startsWith('user:')) await models.LoginThrottle.deleteOne({ _id: k.key });
        else await models.LoginThrottle.updateOne({ _id: k.key, failures: { $gt: 0 } }, { $inc: { failures: -1 } });
      }),
    ),
  );
}
