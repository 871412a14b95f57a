/**
 * The route table: each route's zod schemas are the single source for validation, the
 * OpenAPI document and (later) the authorisation matrix.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { workingDaysBetween } from '../workflows/calendar';
import { actUpdate, draftUpdate, eventUpdate } from '../workflows/handles';
import type { decisionProcedure } from '../workflows/decision';
import type { DecisionInput, DecisionView, Reason, StepAction } from '../workflows/model';
import { CaseFactsSchema, CATEGORIES, DraftSchema, isoDate, MAX, RECORD_SCHEMAS } from '../workflows/records';
import { chinaDate } from '../workflows/time';
import decree713 from '../definitions/statute/decree-713.json';
import { attachmentRoutes } from './attachment-routes';
import { catalogueRoutes } from './catalogue-routes';
import { opinionRoutes } from './opinion-routes';
import { peopleRoutes } from './people-routes';
import { procedureRoutes } from './procedure-routes';
import { reviewRoutes } from './review-routes';
import { canActAs, canRead, participationOf, readFilter, ROLE_LABELS, USER_ROLES, type Principal, type UserRole } from '../activities/people';
import { stepMeta } from './access';
import { BODY_LIMITS } from './body';
import { ApiError } from './errors';
import { rosterOf } from './roster';
import { DecisionId, OccurredOn, queryState, route, withId, workflowId, type AppDeps, type Route } from './route-kit';
import { runUpdate } from './updates';

export type { AppDeps, DefinitionEntry, Route, RouteSchemas } from './route-kit';

const StepId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'not a step id');

const ACTIONS = ['start', 'complete', 'return', 'not-applicable'] as const;

export const CreateDecisionSchema = z
  .object({
    title: z.string().trim().min(2).max(300).describe('决策事项名称'),
    agency: z.string().trim().min(2).max(200).describe('决策机关'),
    draftingUnit: z.string().trim().min(2).max(200).describe('承办单位'),
    category: z.enum(CATEGORIES).describe('Art. 3 category'),
    facts: CaseFactsSchema.default(CaseFactsSchema.parse({})).describe("the drafting unit's proposal; the office decides applicability at initiation (Art. 10)"),
    definition: z.string().max(100).default('major-decision').describe('procedure definition key'),
    import: z
      .object({ reason: z.string().trim().min(5).max(MAX.TEXT).describe('why it is entered afterwards'), startedOn: isoDate.describe('when the procedure actually started') })
      .strict()
      .optional()
      .describe('补录: a procedure carried out before the system was adopted (the office only)'),
    adjusts: DecisionId.optional().describe('a major adjustment (Art. 37): the decision this one adjusts'),
  })
  .strict();

const ListQuery = z.object({
  agency: z.string().max(200).optional(),
  status: z.enum(['in-progress', 'completed', 'incident']).optional(),
  step: z.string().max(100).optional().describe('a current step id'),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(100).optional().describe('title contains'),
  attached: z.enum(['true']).optional().describe('only decisions you are attached to (early intervention, expert review, meeting)'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

function newDecisionId(): string {
  const d = chinaDate(Date.now()).replace(/-/g, '');
  return `D${d}-${crypto.randomBytes(4).toString('hex')}`;
}

function escapeRegex(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What the person reading a decision may do on it, by the same rules the routes enforce: the
 * roles they may act in here, and for each step whether they may perform it or why not. The UI
 * gates its buttons on this instead of re-deriving the rules.
 */
