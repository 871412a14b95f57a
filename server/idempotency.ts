/**
 * Idempotent acts: a POST that carries an `Idempotency-Key` is performed once per person and key.
 * A retry after a lost answer (a timeout, a dropped connection, a double click) gets the first
 * answer — its status and body — instead of acting twice; a concurrent duplicate waits for the
 * first; the same key with another request is 422. Answers live in their own collection, keyed
 * `${username}:${key}`, and expire after a day through a sweep (FerretDB has no TTL indexes).
 *
 * The acts a keyed request sends to Temporal carry Update ids derived from the key and the request
 * (`nextUpdateId`), so Temporal itself joins a retry to the first act: when the first request's
 * answer was lost to an outage (a 503 after the workflow had the act), the retry gets that act's
 * outcome instead of acting again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import mongoose from 'mongoose';
import { isDuplicateKey } from '../activities/models';
import { ApiError, errorBody, toApiError } from './errors';
import type { AppDeps } from './route-kit';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long an answer is kept for retries. */
export const ANSWER_TTL_MS = 24 * 3600_000;
/** How long a duplicate waits for the first request before it is told to retry. */
const WAIT_MS = 15_000;
/** A first request pending this long died with its process; a retry may act in its place. */
const STALE_MS = 2 * 60_000;
const SWEEP_EVERY_MS = 60_000;
/** How often a key held by a request that failed for want of the store is offered back. */
const RELEASE_RETRY_MS = 2_000;

const answerSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    /** sha256 of method, path, query and body: the same key must name the same request. */
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number },
    /** The answer's JSON, as sent. */
    body: { type: String },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
answerSchema.index({ expiresAt: 1 });

type AnswerDoc = mongoose.InferSchemaType<typeof answerSchema>;

const define = (conn: mongoose.Connection) => conn.model('IdempotentAnswer', answerSchema, 'idempotency_answers');
type AnswerModel = ReturnType<typeof define>;
const modelOf = (conn: mongoose.Connection) => (conn.models.IdempotentAnswer as AnswerModel | undefined) ?? define(conn);

const indexed = new WeakMap<mongoose.Connection, Promise<unknown>>();
const lastSweep = new WeakMap<mongoose.Connection, number>();

/** The answers collection on the API's own connection (the one its models are bound to). */
async function answers(deps: AppDeps) {
  const conn = deps.models.AuditEvent.db;
  const model = modelOf(conn);
  let ready = indexed.get(conn);
  if (!ready) {
    ready = model.createIndexes();
    indexed.set(conn, ready);
    ready.catch(() => indexed.delete(conn));
  }
  await ready;
  const now = Date.now();
  if (now - (lastSweep.get(conn) ?? 0) > SWEEP_EVERY_MS) {
    lastSweep.set(conn, now);
    void model.deleteMany({ expiresAt: { $lte: new Date(now) } }).catch(() => undefined);
  }
  return model;
}

/** The request's Idempotency-Key: 1–100 visible ASCII characters, or undefined when none is sent. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get(IDEMPOTENCY_HEADER);
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,100}$/.test(key))
    throw new ApiError('VALIDATION_FAILED', 'The Idempotency-Key header must be 1–100 visible ASCII characters.', [
      { path: 'header.idempotency-key', message: '幂等键须为1至100个可见ASCII字符。', en: '1–100 visible ASCII characters' },
    ]);
  return key;
}

/** JSON with sorted keys, so the same body always hashes the same. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/** What makes two requests "the same": method, path, query and body (bytes, or JSON by value). */
export function fingerprintOf(req: Request): string {
  const url = new URL(req.originalUrl, 'http://local');
  const query = [...url.searchParams].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const h = crypto.createHash('sha256').update(`${req.method} ${url.pathname}?${new URLSearchParams(query)}\n`);
  if (Buffer.isBuffer(req.body)) h.update(req.body);
  else h.update(canonical(req.body ?? null));
  return h.digest('hex');
}

/** The keyed request being served: a digest of person, key and request, and how many acts it has sent. */
const keyedRequest = new AsyncLocalStorage<{ digest: string; acts: number }>();

/** A digest of the keyed request being served (stable across its retries), or undefined without a key. */
export function requestDigest(): string | undefined {
  return keyedRequest.getStore()?.digest;
}

/**
 * The Update id of this request's next act: derived from its Idempotency-Key when it has one (the
 * n-th act of a retry gets the n-th act's id), else random.
 */
