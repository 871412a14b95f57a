/** One error path: every failure leaves the API as { error: { code, message, details } }. */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { classOf, type RefusalClass } from '../definitions/statute';
import { dependencyOf, RETRY_AFTER_SECONDS, unavailable, type ActState, type Dependency } from './dependency-errors';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'STEP_BLOCKED'
  | 'DRAFT_LOCKED'
  | 'DECISION_CLOSED'
  | 'NOT_FOUND'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'TOO_MANY_ATTEMPTS'
  | 'CONFLICT_OF_INTEREST'
  | 'ALREADY_EXISTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_MISMATCH'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'HEADERS_TOO_LARGE'
  | 'CONSULTATION_CLOSED'
  | 'SUBMISSION_REFUSED'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  STEP_BLOCKED: 409,
  DRAFT_LOCKED: 409,
  DECISION_CLOSED: 409,
  DEPENDENCY_UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  TOO_MANY_ATTEMPTS: 429,
  CONFLICT_OF_INTEREST: 409,
  ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_MISMATCH: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  HEADERS_TOO_LARGE: 431,
  /** The portal: an opinion that arrived after the consultation's period (Art. 15). */
  CONSULTATION_CLOSED: 409,
  /** The portal: a submission that failed the low-friction challenge (honeypot, form token). */
  SUBMISSION_REFUSED: 422,
  INTERNAL: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

/** 503 naming the missing dependency (server/dependency-errors.ts), and what became of the act under way. */
export function dependencyUnavailable(dependency: Dependency, act?: { state: ActState; updateId: string }): ApiError {
  const { message, details } = unavailable(dependency, act);
  return new ApiError('DEPENDENCY_UNAVAILABLE', message, details);
}

/** The class of a refused request, for the audit trail and the statistics (definitions/statute.ts). */
export function refusalClass(e: ApiError): RefusalClass {
  switch (e.code) {
    case 'VALIDATION_FAILED':
    case 'PAYLOAD_TOO_LARGE':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'input';
    case 'FORBIDDEN':
    case 'CSRF_FAILED':
    case 'UNAUTHENTICATED':
      return 'authorization';
    case 'DECISION_CLOSED':
      return 'state';
    default:
      return classOf(Array.isArray(e.details) ? (e.details as { class?: string; code?: string }[]) : [], 'state');
  }
}

/** zod issues as field paths the client can show beside the field. */
export function zodDetails(err: z.ZodError, prefix?: string) {
  return err.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/** Any thrown value as the API error it answers with; internals are logged, never sent. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return new ApiError('VALIDATION_FAILED', 'The request is invalid.', zodDetails(err));
  // Temporal or the store not answering is a 503 naming which, never a 500.
  const dependency = dependencyOf(err);
  if (dependency) return dependencyUnavailable(dependency);
  // The router's and express.static's own refusals (a path that is not valid percent-encoding, a
  // malformed static path) carry a 4xx status: they are the client's.
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return new ApiError('NOT_FOUND', 'Not found.');
    const message = err instanceof URIError ? 'The path is not valid percent-encoded UTF-8.' : String((err as Error).message).slice(0, 200);
    return new ApiError('VALIDATION_FAILED', message, [{ path: 'params', message: '路径参数不是有效的编码。', en: message }]);
  }
  console.error('unexpected error', err);
  return new ApiError('INTERNAL', 'Internal error.');
}

/** The JSON every failure leaves the API as. */
export function errorBody(e: ApiError) {
  return { error: { code: e.code, message: e.message, details: e.details ?? null } };
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  void _next;
  const e = toApiError(err);
  if (res.headersSent) return void res.destroy();
  // A body refused before it was read is not read now: close the connection instead of draining it.
  if (!req.complete) res.set('Connection', 'close');
  if (e.code === 'DEPENDENCY_UNAVAILABLE') res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(e.status).json(errorBody(e));
};
