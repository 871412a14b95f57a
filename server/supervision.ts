/**
 * The compliance dashboard's reads: per agency and year, from the counts the projection keeps
 * (activities/compliance.ts) — one _id lookup per agency-year, however many decisions there are —
 * and the decisions behind any figure, by one equality filter per agency-year on the entries' keys.
 * Every figure carries the `fact` that names its decisions, so the UI links each number to them.
 */
import { addWorkingDays, type WorkingCalendar } from '../workflows/calendar';
import { chinaDate } from '../workflows/time';
import { STEP_KINDS, REFUSAL_CLASSES } from '../definitions/statute';
import { ayOf, monthOf, scopedKey } from '../activities/compliance';
import type { ComplianceFold } from '../activities/compliance-facts';
import { findByIds, type Models } from '../activities/models';
import { ConfigSchema } from './config';

/** A number on the dashboard and the fact that names the decisions behind it. */
export interface Figure {
  n: number;
  fact: string;
}

/** Which agencies (a part of the name) and which year (all years when absent). */
export interface SupervisionFilter {
  year?: number;
  agency?: string;
}

/** The facts a drill-down or an export accepts: the key grammar of activities/compliance-facts.ts, plus due-soon. */
export const FACT_PATTERN =
  /^(started|overdue|due-soon|late|decided|against|adviser|st\|[a-z-]{1,40}|short\|(consultation|review)|ref\|(statutory|input|state|authorization)|k\|[a-z-]{1,40}\|(done|na|overdue|late)|k\|[a-z-]{1,40}\|na\|[a-z-]{1,40}|k\|[a-z-]{1,40}\|days\|\d{1,5}|ind\|(legality|pp\|required|pp\|done))$/;

/** Remind-window of the notifications (JUECE_DUE_SOON_DAYS), validated as the config does. */
let dueSoonDays: number | undefined;
const soonDays = () => (dueSoonDays ??= ConfigSchema.shape.JUECE_DUE_SOON_DAYS.parse(process.env.JUECE_DUE_SOON_DAYS));

/** Today in China and the last day that counts as due soon (N working days ahead). */
export function dueWindow(calendar: WorkingCalendar, now = Date.now()) {
  const today = chinaDate(now);
  return { today, until: addWorkingDays(calendar, today, soonDays()).date, days: soonDays() };
}

/** The agencies of a scope a filter selects: a part of the name matches. */
export const agenciesOf = (scope: readonly string[], f: SupervisionFilter) => scope.filter((a) => !f.agency || a.includes(f.agency.trim()));

/** The years anything was counted in, newest first. */
export async function countedYears(models: Models): Promise<number[]> {
  return ((await models.ComplianceCount.distinct('year')) as number[]).sort((a, b) => b - a);
}

type Counts = Record<string, number>;
interface AgencyYear {
  ay: string;
  agency: string;
  year: number;
  counts: Counts;
}

/** The counts documents of these agencies in these years, by _id (missing ones are left out). */
export async function readCounts(models: Models, agencies: readonly string[], years: readonly number[]): Promise<AgencyYear[]> {
  const ids = years.flatMap((y) => agencies.map((a) => ayOf(a, y)));
  const docs = await findByIds((id) => models.ComplianceCount.findById(id).lean(), ids);
  return docs.map((d) => ({ ay: d._id, agency: d.agency, year: d.year, counts: (d.counts ?? {}) as Counts }));
}

const sum = (docs: readonly AgencyYear[], pick: (c: Counts) => number) => docs.reduce((n, d) => n + pick(d.counts), 0);
const key = (k: string) => (c: Counts) => c[k] ?? 0;
/** Decisions due soon: earliest open due date from today to the window's end. */
const dueSoon = (today: string, until: string) => (c: Counts) => Object.entries(c).reduce((n, [k, v]) => (k.startsWith('due|') && k.slice(4) >= today && k.slice(4) <= until ? n + v : n), 0);

