/**
 * The annual decision catalogue (决策事项目录; Decree 713 Art. 3(3), Ningxia Decree 115 Art. 4):
 * the office of an agency drafts its year's catalogue, records the Party committee's consent to
 * exactly that content, publishes it (refused until the consent is on record), and adjusts it
 * later with the same consent, every version kept. Published catalogues are public: a page
 * without login and CSV/xlsx exports. Decisions link to items (at creation, or here by the
 * office); the decision body exempts a catalogue item from the full-procedure policy.
 */
import { z } from 'zod';
import { CATALOGUE_ARTICLE, reasonOf } from '../definitions/statute';
import { CATEGORY_LABELS } from '../definitions/labels';
import {
  catalogueId,
  CatalogueIdSchema,
  CatalogueItemSchema,
  catalogueStanding,
  contentHash,
  noteCatalogueEvent,
  publishedItem,
  publishedVersion,
  type CatalogueDraft,
  type CatalogueItem,
  type Consent,
} from '../activities/catalogue';
import { readScope, type Principal } from '../activities/people';
import { isDuplicateKey } from '../activities/models';
import { inTurn } from '../activities/in-turn';
import { eventUpdate } from '../workflows/handles';
import { FULL_PROCEDURE_KINDS } from '../definitions/statute';
import { isoDate } from '../workflows/records';
import { chinaDate } from '../workflows/time';
import { ApiError } from './errors';
import { esc, page, sendDownload, sendPage, zhDate } from './print';
import { rosterOf } from './roster';
import { DecisionId, OccurredOn, queryState, recordRefusal, route, type AppDeps, type Route } from './route-kit';
import { actAndView } from './updates';
import { writeCsv, writeXlsx, type Cell } from './xlsx';

const Cid = z.object({ cid: CatalogueIdSchema });
const Year = z.coerce.number().int().min(2000).max(2100);

/** The agency a secretariat acts for; catalogues are its office's work. */
function ownAgency(p: Principal): { id: string; name: string } {
  if (!p.agency) throw new ApiError('FORBIDDEN', 'You act for no agency.', { required: ['secretariat'], zh: '您不属于任何决策机关。' });
  return p.agency;
}

type CatalogueDoc = NonNullable<Awaited<ReturnType<typeof loadCatalogue>>>;
const loadCatalogue = (deps: AppDeps, id: string) => deps.models.Catalogue.findById(id).lean();

/** A catalogue this person may read (their agency's, or one in a supervisor's jurisdiction); 404 otherwise. */
async function readable(deps: AppDeps, p: Principal, id: string): Promise<CatalogueDoc> {
  const c = await loadCatalogue(deps, id);
  if (!c || !readScope(p, []).agencies.includes(c.agency)) throw new ApiError('NOT_FOUND', `No catalogue ${id}.`);
  return c;
}

/** A catalogue of this office's own agency, to change. */
async function own(deps: AppDeps, p: Principal, id: string): Promise<CatalogueDoc> {
  const c = await loadCatalogue(deps, id);
  const agency = ownAgency(p);
  if (!c || c.agencyId !== agency.id) throw new ApiError('NOT_FOUND', `No catalogue ${id} of ${agency.name}.`);
  return c;
}

/** The catalogue as its office and the supervisors see it: the draft with its consent, the versions, the items' standing. */
async function catalogueView(deps: AppDeps, c: CatalogueDoc) {
  const draft = c.draft as CatalogueDraft | null;
  const versions = await Promise.all(Array.from({ length: c.published }, (_, i) => deps.models.CatalogueVersion.findById(`${c._id}:v${i + 1}`).lean()));
  const latest = versions.at(-1) ?? null;
  const standing = latest ? await catalogueStanding(deps.models, latest.items as CatalogueItem[], c.year) : [];
  return {
    id: c._id,
    agency: c.agency,
    year: c.year,
    published: c.published,
    publishedAt: c.publishedAt,
    draft: draft ? { ...draft, version: c.draftVersion, contentHash: contentHash(draft.items), consentCurrent: Boolean(draft.consent && draft.consent.contentHash === contentHash(draft.items)) } : null,
    versions: versions.filter((v) => v !== null).map((v) => ({ version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy, consent: v.consent, adjustment: v.adjustment, items: v.items, contentHash: v.contentHash })),
    standing,
    history: c.history ?? [],
    publicUrl: c.published ? `/catalogues/${c._id}` : null,
  };
}

