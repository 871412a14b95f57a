/**
 * The acts of a procedure besides its steps: the office revising a finding when the facts change
 * (Art. 10), the legality review body reopening a wrongly skipped step (Art. 27(2)), the meeting's minutes and each member's
 * confirmation of their own statement (Art. 30), execution problems and the head's emergency
 * suspension (Arts. 35, 37), and the end of an import (补录). Each is one typed Update; the
 * workflow's guards decide, and a refusal is recorded with its class.
 */
import { z } from 'zod';
import { eventUpdate } from '../workflows/handles';
import type { EventInput } from '../workflows/model';
import { ConfirmStatementSchema, FindingRevisionSchema, MinutesSchema, ProblemReportSchema, ReopenSchema, SuspensionSchema } from '../workflows/records';
import { ApiError } from './errors';
import { rosterOf } from './roster';
import { DecisionId, OccurredOn, queryState, recordRefusal, route, type AppDeps, type Route, type RouteSchemas } from './route-kit';
import type { UserRole } from '../activities/people';
import { actAndView } from './updates';

/** One event route: who may send it, its body, and the event it becomes. */
function eventRoute<B extends z.ZodType>(o: {
  path: string;
  summary: string;
  roles: readonly UserRole[];
  body: B;
  action: EventInput['type'];
  toEvent: (body: z.infer<B>, ctx: { username: string }) => Omit<EventInput, 'actor' | 'occurredOn'>;
  /** A check of the person beyond role and scope (e.g. only the head suspends). */
  allow?: (deps: AppDeps, id: string, username: string) => Promise<ApiError | null>;
}): Route {
  const schemas = { params: z.object({ id: DecisionId }), query: OccurredOn, body: o.body } satisfies RouteSchemas;
  return route({
    method: 'post',
    path: o.path,
    summary: o.summary,
    access: { decision: 'write', roles: o.roles },
    schemas,
    errors: [400, 403, 404, 409],
    handler: async ({ params, query, body }, { actor, principal, deps }) => {
      const denied = o.allow ? await o.allow(deps, params.id, principal!.username) : null;
      if (denied) {
        await recordRefusal(deps, params.id, actor, o.action, undefined, denied);
        throw denied;
      }
      const event = { ...o.toEvent(body as z.infer<B>, { username: principal!.username }), actor, occurredOn: query.occurredOn } as EventInput;
      return actAndView(deps, params.id, eventUpdate, event, { actor, action: o.action });
    },
  });
}

/** Art. 37: only the head of the decision body suspends execution in an emergency. */
async function headOnly(deps: AppDeps, id: string, username: string): Promise<ApiError | null> {
  const view = await queryState(deps, id);
  const roster = await rosterOf(deps.models, view.meta.agency);
  return roster.head?.username === username
    ? null
    : new ApiError('FORBIDDEN', `Only the head of ${view.meta.agency} may suspend or resume execution (Decree 713 Art. 37).`, { required: ['head'], zh: `只有${view.meta.agency}的行政首长可以决定中止或恢复执行（第三十七条）。` });
}

export const procedureRoutes: Route[] = [
  eventRoute({
    path: '/api/decisions/:id/findings',
    summary:
      'The office revises a finding when the facts change (Art. 10): whether a conditional step applies — "not applicable" only on a ground the law names, with reasons — or a fact about the matter. A step found applicable after being skipped reopens. Until the legality opinion.',
    roles: ['secretariat'],
    body: FindingRevisionSchema,
    action: 'finding',
    toEvent: (b) => ({ type: 'finding', ...b }),
  }),
  eventRoute({
    path: '/api/decisions/:id/reopen',
    summary: 'The legality review body reopens a conditional step it finds wrongly skipped (Art. 27(2)): the decision goes back to perform it, and the review waits',
    roles: ['legality-review-body'],
    body: ReopenSchema,
    action: 'reopen',
    toEvent: (b) => ({ type: 'reopen', ...b }),
  }),
  eventRoute({
    path: '/api/decisions/:id/meeting/minutes',
    summary: 'Record the meeting (Art. 30): type and date, the members attending and each statement in order by login name from the roster, the head last, the decision, reasons when it departs from the majority',
    roles: ['secretariat'],
    body: MinutesSchema,
    action: 'minutes',
    toEvent: (b) => ({ type: 'minutes', minutes: b }),
  }),
  eventRoute({
    path: '/api/decisions/:id/meeting/confirm',
    summary: 'A member confirms their own statement in the minutes, or asks for a correction (Arts. 30, 38: a dissent on record is the member’s own)',
    roles: ['decision-body'],
    body: ConfirmStatementSchema,
    action: 'confirm',
    toEvent: (b, { username }) => ({ type: 'confirm', username, ...b }),
  }),
  eventRoute({
    path: '/api/decisions/:id/execution/problems',
    summary: 'The implementing unit reports a problem, a material change of circumstances or force majeure (Art. 35)',
    roles: ['department'],
    body: ProblemReportSchema,
    action: 'problem-reported',
    toEvent: (b) => ({ type: 'problem-reported', ...b }),
  }),
  eventRoute({
    path: '/api/decisions/:id/execution/suspend',
    summary: 'The head suspends execution in an emergency, with reasons (Art. 37); the procedure waits until resumed or adjusted',
    roles: ['decision-body'],
    body: SuspensionSchema,
    action: 'suspended',
    toEvent: (b) => ({ type: 'suspended', ...b }),
    allow: headOnly,
  }),
  eventRoute({
    path: '/api/decisions/:id/execution/resume',
    summary: 'The head resumes a suspended execution, with reasons (Art. 37)',
    roles: ['decision-body'],
    body: SuspensionSchema,
    action: 'resumed',
    toEvent: (b) => ({ type: 'resumed', ...b }),
    allow: headOnly,
  }),
  eventRoute({
    path: '/api/decisions/:id/import/end',
    summary: 'End the import (补录) of a procedure carried out before the system: from now on every act is dated by the system',
    roles: ['secretariat'],
    body: z.object({}).strict(),
    action: 'import-ended',
    toEvent: () => ({ type: 'import-ended' }),
  }),
];