/** The median (lower) and the largest of a histogram of days. */
function daysOf(docs: readonly AgencyYear[], kind: string) {
  const prefix = `k|${kind}|days|`;
  const hist = new Map<number, number>();
  for (const d of docs) for (const [k, v] of Object.entries(d.counts)) if (k.startsWith(prefix) && v > 0) hist.set(Number(k.slice(prefix.length)), (hist.get(Number(k.slice(prefix.length))) ?? 0) + v);
  const days = [...hist.keys()].sort((a, b) => a - b);
  const count = [...hist.values()].reduce((a, b) => a + b, 0);
  if (!count) return null;
  let seen = 0;
  let median = days[0];
  for (const d of days) {
    seen += hist.get(d)!;
    if (seen >= Math.ceil(count / 2)) {
      median = d;
      break;
    }
  }
  const max = days[days.length - 1];
  return { count, median, max, medianFact: `k|${kind}|done`, maxFact: `k|${kind}|days|${max}` };
}

/**
 * A section another part of supervision adds to the dashboard — urgings (督办) open and answered,
 * the annual catalogue's items not started or overdue. EXTENSION POINT: push a provider into
 * `dashboardExtensions`; the UI draws each section's figures (with links) after the built-in ones.
 */
export interface DashboardSection {
  id: string;
  title: { zh: string; en: string };
  figures: { label: { zh: string; en: string }; n: number; href?: string }[];
}
export type DashboardExtension = (models: Models, scope: { agencies: string[]; year?: number }) => Promise<DashboardSection | null>;
export const dashboardExtensions: DashboardExtension[] = [];

/** The dashboard of the agencies and year a filter selects within a reader's scope. */
export async function dashboard(models: Models, calendar: WorkingCalendar, scope: readonly string[], f: SupervisionFilter) {
  const agencies = agenciesOf(scope, f);
  const years = await countedYears(models);
  const docs = await readCounts(models, agencies, f.year ? [f.year] : years);
  const { today, until, days } = dueWindow(calendar);
  const fig = (k: string, of: readonly AgencyYear[] = docs): Figure => ({ n: sum(of, key(k)), fact: k });
  const soon = (of: readonly AgencyYear[] = docs): Figure => ({ n: sum(of, dueSoon(today, until)), fact: 'due-soon' });

  const kinds = STEP_KINDS.map((kind) => {
    const grounds = new Map<string, number>();
    const prefix = `k|${kind}|na|`;
    for (const d of docs) for (const [k, v] of Object.entries(d.counts)) if (k.startsWith(prefix) && v > 0) grounds.set(k.slice(prefix.length), (grounds.get(k.slice(prefix.length)) ?? 0) + v);
    return {
      kind,
      performed: fig(`k|${kind}|done`),
      notApplicable: fig(`k|${kind}|na`),
      grounds: [...grounds].sort((a, b) => b[1] - a[1]).map(([ground, n]) => ({ ground, n, fact: `${prefix}${ground}` })),
      overdue: fig(`k|${kind}|overdue`),
      late: fig(`k|${kind}|late`),
      days: daysOf(docs, kind),
    };
  }).filter((k) => k.performed.n || k.notApplicable.n || k.overdue.n || k.late.n);

  const byAgency = agencies.map((agency) => {
    const of = docs.filter((d) => d.agency === agency);
    return {
      agency,
      started: fig('started', of),
      completed: fig('st|completed', of),
      inProgress: fig('st|in-progress', of),
      overdue: fig('overdue', of),
      dueSoon: soon(of),
      late: fig('late', of),
      statutoryRefusals: fig('ref|statutory', of),
    };
  });

  const extensions = (await Promise.all(dashboardExtensions.map((x) => x(models, { agencies, year: f.year })))).filter((s): s is DashboardSection => s !== null);
  return {
    year: f.year ?? null,
    years,
    agencies: byAgency,
    today,
    dueSoonUntil: until,
    dueSoonDays: days,
    totals: {
      started: fig('started'),
      completed: fig('st|completed'),
      inProgress: fig('st|in-progress'),
      incident: fig('st|incident'),
      overdue: fig('overdue'),
      dueSoon: soon(),
      late: fig('late'),
      decided: fig('decided'),
      against: fig('against'),
      shortConsultation: fig('short|consultation'),
      shortReview: fig('short|review'),
    },
    kinds,
    refusals: REFUSAL_CLASSES.map((cls) => ({ class: cls, attempts: sum(docs, key(`rf|${cls}`)), decisions: fig(`ref|${cls}`) })),
    extensions,
  };
}

/** A decision behind a figure, with what the figure is about (a reason, a duration). */
export interface DrillRow {
  id: string;
  title: string;
  agency: string;
  draftingUnit: string;
  status: string;
  year: number;
  createdAt: Date;
  updatedAt: Date;
  keys: string[];
  note: string | null;
}

