/**
 * A missing dependency is a 503 naming it, never a 500: every failure the Temporal client and the
 * MongoDB driver (or FerretDB over PostgreSQL) give for "not there" maps to DEPENDENCY_UNAVAILABLE
 * with the dependency, and the error path answers it with Retry-After.
 */
import type { Request, Response } from 'express';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import mongoose from 'mongoose';
import { dependencyOf } from '../../server/dependency-errors';
import { ApiError, dependencyUnavailable, errorHandler, toApiError } from '../../server/errors';

/** A gRPC status error as @grpc/grpc-js throws it. */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

const { MongoNetworkError, MongoServerError, MongoServerSelectionError } = mongoose.mongo;

const serverError = (code: number, errmsg: string) => new MongoServerError({ ok: 0, code, errmsg });

describe('which dependency a failure names', () => {
  test.each([
    ['Temporal refuses the connection (UNAVAILABLE)', grpcError(14, 'No connection established'), 'temporal'],
    ['a call past its deadline (DEADLINE_EXCEEDED)', grpcError(4, 'Deadline exceeded'), 'temporal'],
    ['Temporal overloaded (RESOURCE_EXHAUSTED)', grpcError(8, 'namespace rate limit exceeded'), 'temporal'],
    ['the client wrapping a gRPC failure', new ServiceError('Failed to query Workflow', { cause: grpcError(14, 'unavailable') }), 'temporal'],
    ['an Update whose call timed out', new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded', { cause: grpcError(4, 'Deadline exceeded') }), 'temporal'],
    ['the store refusing connections', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'), 'store'],
    ['no store found within the selection timeout', new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { type: 'Unknown', servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never), 'store'],
    [
      'FerretDB without its PostgreSQL',
      serverError(1, '[msg_update.go:117 handler.(*Handler).updateDocument] failed to connect to `user=juece database=juece`: 127.0.0.1:54320 (127.0.0.1): dial error: dial tcp 127.0.0.1:54320: connect: connection refused'),
      'store',
    ],
  ].map(([what, err, dependency]) => ({ what: what as string, err, dependency: dependency as string })))('$what → $dependency', ({ err, dependency }) => {
    expect(dependencyOf(err)).toBe(dependency);
    const e = toApiError(err);
    expect({ status: e.status, code: e.code, dependency: (e.details as { dependency?: string }).dependency }).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE', dependency });
  });

  test('a store that answers with a real error, or a request Temporal refuses, names no dependency', () => {
    expect(dependencyOf(serverError(11000, 'E11000 duplicate key error'))).toBeUndefined();
    expect(dependencyOf(serverError(1, 'some other internal error'))).toBeUndefined();
    expect(dependencyOf(grpcError(3, 'invalid argument'))).toBeUndefined();
    expect(dependencyOf(grpcError(5, 'workflow not found'))).toBeUndefined();
    expect(dependencyOf(new Error('boom'))).toBeUndefined();
  });
});

describe('the error path', () => {
  function answer(err: unknown) {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const res = {
      headersSent: false,
      set(k: string, v: string) {
        sent.headers[k.toLowerCase()] = v;
        return res;
      },
      status(s: number) {
        sent.status = s;
        return res;
      },
      json(b: unknown) {
        sent.body = b;
        return res;
      },
    };
    errorHandler(err, { complete: true } as Request, res as unknown as Response, () => undefined);
    return sent;
  }

  test('a raw driver failure leaves as 503 DEPENDENCY_UNAVAILABLE naming the store, with Retry-After, in both languages', () => {
    const sent = answer(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('5');
    expect(sent.body).toEqual({
      error: { code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('store'), details: { dependency: 'store', zh: expect.stringContaining('文档存储'), en: expect.any(String), retryAfterSeconds: 5 } },
    });
  });

  test('a 503 the API raised itself passes through unchanged, act and all', () => {
    const e = dependencyUnavailable('store', { state: 'received', updateId: 'idem-x-1' });
    expect(toApiError(e)).toBe(e);
    const sent = answer(e);
    expect(sent.status).toBe(503);
    expect((sent.body as { error: { details: { act: unknown } } }).error.details.act).toEqual({ state: 'received', updateId: 'idem-x-1', zh: expect.any(String), en: expect.stringContaining('Idempotency-Key') });
  });

  test('anything else is still a 500 with nothing internal in it', () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const sent = answer(new Error('secret internals'));
      expect(sent.status).toBe(500);
      expect(JSON.stringify(sent.body)).not.toContain('secret');
    } finally {
      quiet.mockRestore();
    }
    expect(new ApiError('INTERNAL', 'x').status).toBe(500);
  });
});
