/**
 * The pieces every route module shares: the route shape (zod schemas per route are the single
 * source for validation, OpenAPI and authorisation), the app's dependencies, and reading a
 * decision's live state from its workflow.
 */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { countRefusal } from '../activities/compliance';
import { announce } from '../activities/live-feed';
import type { Models } from '../activities/models';
import type { Principal, UserRole } from '../activities/people';
import type { SessionContext } from './auth';
import type { WorkingCalendar } from '../workflows/calendar';
import type { DecisionView, ProcedurePolicy } from '../workflows/model';
import { isoDate } from '../workflows/records';
import type { CompiledProcedure } from '../workflows/procedure';
import { unavailable } from './dependency-errors';
import { ApiError, refusalClass } from './errors';
import { withTemporal } from './temporal-calls';

export interface DefinitionEntry {
  procedure: CompiledProcedure;
  xml: string;
}

export interface AppDeps {
  client: Client;
  /**
   * The same Temporal over a connection that never retries, to tell "not there" (UNAVAILABLE at
   * once) from "slow" when a call takes long (server/temporal-calls.ts); `client` when absent.
   */
  temporalProbe?: Client;
  models: Models;
  taskQueue: string;
  namespace: string;
  definitions: Map<string, DefinitionEntry>;
  calendar: WorkingCalendar;
  /** Cookie Secure flag: auto = when the request came over TLS. */
  cookieSecure?: 'auto' | 'on' | 'off';
  /** express "trust proxy" setting (JUECE_TRUST_PROXY). */
  trustProxy?: string;
  /** Deployment settings the statute leaves open (the meeting quorum); the national default when unset. */
  policy?: ProcedurePolicy;
  /** Supervision settings: the catalogue's full-procedure policy and the archive handover period (server/config.ts). */
  supervision?: SupervisionPolicy;
  /** The public portal's abuse limits (server/portal/limits.ts); its defaults when unset. */
  portal?: PortalSettings;
  /** Live updates (server/live.ts): how often this instance asks the store, and how long one stream lasts before the browser reconnects. */
  live?: { intervalMs?: number; maxStreamMs?: number };
}

/** The public portal's limits: submissions per client address per window, and the form's minimum fill time. */
export interface PortalSettings {
  rate: { limit: number; windowMs: number };
  minFillMs: number;
}

export interface SupervisionPolicy {
  /** Catalogue items perform all five procedures unless the decision body exempts (JUECE_CATALOGUE_FULL_PROCEDURE). */
  catalogueFullProcedure: boolean;
  /** Days after the decision within which its file goes to the archive (JUECE_ARCHIVE_HANDOVER_DAYS). */
  archiveHandoverDays: number;
}

/** The supervision settings of a deployment, the national defaults when none are given. */
export const supervisionOf = (c?: { JUECE_CATALOGUE_FULL_PROCEDURE: boolean; JUECE_ARCHIVE_HANDOVER_DAYS: number }): SupervisionPolicy => ({
  catalogueFullProcedure: c?.JUECE_CATALOGUE_FULL_PROCEDURE ?? false,
  archiveHandoverDays: c?.JUECE_ARCHIVE_HANDOVER_DAYS ?? 30,
});

export interface RouteSchemas {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
}

/**
 * Who may call a route. Every route declares one; server/access.ts enforces it before the
 * handler runs, and test/integration/authz-matrix.test.ts checks every route against every role.
 * - public: anyone, signed in or not; `public: 'static'` when the answer is the same for everyone
 *   and needs no store (the statute's text): the session is not even read, so it answers while
 *   the store is unavailable;
 * - user: any signed-in person (their own things, reference data);
 * - roles: a signed-in person holding one of the roles;
 * - decision: the decision named by :id, which the person may read (`read`, optionally only
 *   in some roles) or change acting in one of `roles` (`write`: scope per activities/people.ts);
 * - step: acting on :stepId of decision :id, in the role the definition names for that step.
 */
export type Access =
  | { public: true | 'static' }
  | { user: true }
  | { roles: readonly UserRole[] }
  | { decision: 'read'; roles?: readonly UserRole[] }
  | { decision: 'write'; roles: readonly UserRole[] }
  | { step: true };

