/**
 * Attachments: files uploaded to the store (GridFS bucket `attachments`, i.e. the ordinary
 * collections `attachments.files` and `attachments.chunks`) and tied to the draft version —
 * and optionally the step — they concern. Works on MongoDB and FerretDB alike.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import { ApiError } from './errors';
import { DecisionId, queryState, recordAccepted, recordRefusal, refuseIfClosed, route, type AppDeps, type Route } from './route-kit';

type Db = mongoose.mongo.Db;
type GridFSFile = mongoose.mongo.GridFSFile;

const BUCKET = 'attachments';
const MAX_SIZE = '20mb';


const StepId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'not a step id');
const FileId = z.string().regex(/^[0-9a-f]{24}$/, 'not an attachment id');
const DraftVersion = z.coerce.number().int().min(1);

/** A media type as sent in Content-Type: type/subtype with optional parameters. */
const TOKEN = "[A-Za-z0-9!#$&^_.+'*`|~-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);

/** Attachment metadata as the API returns it. */
export interface AttachmentView {
  id: string;
  filename: string;
  size: number;
  sha256: string;
  contentType: string;
  draftVersion: number;
  draftHash: string;
  stepId: string | null;
  uploadedAt: string;
  uploadedBy: string;
}

interface AttachmentMetadata {
  decisionId: string;
  draftVersion: number;
  draftHash: string;
  stepId: string | null;
  uploadedBy: string;
  sha256: string;
  contentType: string;
}

/** The API's own connection to the store (the one its models are bound to). */
function storeDb(deps: AppDeps): Db {
  const db = deps.models.AuditEvent.db.db;
  if (!db) throw new ApiError('DEPENDENCY_UNAVAILABLE', 'The document store is not connected.');
  return db;
}

const indexed = new WeakMap<Db, Promise<unknown>>();

