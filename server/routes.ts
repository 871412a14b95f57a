/**
 * The route table: each route's zod schemas are the single source for validation, the
 * OpenAPI document and (later) the authorisation matrix.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { actUpdate, draftUpdate, eventUpdate } from '../workflows/handles';
import type { decisionProcedure } from '../workflows/decision';
import type { DecisionInput, DecisionView, Reason, StepAction } from '../workflows/model';
import { CaseFactsSchema, CATEGORIES, DraftSchema, isoDate, MAX, RECORD_SCHEMAS } from '../workflows/records';
import { chinaDate } from '../workflows/time';
import decree713 from '../definitions/statute/decree-713.json';
import { attachmentRoutes } from './attachment-routes';
import { auditRoutes } from './audit-routes';
import { catalogueRoutes } from './catalogue-routes';
import { catalogueItemRef, decisionCatalogueRoutes } from './decision-catalogue-routes';
import { urgingRoutes } from './urging-routes';
import { archiveRoutes, packageWhenSealed, requireCompleteDossier } from './archive-routes';
import { deskRoutes } from './desk-routes';
import { docxRoutes } from './docx-routes';
import { eventsRoutes } from './events-routes';
import { opinionRoutes } from './opinion-routes';
import { participationRoutes } from './participation-routes';
import { participationAct } from './portal/participation';
import { syncPortal } from './portal/projection';
import { portalRoutes } from './portal-routes';
import { peopleRoutes } from './people-routes';
import { procedureRoutes } from './procedure-routes';
import { readModelRoutes } from './read-model-routes';
import { reviewRoutes } from './review-routes';
import { workRoutes } from './work-routes';
import { supervisionRoutes } from './supervision-routes';
import { canActAs, canRead, participationOf, ROLE_LABELS, USER_ROLES, type Principal, type UserRole } from '../activities/people';
import { procedureHashOf, stepMeta } from './access';
import { BODY_LIMITS } from './body';
import { decisionStats, listDecisions } from './decision-list';
import { scopeOf } from './scope';
import { ApiError } from './errors';
import { rosterOf } from './roster';
import { DecisionId, OccurredOn, queryState, route, withId, workflowId, type AppDeps, type Route } from './route-kit';
import { actAndView, runUpdate } from './updates';
import { requestDigest } from './idempotency';
import { withTemporal } from './temporal-calls';

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
    catalogueItem: z.string().regex(/^[A-Za-z0-9-]{3,90}$/).optional().describe('the item of the agency’s published annual catalogue it carries out (Art. 3(3))'),
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

/**
 * A new decision's id. Under an Idempotency-Key it derives from the key and the request, so a
 * retry after a lost answer names the same workflow and starts nothing new (the same day).
 */
function newDecisionId(): string {
  const d = chinaDate(Date.now()).replace(/-/g, '');
  return `D${d}-${requestDigest()?.slice(0, 8) ?? crypto.randomBytes(4).toString('hex')}`;
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
    ...(body.catalogueItem ? { catalogue: await catalogueItemRef(deps, body.catalogueItem, body.agency) } : {}),
  };
  // Sent again after a slice without an answer, or retried under the same key: already started is started.
  await withTemporal(deps, () =>
    deps.client.workflow.start<typeof decisionProcedure>('decisionProcedure', { taskQueue: deps.taskQueue, workflowId: workflowId(id), args: [input] }).catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }),
  );
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
    const original = await queryState(deps, body.adjusts).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
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
      const only = query.attached ? ((await deps.models.Participant.distinct('decisionId', { username: principal!.username })) as string[]) : undefined;
      const filter = { agency: query.agency, status: query.status, step: query.step, overdue: query.overdue === undefined ? undefined : query.overdue === 'true', q: query.q, only };
      const { total, items, more } = await listDecisions(deps.models, await scopeOf(deps, principal!), filter, query.page, query.pageSize);
      // more: a title search stopped counting (server/decision-list.ts); at least `total` match.
      return { total, ...(more ? { more } : {}), page: query.page, pageSize: query.pageSize, items: items.map(withId) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/stats',
    summary: 'Counts of decisions per status, and overdue ones (from the read model)',
    access: { user: true },
    schemas: { query: z.object({ agency: z.string().optional() }) },
    handler: async ({ query }, { principal, deps }) => decisionStats(deps.models, await scopeOf(deps, principal!), query.agency),
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
      const kind = (await stepMeta(deps, params.id, params.stepId))?.kind;
      // The meeting opens with the roster on file (Art. 30): the system supplies it, never the request.
      if (params.action === 'start' && kind === 'collective-decision') {
        const view = await queryState(deps, params.id);
        action.system = { roster: await rosterOf(deps.models, view.meta.agency) };
      }
      // Art. 33: the file closes only complete (the store's side: texts, files, hashes); closing produces the archive package.
      const closing = params.action === 'complete' && kind === 'archive';
      if (closing) await requireCompleteDossier(deps, params.id, actor, params.stepId);
      // Public participation's record is what the portal received (Arts. 15-18): prefilled and checked against the store.
      if (params.action === 'complete' && kind === 'public-participation') Object.assign(action, await participationAct(deps, params.id, body));
      const view = await actAndView(deps, params.id, actUpdate, action, { actor, action: params.action, stepId: params.stepId });
      if (closing) await packageWhenSealed(deps, params.id);
      if (kind === 'public-participation') await syncPortal(deps, view);
      return view;
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
      const view = await actAndView(deps, params.id, draftUpdate, { actor, title: body.title, hash, note: body.note, size: Buffer.byteLength(body.content), occurredOn: query.occurredOn }, { actor, action: 'draft' });
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
      return { ...d, content: doc?.content ?? null, original: doc?.original ?? null };
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
      // From the read model: the diagram still draws while Temporal is unavailable.
      const def = await deps.models.Definition.findById(await procedureHashOf(deps, params.id)).lean();
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
    path: '/api/statute/decree-713',
    summary: 'The text of State Council Decree 713, article by article',
    access: { public: 'static' },
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

routes.push(...deskRoutes);
routes.push(...procedureRoutes);
routes.push(...opinionRoutes);
routes.push(...catalogueRoutes);
routes.push(...decisionCatalogueRoutes);
routes.push(...urgingRoutes);
routes.push(...archiveRoutes);
routes.push(...attachmentRoutes);
routes.push(...reviewRoutes);
routes.push(...peopleRoutes);
routes.push(...readModelRoutes);
routes.push(...workRoutes, ...eventsRoutes, ...docxRoutes);
routes.push(...auditRoutes);
routes.push(...supervisionRoutes);
routes.push(...participationRoutes, ...portalRoutes);

export type { Reason };
