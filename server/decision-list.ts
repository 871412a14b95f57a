/**
 * The decisions list and its counts, answered from the list index the projection keeps
 * (activities/decision-index.ts): counts from the per-agency counts, a page from the newest
 * list buckets of a size that suits the filter — so neither reads more than a few hundred
 * decisions however many are stored. Decisions someone reads by attachment are read by id.
 */
import { BUCKET_BITS, bucketToken, countKeyMatches, LIST_SEQ } from '../activities/decision-index';
import { findByIds, readsWholeCollections, type Models } from '../activities/models';
import { searchGram } from '../activities/title-grams';
import { currentSeq } from '../activities/paged-log';
import type { ReadScope } from '../activities/people';

export interface ListFilter {
  agency?: string;
  status?: string;
  /** A current step id. */
  step?: string;
  overdue?: boolean;
  /** Title contains. */
  q?: string;
  /** Only these decisions (the reader's attachments). */
  only?: string[];
}

/**
 * readAtOnce: when at most this many decisions are read for a filter, read them at once and sort.
 * perBucket: aim for about this many decisions read per bucket.
 * searchCap: a title search matching more than this many decisions is not counted to the end; its
 * pages are read newest first, bucket by bucket, and its total says "at least" (more: true).
 */
export interface ListTuning {
  readAtOnce: number;
  perBucket: number;
  searchCap?: number;
}
export const LIST_TUNING: ListTuning = { readAtOnce: 300, perBucket: 100, searchCap: 300 };
/** A page that needed more bucket reads than this reads the rest in one query. */
const MAX_BUCKET_READS = 300;
/** The index's bookkeeping stays out of the API. */
const LIST_FIELDS = { listBuckets: 0, countedAs: 0, titleGrams: 0 } as const;

type Counts = Map<string, Record<string, number>>;
type Row = { _id: string; agency: string; status: string; overdue?: boolean | null; currentSteps?: string[] | null; title: string; updatedAt: Date };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Newest first, then by id: the list's order. */
const listOrder = (a: Row, b: Row) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

async function allCounts(models: Models): Promise<Counts> {
  return new Map((await models.DecisionCount.find({}).lean()).map((c) => [c._id, (c.counts ?? {}) as Record<string, number>]));
}

function countOf(counts: Counts, agencies: Iterable<string>, f: ListFilter): number {
  let n = 0;
  for (const agency of agencies) for (const [key, v] of Object.entries(counts.get(agency) ?? {})) if (countKeyMatches(key, f)) n += v;
  return n;
}

/** The filter's facets as a query; FerretDB runs the equality ones in SQL. */
function facetQuery(f: ListFilter): Record<string, unknown> {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.step ? { currentSteps: f.step } : {}),
    ...(f.overdue !== undefined ? { overdue: f.overdue } : {}),
    ...(f.q ? { title: { $regex: escapeRegex(f.q) } } : {}),
  };
}

function matches(d: Row, f: ListFilter): boolean {
  return (
    (!f.agency || d.agency === f.agency) &&
    (!f.status || d.status === f.status) &&
    (!f.step || (d.currentSteps ?? []).includes(f.step)) &&
    (f.overdue === undefined || Boolean(d.overdue) === f.overdue) &&
    (!f.q || d.title.includes(f.q))
  );
}

const byIds = (models: Models, ids: string[]) => findByIds((id) => models.Decision.findById(id, LIST_FIELDS).lean() as Promise<Row | null>, ids);

/** The decisions one reads by attachment rather than by agency, that match the filter. */
async function attachedPart(models: Models, scope: ReadScope, f: ListFilter, agencies: string[]): Promise<Row[]> {
  if (f.only) return (await byIds(models, f.only)).filter((d) => matches(d, f) && (scope.agencies.includes(d.agency) || scope.ids.includes(d._id)));
  return (await byIds(models, scope.ids)).filter((d) => matches(d, f) && !agencies.includes(d.agency));
}

type Part = { total: number; rows: Row[]; /** At least `total` match: the count stopped there. */ more?: true };

/** What a walk down the list buckets found: the page, how many matches it saw, whether it read every place. */
interface Walk {
  rows: Row[];
  found: number;
  complete: boolean;
}