async function viewerAccess(deps: AppDeps, p: Principal, view: DecisionView) {
  // Only advisers and experts are ever attached to a decision.
  const part = p.roles.some((r) => r === 'expert' || r === 'legal-adviser') ? await participationOf(deps.models, p.username, view.decisionId) : [];
  const actAs = USER_ROLES.filter((r) => canActAs(p, r, view.meta, part));
  const steps: Record<string, { allowed: boolean; zh?: string; en?: string }> = {};
  for (const e of Object.values(view.elements)) {
    if (!e.role) continue;
    const role = e.role as UserRole;
    if (actAs.includes(role)) steps[e.id] = { allowed: true };
    else if (p.roles.includes('supervisor') && p.roles.length === 1) steps[e.id] = { allowed: false, zh: '监督人员只读', en: 'Supervisors only read' };
    else if (!p.roles.includes(role)) steps[e.id] = { allowed: false, zh: `需要角色：${ROLE_LABELS[role]?.zh ?? role}`, en: `Needs the role: ${ROLE_LABELS[role]?.en ?? role}` };
    else steps[e.id] = { allowed: false, zh: `本决策由${view.meta.draftingUnit}承办，您的单位不能办理`, en: `This decision belongs to ${view.meta.draftingUnit}; your organisation may not act on it` };
  }
  // The acts besides steps (server/procedure-routes.ts, opinion-routes.ts), by the same rules as their routes.
  const may = (r: UserRole) => actAs.includes(r);
  const open = view.status === 'in-progress';
  const speaker = view.meeting?.minutes?.statements.some((s) => s.speaker === p.username) ?? false;
  const head = may('decision-body') && (await rosterOf(deps.models, view.meta.agency)).head?.username === p.username;
  const can = {
    reviseFindings: open && may('secretariat'),
    reopen: open && may('legality-review-body'),
    openConsultation: open && may('department'),
    recordMinutes: open && may('secretariat'),
    confirmStatement: open && may('decision-body') && speaker,
    reportProblem: open && may('department'),
    suspend: open && head,
    giveOpinion: open && (may('legal-adviser') || may('expert')),
    fileSignedAdviserOpinion: open && may('legality-review-body'),
    fileSignedExpertOpinion: open && (may('department') || may('secretariat')),
    endImport: open && may('secretariat') && Boolean(view.import?.open),
  };
  return { username: p.username, roles: p.roles, participation: part, actAs, steps, can };
}

/**
 * A reader's own filter, narrowed to their scope. Never by merging keys: `?agency=` must not
 * replace the scope's own `agency`, so overlapping keys are joined with $and.
 */
export function withinScope(scope: Record<string, unknown>, wanted: Record<string, unknown>): Record<string, unknown> {
  const overlap = Object.keys(wanted).some((k) => k in scope || k.startsWith('$'));
  return overlap ? { $and: [scope, wanted] } : { ...scope, ...wanted };
}

/**
 * The decisions a person may see, as a filter on the read model. What attaches them follows
 * canRead: an adviser reads what they are attached to for any purpose, an expert only what they
 * were invited to review (Art. 20) — not a meeting they were merely asked to sit in on.
 */
export async function scopeFilter(deps: AppDeps, p: Principal): Promise<Record<string, unknown>> {
  const adviser = p.roles.includes('legal-adviser');
  const expert = p.roles.includes('expert');
  const attached = adviser || expert ? await deps.models.Participant.distinct('decisionId', { username: p.username, ...(adviser ? {} : { purpose: 'expert-review' }) }) : [];
  return readFilter(p, attached as string[]);
}

/**
 * A department starts decisions for itself in its own agency; a secretariat for a department of
 * its agency. When the organisation is on file, the drafting unit must be one of its departments.
 */
async function checkNewDecisionScope(deps: AppDeps, p: Principal, role: UserRole, body: z.infer<typeof CreateDecisionSchema>) {
  const forbid = (path: string, message: string) => new ApiError('FORBIDDEN', message, [{ path, message }]);
  if (!p.agency || body.agency !== p.agency.name) throw forbid('body.agency', `You work for ${p.agency?.name ?? 'no agency'}; you cannot start a decision of ${body.agency}.`);
  if (role === 'department' && body.draftingUnit !== p.org.name) throw forbid('body.draftingUnit', `A department starts decisions it drafts itself (${p.org.name}), not for ${body.draftingUnit}.`);
  const departments = await deps.models.Organisation.find({ kind: 'department', agencyId: p.agency.id }, { name: 1 }).lean();
  if (departments.length && !departments.some((d) => d.name === body.draftingUnit))
    throw new ApiError('VALIDATION_FAILED', `${body.draftingUnit} is not a department of ${p.agency.name}.`, [{ path: 'body.draftingUnit', message: `one of: ${departments.map((d) => d.name).join('、')}` }]);
}

/** The record schemas never change while the process runs: convert them once. */
let recordJsonSchemas: Record<string, unknown> | undefined;