/** Whether a fact's rows show a note from the decision's fold. */
const hasNote = (fact: string) => ['short|consultation', 'short|review', 'against'].includes(fact) || /^k\|([a-z-]+)\|(done|days\|\d+)$/.test(fact);

/** What a row of this fact shows beside the decision: the reasons given, or the days a step took. */
function noteOf(fact: string, fold: ComplianceFold | undefined): string | null {
  if (!fold) return null;
  if (fact === 'short|consultation') return fold.shortConsultations.join('；') || null;
  if (fact === 'short|review') return fold.shortReview;
  if (fact === 'against') return fold.against;
  const kind = /^k\|([a-z-]+)\|(done|days\|\d+)$/.exec(fact)?.[1];
  return kind && fold.days[kind] !== undefined ? String(fold.days[kind]) : null;
}

type EntryDoc = { _id: string; ay: string; title: string; agency: string; draftingUnit: string; status: string; year: number; createdAt: Date; updatedAt: Date; keys: string[]; fold?: ComplianceFold };

/**
 * Where the decisions behind a fact are: one equality filter per agency-year whose count of the
 * fact is not zero (due-soon: one per due date in the window), on the entries' keys or, for
 * refusals, on the refusal classes they met.
 */
async function factQueries(models: Models, calendar: WorkingCalendar, scope: readonly string[], f: SupervisionFilter, fact: string): Promise<{ filter: Record<string, string>; n: number }[]> {
  const years = f.year ? [f.year] : await countedYears(models);
  const docs = await readCounts(models, agenciesOf(scope, f), years);
  const { today, until } = dueWindow(calendar);
  const queries: { filter: Record<string, string>; n: number }[] = [];
  for (const d of docs) {
    const keys = fact === 'due-soon' ? Object.keys(d.counts).filter((k) => k.startsWith('due|') && k.slice(4) >= today && k.slice(4) <= until) : [fact];
    for (const k of keys) if ((d.counts[k] ?? 0) > 0) queries.push({ filter: { [k.startsWith('ref|') ? 'refused' : 'keys']: scopedKey(d.ay, k) }, n: d.counts[k] });
  }
  return queries;
}

const rowOf = (fact: string, e: EntryDoc): DrillRow => ({
  id: e._id,
  title: e.title,
  agency: e.agency,
  draftingUnit: e.draftingUnit,
  status: e.status,
  year: e.year,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  keys: e.keys.map((k) => k.slice(e.ay.length + 1)),
  note: noteOf(fact, e.fold),
});

/** Every decision behind a fact in the agencies and year(s) a filter selects, newest first. */
export async function decisionsBehind(models: Models, calendar: WorkingCalendar, scope: readonly string[], f: SupervisionFilter, fact: string): Promise<DrillRow[]> {
  const queries = await factQueries(models, calendar, scope, f, fact);
  const found = new Map<string, EntryDoc>();
  for (let i = 0; i < queries.length; i += 8)
    for (const rows of await Promise.all(queries.slice(i, i + 8).map((q) => models.ComplianceEntry.find(q.filter, { refused: 0, seq: 0 }).lean() as unknown as Promise<EntryDoc[]>))) for (const r of rows) found.set(r._id, r);
  return [...found.values()].sort(newestFirst).map((e) => rowOf(fact, e));
}

/** Each entry once: the fallback after a month walk reads again entries the walk already found. */
const dedupe = (rows: EntryDoc[]) => [...new Map(rows.map((r) => [r._id, r])).values()];

const newestFirst = (a: { _id: string; updatedAt: Date }, b: { _id: string; updatedAt: Date }) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a._id < b._id ? -1 : 1);

/** An agency-year's figure of at most this many decisions is read at once; a larger one month by month. */
export const DRILL_TUNING = { readAtOnce: 300 };

/** The months from `newest` back to `oldest` (YYYY-MM), newest first. */
function monthsBack(newest: string, oldest: string): string[] {
  const out: string[] = [];
  let [y, m] = newest.split('-').map(Number);
  for (let month = newest; month >= oldest; month = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(month);
    if (--m === 0) [y, m] = [y - 1, 12];
  }
  return out;
}