const DraftBody = z
  .object({
    // Counted before the items are read: 201 items are refused as too many, not as 201 faulty items.
    items: z.array(z.unknown()).min(1).max(200).pipe(z.array(CatalogueItemSchema)).describe('the whole list of items, in order'),
    reason: z.string().trim().min(5).max(2000).optional().describe('调整理由: required once the catalogue has been published'),
  })
  .strict();

const ConsentBody = z
  .object({
    committee: z.string().trim().min(2).max(200).describe('同级党委，如“中共银川市委”'),
    documentRef: z.string().trim().min(2).max(200).describe('同意的文件或会议纪要文号'),
    consentedOn: isoDate.describe('党委同意的日期'),
  })
  .strict();

/** Nothing to consent to or publish: a state refusal, as the statute catalogue's reasons are shaped. */
const noDraft = (zh: string, en: string) => ({ code: 'CATALOGUE_NO_DRAFT', class: 'state' as const, article: CATALOGUE_ARTICLE, zh, en, missing: ['draft'] });

/**
 * A change to one catalogue in its turn (activities/in-turn.ts): its draft, item counter and
 * history are read, checked and written by one writer at a time where the store does not isolate
 * updates, so concurrent saves neither reuse an item number nor lose an event of the history.
 */
const inTurnOf = <T>(deps: AppDeps, cid: string, change: () => Promise<T>) => inTurn(deps.models, deps.models.Catalogue, cid, change);

/** Record a refused change on the catalogue, then throw it. */
async function refuse(deps: AppDeps, id: string, actor: string, action: string, e: ApiError): Promise<never> {
  await noteCatalogueEvent(deps.models, id, { actor, action, result: 'refused', code: e.code, summary: e.message });
  throw e;
}

// ——— Exports ———

const HEADER = ['序号', '决策事项名称', '承办单位', '事项类别', '计划完成时间', '决策依据', '拟公众参与', '拟专家论证', '拟风险评估', '备注'];
const rowOf = (i: CatalogueItem): Cell[] => [i.no, i.title, i.draftingUnit, CATEGORY_LABELS[i.category]?.zh ?? i.category, `第${'一二三四'[i.quarter - 1]}季度`, i.basis, i.publicParticipation, i.expertReview, i.riskAssessment, i.note ?? ''];

/** The published version asked for (latest by default), or 404: drafts are never public. */
async function publicVersion(deps: AppDeps, id: string, version?: number) {
  const [c, v] = await Promise.all([loadCatalogue(deps, id), publishedVersion(deps.models, id, version)]);
  if (!c || !v) throw new ApiError('NOT_FOUND', `No published catalogue ${id}${version ? ` version ${version}` : ''}.`);
  return { c, v, items: v.items as CatalogueItem[] };
}

function publicPage(c: CatalogueDoc, v: { version: number; publishedAt: Date; consent: Consent; adjustment: { reason: string } | null }, items: CatalogueItem[], versions: number): string {
  const title = `${c.agency}${c.year}年度重大行政决策事项目录`;
  const yes = (b: boolean) => (b ? '是' : '否');
  const rows = items
    .map((i) => `<tr><td>${i.no}</td><td>${esc(i.title)}</td><td>${esc(i.draftingUnit)}</td><td>${esc(CATEGORY_LABELS[i.category]?.zh ?? i.category)}</td><td>第${'一二三四'[i.quarter - 1]}季度</td><td>${esc(i.basis)}</td><td>${yes(i.publicParticipation)}</td><td>${yes(i.expertReview)}</td><td>${yes(i.riskAssessment)}</td><td>${esc(i.note ?? '')}</td></tr>`)
    .join('');
  const others = versions > 1 ? `<p class="muted">历次版本 Versions：${Array.from({ length: versions }, (_, k) => `<a href="/catalogues/${esc(c._id)}?version=${k + 1}">第${k + 1}版</a>`).join(' ')}</p>` : '';
  return page(
    title,
    `<h1>${esc(title)}</h1>
<p class="meta">第${v.version}版 · ${zhDate(v.publishedAt)}公布 · 经${esc(v.consent.committee)}同意（${esc(v.consent.documentRef)}，${zhDate(v.consent.consentedOn)}）</p>
<p class="en">${esc(c.agency)} — annual catalogue of major administrative decisions for ${c.year}, version ${v.version}, published with the consent of the Party committee (Decree 713 Art. 3(3)).</p>
${v.adjustment ? `<p>本版为调整后目录，调整理由：${esc(v.adjustment.reason)}</p>` : ''}
<table><thead><tr>${HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<p class="noprint"><a href="/api/public/catalogues/${esc(c._id)}/export.xlsx?version=${v.version}">下载 Excel</a> · <a href="/api/public/catalogues/${esc(c._id)}/export.csv?version=${v.version}">下载 CSV</a></p>
${others}
<footer>依据《重大行政决策程序暂行条例》第三条第三款、《宁夏回族自治区重大行政决策规定》第四条公布。</footer>`,
  );
}

