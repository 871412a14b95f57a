/** One error path: every failure leaves the API as { error: { code, message, details } }. */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { classOf, type RefusalClass } from '../definitions/statute';

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

/** The class of a refused request, for the audit trail and the statistics (definitions/statute.ts). */
export function refusalClass(e: ApiError): RefusalClass {
  switch (e.code) {
    case 'VALIDATION_FAILED':
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

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  void _next;
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else if (err instanceof z.ZodError) e = new ApiError('VALIDATION_FAILED', 'The request is invalid.', zodDetails(err));
  else if (err?.type === 'entity.parse.failed') e = new ApiError('VALIDATION_FAILED', 'The body is not valid JSON.', [{ path: '(body)', message: String(err.message) }]);
  else if (err?.type === 'entity.too.large') e = new ApiError('VALIDATION_FAILED', 'The body is too large.', [{ path: '(body)', message: 'too large' }]);
  else {
    console.error('unexpected error', err);
    e = new ApiError('INTERNAL', 'Internal error.');
  }
  res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details ?? null } });
};