export interface Route<S extends RouteSchemas = RouteSchemas> {
  method: 'get' | 'post';
  path: string;
  summary: string;
  schemas: S;
  access: Access;
  /** Statuses besides 200/201 the route documents. */
  errors?: number[];
  /** Take the body as raw bytes (a Buffer, any content type) up to this many bytes instead of JSON. */
  rawBody?: { limit: number };
  /** The answer is an event stream that stays open (server/events-routes.ts), not one response. */
  eventStream?: true;
  /** The JSON body's limit in bytes when not the default (server/body.ts BODY_LIMITS). */
  jsonLimit?: number;
  /** A check after the gate and before the body is read (e.g. the portal's rate limit): a refused request is not read. */
  admit?: (req: Request, res: Response, deps: AppDeps) => Promise<void>;
  handler: (
    input: { params: S['params'] extends z.ZodType ? z.infer<S['params']> : object; query: S['query'] extends z.ZodType ? z.infer<S['query']> : object; body: S['body'] extends z.ZodType ? z.infer<S['body']> : unknown },
    ctx: {
      req: Request;
      res: Response;
      /** The audit label of the signed-in person, 姓名 (login); 'anonymous' on public routes. */
      actor: string;
      /** The signed-in person; null only on public routes. */
      principal: Principal | null;
      /** Their session, as the gate read it (null only on public routes). */
      session: SessionContext | null;
      /** The role the access check allowed this call in (decision writes and steps). */
      actingRole?: UserRole;
      /** When the request arrived (its headers, before anything was read or checked): deadlines are judged by it. */
      arrivedAt: number;
      deps: AppDeps;
    },
  ) => Promise<unknown>;
}

/** Declare a route with its schemas' types checked, stored in the untyped table. */
export const route = <S extends RouteSchemas>(r: Route<S>) => r as unknown as Route;

export const DecisionId = z.string().regex(/^[A-Za-z0-9-]{3,64}$/, 'not a decision id');

/** Imports (补录) only: the date an act actually happened, as a query parameter of any act. */
export const OccurredOn = z.object({ occurredOn: isoDate.optional().describe('imports (补录) only: the date the act actually happened') });

/** A stored document as the API shows it: `_id` becomes `id`. */
export function withId<T extends { _id: unknown }>({ _id, ...rest }: T): Omit<T, '_id'> & { id: T['_id'] } {
  return { id: _id, ...rest };
}

/** The Temporal workflow id of a decision. */
export function workflowId(id: string): string {
  return `decision-${id}`;
}

/** A decision's whole live state, from its workflow's query; 404 if there is no such decision. */
export async function queryState(deps: AppDeps, id: string): Promise<DecisionView> {
  try {
    return await withTemporal(deps, () => deps.client.workflow.getHandle(workflowId(id)).query<DecisionView>('state'));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const message = String((err as Error)?.message);
    if (/Nondeterminism/i.test(message)) {
      const en = `Decision ${id} was started under earlier workflow code that the running worker cannot replay. Run the worker version it started with, or ship the change behind a Temporal patch.`;
      throw new ApiError('DEPENDENCY_UNAVAILABLE', en, { ...unavailable('worker').details, en, zh: `决策${id}由较早版本的流程代码启动，当前工作进程无法重放；请运行其启动时的版本。` });
    }
    if (err instanceof WorkflowNotFoundError || /not found/i.test(message)) throw new ApiError('NOT_FOUND', `No decision ${id}.`);
    throw err;
  }
}

/**
 * A refused attempt on an existing decision goes into its audit trail (Invariant 8): Temporal
 * keeps no trace of a rejected update, so the API records who tried what, when, and why.
 */
export async function recordRefusal(deps: AppDeps, id: string, actor: string, action: string, stepId: string | undefined, e: ApiError): Promise<void> {
  await deps.models.AuditEvent.create({
    _id: `${id}:refused:${crypto.randomUUID()}`,
    decisionId: id,
    at: new Date(),
    actor,
    action,
    stepId,
    result: 'refused',
    class: refusalClass(e),
    code: e.code,
    summary: e.message,
    reasons: Array.isArray(e.details) ? e.details : [],
  });
  await countRefusal(deps.models, id, refusalClass(e));
  await announce(deps.models, { decisionId: id });
}

/**
 * An accepted action the API performs itself, outside the workflow (attachments, invitations,
 * comments, opinions), goes into the decision's audit trail beside the workflow's own events.
 */
export async function recordAccepted(
  deps: AppDeps,
  id: string,
  actor: string,
  action: string,
  summary: string,
  o: { key?: string; at?: Date; stepId?: string } = {},
): Promise<void> {
  await deps.models.AuditEvent.create({ _id: `${id}:${action}:${o.key ?? crypto.randomUUID()}`, decisionId: id, at: o.at ?? new Date(), actor, action, stepId: o.stepId, result: 'accepted', summary });
  await announce(deps.models, { decisionId: id });
}

/** Art. 33: a decision whose procedure has ended is sealed; a change to it is refused and recorded. */
export async function refuseIfClosed(deps: AppDeps, view: DecisionView, actor: string, action: string, stepId?: string): Promise<void> {
  if (view.status !== 'completed') return;
  const e = new ApiError('DECISION_CLOSED', `Decision ${view.decisionId} has ended and its file is sealed (Decree 713 Art. 33).`);
  await recordRefusal(deps, view.decisionId, actor, action, stepId, e);
  throw e;
}
