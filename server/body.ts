/**
 * Reading a request's body — only after the gate has let the request through (server/app.ts), so a
 * stranger's megabytes are refused unread. Each route has its own limit: JSON acts are small,
 * drafts a few MB, files 20 MB. Every way a body can be wrong (too large, a charset or encoding we
 * do not speak, broken compression, bad or too deeply nested JSON) is a 4xx with a stable code.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from './errors';
import type { Route } from './route-kit';

/** Limits in bytes, by what the body holds. */
export const BODY_LIMITS = {
  /** A step record or any other act: at most a few hundred KB (workflows/records.ts sizes). */
  json: 256 * 1024,
  /** The login form, read before anyone is known. */
  login: 8 * 1024,
  /** A draft version: up to 2,000,000 characters (DraftSchema), 3 bytes each in UTF-8. */
  draft: 8 * 1024 * 1024,
  /** One attachment or signed opinion document. */
  file: 20 * 1024 * 1024,
} as const;

/** No record nests deeper than a few levels; anything far deeper is an attack on the validators' stacks. */
export const MAX_JSON_DEPTH = 16;

const parsers = new Map<string, RequestHandler>();

function parserFor(raw: boolean, limit: number): RequestHandler {
  const key = `${raw ? 'raw' : 'json'}:${limit}`;
  let p = parsers.get(key);
  if (!p) {
    // Files are kept byte for byte as sent, so a compressed upload is refused rather than inflated.
    p = raw ? express.raw({ type: () => true, limit, inflate: false }) : express.json({ limit, strict: true });
    parsers.set(key, p);
  }
  return p;
}

/** Whether the request carries a body at all (RFC 9112: Transfer-Encoding, or a non-zero Content-Length). */
export function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

const kb = (n: number) => (n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${n / 1024} KB`);

export const tooLarge = (limit: number, path = '(body)') =>
  new ApiError('PAYLOAD_TOO_LARGE', `The body is too large: at most ${kb(limit)} here.`, [{ path, message: `请求内容超过${kb(limit)}上限。`, en: `larger than ${kb(limit)}` }]);

/** body-parser's failures as the API's errors. */
function bodyError(err: unknown, limit: number): ApiError {
  const e = err as { status?: number; type?: string; message?: string };
  if (e.type === 'entity.too.large' || e.status === 413) return tooLarge(limit);
  if (e.type === 'encoding.unsupported')
    return new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding is not accepted here: ${e.message}.`, [{ path: 'header.content-encoding', message: '不支持的内容编码。', en: 'unsupported content encoding' }]);
  if (e.type === 'charset.unsupported' || e.status === 415)
    return new ApiError('UNSUPPORTED_MEDIA_TYPE', `The body's charset is not accepted: ${e.message}. Send UTF-8.`, [{ path: 'header.content-type', message: '请使用UTF-8编码。', en: 'unsupported charset' }]);
  if (e.type === 'entity.parse.failed')
    return new ApiError('VALIDATION_FAILED', 'The body is not valid JSON.', [{ path: '(body)', message: '请求内容不是有效的JSON。', en: String(e.message).slice(0, 200) }]);
  if (typeof e.status === 'number' && e.status < 500)
    // Broken compression, a body shorter than its Content-Length, an aborted upload.
    return new ApiError('VALIDATION_FAILED', `The body could not be read: ${String(e.message).slice(0, 200)}.`, [{ path: '(body)', message: '请求内容无法读取。', en: String(e.message).slice(0, 200) }]);
  throw err;
}

/** The depth of a parsed JSON value, counted without recursion (the point is to survive deep input). */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Read and parse the body the route takes into req.body: JSON (application/json only), or the raw
 * bytes for file routes. A declared Content-Length over the limit is refused before a byte is read.
 */
export async function readBody(route: Route, req: Request, res: Response): Promise<void> {
  req.body = undefined;
  if (!hasBody(req)) return;
  const raw = Boolean(route.rawBody);
  const limit = route.rawBody?.limit ?? route.jsonLimit ?? BODY_LIMITS.json;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!raw && !req.is('application/json'))
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (Content-Type: application/json).', [{ path: 'header.content-type', message: '请求内容须为JSON。', en: 'must be application/json' }]);
  try {
    await new Promise<void>((resolve, reject) => parserFor(raw, limit)(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  } catch (err) {
    throw bodyError(err, limit);
  }
  if (!raw && jsonDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new ApiError('VALIDATION_FAILED', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`, [{ path: '(body)', message: `请求内容嵌套超过${MAX_JSON_DEPTH}层。`, en: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
}
