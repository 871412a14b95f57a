/**
 * The archive (Decree 713 Art. 33): the dossier's completeness, checked before the file closes
 * (409 naming every missing piece); the archive package produced when it closes and kept as it
 * was produced; the printable 决策案卷; the numbered 合法性审查意见书; and the handover deadline of
 * decided matters not yet archived.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { z } from 'zod';
import { pendingHandovers, handoverOf } from '../activities/archive-handover';
import { readScope } from '../activities/people';
import { loadDossier, dossierGaps } from './dossier';
import { dossierHtml, legalityOpinionHtml } from './dossier-print';
import { archiveRecordOf, buildPackage, classificationOf, RETENTION, reviewBodyOf, tocOf } from './archive-package';
import { ApiError } from './errors';
import { contentDisposition } from './files';
import { sendPage } from './print';
import { DecisionId, recordRefusal, route, type AppDeps, type Route } from './route-kit';

const Params = z.object({ id: DecisionId });
const PACKAGES = 'archive_packages';

function packageBucket(deps: AppDeps) {
  const db = deps.models.Archive.db.db;
  if (!db) throw new ApiError('DEPENDENCY_UNAVAILABLE', 'The document store is not connected.');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: PACKAGES });
}

/**
 * Art. 33: the file closes only complete. Run before the archive step is completed: every
 * missing piece is named in one 409, and the refusal is in the audit trail as a statutory one.
 */
export async function requireCompleteDossier(deps: AppDeps, id: string, actor: string, stepId: string): Promise<void> {
  const gaps = dossierGaps(await loadDossier(deps, id));
  if (!gaps.length) return;
  const e = new ApiError('STEP_BLOCKED', `The file is incomplete and cannot be archived: ${gaps.map((g) => g.en.replace(/^The file is incomplete; it lacks: /, '')).join('; ')}`, gaps);
  await recordRefusal(deps, id, actor, 'complete', stepId, e);
  throw e;
}

/**
 * Produce the archive package once the decision's file is sealed (the archive step's service
 * task), and keep it: the bytes are stored once, their SM3 and SHA-256 recorded with the archive;
 * what is downloaded later is exactly what was produced. Returns null before sealing.
 */
export async function producePackage(deps: AppDeps, id: string): Promise<{ fileId: string; sha256: string; sm3: string; size: number; builtAt: Date } | null> {
  const archive = await deps.models.Archive.findById(id, { package: 1, sealedAt: 1 }).lean();
  if (!archive) return null;
  if (archive.package?.fileId) return archive.package;
  const built = await buildPackage(deps, await loadDossier(deps, id));
  const bucket = packageBucket(deps);
  const upload = bucket.openUploadStream(`${id}.zip`, { metadata: { decisionId: id, sha256: built.sha256, sm3: built.sm3 } });
  await pipeline(Readable.from([built.zip]), upload);
  const pkg = { fileId: upload.id.toHexString(), sha256: built.sha256, sm3: built.sm3, size: built.zip.length, builtAt: new Date() };
  // Two first downloads racing: the first recorded wins, the other's copy is removed.
  const r = await deps.models.Archive.updateOne({ _id: id, package: null }, { $set: { package: pkg } });
  if (!r.modifiedCount) {
    await bucket.delete(upload.id).catch(() => undefined);
    return (await deps.models.Archive.findById(id, { package: 1 }).lean())!.package;
  }
  return pkg;
}

/**
 * After the archive step: wait for the seal (the service task that follows it), then produce the
 * package. The step is done whatever happens here: a package not produced now (a slow worker, a
 * store error, logged) is produced by its first download.
 */
export async function packageWhenSealed(deps: AppDeps, id: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      if (await producePackage(deps, id)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    console.error(`decision ${id}: the archive package was not produced at closing; its first download will`, err);
  }
}