export function nextUpdateId(): string {
  const r = keyedRequest.getStore();
  if (!r) return crypto.randomUUID();
  r.acts += 1;
  return `idem-${r.digest}-${r.acts}`;
}

/**
 * Let the key go, so a retry may act (and join the first act in Temporal). When the store itself
 * is missing this cannot be written now: it is offered again until it is, or until the pending
 * record would count as stale anyway.
 */
function release(model: AnswerModel, id: string): Promise<void> {
  const until = Date.now() + STALE_MS;
  const attempt = (): Promise<void> =>
    model.deleteOne({ _id: id, state: 'pending' }).then(
      () => undefined,
      () => {
        if (Date.now() < until) setTimeout(() => void attempt(), RELEASE_RETRY_MS).unref();
      },
    );
  return attempt();
}

export interface Answer {
  status: number;
  body: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Claim the key for this request, or find the first request's record. */
async function claim(model: AnswerModel, id: string, fingerprint: string): Promise<'mine' | AnswerDoc> {
  for (;;) {
    const now = Date.now();
    try {
      await model.create({ _id: id, fingerprint, state: 'pending', createdAt: new Date(now), expiresAt: new Date(now + ANSWER_TTL_MS) });
      return 'mine';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const doc = await model.findById(id).lean();
    if (!doc) continue; // the first request failed and let go meanwhile
    if (doc.expiresAt.getTime() <= now) {
      await model.deleteOne({ _id: id, expiresAt: doc.expiresAt });
      continue;
    }
    if (doc.state === 'pending' && doc.fingerprint === fingerprint && doc.createdAt.getTime() + STALE_MS <= now) {
      const took = await model.updateOne({ _id: id, state: 'pending', createdAt: doc.createdAt }, { $set: { createdAt: new Date(now) } });
      if (took.modifiedCount === 1) return 'mine';
    }
    return doc;
  }
}

function replay(res: Response, doc: AnswerDoc) {
  res.status(doc.status ?? 200).set('Idempotent-Replayed', 'true').type('application/json').send(doc.body ?? 'null');
}

/**
 * Run `act` once for this person and key. The first request acts and keeps its answer (a 4xx
 * refusal too: a retry is refused the same way, and not recorded twice); a failure of ours (5xx)
 * lets the key go, so a retry may act. Later requests with the same key get the kept answer.
 */
export async function once(deps: AppDeps, call: { username: string; key: string; fingerprint: string }, res: Response, act: () => Promise<Answer>): Promise<void> {
  const model = await answers(deps);
  const id = `${call.username}:${call.key}`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await claim(model, id, call.fingerprint);
    if (found === 'mine') break;
    if (found.fingerprint !== call.fingerprint)
      throw new ApiError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was already used for a different request; send a new key for a new request.', [
        { path: 'header.idempotency-key', message: '该幂等键已用于另一请求。', en: 'already used for a different request' },
      ]);
    if (found.state === 'done') return replay(res, found);
    if (Date.now() >= deadline) {
      res.set('Retry-After', '2');
      throw new ApiError('IDEMPOTENCY_IN_PROGRESS', 'The first request with this Idempotency-Key is still being processed; retry shortly with the same key.', [
        { path: 'header.idempotency-key', message: '相同请求正在处理中，请稍后重试。', en: 'the first request is still in progress' },
      ]);
    }
    await sleep(100);
  }

  let answer: Answer;
  try {
    const digest = crypto.createHash('sha256').update(`${id}\n${call.fingerprint}`).digest('hex').slice(0, 32);
    answer = await keyedRequest.run({ digest, acts: 0 }, act);
  } catch (err) {
    const e = toApiError(err);
    // Not awaited: the answer does not wait for a store that may be the one missing.
    if (e.status >= 500) void release(model, id);
    else await model.updateOne({ _id: id }, { $set: { state: 'done', status: e.status, body: JSON.stringify(errorBody(e)) } });
    throw e;
  }
  const body = JSON.stringify(answer.body ?? null);
  // The act took effect: its answer goes out even when the store cannot keep it now. The key is
  // then let go, and a retry joins the same act in Temporal (nextUpdateId) for the same outcome.
  await model.updateOne({ _id: id }, { $set: { state: 'done', status: answer.status, body } }).catch(() => void release(model, id));
  res.status(answer.status).type('application/json').send(body);
}
