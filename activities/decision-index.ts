/**
 * The decisions list's own index in the read model, kept by the projection: recency buckets that
 * page the list, and per-agency counts by status, overdue and current step.
 *
 * FerretDB 1.24 filters in SQL only by equality, then sorts, skips, limits and counts in its own
 * code over every decision that matched, so "the newest 20 of this agency" or "how many" cannot
 * be asked of the decisions themselves once there are many. Instead, whenever a decision's
 * updatedAt changes it takes the next place in the list (a sequence) and carries that place's
 * bucket at three sizes — 64, 1024 and 16384 places, tokens "6:…", "10:…", "14:…" — and a list
 * page reads the newest buckets of the size that suits its filter (server/decision-list.ts).
 * Counts live in one document per agency, moved when a decision's facets change.
 */
import type { Models } from './models';
import { nextSeq } from './paged-log';
import { inTurn } from './in-turn';
import { titleGrams } from './title-grams';
import { upsertRetrying } from './write-once';

/** log2 of the bucket sizes, smallest first. */
export const BUCKET_BITS = [6, 10, 14] as const;
/** The sequence of list places. */
export const LIST_SEQ = 'decision-list';

export const bucketToken = (bits: number, bucket: number) => `${bits}:${bucket}`;

/** The buckets of list place `place`, one per size. */
export function listBuckets(place: number): string[] {
  return BUCKET_BITS.map((bits) => bucketToken(bits, Math.floor(place / 2 ** bits)));
}

/** What the list filters and counts a decision by. */
export interface Facets {
  agency: string;
  status: string;
  overdue: boolean;
  steps: string[];
}

/** Field names may not hold "." or start with "$": escape them (and "%", the escape) in step ids. */
const fieldSafe = (s: string) => s.replace(/[.$%|]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

/** The keys one decision adds 1 to in its agency's counts: by status and overdue, and the same per current step. */
export function countKeys(f: Omit<Facets, 'agency'>): string[] {
  const base = `${f.status}|${f.overdue ? 1 : 0}`;
  return [base, ...[...new Set(f.steps)].map((s) => `${base}|${fieldSafe(s)}`)];
}

/** Whether count key `key` counts decisions of this status, overdue and step (each optional). */
export function countKeyMatches(key: string, f: { status?: string; overdue?: boolean; step?: string }): boolean {
  const [status, overdue, step] = key.split('|');
  if (f.status !== undefined && status !== f.status) return false;
  if (f.overdue !== undefined && overdue !== (f.overdue ? '1' : '0')) return false;
  return f.step === undefined ? step === undefined : step === fieldSafe(f.step);
}

/** The facets the counts hold a decision under, as one comparable string. */
export const facetKey = (f: Facets) => JSON.stringify([f.agency, f.status, f.overdue, [...new Set(f.steps)].sort()]);

function parseFacetKey(key: string): Facets {
  const [agency, status, overdue, steps] = JSON.parse(key) as [string, string, boolean, string[]];
  return { agency, status, overdue, steps };
}

export const facetsOf = (d: { agency: string; status: string; overdue?: boolean | null; currentSteps?: string[] | null }): Facets => ({
  agency: d.agency,
  status: d.status,
  overdue: Boolean(d.overdue),
  steps: d.currentSteps ?? [],
});

async function addCounts(models: Models, f: Facets, by: number): Promise<void> {
  const $inc = Object.fromEntries(countKeys(f).map((k) => [`counts.${k}`, by]));
  await inTurn(models, models.DecisionCount, f.agency, () => upsertRetrying(() => models.DecisionCount.updateOne({ _id: f.agency }, { $inc }, { upsert: true })));
}

/** The list fields the projection writes (activities/index.ts). */
export interface ListDocument {
  agency: string;
  status: string;
  overdue: boolean;
  currentSteps: string[];
  updatedAt: Date;
  [field: string]: unknown;
}

/**
 * Write a decision's list document: a new place in the list when its updatedAt changed (a retried
 * projection keeps the place it took), then move its counts to its current facets.
 */
export async function writeListEntry(models: Models, id: string, doc: ListDocument): Promise<void> {
  const before = await models.Decision.findById(id, { updatedAt: 1, listBuckets: 1, countedAs: 1 }).lean();
  const keep = before?.listBuckets?.length && before.updatedAt?.getTime() === doc.updatedAt.getTime();
  const buckets = keep ? before.listBuckets! : listBuckets(await nextSeq(models, LIST_SEQ));
  const grams = typeof doc.title === 'string' ? { titleGrams: titleGrams(doc.title) } : {};
  await upsertRetrying(() => models.Decision.updateOne({ _id: id }, { $set: { ...doc, ...grams, listBuckets: buckets } }, { upsert: true }));
  await moveCounts(models, id, before?.countedAs ?? null, facetsOf(doc));
}

/**
 * Claim the change of facets on the decision itself — a conditional update, so of a retried or
 * racing projection only one moves the counts — then move them. A worker that dies between the
 * claim and the move leaves the counts one off until `npm run juece -- store recount`.
 */
async function moveCounts(models: Models, id: string, countedAs: string | null, now: Facets): Promise<void> {
  const key = facetKey(now);
  if (countedAs === key) return;
  const claim = await models.Decision.updateOne({ _id: id, countedAs }, { $set: { countedAs: key } });
  if (!claim.modifiedCount) return;
  if (countedAs) await addCounts(models, parseFacetKey(countedAs), -1);
  await addCounts(models, now, 1);
}

/**
 * Rebuild the index from the decisions: counts from scratch, places in updatedAt order for
 * decisions without one, title grams where missing or taken otherwise. Reads every decision once: for stores written
 * before the index existed, and to repair counts. Returns how many decisions it read.
 */
export async function rebuildListIndex(models: Models): Promise<number> {
  const { Decision } = models;
  const docs = await Decision.find({}, { title: 1, agency: 1, status: 1, overdue: 1, currentSteps: 1, updatedAt: 1, listBuckets: 1, countedAs: 1, titleGrams: 1 }).lean();
  docs.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a._id.localeCompare(b._id));
  const counts = new Map<string, Record<string, number>>();
  const unplaced = docs.filter((d) => !d.listBuckets?.length);
  const placeOf = new Map(unplaced.map((d, i) => [d._id, i]));
  // Places for the unplaced, taken at once: they go before nothing newer, in updatedAt order.
  const first = (await nextSeq(models, LIST_SEQ, unplaced.length)) - unplaced.length + 1;
  for (const d of docs) {
    const f = facetsOf(d);
    const c = counts.get(f.agency) ?? {};
    for (const k of countKeys(f)) c[k] = (c[k] ?? 0) + 1;
    counts.set(f.agency, c);
    const place = placeOf.get(d._id);
    const grams = titleGrams(d.title);
    const set = {
      ...(place !== undefined ? { listBuckets: listBuckets(first + place) } : {}),
      ...(d.countedAs !== facetKey(f) ? { countedAs: facetKey(f) } : {}),
      ...((d.titleGrams ?? []).join('\n') === grams.join('\n') ? {} : { titleGrams: grams }),
    };
    if (Object.keys(set).length) await Decision.updateOne({ _id: d._id }, { $set: set });
  }
  for (const [agency, c] of counts) await upsertRetrying(() => models.DecisionCount.replaceOne({ _id: agency }, { counts: c }, { upsert: true }));
  await models.DecisionCount.deleteMany({ _id: { $nin: [...counts.keys()] } });
  return docs.length;
}
