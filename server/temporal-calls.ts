/**
 * The API's calls to Temporal, with bounded waits. A call runs in slices under the client's own
 * deadline (`Client.withDeadline`). When a slice runs out, the API asks whether Temporal and the
 * store are there at all — and tells "not there" from "slow": Temporal is asked over a connection
 * that never retries, so a stopped server answers UNAVAILABLE at once, and the store is pinged,
 * which a stopped store fails within its server-selection timeout. A dependency that is not there
 * ends the wait with a 503 naming it within 2 s of its going; one that is only slow (a busy
 * machine, a long queue, a worker taking over) is waited for, up to PATIENCE_MS, so load never
 * turns into a false 503.
 *
 * Sending a call again is safe: a query only reads, a workflow start names its workflow id, and an
 * Update is sent again under the same Update id, which Temporal joins to the first instead of
 * running it twice — also when the client retries with the same Idempotency-Key (idempotency.ts).
 */
import { STORE_SELECTION_TIMEOUT_MS } from '../activities/models';
import type { AppDeps } from './route-kit';
import { dependencyOf, type ActState, type Dependency } from './dependency-errors';
import { dependencyUnavailable } from './errors';

/**
 * A slice: a call still unanswered after this has its dependencies probed (two cheap calls), so a
 * dependency that dies while a call waits is found within a slice and a probe.
 */
export const SLICE_MS = 600;
/** A probe's bound; a store that is down fails its ping within STORE_SELECTION_TIMEOUT_MS, less than this. */
export const PROBE_MS = Math.max(1000, STORE_SELECTION_TIMEOUT_MS + 200);
/** Asking what became of an act waits this long for Temporal to say it is accepted. */
const ACT_PROBE_MS = 300;
/** How long a call may wait on a Temporal and a store that are there but slow (or a worker that is absent). */
export const PATIENCE_MS = 30_000;

/** What a probe found. */
export type Presence = 'up' | 'down' | 'slow';

/** An Update under way: where to ask what became of it. */
export interface ActRef {
  workflowId: string;
  updateId: string;
}

const probeClient = (deps: Pick<AppDeps, 'client' | 'temporalProbe'>) => deps.temporalProbe ?? deps.client;

/** Temporal: up, down (refused at once: UNAVAILABLE), or slow (no answer within PROBE_MS). */
export async function temporalPresence(deps: Pick<AppDeps, 'client' | 'temporalProbe'>): Promise<Presence> {
  const client = probeClient(deps);
  try {
    await client.withDeadline(Date.now() + PROBE_MS, () => client.workflowService.getSystemInfo({}));
    return 'up';
  } catch (err) {
    return (err as { code?: unknown }).code === 14 || (err as { cause?: { code?: unknown } }).cause?.code === 14 ? 'down' : 'slow';
  }
}

/**
 * The store: up, down (the ping fails: refused, or no server within the selection timeout), or
 * slow. A hung store holds a pooled socket open with no bound, and mongodb 7.8 did not honour a
 * per-operation `timeoutMS` against FerretDB (measured), so the ping's wait is bounded by a timer.
 */
export async function storePresence(deps: Pick<AppDeps, 'models'>): Promise<Presence> {
  const db = deps.models.Decision.db.db;
  if (!db) return 'down';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Presence>((resolve) => {
    timer = setTimeout(() => resolve('slow'), PROBE_MS);
  });
  try {
    return await Promise.race([
      db
        .admin()
        .ping()
        .then(
          (): Presence => 'up',
          (err: unknown): Presence => (dependencyOf(err) === 'store' ? 'down' : 'slow'),
        ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What became of an Update: accepted (in the history), received (Temporal holds it), or not confirmed. */
async function actState(deps: Pick<AppDeps, 'client' | 'temporalProbe' | 'namespace'>, act: ActRef): Promise<ActState> {
  const client = probeClient(deps);
  try {
    const r = await client.withDeadline(Date.now() + ACT_PROBE_MS, () =>
      client.workflowService.pollWorkflowExecutionUpdate({
        namespace: deps.namespace,
        updateRef: { workflowExecution: { workflowId: act.workflowId }, updateId: act.updateId },
        // 2 = UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED: answers at once when it is.
        waitPolicy: { lifecycleStage: 2 },
      }),
    );
    return (r.stage ?? 0) >= 2 ? 'accepted' : 'received';
  } catch (err) {
    // Past the probe's deadline while still only admitted: Temporal holds it for the workflow.
    const code = (err as { code?: unknown }).code;
    return code === 4 || code === 1 ? 'received' : 'not-confirmed';
  }
}

/** Probe both dependencies at once. */
async function probe(deps: AppDeps) {
  const [temporal, store] = await Promise.all([temporalPresence(deps), storePresence(deps)]);
  return { temporal, store };
}

/** The dependency that is missing, Temporal first: without it nothing else can be known. */
function missing(p: { temporal: Presence; store: Presence }, final: boolean): Dependency | undefined {
  if (p.temporal === 'down') return 'temporal';
  if (p.store === 'down') return 'store';
  // Out of patience: name what was too slow, else the worker (Temporal and the store both answer).
  if (final) return p.temporal === 'slow' ? 'temporal' : p.store === 'slow' ? 'store' : 'worker';
  return undefined;
}

/**
 * Run `call` against Temporal in slices (see the file's comment). Errors other than Temporal not
 * answering pass through unchanged; a missing dependency becomes its 503, with the act's state
 * when `act` names the Update under way.
 */
export async function withTemporal<T>(deps: AppDeps, call: () => Promise<T>, o: { act?: ActRef } = {}): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await deps.client.withDeadline(Date.now() + SLICE_MS, call);
    } catch (err) {
      if (dependencyOf(err) !== 'temporal') throw err;
    }
    const gone = missing(await probe(deps), Date.now() - started >= PATIENCE_MS);
    if (!gone) continue;
    if (!o.act) throw dependencyUnavailable(gone);
    const state = gone === 'temporal' ? 'not-confirmed' : await actState(deps, o.act);
    throw dependencyUnavailable(gone, { state, updateId: o.act.updateId });
  }
}
