/**
 * The annual decision catalogue (决策事项目录; Decree 713 Art. 3(3), Ningxia Decree 115 Art. 4) in
 * the store: an agency's draft for a year, the Party committee's consent to exactly that content,
 * the published versions (each kept, never changed), adjustments, and how each item stands against
 * its planned quarter — figures the dashboard reads as they are.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { CATEGORIES } from '../workflows/records';
import { chinaDate } from '../workflows/time';
import type { Models } from './models';

const text = (max: number, min = 1) => z.string().trim().min(min).max(max);

/** One item of a catalogue as the office writes it; `id` is kept across versions once given. */
export const CatalogueItemSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{3,80}$/).optional().describe('an existing item keeps its id across versions; a new item gets one'),
    title: text(300, 2).describe('决策事项名称'),
    draftingUnit: text(200, 2).describe('承办单位'),
    category: z.enum(CATEGORIES).describe('Art. 3 category'),
    quarter: z.number().int().min(1).max(4).describe('计划完成时间（季度）'),
    basis: text(1000, 2).describe('决策依据'),
    publicParticipation: z.boolean().default(true).describe('拟公众参与'),
    expertReview: z.boolean().default(true).describe('拟专家论证'),
    riskAssessment: z.boolean().default(true).describe('拟风险评估'),
    note: text(1000).optional().describe('备注'),
  })
  .strict();
export type CatalogueItemInput = z.infer<typeof CatalogueItemSchema>;
export type CatalogueItem = CatalogueItemInput & { id: string; no: number };

/** The Party committee's consent (同级党委同意) to one content of the draft. */
export interface Consent {
  committee: string;
  documentRef: string;
  consentedOn: string;
  /** sha256 of the items the consent was given to: a changed draft needs consent again. */
  contentHash: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface CatalogueDraft {
  items: CatalogueItem[];
  /** Why the published catalogue is adjusted (every version after the first). */
  reason: string | null;
  consent: Consent | null;
  updatedBy: string;
  updatedAt: Date;
}

/** One entry of a catalogue's own record: what was done to it, or refused. */
export interface CatalogueEvent {
  at: Date;
  actor: string;
  action: string;
  result: 'accepted' | 'refused';
  code?: string;
  summary: string;
}

export const catalogueId = (agencyId: string, year: number) => `${agencyId}-${year}`;
export const CatalogueIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,80}-\d{4}$/, 'not a catalogue id');

/** The catalogue an item id belongs to: `${agencyId}-${year}-${nn}`. */
export function catalogueOfItem(itemId: string): string | null {
  const m = /^(.+-\d{4})-\d+$/.exec(itemId);
  return m ? m[1] : null;
}

