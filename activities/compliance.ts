/**
 * The supervision dashboard's figures, kept in the read model: one entry per decision with its
 * count keys (activities/compliance-facts.ts), and per agency and year how many decisions hold
 * each key — so the dashboard reads a handful of small documents however many decisions there
 * are, and a drill-down is one equality filter on an indexed array.
 *
 * Written idempotently like the list's counts (activities/decision-index.ts): the projection claims
 * its change on the entry with a conditional update keyed by the seq it replaces, so of a retried
 * or racing projection only one moves the counts. A worker that dies between the claim and the
 * move leaves the counts one off until `npm run juece -- store recount`, which rebuilds them.
 */
import type { ProjectionDelta } from '../workflows/model';
import { complianceKeys, emptyFold, foldEvents, foldSummary, yearOf, type ComplianceFold, type FoldEvent, type FoldRecord } from './compliance-facts';
import { isDuplicateKey, type Models } from './models';
import type { DecisionSummary } from '../workflows/model';
import { inTurn } from './in-turn';
import { upsertRetrying } from './write-once';

/** The counts document of an agency's year, and the prefix of its decisions' keys. */
export const ayOf = (agency: string, year: number) => `${year}|${agency}`;
/** Split a counts document's id back into year and agency (the year is always four digits). */
export const splitAy = (ay: string) => ({ year: Number(ay.slice(0, 4)), agency: ay.slice(5) });
/** A key as the entries hold it: prefixed with its agency and year, so one equality filter finds its decisions. */
export const scopedKey = (ay: string, key: string) => `${ay}|${key}`;
const unscoped = (ay: string, key: string) => key.slice(ay.length + 1);

/** Counted separately from the projection: refused attempts (rf|class) and decisions with one (ref|class). */
export const REFUSAL_KEY = (cls: string) => `ref|${cls}`;

interface EntryState {
  ay: string;
  keys: string[];
}

/** Move the counts from what an entry held to what it holds now: only the keys that changed. */
async function moveCounts(models: Models, before: EntryState | null, after: EntryState, extra: Record<string, number> = {}): Promise<void> {
  const by = new Map<string, Record<string, number>>();
  const add = (ay: string, key: string, n: number) => {
    const inc = by.get(ay) ?? {};
    inc[`counts.${key}`] = (inc[`counts.${key}`] ?? 0) + n;
    by.set(ay, inc);
  };
  const had = new Set(before?.keys ?? []);
  const has = new Set(after.keys);
  for (const k of had) if (!has.has(k)) add(before!.ay, unscoped(before!.ay, k), -1);
  for (const k of has) if (!had.has(k)) add(after.ay, unscoped(after.ay, k), 1);
  for (const [k, n] of Object.entries(extra)) add(after.ay, k, n);
  await Promise.all(
    [...by].map(([ay, $inc]) => {
      const inc = Object.fromEntries(Object.entries($inc).filter(([, n]) => n !== 0));
      if (!Object.keys(inc).length) return undefined;
      return inTurn(models, models.ComplianceCount, ay, () => upsertRetrying(() => models.ComplianceCount.updateOne({ _id: ay }, { $inc: inc, $setOnInsert: splitAy(ay) }, { upsert: true })));
    }),
  );
}

/** The month (UTC, YYYY-MM) an entry was last updated in: a drill-down pages through a large figure month by month (server/supervision.ts). */
export const monthOf = (at: Date) => at.toISOString().slice(0, 7);

/** What a decision's entry says, built from its summary and fold. */
function entryOf(summary: DecisionSummary, fold: ComplianceFold) {
  const ay = ayOf(summary.meta.agency, yearOf(summary));
  return {
    seq: summary.seq,
    ay,
    agency: summary.meta.agency,
    year: yearOf(summary),
    title: summary.meta.title,
    draftingUnit: summary.meta.draftingUnit,
    status: summary.status,
    createdAt: new Date(summary.createdAt),
    updatedAt: new Date(summary.updatedAt),
    month: monthOf(new Date(summary.updatedAt)),
    keys: complianceKeys(summary, fold).map((k) => scopedKey(ay, k)),
    fold,
  };
}

/** Everything the store holds of a decision's events, for a fold from the start. */
async function storedEvents(models: Models, decisionId: string) {
  const [records, audit] = await Promise.all([
    models.StepRecord.find({ decisionId }, { seq: 1, elementId: 1, kind: 1, action: 1, at: 1, visit: 1, data: 1 }).lean(),
    models.AuditEvent.find({ decisionId }, { seq: 1, action: 1, stepId: 1, summary: 1, result: 1, class: 1 }).lean(),
  ]);
  const refusals: Record<string, number> = {};
  for (const a of audit) if (a.result === 'refused' && a.class) refusals[a.class] = (refusals[a.class] ?? 0) + 1;
  return { records: records as FoldRecord[], audit: audit.filter((a) => a.result === 'accepted') as FoldEvent[], refusals };
}