/** The catalogue item a new decision carries out, as the workflow takes it; a 400 naming the field when it is not a published item of the agency. */
export async function catalogueItemRef(deps: AppDeps, itemId: string, agency: string) {
  const found = await publishedItem(deps.models, itemId);
  if (!found || found.agency !== agency)
    throw new ApiError('VALIDATION_FAILED', `No item ${itemId} in a published catalogue of ${agency}.`, [{ path: 'body.catalogueItem', message: `${agency}已公布的决策事项目录中没有此事项。`, en: 'not an item of a published catalogue of this agency' }]);
  return { itemId: found.item.id, title: found.item.title, year: found.year, fullProcedure: deps.supervision?.catalogueFullProcedure ?? false };
}

const VersionQuery = z.object({ version: z.coerce.number().int().min(1).max(1000).optional() });

export const decisionCatalogueRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/catalogues',
    summary: 'The annual decision catalogues in your reach (your agency’s; a supervisor’s jurisdiction), by year',
    access: { user: true },
    schemas: { query: z.object({ year: Year.optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const agencies = readScope(principal!, []).agencies;
      const docs = query.year ? await deps.models.Catalogue.find({ year: query.year }).lean() : (await Promise.all(agencies.map((agency) => deps.models.Catalogue.find({ agency }).lean()))).flat();
      const items = docs
        .filter((c) => agencies.includes(c.agency))
        .sort((a, b) => b.year - a.year || a.agency.localeCompare(b.agency))
        .map((c) => ({ id: c._id, agency: c.agency, year: c.year, published: c.published, publishedAt: c.publishedAt, draftOpen: Boolean(c.draft) }));
      return { items, canCreate: principal!.roles.includes('secretariat') ? principal!.agency : null };
    },
  }),
  route({
    method: 'post',
    path: '/api/catalogues',
    summary: "Open the agency's catalogue for a year (the office), empty until its items are saved",
    access: { roles: ['secretariat'] },
    schemas: { body: z.object({ year: Year }).strict() },
    errors: [400, 409],
    handler: async ({ body }, { res, actor, principal, deps }) => {
      const agency = ownAgency(principal!);
      const id = catalogueId(agency.id, body.year);
      const now = new Date();
      try {
        await deps.models.Catalogue.create({ _id: id, agencyId: agency.id, agency: agency.name, year: body.year, draftVersion: 1, draft: { items: [], reason: null, consent: null, updatedBy: actor, updatedAt: now }, published: 0, history: [{ at: now, actor, action: 'create', result: 'accepted', summary: `opened the ${body.year} catalogue` }], createdAt: now, updatedAt: now });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ApiError('ALREADY_EXISTS', `${agency.name} already has a catalogue for ${body.year} (${id}); adjust it instead.`);
        throw err;
      }
      res.status(201);
      return catalogueView(deps, (await loadCatalogue(deps, id))!);
    },
  }),
  route({
    method: 'get',
    path: '/api/catalogues/:cid',
    summary: 'One catalogue: the draft with its consent, every published version, how each item stands (not started, overdue) and what was done to it',
    access: { user: true },
    schemas: { params: Cid },
    errors: [404],
    handler: async ({ params }, { principal, deps }) => catalogueView(deps, await readable(deps, principal!, params.cid)),
  }),
  route({
    method: 'post',
    path: '/api/catalogues/:cid/draft',
    summary: 'Save the items of the draft (the office). Once published, saving opens an adjustment and needs its reason; a changed content needs the Party committee’s consent again.',
    access: { roles: ['secretariat'] },
    schemas: { params: Cid, body: DraftBody },
    errors: [400, 404, 409],
    handler: async ({ params, body }, { actor, principal, deps }) => inTurnOf(deps, params.cid, async () => {
      const c = await own(deps, principal!, params.cid);
      if (c.published && !c.draft && !body.reason)
        throw new ApiError('VALIDATION_FAILED', 'Adjusting a published catalogue needs the reason for the adjustment.', [{ path: 'body.reason', message: '调整已公布的目录须写明调整理由。', en: 'required to adjust a published catalogue' }]);
      // Items keep their ids across versions; a new item takes the next number of the catalogue.
      const previous = [...((c.draft as CatalogueDraft | null)?.items ?? []), ...(((await publishedVersion(deps.models, c._id))?.items as CatalogueItem[] | undefined) ?? [])];
      const unknown = body.items.map((i, k) => [i.id, k] as const).filter(([itemId]) => itemId && !previous.some((p) => p.id === itemId));
      if (unknown.length) throw new ApiError('VALIDATION_FAILED', 'Unknown item ids.', unknown.map(([itemId, k]) => ({ path: `body.items.${k}.id`, message: `目录中没有事项${itemId}。`, en: `no item ${itemId} in this catalogue` })));
      const ids = body.items.map((i) => i.id).filter(Boolean);
      if (new Set(ids).size !== ids.length) throw new ApiError('VALIDATION_FAILED', 'An item appears twice.', [{ path: 'body.items', message: '同一事项出现两次。', en: 'an item appears twice' }]);
      const fresh = body.items.filter((i) => !i.id).length;
      const bumped = fresh ? await deps.models.Catalogue.findOneAndUpdate({ _id: c._id }, { $inc: { nextItem: fresh } }, { returnDocument: 'after' }).lean() : c;
      let next = (bumped?.nextItem ?? c.nextItem) - fresh;
      const items: CatalogueItem[] = body.items.map((i, k) => ({ ...i, id: i.id ?? `${c._id}-${String(next++).padStart(2, '0')}`, no: k + 1 }));
      const draft = c.draft as CatalogueDraft | null;
      const hash = contentHash(items);
      // The consent stays only while it is consent to exactly this content.
      const consent = draft?.consent && draft.consent.contentHash === hash ? draft.consent : null;
      const reason = body.reason ?? draft?.reason ?? null;
      const version = draft ? c.draftVersion : c.published + 1;
      const now = new Date();
      await deps.models.Catalogue.updateOne({ _id: c._id }, { $set: { draft: { items, reason, consent, updatedBy: actor, updatedAt: now }, draftVersion: version, updatedAt: now } });
      await noteCatalogueEvent(deps.models, c._id, { actor, action: 'draft', result: 'accepted', summary: `${draft ? 'saved' : c.published ? 'opened an adjustment of' : 'saved'} version ${version}: ${items.length} items${consent ? '' : draft?.consent ? '; the earlier consent no longer covers the content' : ''}` });
      return catalogueView(deps, (await loadCatalogue(deps, c._id))!);
    }),
  }),
  route({
    method: 'post',
    path: '/api/catalogues/:cid/consent',
    summary: "Record the Party committee's consent to the draft as it stands (Decree 713 Art. 3(3)): committee, document and date",
    access: { roles: ['secretariat'] },
    schemas: { params: Cid, body: ConsentBody },
    errors: [400, 404, 409],
    handler: async ({ params, body }, { actor, principal, deps }) => inTurnOf(deps, params.cid, async () => {
      const c = await own(deps, principal!, params.cid);
      const draft = c.draft as CatalogueDraft | null;
      if (!draft || !draft.items.length) return refuse(deps, c._id, actor, 'consent', new ApiError('STEP_BLOCKED', 'There is no draft with items to consent to; save the items first.', [noDraft('没有待党委同意的目录草案，请先保存目录事项。', 'There is no draft with items to consent to; save the items first.')]));
      if (body.consentedOn > chinaDate(Date.now())) throw new ApiError('VALIDATION_FAILED', 'The consent cannot be dated in the future.', [{ path: 'body.consentedOn', message: '同意日期晚于今天。', en: 'after today' }]);
      const consent: Consent = { ...body, contentHash: contentHash(draft.items), recordedBy: actor, recordedAt: new Date() };
      await deps.models.Catalogue.updateOne({ _id: c._id, draftVersion: c.draftVersion }, { $set: { 'draft.consent': consent, updatedAt: new Date() } });
      await noteCatalogueEvent(deps.models, c._id, { actor, action: 'consent', result: 'accepted', summary: `recorded the consent of ${body.committee} (${body.documentRef}, ${body.consentedOn}) to version ${c.draftVersion}` });
      return catalogueView(deps, (await loadCatalogue(deps, c._id))!);
    }),
  }),
  route({
    method: 'post',
    path: '/api/catalogues/:cid/publish',
    summary: 'Publish the draft as the next version (the office): refused with 409 until the Party committee’s consent to its present content is recorded (Decree 713 Art. 3(3))',
    access: { roles: ['secretariat'] },
    schemas: { params: Cid, body: z.object({}).strict() },
    errors: [404, 409],
    handler: async ({ params }, { actor, principal, deps }) => inTurnOf(deps, params.cid, async () => {
      const c = await own(deps, principal!, params.cid);
      const draft = c.draft as CatalogueDraft | null;
      if (!draft || !draft.items.length) return refuse(deps, c._id, actor, 'publish', new ApiError('STEP_BLOCKED', 'There is no draft to publish.', [noDraft('没有待公布的目录草案。', 'There is no draft to publish.')]));
      const hash = contentHash(draft.items);
      if (!draft.consent || draft.consent.contentHash !== hash) {
        const r = reasonOf('CATALOGUE_CONSENT_MISSING', { year: c.year, version: c.draftVersion });
        return refuse(deps, c._id, actor, 'publish', new ApiError('STEP_BLOCKED', r.en, [{ ...r, missing: ['consent'] }]));
      }
      const now = new Date();
      try {
        await deps.models.CatalogueVersion.create({ _id: `${c._id}:v${c.draftVersion}`, catalogueId: c._id, version: c.draftVersion, items: draft.items, contentHash: hash, consent: draft.consent, adjustment: c.draftVersion > 1 ? { reason: draft.reason } : null, publishedAt: now, publishedBy: actor });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ApiError('ALREADY_EXISTS', `Version ${c.draftVersion} of ${c._id} is already published.`);
        throw err;
      }
      await deps.models.Catalogue.updateOne({ _id: c._id, published: c.published }, { $set: { published: c.draftVersion, publishedAt: now, draft: null, updatedAt: now } });
      await noteCatalogueEvent(deps.models, c._id, { actor, action: 'publish', result: 'accepted', summary: `published version ${c.draftVersion} (${draft.items.length} items)` });
      return catalogueView(deps, (await loadCatalogue(deps, c._id))!);
    }),
  }),

  // ——— Public: published catalogues, no login ———
  route({
    method: 'get',
    path: '/api/public/catalogues',
    summary: 'Every published decision catalogue (public)',
    access: { public: true },
    schemas: { query: z.object({ year: Year.optional() }) },
    handler: async ({ query }, { deps }) => {
      const docs = query.year ? await deps.models.Catalogue.find({ year: query.year }).lean() : await deps.models.Catalogue.find({}).lean();
      return { items: docs.filter((c) => c.published > 0).map((c) => ({ id: c._id, agency: c.agency, year: c.year, version: c.published, publishedAt: c.publishedAt, url: `/catalogues/${c._id}` })) };
    },
  }),
  route({
    method: 'get',
    path: '/api/public/catalogues/:cid',
    summary: 'A published catalogue (its latest version, or ?version=n), as published: items, the consent it was published with, the adjustment reason (public)',
    access: { public: true },
    schemas: { params: Cid, query: VersionQuery },
    errors: [404],
    handler: async ({ params, query }, { deps }) => {
      const { c, v, items } = await publicVersion(deps, params.cid, query.version);
      return { id: c._id, agency: c.agency, year: c.year, version: v.version, versions: c.published, publishedAt: v.publishedAt, consent: { committee: v.consent.committee, documentRef: v.consent.documentRef, consentedOn: v.consent.consentedOn }, adjustment: v.adjustment, items };
    },
  }),
  route({
    method: 'get',
    path: '/api/public/catalogues/:cid/export.csv',
    summary: 'A published catalogue as CSV (UTF-8 with BOM, public)',
    access: { public: true },
    schemas: { params: Cid, query: VersionQuery },
    errors: [404],
    handler: async ({ params, query }, { res, deps }) => {
      const { c, v, items } = await publicVersion(deps, params.cid, query.version);
      sendDownload(res, writeCsv(HEADER, items.map(rowOf)), 'text/csv; charset=utf-8', `${c.agency}${c.year}年度重大行政决策事项目录（第${v.version}版）.csv`);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/public/catalogues/:cid/export.xlsx',
    summary: 'A published catalogue as an Excel workbook (public)',
    access: { public: true },
    schemas: { params: Cid, query: VersionQuery },
    errors: [404],
    handler: async ({ params, query }, { res, deps }) => {
      const { c, v, items } = await publicVersion(deps, params.cid, query.version);
      const xlsx = await writeXlsx(`${c.year}年度决策事项目录`, HEADER, items.map(rowOf), v.publishedAt);
      sendDownload(res, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `${c.agency}${c.year}年度重大行政决策事项目录（第${v.version}版）.xlsx`);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/catalogues/:cid',
    summary: 'A published catalogue as a page to read and print (public, no login, no script)',
    access: { public: true },
    schemas: { params: Cid, query: VersionQuery },
    errors: [404],
    handler: async ({ params, query }, { res, deps }) => {
      const { c, v, items } = await publicVersion(deps, params.cid, query.version);
      sendPage(res, publicPage(c, v as never, items, c.published));
      return undefined;
    },
  }),

  // ——— Decisions and their catalogue items ———
  route({
    method: 'post',
    path: '/api/decisions/:id/catalogue-item',
    summary: 'Link a decision to the item of its agency’s published catalogue it carries out (the office); under the full-procedure policy, refused while a step of the five stands found not applicable without an exemption',
    access: { decision: 'write', roles: ['secretariat'] },
    schemas: { params: z.object({ id: DecisionId }), query: OccurredOn, body: z.object({ itemId: z.string().regex(/^[A-Za-z0-9-]{3,90}$/) }).strict() },
    errors: [400, 404, 409],
    handler: async ({ params, body }, { actor, deps }) => {
      const view = await queryState(deps, params.id);
      const ref = await catalogueItemRef(deps, body.itemId, view.meta.agency).catch((e: ApiError) => {
        throw new ApiError(e.code, e.message, [{ ...(e.details as object[])[0], path: 'body.itemId' }]);
      });
      const event = { type: 'catalogue-linked' as const, ...ref, actor };
      return actAndView(deps, params.id, eventUpdate, event, { actor, action: 'catalogue-linked' });
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/exemptions',
    summary: 'The head of the decision body exempts a catalogue item from performing some of the five procedures, with reasons (the full-procedure policy); the office still records a lawful finding for each',
    access: { decision: 'write', roles: ['decision-body'] },
    schemas: {
      params: z.object({ id: DecisionId }),
      query: OccurredOn,
      body: z.object({ kinds: z.array(z.enum(FULL_PROCEDURE_KINDS)).min(1).max(3), reasons: z.string().trim().min(5).max(4000), basis: z.string().trim().min(2).max(300).optional().describe('e.g. the meeting minutes that decided it') }).strict(),
    },
    errors: [400, 403, 404, 409],
    handler: async ({ params, query, body }, { actor, principal, deps }) => {
      const view = await queryState(deps, params.id);
      if ((await rosterOf(deps.models, view.meta.agency)).head?.username !== principal!.username) {
        const e = new ApiError('FORBIDDEN', `Only the head of ${view.meta.agency} records an exemption from the full-procedure policy.`, { required: ['head'], zh: `只有${view.meta.agency}的行政首长可以记录豁免。` });
        await recordRefusal(deps, params.id, actor, 'exemption', undefined, e);
        throw e;
      }
      return actAndView(deps, params.id, eventUpdate, { type: 'exemption', ...body, actor, occurredOn: query.occurredOn }, { actor, action: 'exemption' });
    },
  }),
];