/** A content hash that does not depend on key order (what the consent binds to). */
export function contentHash(items: readonly CatalogueItem[]): string {
  const canonical = items.map((i) => Object.fromEntries(Object.entries(i).sort(([a], [b]) => a.localeCompare(b))));
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Record what was done to a catalogue, or refused, beside it. */
export async function noteCatalogueEvent(models: Models, id: string, e: Omit<CatalogueEvent, 'at'>): Promise<void> {
  await models.Catalogue.updateOne({ _id: id }, { $push: { history: { at: new Date(), ...e } } });
}

/** The published version of a catalogue (the latest, or version n). */
export async function publishedVersion(models: Models, id: string, version?: number) {
  const c = await models.Catalogue.findById(id, { published: 1 }).lean();
  const v = version ?? c?.published ?? 0;
  if (!c || !v || v > c.published) return null;
  return models.CatalogueVersion.findById(`${id}:v${v}`).lean();
}

/** An item of a catalogue's latest published version, with the catalogue's agency and year. */
export async function publishedItem(models: Models, itemId: string): Promise<{ item: CatalogueItem; agency: string; year: number; version: number } | null> {
  const id = catalogueOfItem(itemId);
  if (!id) return null;
  const [c, v] = await Promise.all([models.Catalogue.findById(id, { agency: 1, year: 1 }).lean(), publishedVersion(models, id)]);
  const item = (v?.items as CatalogueItem[] | undefined)?.find((i) => i.id === itemId);
  return c && v && item ? { item, agency: c.agency, year: c.year, version: v.version } : null;
}

// ——— Items against their planned quarter ———

/** Step kinds that come after the decision body has decided (Arts. 31-37). */
const DECIDED_KINDS = new Set(['party-report', 'congress', 'publication', 'archive', 'implementation', 'post-evaluation', 'adjustment']);

export type ItemState = 'planned' | 'not-started' | 'in-progress' | 'decided' | 'overdue';

export interface ItemStanding {
  itemId: string;
  state: ItemState;
  /** Its quarter has begun and no decision carries it out yet. */
  notStarted: boolean;
  /** Its quarter has ended and the decision body has not decided it. */
  overdue: boolean;
  quarterStart: string;
  quarterEnd: string;
  decisions: { id: string; title: string; status: string; decided: boolean; currentSteps: string[] }[];
}

/** The first and last day of a quarter (China dates). */
export function quarterRange(year: number, quarter: number): { start: string; end: string } {
  const first = 3 * quarter - 2;
  const last = new Date(Date.UTC(year, 3 * quarter, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { start: `${year}-${mm(first)}-01`, end: `${year}-${mm(3 * quarter)}-${last}` };
}

/** How one item stands today: the decisions carrying it out, and whether it is late to start or to be decided. */
export async function itemStanding(models: Models, item: Pick<CatalogueItem, 'id' | 'quarter'>, year: number, now = Date.now()): Promise<ItemStanding> {
  const docs = await models.Decision.find({ catalogueItem: item.id }, { title: 1, status: 1, currentKinds: 1, currentSteps: 1 }).lean();
  const today = chinaDate(now);
  const { start, end } = quarterRange(year, item.quarter);
  const decisions = docs.map((d) => ({
    id: d._id,
    title: d.title,
    status: d.status,
    decided: d.status === 'completed' || (d.currentKinds ?? []).some((k) => DECIDED_KINDS.has(k)),
    currentSteps: d.currentSteps ?? [],
  }));
  const decided = decisions.some((d) => d.decided);
  const notStarted = decisions.length === 0 && today >= start;
  const overdue = !decided && today > end;
  const state: ItemState = decided ? 'decided' : overdue ? 'overdue' : decisions.length ? 'in-progress' : notStarted ? 'not-started' : 'planned';
  return { itemId: item.id, state, notStarted, overdue, quarterStart: start, quarterEnd: end, decisions };
}

/** Every item of a published catalogue version with its standing. */
export async function catalogueStanding(models: Models, items: readonly CatalogueItem[], year: number, now = Date.now()): Promise<ItemStanding[]> {
  return Promise.all(items.map((i) => itemStanding(models, i, year, now)));
}

// ——— Figures for the dashboard ———

export interface CatalogueFigures {
  agency: string;
  year: number;
  catalogueId: string | null;
  /** The published version, 0 when not published. */
  published: number;
  publishedAt: Date | null;
  /** A draft or adjustment is open; consentRecorded: the Party committee consented to its present content. */
  draftOpen: boolean;
  consentRecorded: boolean;
  items: number;
  linked: number;
  decided: number;
  notStarted: number;
  overdue: number;
}

/** Per agency, for one year: is there a published catalogue, and how its items stand. */
export async function catalogueFigures(models: Models, agencies: readonly string[], year: number, now = Date.now()): Promise<CatalogueFigures[]> {
  const catalogues = await models.Catalogue.find({ year }).lean();
  return Promise.all(
    agencies.map(async (agency) => {
      const c = catalogues.find((x) => x.agency === agency);
      const empty: CatalogueFigures = { agency, year, catalogueId: null, published: 0, publishedAt: null, draftOpen: false, consentRecorded: false, items: 0, linked: 0, decided: 0, notStarted: 0, overdue: 0 };
      if (!c) return empty;
      const draft = c.draft as CatalogueDraft | null;
      const v = c.published ? await models.CatalogueVersion.findById(`${c._id}:v${c.published}`).lean() : null;
      const standing = v ? await catalogueStanding(models, v.items as CatalogueItem[], year, now) : [];
      return {
        ...empty,
        catalogueId: c._id,
        published: c.published,
        publishedAt: c.publishedAt ?? null,
        draftOpen: Boolean(draft),
        consentRecorded: Boolean(draft?.consent && draft.consent.contentHash === contentHash(draft.items)),
        items: standing.length,
        linked: standing.filter((s) => s.decisions.length).length,
        decided: standing.filter((s) => s.state === 'decided').length,
        notStarted: standing.filter((s) => s.notStarted).length,
        overdue: standing.filter((s) => s.overdue).length,
      };
    }),
  );
}