/** Start one decision's workflow on the named definition; stores that definition version by hash. */
export async function startDecision(deps: AppDeps, body: z.infer<typeof CreateDecisionSchema>, actor: string) {
  const def = deps.definitions.get(body.definition);
  if (!def) throw new ApiError('VALIDATION_FAILED', `Unknown procedure definition "${body.definition}".`, [{ path: 'body.definition', message: `one of: ${[...deps.definitions.keys()].join(', ')}` }]);
  const id = newDecisionId();
  const p = def.procedure;
  await deps.models.Definition.updateOne({ _id: p.hash }, { $setOnInsert: { key: p.key, version: p.version, name: p.name, xml: def.xml, storedAt: new Date() } }, { upsert: true });
  const input: DecisionInput = {
    decisionId: id,
    meta: { title: body.title, agency: body.agency, draftingUnit: body.draftingUnit, category: body.category, createdBy: actor, ...(body.adjusts ? { adjusts: body.adjusts } : {}) },
    facts: body.facts,
    procedure: p,
    calendar: deps.calendar,
    ...(deps.policy ? { policy: deps.policy } : {}),
    ...(body.import ? { origin: { kind: 'import' as const, reason: body.import.reason, startedOn: body.import.startedOn } } : {}),
  };
  await deps.client.workflow.start<typeof decisionProcedure>('decisionProcedure', { taskQueue: deps.taskQueue, workflowId: workflowId(id), args: [input] });
  if (body.adjusts) {
    // Art. 37: the original records that this decision re-runs the procedure to adjust it (while it is still open).
    await runUpdate(deps, body.adjusts, eventUpdate, { type: 'linked', decisionId: id, title: body.title, actor }, { actor, action: 'linked' }).catch((err: unknown) => {
      if (!(err instanceof ApiError && err.code === 'DECISION_CLOSED')) throw err;
    });
  }
  return { id, workflowId: workflowId(id), procedure: { key: p.key, version: p.version, hash: p.hash } };
}

/** An import (补录) is the office's act; a major adjustment names an original in the creator's reach. */
async function checkOrigin(deps: AppDeps, p: Principal, role: UserRole, body: z.infer<typeof CreateDecisionSchema>) {
  if (body.import) {
    if (role !== 'secretariat') throw new ApiError('FORBIDDEN', 'Only the office acting for the decision body enters a procedure carried out before the system (补录).', { required: ['secretariat'], zh: '补录须由决策机关办公厅（室）办理。' });
    if (body.import.startedOn > chinaDate(Date.now())) throw new ApiError('VALIDATION_FAILED', 'The import cannot start in the future.', [{ path: 'body.import.startedOn', message: '「实际启动日期」晚于今天。', en: 'after today' }]);
  }
  if (body.adjusts) {
    const original = await queryState(deps, body.adjusts).catch(() => null);
    if (!original || !canRead(p, original.meta, [])) throw new ApiError('VALIDATION_FAILED', `No decision ${body.adjusts} in your reach to adjust.`, [{ path: 'body.adjusts', message: 'unknown decision' }]);
    if (original.meta.agency !== body.agency) throw new ApiError('VALIDATION_FAILED', 'A major adjustment is decided by the same decision body.', [{ path: 'body.agency', message: `must be ${original.meta.agency}` }]);
  }
}