export const archiveRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/decisions/:id/dossier',
    summary: 'The dossier’s state (Art. 33): what it lacks before it can be archived, the handover deadline, the legality opinions’ numbers, and the archive package’s hashes once produced',
    access: { decision: 'read' },
    schemas: { params: Params },
    errors: [404],
    handler: async ({ params }, { deps }) => {
      const d = await loadDossier(deps, params.id);
      const gaps = dossierGaps(d);
      return {
        complete: gaps.length === 0,
        gaps,
        sealed: Boolean(d.archive),
        sealedAt: d.archive?.sealedAt ?? null,
        package: d.archive?.package ?? null,
        handover: await handoverOf(deps.models, params.id, deps.supervision?.archiveHandoverDays ?? 30),
        classification: classificationOf(d),
        retention: RETENTION,
        legalityOpinions: [...d.numbers].map(([seq, n]) => ({ seq, number: n.text, url: `/api/decisions/${params.id}/legality-opinions/${seq}` })),
        files: d.files.map((f) => ({ id: f.id, filename: f.filename, size: f.size, sha256: f.sha256, present: f.bytes !== null })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/dossier.html',
    summary: 'The 决策案卷 as a page to read and print: cover, contents with each record’s and file’s SM3 and SHA-256, the procedure, the meeting, the trail',
    access: { decision: 'read' },
    schemas: { params: Params },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const d = await loadDossier(deps, params.id);
      const archiveNumber = (archiveRecordOf(d.view)?.data.archiveNumber as string | undefined) ?? null;
      const toc = tocOf([
        ...d.drafts.filter((x) => x.content !== null).map((x) => ({ path: `drafts/v${x.version}`, title: `第${x.version}稿 ${x.title}`, bytes: Buffer.from(x.content!, 'utf8') })),
        ...d.files.filter((f) => f.bytes).map((f) => ({ path: `files/${f.id}`, title: f.filename, bytes: f.bytes! })),
      ]);
      sendPage(res, dossierHtml(d, toc, { archiveNumber, retention: RETENTION.zh, classification: classificationOf(d).zh, sealedAt: d.archive?.sealedAt ?? null }));
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/archive.zip',
    summary: 'The archive package of a sealed decision (ZIP): every record and file, manifest.json with SM3 and SHA-256 and the 四性 metadata, SHA256SUMS and SM3SUMS, the printable 决策案卷 — the same bytes every time',
    access: { decision: 'read' },
    schemas: { params: Params },
    errors: [404, 409],
    handler: async ({ params }, { res, deps }) => {
      const pkg = await producePackage(deps, params.id);
      if (!pkg) {
        const gaps = dossierGaps(await loadDossier(deps, params.id));
        throw new ApiError('STEP_BLOCKED', `Decision ${params.id} has not been archived yet (Art. 33).`, [
          { code: 'NOT_ARCHIVED', class: 'state', article: 'Decree 713 Art. 33', zh: '本决策尚未完成材料归档，归档后方可下载归档包。', en: 'The decision has not been archived yet.', missing: ['archive'] },
          ...gaps,
        ]);
      }
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Length', String(pkg.size));
      res.setHeader('Content-Disposition', contentDisposition(`${params.id}-归档包.zip`));
      res.setHeader('X-Package-SHA256', pkg.sha256);
      res.setHeader('X-Package-SM3', pkg.sm3);
      res.setHeader('Cache-Control', 'private, no-cache');
      await pipeline(packageBucket(deps).openDownloadStream(new mongoose.mongo.ObjectId(pkg.fileId)), res);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/legality-opinions/:seq',
    summary: 'A legality review’s opinion as the numbered 合法性审查意见书 (〔year〕第N号 of the agency), to read and print',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId, seq: z.coerce.number().int().min(1) }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const d = await loadDossier(deps, params.id);
      const html = legalityOpinionHtml(d, params.seq, await reviewBodyOf(deps, d.view.meta.agency));
      if (!html) throw new ApiError('NOT_FOUND', `Decision ${params.id} has no legality opinion recorded at ${params.seq}.`);
      sendPage(res, html);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/archive/handovers',
    summary: 'Decided matters whose file is not yet handed to the archive, with the deadline (JUECE_ARCHIVE_HANDOVER_DAYS after the decision), overdue first; agencies in your reach, partial names match',
    access: { user: true },
    schemas: { query: z.object({ agency: z.string().max(200).optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const reach = readScope(principal!, []).agencies;
      const agencies = query.agency ? reach.filter((a) => a.includes(query.agency!)) : reach;
      const items = await pendingHandovers(deps.models, agencies, deps.supervision?.archiveHandoverDays ?? 30);
      return { days: deps.supervision?.archiveHandoverDays ?? 30, items };
    },
  }),
];