/** The refusal counts and keys of refusals found in the store (a decision first counted from the store). */
function refusalCounts(ay: string, refusals: Record<string, number>) {
  const extra: Record<string, number> = {};
  const refused: string[] = [];
  for (const [cls, n] of Object.entries(refusals)) {
    extra[`rf|${cls}`] = n;
    extra[REFUSAL_KEY(cls)] = 1;
    refused.push(scopedKey(ay, REFUSAL_KEY(cls)));
  }
  return { extra, refused };
}

/**
 * Project one delta into the decision's entry and move its agency-year counts by what changed.
 * `stored` settles once the delta's own audit events and records are in the store: an entry that
 * missed earlier deltas (a store from before the dashboard, a lost write) is folded from the store.
 */
export async function projectCompliance(models: Models, delta: ProjectionDelta, stored: Promise<unknown>): Promise<void> {
  // The entry is read and claimed in its turn: the API's refusals (countRefusal) change it too.
  const move = await inTurn(models, models.ComplianceEntry, delta.summary.decisionId, () => claimEntry(models, delta, stored));
  if (move) await moveCounts(models, move.before, move.after, move.extra);
}

type Move = { before: EntryState | null; after: EntryState; extra?: Record<string, number> };

/** Write the decision's entry from this delta; what the counts must move by, or null when nothing changed. */
async function claimEntry(models: Models, delta: ProjectionDelta, stored: Promise<unknown>, retried = false): Promise<Move | null> {
  const { summary } = delta;
  const id = summary.decisionId;
  const entry = await models.ComplianceEntry.findById(id, { seq: 1, ay: 1, keys: 1, fold: 1 }).lean();
  if (entry && entry.seq >= summary.seq) return null;
  const from = entry?.seq ?? 0;
  const first = delta.audit.length ? Math.min(...delta.audit.map((a) => a.seq)) : Infinity;
  let fold: ComplianceFold;
  let fromStore: Awaited<ReturnType<typeof storedEvents>> | undefined;
  if (first <= from + 1) fold = foldEvents((entry?.fold as ComplianceFold | undefined) ?? emptyFold(), delta.records, delta.audit, from);
  else {
    await stored;
    fromStore = await storedEvents(models, id);
    fold = foldEvents(emptyFold(), fromStore.records, fromStore.audit, 0);
  }
  const next = entryOf(summary, foldSummary(fold, summary));
  if (!entry) {
    // Refusals recorded before the decision had an entry were not counted by the API: count them now.
    const found = fromStore ? refusalCounts(next.ay, fromStore.refusals) : { extra: {}, refused: [] };
    try {
      await models.ComplianceEntry.create({ _id: id, ...next, refused: found.refused });
    } catch (err) {
      // On MongoDB, where no turns are taken, another projection may have written it first: claim against that one.
      if (!isDuplicateKey(err) || retried) throw err;
      return claimEntry(models, delta, stored, true);
    }
    return { before: null, after: next, extra: found.extra };
  }
  const claim = await models.ComplianceEntry.updateOne({ _id: id, seq: entry.seq }, { $set: next });
  return claim.modifiedCount ? { before: { ay: entry.ay, keys: entry.keys }, after: next } : null;
}

/** How long a refusal waits for a decision's first projection to give it an entry to be counted on. */
const ENTRY_WAIT = { tries: 20, ms: 100 };

/**
 * Count a refused attempt the API recorded on a decision (server/route-kit.ts): the attempt, and
 * the decision among those with a refusal of this class the first time. A refusal in the moment
 * between a decision's start and its first projection waits for the entry; one that never gets
 * one (no worker running) is counted by the next rebuild, from the audit trail.
 */
export async function countRefusal(models: Models, decisionId: string, cls: string): Promise<void> {
  let entry = await models.ComplianceEntry.findById(decisionId, { ay: 1 }).lean();
  for (let i = 0; !entry && i < ENTRY_WAIT.tries; i++) {
    await new Promise((r) => setTimeout(r, ENTRY_WAIT.ms));
    entry = await models.ComplianceEntry.findById(decisionId, { ay: 1 }).lean();
  }
  if (!entry) return;
  const added = await inTurn(models, models.ComplianceEntry, decisionId, () => models.ComplianceEntry.updateOne({ _id: decisionId }, { $addToSet: { refused: scopedKey(entry.ay, REFUSAL_KEY(cls)) } }));
  const $inc = { [`counts.rf|${cls}`]: 1, ...(added.modifiedCount ? { [`counts.${REFUSAL_KEY(cls)}`]: 1 } : {}) };
  await inTurn(models, models.ComplianceCount, entry.ay, () => upsertRetrying(() => models.ComplianceCount.updateOne({ _id: entry.ay }, { $inc, $setOnInsert: splitAy(entry.ay) }, { upsert: true })));
}