/**
 * The newest `need` decisions matching `filter`, read bucket by bucket from the newest list place
 * down, for a filter the counts cannot size (a title search); it goes on until it has seen
 * `countTo` matches, read every place, or spent `budget` reads. The first bucket is the smallest;
 * each next one is the smallest size expected, from the matches per place so far, to hold what
 * is still wanted — so a common word takes two or three reads and a rare one goes to the largest
 * size at once. A bucket may overlap places already read: a match is kept once.
 */
async function newestMatching(models: Models, filter: Record<string, unknown>, need: number, o: { countTo: number; budget: number }): Promise<Walk> {
  const found = new Map<string, Row>();
  const want = Math.max(need, o.countTo);
  let top = (await currentSeq(models, LIST_SEQ)) + 1; // places below `top` are still to read
  let placesRead = 0;
  let reads = 0;
  let needReachedAt = Infinity;
  while (top > 0) {
    if (reads >= o.budget) return { rows: page(found, need), found: found.size, complete: false };
    if (reads >= MAX_BUCKET_READS) {
      for (const d of (await models.Decision.find(filter, LIST_FIELDS).lean()) as Row[]) found.set(d._id, d);
      return { rows: page(found, need), found: found.size, complete: true };
    }
    // Places are taken as projections run, a moment apart from updatedAt: once `need` is reached,
    // one more (small) bucket is read, so a match whose place lags its time is not missed.
    const density = (found.size + 1) / Math.max(placesRead, 1);
    const bits = reads === 0 || found.size >= want ? BUCKET_BITS[0] : (BUCKET_BITS.find((b) => density * 2 ** b >= want - found.size) ?? BUCKET_BITS.at(-1)!);
    const size = 2 ** bits;
    const bucket = Math.floor((top - 1) / size);
    for (const d of (await models.Decision.find({ ...filter, listBuckets: bucketToken(bits, bucket) }, LIST_FIELDS).lean()) as Row[]) found.set(d._id, d);
    placesRead += top - bucket * size;
    top = bucket * size;
    reads++;
    if (found.size >= need && needReachedAt === Infinity) needReachedAt = reads;
    if (found.size >= want && reads > needReachedAt) return { rows: page(found, need), found: found.size, complete: top === 0 };
  }
  return { rows: page(found, need), found: found.size, complete: true };
}

const page = (found: Map<string, Row>, need: number) => [...found.values()].sort(listOrder).slice(0, need);

/** Bucket reads a title search spends looking for more than searchCap matches before it counts by its gram. */
const SEARCH_WALK_BUDGET = 4;

/**
 * A title search: the index counts no titles, so it reads only decisions whose titles hold one
 * gram of what was typed. First a few buckets from the newest down: a common word shows more than
 * searchCap matches there, and the answer is that page and "at least" what was seen. Otherwise
 * (a rarer word) every decision holding the gram is read, at most searchCap + 1 of them: when no
 * more match they are counted and sorted exactly; when more do, the page is read by buckets.
 */
async function searchPart(models: Models, filter: Record<string, unknown>, need: number, cap: number): Promise<Part> {
  const walk = await newestMatching(models, filter, need, { countTo: cap + 1, budget: SEARCH_WALK_BUDGET });
  if (walk.complete) return { total: walk.found, rows: walk.rows };
  if (walk.found > cap) return { total: walk.found, more: true, rows: walk.rows };
  const rows = (await models.Decision.find(filter, LIST_FIELDS).limit(cap + 1).lean()) as Row[];
  if (rows.length <= cap) return { total: rows.length, rows: rows.sort(listOrder).slice(0, need) };
  return { total: rows.length, more: true, rows: (await newestMatching(models, filter, need, { countTo: 0, budget: Infinity })).rows };
}