/** The bucket, with the index lists and downloads use (GridFS builds its own on first upload). */
async function bucketOf(deps: AppDeps) {
  const db = storeDb(deps);
  let ready = indexed.get(db);
  if (!ready) {
    ready = db.collection(`${BUCKET}.files`).createIndex({ 'metadata.decisionId': 1, uploadDate: -1 }, { name: 'decision_uploaded' });
    indexed.set(db, ready);
    ready.catch(() => indexed.delete(db));
  }
  await ready;
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

function toView(f: GridFSFile): AttachmentView {
  const m = (f.metadata ?? {}) as Partial<AttachmentMetadata>;
  return {
    id: f._id.toHexString(),
    filename: f.filename,
    size: f.length,
    sha256: m.sha256 ?? '',
    contentType: m.contentType ?? 'application/octet-stream',
    draftVersion: m.draftVersion ?? 0,
    draftHash: m.draftHash ?? '',
    stepId: m.stepId ?? null,
    uploadedAt: f.uploadDate.toISOString(),
    uploadedBy: m.uploadedBy ?? '',
  };
}


/** Record a refused upload in the decision's audit trail; returns the error to throw. */
async function refusal(deps: AppDeps, id: string, actor: string, stepId: string | undefined, e: ApiError): Promise<ApiError> {
  await recordRefusal(deps, id, actor, 'attachment', stepId, e);
  return e;
}

/** X-Filename: URI-encoded, 1–200 characters, a bare name (no path, no control characters). */
function filenameOf(req: Request): string {
  const bad = (message: string) => new ApiError('VALIDATION_FAILED', message, [{ path: 'header.x-filename', message }]);
  const raw = req.get('x-filename');
  if (raw === undefined) throw bad('The X-Filename header (the URI-encoded file name) is required.');
  let name: string;
  try {
    name = decodeURIComponent(raw).trim();
  } catch {
    throw bad('The X-Filename header is not valid URI-encoded text.');
  }
  const length = [...name].length;
  if (length < 1 || length > 200) throw bad('The file name must be 1–200 characters.');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..') throw bad('The file name must be a bare name: no path separators or control characters.');
  return name;
}

function contentTypeOf(req: Request): string {
  const raw = req.get('content-type')?.trim();
  if (!raw) return 'application/octet-stream';
  if (raw.length > 200 || !MEDIA_TYPE.test(raw)) throw new ApiError('VALIDATION_FAILED', 'The Content-Type header is not a media type.', [{ path: 'header.content-type', message: 'not a media type' }]);
  return raw;
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const attachmentRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/decisions/:id/attachments',
    summary:
      'Upload an attachment (the body is the raw file, any content type, up to 20 MB; its URI-encoded name in X-Filename), tied to a draft version (default: the current one) and optionally a step',
    access: { decision: 'write', roles: ['department', 'secretariat', 'legality-review-body', 'legal-adviser'] },
    schemas: {
      params: z.object({ id: DecisionId }),
      query: z.object({ draftVersion: DraftVersion.optional().describe('the draft version the file concerns; default the current one'), stepId: StepId.optional() }),
    },
    rawBody: { limit: MAX_SIZE },
    errors: [400, 404],
    handler: async ({ params, query, body }, { req, res, actor, deps }) => {
      const filename = filenameOf(req);
      const contentType = contentTypeOf(req);
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new ApiError('VALIDATION_FAILED', 'The body must be the file’s bytes; it is empty.', [{ path: '(body)', message: 'empty' }]);
      const view = await queryState(deps, params.id);
      // Art. 33: once the procedure has ended its file is sealed; nothing more is attached.
      await refuseIfClosed(deps, view, actor, 'attachment', query.stepId);
      if (query.stepId !== undefined && !view.elements[query.stepId]?.kind)
        throw await refusal(deps, params.id, actor, query.stepId, new ApiError('VALIDATION_FAILED', `Decision ${params.id} has no step ${query.stepId}.`, [{ path: 'query.stepId', message: 'not a step of this decision' }]));
      let draft = view.currentDraft ?? view.drafts.at(-1) ?? null;
      if (query.draftVersion !== undefined) {
        draft = view.drafts.find((d) => d.version === query.draftVersion) ?? null;
        if (!draft)
          throw await refusal(
            deps,
            params.id,
            actor,
            query.stepId,
            new ApiError('VALIDATION_FAILED', `Decision ${params.id} has no draft version ${query.draftVersion}.`, [
              { path: 'query.draftVersion', message: `versions: ${view.drafts.map((d) => d.version).join(', ') || 'none'}` },
            ]),
          );
      }
      if (!draft)
        throw await refusal(
          deps,
          params.id,
          actor,
          query.stepId,
          new ApiError('VALIDATION_FAILED', `Decision ${params.id} has no draft version to attach the file to; record a draft first.`, [{ path: 'query.draftVersion', message: 'no draft yet' }]),
        );

      const sha256 = crypto.createHash('sha256').update(body).digest('hex');
      const metadata: AttachmentMetadata = { decisionId: params.id, draftVersion: draft.version, draftHash: draft.hash, stepId: query.stepId ?? null, uploadedBy: actor, sha256, contentType };
      const bucket = await bucketOf(deps);
      const upload = bucket.openUploadStream(filename, { metadata });
      await pipeline(Readable.from([body]), upload);
      const file = upload.gridFSFile;
      if (!file) throw new Error('GridFS upload finished without a file document');
      try {
        await recordAccepted(deps, params.id, actor, 'attachment', `attached "${filename}" (${body.length} bytes, sha256 ${sha256.slice(0, 12)}) to draft version ${draft.version}`, {
          key: file._id.toHexString(),
          at: file.uploadDate,
          stepId: query.stepId,
        });
      } catch (err) {
        // No attachment without its audit event.
        await bucket.delete(file._id).catch(() => undefined);
        throw err;
      }
      res.status(201);
      return toView(file);
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/attachments',
    summary: "A decision's attachments, newest first",
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }), query: z.object({ draftVersion: DraftVersion.optional() }) },
    errors: [404],
    handler: async ({ params, query }, { deps }) => {
      const filter: Record<string, unknown> = { 'metadata.decisionId': params.id };
      if (query.draftVersion !== undefined) filter['metadata.draftVersion'] = query.draftVersion;
      const bucket = await bucketOf(deps);
      const files = await bucket.find(filter, { sort: { uploadDate: -1, _id: -1 } }).toArray();
      // No files: tell an unknown decision (404) from one without attachments.
      if (files.length === 0) await queryState(deps, params.id);
      return { items: files.map(toView) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/attachments/:fileId',
    summary: 'Download an attachment (its bytes, with its content type and file name)',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId, fileId: FileId }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const bucket = await bucketOf(deps);
      const _id = new mongoose.mongo.ObjectId(params.fileId);
      const [file] = await bucket.find({ _id, 'metadata.decisionId': params.id }, { limit: 1 }).toArray();
      if (!file) throw new ApiError('NOT_FOUND', `Decision ${params.id} has no attachment ${params.fileId}.`);
      const v = toView(file);
      res.status(200);
      res.setHeader('Content-Type', v.contentType);
      res.setHeader('Content-Length', String(v.size));
      res.setHeader('Content-Disposition', contentDisposition(v.filename));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'private, no-cache');
      try {
        await pipeline(bucket.openDownloadStream(_id), res);
      } catch (err) {
        // The headers may be out already: cut the response rather than send an error body.
        console.error(`attachment ${params.fileId} of ${params.id}: download failed`, err);
        if (!res.destroyed) res.destroy();
      }
      return undefined;
    },
  }),
];
