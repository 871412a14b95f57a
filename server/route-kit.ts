/**
 * The pieces every route module shares: the route shape (zod schemas per route are the single
 * source for validation, OpenAPI and authorisation), the app's dependencies, and reading a
 * decision's live state from its workflow.
 */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { Models } from '../activities/models';
import type { Principal, UserRole } from '../activities/people';
import type { SessionContext } from './auth';
import type { WorkingCalendar } from '../workflows/calendar';
import type { DecisionView, ProcedurePolicy } from '../workflows/model';
import { isoDate } from '../workflows/records';
import type { CompiledProcedure } from '../workflows/procedure';
import { ApiError, refusalClass } from './errors';

export interface DefinitionEntry {
  procedure: CompiledProcedure;
  xml: string;
}

export interface AppDeps {
  client: Client;
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
}

export interface RouteSchemas {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
}

/**
 * Who may call a route. Every route declares one; server/access.ts enforces it before the
 * handler runs, and test/integration/authz-matrix.test.ts checks every route against every role.
 * - public: anyone, signed in or not;
 * - user: any signed-in person (their own things, reference data);
 * - roles: a signed-in person holding one of the roles;
 * - decision: the decision named by :id, which the person may read (`read`, optionally only
 *   in some roles) or change acting in one of `roles` (`write`: scope per activities/people.ts);
 * - step: acting on :stepId of decision :id, in the role the definition names for that step.
 */
export type Access =
  | { public: true }
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
  /** The JSON body's limit in bytes when not the default (server/body.ts BODY_LIMITS). */
  jsonLimit?: number;
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
    return await deps.client.workflow.getHandle(workflowId(id)).query<DecisionView>('state');
  } catch (err) {
    const message = String((err as Error)?.message);
    if (/Nondeterminism/i.test(message))
      throw new ApiError(
        'DEPENDENCY_UNAVAILABLE',
        `Decision ${id} was started under earlier workflow code that the running worker cannot replay. Run the worker version it started with, or ship the change behind a Temporal patch.`,
      );
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
}

/** Art. 33: a decision whose procedure has ended is sealed; a change to it is refused and recorded. */
export async function refuseIfClosed(deps: AppDeps, view: DecisionView, actor: string, action: string, stepId?: string): Promise<void> {
  if (view.status !== 'completed') return;
  const e = new ApiError('DECISION_CLOSED', `Decision ${view.decisionId} has ended and its file is sealed (Decree 713 Art. 33).`);
  await recordRefusal(deps, view.decisionId, actor, action, stepId, e);
  throw e;
}
