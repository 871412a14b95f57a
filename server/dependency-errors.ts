/**
 * Which dependency a failure says is missing — Temporal, the store, or the worker — and the one
 * answer every route gives for it: 503 DEPENDENCY_UNAVAILABLE naming it, in both languages, with
 * Retry-After. The error path (server/errors.ts) asks here before it calls anything a 500.
 */
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

export type Dependency = 'temporal' | 'store' | 'worker';

/** What became of an act when a dependency failed on the way (server/temporal-calls.ts finds out). */
export type ActState =
  /** Temporal could not be reached: the act may or may not have arrived. */
  | 'not-confirmed'
  /** Temporal holds the act and hands it to the workflow; it takes effect once, when the store answers again. */
  | 'received'
  /** The workflow accepted the act and Temporal recorded it; the read model shows it when the store returns. */
  | 'accepted';

export interface UnavailableDetails {
  dependency: Dependency;
  zh: string;
  en: string;
  retryAfterSeconds: number;
  /** Present when an act was under way: its state and the Update id a retry with the same Idempotency-Key joins. */
  act?: { state: ActState; updateId: string; zh: string; en: string };
}

/** Seconds a client should wait before asking again (also the Retry-After header). */
export const RETRY_AFTER_SECONDS = 5;

const WHAT: Record<Dependency, { zh: string; en: string }> = {
  temporal: {
    zh: '流程引擎（Temporal）暂不可用，需要它的操作暂时无法办理；事项列表、办理记录和办理日志仍可查阅。',
    en: 'The workflow service (Temporal) is unavailable: nothing that needs it can be done now. Lists, records and audit trails still read from the store.',
  },
  store: {
    zh: '文档存储暂不可用，暂时无法登录、查阅列表或记录。',
    en: 'The document store is unavailable: sign-in, lists and records cannot be read now.',
  },
  worker: {
    zh: '没有工作进程响应该决策事项（工作进程未运行或正在恢复），请稍后再试。',
    en: 'No Juece worker is answering for this decision (none is running, or it is recovering); try again shortly.',
  },
};

const ACT: Record<ActState, { zh: string; en: string }> = {
  'not-confirmed': {
    zh: '本次操作未得到确认。请使用相同的幂等键（Idempotency-Key）重试：操作至多生效一次。',
    en: 'The act was not confirmed. Retry with the same Idempotency-Key: it takes effect at most once.',
  },
  received: {
    zh: '流程引擎已收到本次操作，待文档存储恢复后生效一次。使用相同的幂等键重试可取得其结果。',
    en: 'Temporal has received the act; it takes effect once, when the store answers again. Retry with the same Idempotency-Key for its answer.',
  },
  accepted: {
    zh: '本次操作已被受理并由流程引擎记录，文档存储恢复后即可在列表和记录中看到。使用相同的幂等键重试可取得其结果。',
    en: 'The act is accepted and recorded by Temporal; lists and records show it once the store returns. Retry with the same Idempotency-Key for its answer.',
  },
};

/** The 503's message and details for a missing dependency, and for the act under way if there was one. */
export function unavailable(dependency: Dependency, act?: { state: ActState; updateId: string }): { message: string; details: UnavailableDetails } {
  const what = WHAT[dependency];
  const details: UnavailableDetails = { dependency, ...what, retryAfterSeconds: RETRY_AFTER_SECONDS, ...(act ? { act: { ...act, ...ACT[act.state] } } : {}) };
  return { message: act ? `${what.en} ${ACT[act.state].en}` : what.en, details };
}

/** gRPC codes that mean Temporal is not there (or not answering in time), not that the request was wrong. */
const TEMPORAL_DOWN = new Set<number>([
  1, // CANCELLED: what Temporal answers when the deadline the API set passes while it waits (a query waiting on a workflow task)
  14, // UNAVAILABLE
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED: overloaded, or too many acts in flight on one decision
]);

/** The MongoDB driver's and mongoose's errors for a store that cannot be reached. */
const STORE_DOWN = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);

/**
 * FerretDB answers InternalError (code 1) when its PostgreSQL is gone, e.g. "failed to connect to
 * `user=juece database=juece`: … dial error: … connection refused" (measured on 1.24.2).
 */
const FERRETDB_BACKEND_DOWN = /failed to connect to|dial (error|tcp)|connection refused|conn closed|connection reset|broken pipe|unexpected EOF|the database system is (starting up|shutting down)/i;

/** The dependency an error says is unavailable, if it says so; the cause chain is followed. */
export function dependencyOf(err: unknown): Dependency | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
    if (isGrpcServiceError(e) && TEMPORAL_DOWN.has(e.code)) return 'temporal';
    const { name, message, code } = e as { name?: string; message?: string; code?: unknown };
    if (name && STORE_DOWN.has(name)) return 'store';
    if (name === 'MongoServerError' && code === 1 && FERRETDB_BACKEND_DOWN.test(String(message))) return 'store';
    if (name === 'MongooseError' && /buffering timed out|not connected|client was closed/i.test(String(message))) return 'store';
  }
  return undefined;
}
