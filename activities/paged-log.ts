/**
 * Logs read newest first without sorting the whole log. Each entry takes a number from a
 * sequence (one counters document, advanced by $inc in turn: activities/in-turn.ts) and goes on page
 * floor(number / page size); a reader takes the newest page, then the one before, until it has
 * enough. On FerretDB a page is one equality filter, so a read costs what it returns.
 */
import type { Models } from './models';
import { inTurn } from './in-turn';
import { upsertRetrying } from './write-once';

/** Advance the sequence `key` by `by` (default 1) and return its new value (1, 2, …). */
export async function nextSeq(models: Models, key: string, by = 1): Promise<number> {
  const doc = await inTurn(models, models.Counter, key, () => upsertRetrying(() => models.Counter.findOneAndUpdate({ _id: key }, { $inc: { seq: by } }, { upsert: true, returnDocument: 'after' }).lean()));
  return doc!.seq;
}

/** The sequence's current value (0 before its first entry). */
export async function currentSeq(models: Models, key: string): Promise<number> {
  return (await models.Counter.findById(key, { seq: 1 }).lean())?.seq ?? 0;
}

/** The page of sequence number `seq`. */
export const pageOf = (seq: number, size: number) => Math.floor(seq / size);

/**
 * The newest `limit` entries: pages `top`, `top - 1`, … 0, each read newest first by `readPage`,
 * until `limit` are in hand. Pages are in sequence order, so the result is too. `readPage(undefined)`
 * reads every page at once, newest first.
 */
export async function newestFirst<T>(top: number, limit: number, readPage: (page: number | undefined) => Promise<T[]>, o: { wholeCollections?: boolean } = {}): Promise<T[]> {
  // Where every query reads the whole collection (FerretDB on SQLite), one query without pages is cheapest.
  if (o.wholeCollections) return (await readPage(undefined)).slice(0, limit);
  const out: T[] = [];
  for (let page = top; page >= 0 && out.length < limit; page--) out.push(...(await readPage(page)));
  return out.slice(0, limit);
}

/** The security log's sequence and page size (server/auth.ts writes it, server/people-routes.ts reads it). */
export const SECURITY_LOG = { key: 'security-events', pageSize: 64 } as const;
