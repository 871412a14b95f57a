/**
 * Files in the store: the GridFS bucket `attachments` (the ordinary collections
 * `attachments.files` and `attachments.chunks`), which works on MongoDB and FerretDB alike —
 * draft materials, step evidence and signed opinion documents. Their bytes live here; the
 * decision's workflow keeps their hashes.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import { BODY_LIMITS } from './body';
import { ApiError, dependencyUnavailable } from './errors';
import { checkedType } from './sniff';
import type { AppDeps } from './route-kit';

type Db = mongoose.mongo.Db;
type GridFSFile = mongoose.mongo.GridFSFile;

const BUCKET = 'attachments';
/** The largest file accepted, in bytes. */
export const MAX_FILE_SIZE = BODY_LIMITS.file;

export const FileId = z.string().regex(/^[0-9a-f]{24}$/, 'not an attachment id');

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
  /** A signed opinion document: the login of the person who signed it. */
  opinionOf: string | null;
  /** The Word document a draft version's text was read from (server/docx-routes.ts). */
  draftOriginal: boolean;
}

export interface AttachmentMetadata {
  decisionId: string;
  draftVersion: number;
  draftHash: string;
  stepId: string | null;
  uploadedBy: string;
  sha256: string;
  contentType: string;
  /** A signed opinion document rather than a draft material or step evidence. */
  opinionOf?: string;
  /** The original of an uploaded draft version (its text is the version's content). */
  draftOriginal?: boolean;
  /** The file of a unit's answer to an urging (server/urging-routes.ts). */
  urgingId?: string;
}

/** The API's own connection to the store (the one its models are bound to). */
function storeDb(deps: AppDeps): Db {
  const db = deps.models.AuditEvent.db.db;
  if (!db) throw dependencyUnavailable('store');
  return db;
}

const indexed = new WeakMap<Db, Promise<unknown>>();

/** The bucket, with the index lists and downloads use (GridFS builds its own on first upload). */
export async function bucketOf(deps: AppDeps) {
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

export function toView(f: GridFSFile): AttachmentView {
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
    opinionOf: m.opinionOf ?? null,
    draftOriginal: Boolean(m.draftOriginal),
  };
}


/** X-Filename: URI-encoded, 1–200 characters, a bare name (no path, no control characters). */
export function filenameOf(req: Request): string {
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
  if (/[/\\\u0000-\u001f\u007f-\u009f]/.test(name) || name === '.' || name === '..') throw bad('The file name must be a bare name: no path separators or control characters.');
  // Bidirectional controls make 报告‮fdp.exe read as 报告exe.pdf.
  if (BIDI.test(name)) throw bad('The file name must not contain bidirectional text controls (U+200E/F, U+202A–U+202E, U+2066–U+2069, U+061C).');
  return name;
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * The stored content type of an uploaded file: the bytes decide (server/sniff.ts); a declared
 * Content-Type that disagrees with them, or a kind the dossier does not take, is 415.
 */
export function fileTypeOf(req: Request, bytes: Buffer): string {
  const checked = checkedType(contentTypeOf(req), bytes);
  if ('refused' in checked)
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `The file's content does not match: ${checked.refused}.`, [{ path: 'header.content-type', message: '文件内容与声明的类型不符或不是可接受的文件类型。', en: checked.refused }]);
  return checked.type;
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


/** Store a file's bytes; returns the GridFS file document. */
export async function storeFile(deps: AppDeps, filename: string, body: Buffer, metadata: AttachmentMetadata): Promise<GridFSFile> {
  const bucket = await bucketOf(deps);
  const upload = bucket.openUploadStream(filename, { metadata });
  await pipeline(Readable.from([body]), upload);
  const file = upload.gridFSFile;
  if (!file) throw new Error('GridFS upload finished without a file document');
  return file;
}

/** Add to a stored file's metadata (what became known after its bytes were stored). */
export async function tagFile(deps: AppDeps, id: mongoose.mongo.ObjectId, metadata: Partial<AttachmentMetadata>): Promise<void> {
  await storeDb(deps)
    .collection(`${BUCKET}.files`)
    .updateOne({ _id: id }, { $set: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`metadata.${k}`, v])) });
}

/** Remove a stored file (a refused upload leaves nothing behind). */
export async function dropFile(deps: AppDeps, id: mongoose.mongo.ObjectId): Promise<void> {
  await (await bucketOf(deps)).delete(id).catch(() => undefined);
}