/**
 * One page of the decisions behind a fact, newest first, and how many there are. The total is the
 * figure itself (the counts). FerretDB sorts and limits in its own code over everything a filter
 * matched, so an agency-year whose figure is small is read at once, and one whose figure is large
 * month by month, newest first (its key and the month are both equalities FerretDB runs in SQL),
 * until the months read hold the page: any entry of an older month is older than all of them. The
 * entries are read without their folds; the page's own folds are read by _id for the notes.
 * Due-soon (a decision may be due on several dates, so counted under several keys) reads them all.
 */
export async function decisionsPage(
  models: Models,
  calendar: WorkingCalendar,
  scope: readonly string[],
  f: SupervisionFilter,
  fact: string,
  page: number,
  pageSize: number,
  tuning = DRILL_TUNING,
): Promise<{ total: number; rows: DrillRow[] }> {
  if (fact === 'due-soon') {
    const rows = await decisionsBehind(models, calendar, scope, f, fact);
    return { total: rows.length, rows: rows.slice((page - 1) * pageSize, page * pageSize) };
  }
  const queries = await factQueries(models, calendar, scope, f, fact);
  const upTo = page * pageSize;
  const lean = { refused: 0, seq: 0, fold: 0 };
  const inEights = async (filters: Record<string, string>[], read: (filter: Record<string, string>) => Promise<EntryDoc[]>) => {
    const out: EntryDoc[] = [];
    for (let i = 0; i < filters.length; i += 8) for (const rows of await Promise.all(filters.slice(i, i + 8).map(read))) out.push(...rows);
    return out;
  };
  const small = queries.filter((q) => q.n <= tuning.readAtOnce);
  const large = queries.filter((q) => q.n > tuning.readAtOnce);
  const heads = await inEights(
    small.map((q) => q.filter),
    (filter) => models.ComplianceEntry.find(filter, lean).sort({ updatedAt: -1, _id: 1 }).limit(upTo).lean() as unknown as Promise<EntryDoc[]>,
  );
  if (large.length) {
    const years = f.year ? [f.year] : await countedYears(models);
    const inLarge = large.reduce((n, q) => n + q.n, 0);
    const enough = Math.min(upTo, inLarge);
    let found = 0;
    // From a month ahead (a worker's clock may run fast) back to the December before the first year
    // (a decision's year is China's, its month UTC's).
    const ahead = monthOf(new Date(Date.now() + 31 * 86_400_000));
    for (const month of monthsBack(ahead, `${Math.min(...years) - 1}-12`)) {
      const rows = await inEights(
        large.map((q) => ({ ...q.filter, month })),
        (filter) => models.ComplianceEntry.find(filter, lean).lean() as unknown as Promise<EntryDoc[]>,
      );
      heads.push(...rows);
      if ((found += rows.length) >= enough) break;
    }
    // Entries outside those months (an imported procedure's dates): read as a small figure is.
    if (found < enough)
      heads.push(...(await inEights(large.map((q) => q.filter), (filter) => models.ComplianceEntry.find(filter, lean).sort({ updatedAt: -1, _id: 1 }).limit(upTo).lean() as unknown as Promise<EntryDoc[]>)));
  }
  const onPage = dedupe(heads).sort(newestFirst).slice((page - 1) * pageSize, upTo);
  const folds = new Map(
    hasNote(fact)
      ? (await findByIds((id) => models.ComplianceEntry.findById(id, { fold: 1 }).lean(), onPage.map((e) => e._id))).map((d) => [d._id, d.fold as ComplianceFold])
      : [],
  );
  return { total: queries.reduce((n, q) => n + q.n, 0), rows: onPage.map((e) => rowOf(fact, { ...e, fold: folds.get(e._id) })) };
}

/**
 * The same decisions as a stream, agency-year by agency-year as the store returns them (not
 * sorted): an export of any size holds one batch of the store's cursor at a time, not every row.
 */
export async function* streamDecisionsBehind(models: Models, calendar: WorkingCalendar, scope: readonly string[], f: SupervisionFilter, fact: string): AsyncGenerator<DrillRow> {
  const seen = new Set<string>();
  for (const q of await factQueries(models, calendar, scope, f, fact)) {
    for await (const e of models.ComplianceEntry.find(q.filter, { refused: 0, seq: 0 }).lean().cursor({ batchSize: 500 }) as AsyncIterable<EntryDoc>) {
      if (seen.has(e._id)) continue;
      seen.add(e._id);
      yield rowOf(fact, e);
    }
  }
}