/** What a decision's events hold, for a fold from the start: the store's, or generated ones. */
export interface DecisionEvents {
  records: FoldRecord[];
  audit: FoldEvent[];
  /** Refused attempts by class. */
  refusals: Record<string, number>;
}

/**
 * A decision's entry folded from all its events, and what it adds to its agency-year's counts:
 * what a rebuild writes, and what a bulk load writes without reading the store (bench, tests).
 */
export function entryFromEvents(summary: DecisionSummary, events: DecisionEvents) {
  const next = entryOf(summary, foldSummary(foldEvents(emptyFold(), events.records, events.audit, 0), summary));
  const found = refusalCounts(next.ay, events.refusals);
  const counts: Record<string, number> = { ...found.extra };
  for (const k of next.keys) counts[unscoped(next.ay, k)] = (counts[unscoped(next.ay, k)] ?? 0) + 1;
  return { entry: { _id: summary.decisionId, ...next, refused: found.refused }, counts };
}

/**
 * Rebuild the entries and counts from the decisions, their records and audit trails — of every
 * agency, or of one: for a store written before the dashboard existed, and to repair counts.
 * Reads each decision's events once (a few decisions at a time); best run while the store is
 * quiet. Returns how many decisions it read.
 */
export async function rebuildCompliance(models: Models, o: { agency?: string } = {}): Promise<number> {
  const counts = new Map<string, Record<string, number>>();
  let read = 0;
  // A group of decisions at a time: their events read together, their entries written in one bulk write.
  const group = async (docs: { _id: string; summary?: unknown }[]) => {
    const entries = await Promise.all(
      docs
        .filter((d) => (d.summary as DecisionSummary | undefined)?.meta)
        .map(async (d) => {
          const { entry, counts: add } = entryFromEvents(d.summary as DecisionSummary, await storedEvents(models, d._id));
          const c = counts.get(entry.ay) ?? {};
          for (const [k, n] of Object.entries(add)) c[k] = (c[k] ?? 0) + n;
          counts.set(entry.ay, c);
          return entry;
        }),
    );
    if (entries.length) await models.ComplianceEntry.bulkWrite(entries.map((e) => ({ replaceOne: { filter: { _id: e._id }, replacement: e, upsert: true } })), { ordered: false });
    read += entries.length;
  };
  let batch: { _id: string; summary?: unknown }[] = [];
  for await (const d of models.Decision.find(o.agency ? { agency: o.agency } : {}, { summary: 1 }).lean().cursor({ batchSize: 200 })) {
    batch.push(d as { _id: string; summary?: unknown });
    if (batch.length >= 16) {
      await group(batch);
      batch = [];
    }
  }
  await group(batch);
  for (const [ay, c] of counts) await upsertRetrying(() => models.ComplianceCount.replaceOne({ _id: ay }, { ...splitAy(ay), counts: c }, { upsert: true }));
  // Agency-years with no decision left (of the agency rebuilt, or of any).
  const stale = (await models.ComplianceCount.find(o.agency ? { agency: o.agency } : {}, { _id: 1 }).lean()).map((d) => d._id).filter((id) => !counts.has(id));
  for (const id of stale) await models.ComplianceCount.deleteOne({ _id: id });
  return read;
}

const MARK = 'compliance-model';
/** 1: entries and counts; 2: each entry's month. */
const VERSION = 2;

/**
 * Build the dashboard's entries once for a store that has decisions but no entries yet, and give
 * the entries of a store at version 1 their month (one _id lookup once up to date).
 */
export async function upgradeCompliance(models: Models): Promise<void> {
  const at = (await models.Counter.findById(MARK, { seq: 1 }).lean())?.seq ?? 0;
  if (at >= VERSION) return;
  if (at === 0) await rebuildCompliance(models);
  else for await (const e of models.ComplianceEntry.find({}, { updatedAt: 1, month: 1 }).lean().cursor({ batchSize: 500 })) if (!e.month) await models.ComplianceEntry.updateOne({ _id: e._id }, { $set: { month: monthOf(e.updatedAt) } });
  await upsertRetrying(() => models.Counter.updateOne({ _id: MARK }, { $max: { seq: VERSION } }, { upsert: true }));
}