export const routes: Route[] = [
  route({
    method: 'post',
    path: '/api/decisions',
    summary: 'Start a major administrative decision (one workflow per decision)',
    access: { roles: ['department', 'secretariat'] },
    schemas: { body: CreateDecisionSchema },
    errors: [400],
    handler: async ({ body }, { res, actor, principal, actingRole, deps }) => {
      await checkNewDecisionScope(deps, principal!, actingRole!, body);
      await checkOrigin(deps, principal!, actingRole!, body);
      const created = await startDecision(deps, body, actor);
      res.status(201);
      return created;
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions',
    summary: 'List and search decisions (from the read model)',
    access: { user: true },
    schemas: { query: ListQuery },
    handler: async ({ query }, { principal, deps }) => {
      const wanted: Record<string, unknown> = {};
      if (query.agency) wanted.agency = query.agency;
      if (query.status) wanted.status = query.status;
      if (query.step) wanted.currentSteps = query.step;
      if (query.overdue) wanted.overdue = query.overdue === 'true';
      if (query.q) wanted.title = { $regex: escapeRegex(query.q) };
      if (query.attached) wanted._id = { $in: await deps.models.Participant.distinct('decisionId', { username: principal!.username }) };
      const filter = withinScope(await scopeFilter(deps, principal!), wanted);
      const { Decision } = deps.models;
      const [total, items] = await Promise.all([
        Decision.countDocuments(filter),
        Decision.find(filter)
          .sort({ updatedAt: -1, _id: 1 })
          .skip((query.page - 1) * query.pageSize)
          .limit(query.pageSize)
          .lean(),
      ]);
      return { total, page: query.page, pageSize: query.pageSize, items: items.map(withId) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/stats',
    summary: 'Counts of decisions per status, and overdue ones (from the read model)',
    access: { user: true },
    schemas: { query: z.object({ agency: z.string().optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const base = withinScope(await scopeFilter(deps, principal!), query.agency ? { agency: query.agency } : {});
      const { Decision } = deps.models;
      const statuses = ['in-progress', 'completed', 'incident'] as const;
      const [total, overdue, ...per] = await Promise.all([
        Decision.countDocuments(base),
        Decision.countDocuments({ ...base, overdue: true }),
        ...statuses.map((status) => Decision.countDocuments({ ...base, status })),
      ]);
      return { total, overdue, byStatus: Object.fromEntries(statuses.map((st, i) => [st, per[i]])) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id',
    summary: 'The whole state of one decision (live, from its workflow)',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { principal, deps }) => {
      const view = await queryState(deps, params.id);
      return { ...view, viewer: await viewerAccess(deps, principal!, view) };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/steps/:stepId/:action',
    summary:
      'Act on a step: start, complete (with its record) or return for rework. Whether a conditional step applies is the office’s finding (POST …/findings), so not-applicable is refused here with that reason.',
    access: { step: true },
    schemas: {
      params: z.object({ id: DecisionId, stepId: StepId, action: z.enum(ACTIONS) }),
      query: OccurredOn,
      body: z.record(z.string().max(100), z.unknown()).default({}),
    },
    errors: [400, 404, 409],
    handler: async ({ params, query, body }, { actor, deps }) => {
      const action: StepAction = { action: params.action, stepId: params.stepId, actor, data: body, occurredOn: query.occurredOn };
      // The meeting opens with the roster on file (Art. 30): the system supplies it, never the request.
      if (params.action === 'start' && (await stepMeta(deps, params.id, params.stepId))?.kind === 'collective-decision') {
        const view = await queryState(deps, params.id);
        action.system = { roster: await rosterOf(deps.models, view.meta.agency) };
      }
      return runUpdate(deps, params.id, actUpdate, action, { actor, action: params.action, stepId: params.stepId });
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/drafts',
    summary: 'Record a new draft version while drafting or a revision is open (content-hashed; a change after legality review needs a fresh review)',
    access: { decision: 'write', roles: ['department'] },
    schemas: { params: z.object({ id: DecisionId }), query: OccurredOn, body: DraftSchema },
    jsonLimit: BODY_LIMITS.draft,
    errors: [400, 404, 409],
    handler: async ({ params, query, body }, { res, actor, deps }) => {
      await queryState(deps, params.id);
      const hash = crypto.createHash('sha256').update(body.content, 'utf8').digest('hex');
      await deps.models.Draft.updateOne(
        { _id: `${params.id}:${hash}` },
        { $setOnInsert: { decisionId: params.id, hash, title: body.title, content: body.content, createdAt: new Date(), createdBy: actor } },
        { upsert: true },
      );
      const view = await runUpdate(deps, params.id, draftUpdate, { actor, title: body.title, hash, note: body.note, size: Buffer.byteLength(body.content), occurredOn: query.occurredOn }, { actor, action: 'draft' });
      res.status(201);
      return { version: view.currentDraft?.version, hash, decision: view };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/drafts/:version',
    summary: 'One draft version with its content',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId, version: z.coerce.number().int().min(1) }) },
    errors: [404],
    handler: async ({ params }, { deps }) => {
      const view = await queryState(deps, params.id);
      const d = view.drafts.find((x) => x.version === params.version);
      if (!d) throw new ApiError('NOT_FOUND', `Decision ${params.id} has no draft version ${params.version}.`);
      const doc = await deps.models.Draft.findById(`${params.id}:${d.hash}`).lean();
      return { ...d, content: doc?.content ?? null };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/audit',
    summary: 'The audit trail: every accepted action and every refused attempt, in order',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    handler: async ({ params }, { deps }) => {
      const events = await deps.models.AuditEvent.find({ decisionId: params.id }).sort({ at: 1, seq: 1 }).lean();
      return { items: events.map(withId) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/definition.xml',
    summary: "The BPMN of the definition version this decision runs",
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const view = await queryState(deps, params.id);
      const def = await deps.models.Definition.findById(view.procedure.hash).lean();
      if (!def) throw new ApiError('NOT_FOUND', 'The definition version of this decision is not stored.');
      res.type('application/xml').send(def.xml);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/definitions',
    summary: 'Procedure definitions available for new decisions',
    access: { user: true },
    schemas: {},
    handler: async (_i, { deps }) => ({
      items: [...deps.definitions.values()].map(({ procedure: p }) => ({
        key: p.key,
        name: p.name,
        version: p.version,
        hash: p.hash,
        steps: Object.values(p.elements)
          .filter((e) => e.step)
          .map((e) => ({ id: e.id, name: e.name, ...e.step })),
      })),
    }),
  }),
  route({
    method: 'get',
    path: '/api/definitions/:key/xml',
    summary: 'The BPMN XML of a definition',
    access: { user: true },
    schemas: { params: z.object({ key: z.string() }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const def = deps.definitions.get(params.key);
      if (!def) throw new ApiError('NOT_FOUND', `No definition ${params.key}.`);
      res.type('application/xml').send(def.xml);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/desk/legality-review',
    summary: "The legal adviser's desk: decisions awaiting or in legality review, soonest due first, with working-day due dates",
    access: { roles: ['legality-review-body', 'legal-adviser', 'supervisor'] },
    schemas: { query: z.object({ agency: z.string().optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const filter = withinScope(await scopeFilter(deps, principal!), { currentKinds: 'legality-review', ...(query.agency ? { agency: query.agency } : {}) });
      const docs = await deps.models.Decision.find(filter).lean();
      const views = new Map(
        (await deps.models.DecisionView.find({ _id: { $in: docs.map((d) => d._id) } }).lean()).map((v) => [v._id, v.view as DecisionView]),
      );
      const today = chinaDate(Date.now());
      const items = docs.filter((d) => views.has(d._id)).map((d) => {
        const view = views.get(d._id)!;
        const step = Object.values(view.elements).find((e) => e.kind === 'legality-review' && (e.status === 'enabled' || e.status === 'active'))!;
        const due = step.due ?? null;
        // Working days left, or negative once overdue.
        const span = due ? (due.date >= today ? workingDaysBetween(deps.calendar, today, due.date) : workingDaysBetween(deps.calendar, due.date, today)) : null;
        const remaining = span && due ? { ...span, count: due.date >= today ? span.count : -span.count } : null;
        const lastReview = [...view.records].reverse().find((r) => r.kind === 'legality-review' && (r.action === 'complete' || r.action === 'return'));
        return {
          id: d._id,
          title: d.title,
          agency: d.agency,
          draftingUnit: d.draftingUnit,
          stepId: step.id,
          status: step.status,
          round: step.visits,
          openedAt: step.enabledAt,
          startedBy: step.startedBy ?? null,
          due,
          remainingWorkingDays: remaining ? remaining.count : null,
          approximate: Boolean(due?.approximate || remaining?.approximate),
          overdue: due ? due.date < today : false,
          currentDraftVersion: view.currentDraft?.version ?? null,
          lastReviewedDraftVersion: lastReview?.draftVersion ?? null,
        };
      });
      items.sort((a, b) => (a.due?.date ?? '9999').localeCompare(b.due?.date ?? '9999'));
      return { today, items };
    },
  }),
  route({
    method: 'get',
    path: '/api/statute/decree-713',
    summary: 'The text of State Council Decree 713, article by article',
    access: { public: true },
    schemas: {},
    handler: async () => decree713,
  }),
  route({
    method: 'get',
    path: '/api/schemas/records',
    summary: 'JSON Schemas of every step record (the same zod schemas the API validates with)',
    access: { user: true },
    schemas: {},
    handler: async () => (recordJsonSchemas ??= Object.fromEntries(Object.entries(RECORD_SCHEMAS).map(([k, s]) => [k, z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })]))),
  }),
];

routes.push(...procedureRoutes);
routes.push(...opinionRoutes);
routes.push(...catalogueRoutes);
routes.push(...attachmentRoutes);
routes.push(...reviewRoutes);
routes.push(...peopleRoutes);

export type { Reason };
