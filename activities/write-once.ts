/**
 * Idempotent writes on a store without transactions: insert-once upserts that may race, and
 * upserts that may lose a race to insert the same _id (MongoDB retries those itself; FerretDB
 * reports the loser's duplicate key).
 */
import { isDuplicateKey } from './models';

/**
 * Insert-once documents ($setOnInsert upserts) written by two overlapping projections can race
 * to insert; the loser's duplicate-key error means the document is already there, as wanted.
 */
export async function insertOnce(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code?: number }[] }).writeErrors;
    const onlyDuplicates = isDuplicateKey(err) && (!writeErrors || writeErrors.every((w) => w.code === 11000));
    if (!onlyDuplicates) throw err;
  }
}

/**
 * An upsert that lost a race to insert the same _id fails with a duplicate key on FerretDB;
 * run it once more, when it matches the document now there.
 */
export async function upsertRetrying<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return run();
  }
}