/** The newest `need` decisions of `agencies` that match, and how many match. */
async function agencyPart(models: Models, agencies: string[], f: ListFilter, need: number, tuning: ListTuning): Promise<Part> {
  const { Decision } = models;
  if (!agencies.length) return { total: 0, rows: [] };
  const inAgencies = agencies.length === 1 ? { agency: agencies[0] } : { agency: { $in: agencies } };
  if (f.q) {
    const gram = searchGram(f.q);
    const filter = { ...inAgencies, ...facetQuery(f), ...(gram ? { titleGrams: gram } : {}) };
    const cap = tuning.searchCap ?? LIST_TUNING.searchCap!;
    // Where every query reads the whole collection (FerretDB on SQLite), one read counts and pages.
    if (cap === Infinity) {
      const rows = ((await Decision.find(filter, LIST_FIELDS).lean()) as Row[]).sort(listOrder);
      return { total: rows.length, rows: rows.slice(0, need) };
    }
    return searchPart(models, filter, need, cap);
  }
  const counts = await allCounts(models);
  const total = countOf(counts, agencies, f);
  if (!total) return { total, rows: [] };
  // FerretDB reads every decision the equality part of a filter matches; $in is not part of it,
  // so several agencies cost what all agencies cost — unless they are all the agencies there are.
  const everyAgency = [...counts.keys()].every((a) => agencies.includes(a) || !countOf(counts, [a], {}));
  const agencyQuery = everyAgency && agencies.length > 1 ? {} : inAgencies;
  const read = agencies.length === 1 || everyAgency ? total : countOf(counts, counts.keys(), f);
  const filter = { ...agencyQuery, ...facetQuery(f) };
  if (read <= tuning.readAtOnce) return { total, rows: ((await Decision.find(filter, LIST_FIELDS).lean()) as Row[]).sort(listOrder).slice(0, need) };

  // Buckets newest first, of the largest size that reads about `perBucket` decisions each.
  const head = await currentSeq(models, LIST_SEQ);
  const perPlace = read / Math.max(head, 1);
  const bits = [...BUCKET_BITS].reverse().find((b) => perPlace * 2 ** b <= tuning.perBucket) ?? BUCKET_BITS[0];
  const found = new Map<string, Row>();
  let pastNeed = false;
  let reads = 0;
  for (let bucket = Math.floor(head / 2 ** bits); bucket >= 0; bucket--) {
    if (++reads > MAX_BUCKET_READS) {
      for (const d of (await Decision.find(filter, LIST_FIELDS).lean()) as Row[]) found.set(d._id, d);
      break;
    }
    for (const d of (await Decision.find({ ...filter, listBuckets: bucketToken(bits, bucket) }, LIST_FIELDS).lean()) as Row[]) found.set(d._id, d);
    if (found.size >= total) break;
    // Places are taken as projections run, a moment apart from updatedAt: read one bucket past `need`.
    if (found.size >= need) {
      if (pastNeed) break;
      pastNeed = true;
    }
  }
  return { total, rows: [...found.values()].sort(listOrder).slice(0, need) };
}

/** One page of the decisions `scope` may read that match `f`, newest first, and how many match. */
export async function listDecisions(
  models: Models,
  scope: ReadScope,
  f: ListFilter,
  page: number,
  pageSize: number,
  tuning: ListTuning = LIST_TUNING,
): Promise<{ total: number; items: Row[]; /** At least `total` match (a title search that was not counted to the end). */ more?: true }> {
  const agencies = f.only ? [] : scope.agencies.filter((a) => !f.agency || a === f.agency);
  const need = page * pageSize;
  // Where every query reads the whole collection (FerretDB on SQLite), one query beats a few buckets.
  const tuned = readsWholeCollections(models) ? { ...tuning, readAtOnce: Infinity, searchCap: Infinity } : tuning;
  const [attached, byAgency] = await Promise.all([attachedPart(models, scope, f, agencies), agencyPart(models, agencies, f, need, tuned)]);
  const rows = [...attached, ...byAgency.rows].sort(listOrder);
  return { total: attached.length + byAgency.total, items: rows.slice((page - 1) * pageSize, need), ...(byAgency.more ? { more: true as const } : {}) };
}

export const DECISION_STATUSES = ['in-progress', 'completed', 'incident'] as const;

/** Counts per status and overdue of the decisions `scope` may read (of one agency, when given). */
export async function decisionStats(models: Models, scope: ReadScope, agency?: string) {
  const agencies = scope.agencies.filter((a) => !agency || a === agency);
  const [counts, attached] = await Promise.all([allCounts(models), attachedPart(models, scope, { agency }, agencies)]);
  const count = (f: ListFilter) => countOf(counts, agencies, f) + attached.filter((d) => matches(d, f)).length;
  return {
    total: count({}),
    overdue: count({ overdue: true }),
    byStatus: Object.fromEntries(DECISION_STATUSES.map((status) => [status, count({ status })])) as Record<(typeof DECISION_STATUSES)[number], number>,
  };
}
