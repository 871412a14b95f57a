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
 * searchCap: a title search matching more than this many decisions is not counted; its pages are
 * read newest first, bucket by bucket, and its total says "more than searchCap".
 */
export const LIST_TUNING: ListTuning = { readAtOnce: 300, perBucket: 100, searchCap: 300 };
export interface ListTuning {
  readAtOnce: number;
  perBucket: number;
  searchCap?: number;
}
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

type Part = { total: number; rows: Row[]; /** More than `total` match: the count stopped there. */ more?: true };

/**
 * The newest `need` decisions matching `filter`, read bucket by bucket from the newest list place
 * down, for a filter the counts cannot size (a title search). Buckets start at the smallest size
 * and grow while they hold few matches, so a common word takes two or three reads and a rarer
 * one a few dozen at most.
 */
async function newestMatching(models: Models, filter: Record<string, unknown>, need: number): Promise<Row[]> {
  const found = new Map<string, Row>();
  let top = (await currentSeq(models, LIST_SEQ)) + 1; // places below `top` are still to read
  let level = 0;
  let atLevel = 0;
  let pastNeed = false;
  for (let reads = 1; top > 0; reads++) {
    if (reads > MAX_BUCKET_READS) {
      for (const d of (await models.Decision.find(filter, LIST_FIELDS).lean()) as Row[]) found.set(d._id, d);
      break;
    }
    // Few matches after two buckets of this size: the next is one size up (it may overlap what was read).
    if (atLevel >= 2 && found.size < need / 2 && level + 1 < BUCKET_BITS.length) [level, atLevel] = [level + 1, 0];
    const size = 2 ** BUCKET_BITS[level];
    const bucket = Math.floor((top - 1) / size);
    for (const d of (await models.Decision.find({ ...filter, listBuckets: bucketToken(BUCKET_BITS[level], bucket) }, LIST_FIELDS).lean()) as Row[]) found.set(d._id, d);
    top = bucket * size;
    atLevel++;
    // Places are taken as projections run, a moment apart from updatedAt: read one bucket past `need`.
    if (found.size >= need) {
      if (pastNeed) break;
      pastNeed = true;
    }
  }
  return [...found.values()].sort(listOrder).slice(0, need);
}

/** The newest `need` decisions of `agencies` that match, and how many match. */
async function agencyPart(models: Models, agencies: string[], f: ListFilter, need: number, tuning: ListTuning): Promise<Part> {
  const { Decision } = models;
  if (!agencies.length) return { total: 0, rows: [] };
  const inAgencies = agencies.length === 1 ? { agency: agencies[0] } : { agency: { $in: agencies } };
  if (f.q) {
    // A title search is not counted by the index: it reads only the decisions whose titles hold
    // one gram of what was typed, at most searchCap + 1 of them; when that many match, the count
    // stops there and the page is read newest first by buckets instead.
    const gram = searchGram(f.q);
    const filter = { ...inAgencies, ...facetQuery(f), ...(gram ? { titleGrams: gram } : {}) };
    const cap = tuning.searchCap ?? LIST_TUNING.searchCap!;
    const rows = (await Decision.find(filter, LIST_FIELDS).limit(cap + 1).lean()) as Row[];
    if (rows.length <= cap) return { total: rows.length, rows: rows.sort(listOrder).slice(0, need) };
    return { total: cap, more: true, rows: await newestMatching(models, filter, need) };
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
): Promise<{ total: number; items: Row[]; /** More than `total` match (a title search that was not counted to the end). */ more?: true }> {
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
