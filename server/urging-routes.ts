/**
 * 督办 (urging): a supervisor sends an urging notice on an overdue or irregular decision to the
 * unit that must act, with the reason, what is expected and a reply-by date; it goes into the
 * decision's audit trail and the unit's inbox; the unit answers in the workspace (text and an
 * optional file). Open and answered urgings are listed per decision and per agency.
 */
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { z } from 'zod';
import { handoverOf } from '../activities/archive-handover';
import { canActAs, readScope, ROLE_LABELS } from '../activities/people';
import { answerUrging, findUrging, RESPONSIBLE_ROLES, sendUrging, URGING_KINDS, urgingsOf, urgingsOfAgencies, withLateness, type ResponsibleRole, type UrgingDoc } from '../activities/urging';
import type { DecisionSummary } from '../workflows/model';
import { isoDate } from '../workflows/records';
import { chinaDate } from '../workflows/time';
import { scopeMeta } from './access';
import { ApiError } from './errors';
import { bucketOf, dropFile, filenameOf, fileTypeOf, MAX_FILE_SIZE, storeFile } from './files';
import { DecisionId, queryState, recordAccepted, recordRefusal, route, withId, type AppDeps, type Route } from './route-kit';

const UrgingId = z.string().regex(/^U\d{8}-[0-9a-f]{8}$/, 'not an urging id');
const Params = z.object({ id: DecisionId });
const UrgingParams = z.object({ id: DecisionId, uid: UrgingId });

const SendBody = z
  .object({
    kind: z.enum(Object.keys(URGING_KINDS) as [keyof typeof URGING_KINDS, ...(keyof typeof URGING_KINDS)[]]).describe('overdue: a step or the archive handover is late; irregular: a procedural irregularity'),
    stepId: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/).optional().describe('the step concerned; its role is the unit addressed'),
    responsibleRole: z.enum(RESPONSIBLE_ROLES).optional().describe('the unit addressed, when no step is named (default: the late step’s, else the drafting unit)'),
    reason: z.string().trim().min(5).max(2000).describe('督办事由'),
    expected: z.string().trim().min(5).max(2000).describe('督办要求: what the unit is to do'),
    replyBy: isoDate.describe('回复期限'),
  })
  .strict();

const AnswerBody = z
  .object({
    text: z.string().trim().min(5).max(8000).describe('办理情况'),
    attachmentId: z.string().regex(/^[0-9a-f]{24}$/).optional().describe('a file uploaded for this urging (POST …/attachment)'),
  })
  .strict();

/** The unit an urging addresses: the named step's role, else the one asked for, else the late step's, else the drafting unit. */
function responsibleOf(summary: DecisionSummary | undefined, stepRole: string | undefined, body: z.infer<typeof SendBody>): ResponsibleRole {
  const pick = (r: string | undefined) => (RESPONSIBLE_ROLES as readonly string[]).includes(r ?? '') ? (r as ResponsibleRole) : undefined;
  if (body.stepId) {
    const r = pick(stepRole);
    if (!r) throw new ApiError('VALIDATION_FAILED', `Step ${body.stepId} is not one a unit performs.`, [{ path: 'body.stepId', message: '该环节不由承办单位、办公厅（室）或合法性审查机构办理。', en: 'not performed by a unit that can be urged' }]);
    return r;
  }
  return body.responsibleRole ?? pick(summary?.openSteps.find((s) => s.overdue)?.role) ?? 'department';
}

/** The name of the unit that acts in this role for the agency. */
async function unitName(deps: AppDeps, role: ResponsibleRole, meta: { agency: string; draftingUnit: string }): Promise<string> {
  if (role === 'department') return meta.draftingUnit;
  const agency = await deps.models.Organisation.findOne({ kind: 'agency', name: meta.agency }, { _id: 1 }).lean();
  const org = agency ? await deps.models.Organisation.findOne({ kind: role, agencyId: agency._id }, { name: 1 }).lean() : null;
  return org?.name ?? `${meta.agency}${ROLE_LABELS[role].zh}`;
}

/** An urging of this decision, or 404. */
async function urgingOf(deps: AppDeps, decisionId: string, uid: string): Promise<UrgingDoc> {
  const u = await findUrging(deps.models, uid);
  if (!u || u.decisionId !== decisionId) throw new ApiError('NOT_FOUND', `Decision ${decisionId} has no urging ${uid}.`);
  return u;
}

/** Only someone acting for the unit addressed answers it (and uploads its file). */
async function mayAnswer(deps: AppDeps, u: UrgingDoc, p: Parameters<typeof canActAs>[0], actor: string, action: string): Promise<void> {
  const meta = await scopeMeta(deps, u.decisionId);
  if (canActAs(p, u.responsibleRole as ResponsibleRole, meta, [])) return;
  const e = new ApiError('FORBIDDEN', `The urging is addressed to ${u.responsibleUnit}; you do not act for it.`, { required: [u.responsibleRole], zh: `督办通知发给${u.responsibleUnit}，您不能代为回复。` });
  await recordRefusal(deps, u.decisionId, actor, action, undefined, e);
  throw e;
}

const show = (u: UrgingDoc) => withLateness(withId(u));

export const urgingRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/decisions/:id/urgings',
    summary: 'A supervisor urges the unit responsible for an overdue or irregular decision (督办): reason, what is expected, reply-by date; recorded in the audit trail and sent to the unit’s inbox',
    access: { decision: 'read', roles: ['supervisor'] },
    schemas: { params: Params, body: SendBody },
    errors: [400, 403, 404, 409],
    handler: async ({ params, body }, { res, actor, principal, deps }) => {
      const p = principal!;
      const view = await queryState(deps, params.id);
      const doc = await deps.models.Decision.findById(params.id, { summary: 1, overdue: 1 }).lean();
      const summary = doc?.summary as DecisionSummary | undefined;
      const step = body.stepId ? view.elements[body.stepId] : undefined;
      if (body.stepId && !step?.kind) throw new ApiError('VALIDATION_FAILED', `Decision ${params.id} has no step ${body.stepId}.`, [{ path: 'body.stepId', message: 'not a step of this decision' }]);
      if (body.replyBy < chinaDate(Date.now())) throw new ApiError('VALIDATION_FAILED', 'The reply date has passed.', [{ path: 'body.replyBy', message: '回复期限早于今天。', en: 'before today' }]);
      if (body.kind === 'overdue') {
        // Overdue means the record says so: a late step, or a decided matter's file not handed over in time.
        const handover = await handoverOf(deps.models, params.id, deps.supervision?.archiveHandoverDays ?? 30);
        const late = step ? Boolean(step.overdue) : Boolean(doc?.overdue) || handover.overdue;
        if (!late) {
          const e = new ApiError('STEP_BLOCKED', `Nothing of decision ${params.id} is overdue${step ? ` at ${body.stepId}` : ''}; urge it as irregular, with the irregularity as the reason.`, [
            { code: 'NOT_OVERDUE', class: 'state', article: 'Decree 713 Art. 33', zh: `本决策${step ? `“${step.name}”环节` : ''}没有超期的环节或逾期未归档的材料；如程序不规范，请以“程序不规范”督办并写明事由。`, en: 'Nothing is overdue; urge it as irregular and name the irregularity.' },
          ]);
          await recordRefusal(deps, params.id, actor, 'urging', body.stepId, e);
          throw e;
        }
      }
      const role = responsibleOf(summary, step?.role, body);
      const unit = await unitName(deps, role, view.meta);
      const u = await sendUrging(deps.models, { decisionId: params.id, meta: { ...view.meta, title: view.meta.title }, kind: body.kind, stepId: body.stepId ?? null, responsibleRole: role, responsibleUnit: unit, reason: body.reason, expected: body.expected, replyBy: body.replyBy, sentBy: p.username, sentByName: p.name });
      await recordAccepted(deps, params.id, actor, 'urging', `urged ${unit} (${body.kind}${body.stepId ? `, ${body.stepId}` : ''}) to reply by ${body.replyBy}: ${body.reason} — expected: ${body.expected}`, { key: u._id, at: u.sentAt, stepId: body.stepId });
      res.status(201);
      return show(u);
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/urgings',
    summary: "A decision's urgings and their answers, oldest first",
    access: { decision: 'read' },
    schemas: { params: Params },
    errors: [404],
    handler: async ({ params }, { principal, deps }) => {
      const items = (await urgingsOf(deps.models, params.id)).map(show);
      const meta = await scopeMeta(deps, params.id);
      return { items: items.map((u) => ({ ...u, canAnswer: u.status === 'open' && canActAs(principal!, u.responsibleRole as ResponsibleRole, meta, []) })) };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/urgings/:uid/attachment',
    summary: 'Upload the file that goes with an answer to an urging (raw body like attachments, name in X-Filename); the answer then names it',
    access: { decision: 'write', roles: ['department', 'secretariat', 'legality-review-body'] },
    schemas: { params: UrgingParams },
    rawBody: { limit: MAX_FILE_SIZE },
    errors: [400, 403, 404, 409, 413, 415],
    handler: async ({ params, body }, { req, res, actor, principal, deps }) => {
      // The request's own faults first (its file name), as on every file route; then the urging's state.
      const filename = filenameOf(req);
      const u = await urgingOf(deps, params.id, params.uid);
      await mayAnswer(deps, u, principal!, actor, 'urging-attachment');
      if (u.status !== 'open') throw new ApiError('ALREADY_EXISTS', `Urging ${u._id} has already been answered.`);
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('VALIDATION_FAILED', 'The body must be the file’s bytes; it is empty.', [{ path: '(body)', message: 'empty' }]);
      const contentType = fileTypeOf(req, body);
      const sha256 = crypto.createHash('sha256').update(body).digest('hex');
      const file = await storeFile(deps, filename, body, { decisionId: params.id, draftVersion: 0, draftHash: '', stepId: null, uploadedBy: actor, sha256, contentType, urgingId: u._id });
      res.status(201);
      return { id: file._id.toHexString(), filename, size: body.length, sha256, contentType };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/urgings/:uid/answer',
    summary: 'The unit addressed answers an urging (what it has done), optionally with the file it uploaded for it; once',
    access: { decision: 'write', roles: ['department', 'secretariat', 'legality-review-body'] },
    schemas: { params: UrgingParams, body: AnswerBody },
    errors: [400, 403, 404, 409],
    handler: async ({ params, body }, { actor, principal, deps }) => {
      const u = await urgingOf(deps, params.id, params.uid);
      await mayAnswer(deps, u, principal!, actor, 'urging-answer');
      let filename: string | null = null;
      if (body.attachmentId) {
        const [file] = await (await bucketOf(deps)).find({ _id: new mongoose.mongo.ObjectId(body.attachmentId), 'metadata.decisionId': params.id, 'metadata.urgingId': u._id }, { limit: 1 }).toArray();
        if (!file) throw new ApiError('VALIDATION_FAILED', `No file ${body.attachmentId} uploaded for urging ${u._id}.`, [{ path: 'body.attachmentId', message: '不是为本督办通知上传的文件。', en: 'not a file uploaded for this urging' }]);
        filename = file.filename;
      }
      const answered = await answerUrging(deps.models, u, { text: body.text, attachmentId: body.attachmentId ?? null, filename, by: actor });
      if (!answered) {
        if (body.attachmentId) await dropFile(deps, new mongoose.mongo.ObjectId(body.attachmentId));
        const e = new ApiError('ALREADY_EXISTS', `Urging ${u._id} has already been answered.`);
        await recordRefusal(deps, params.id, actor, 'urging-answer', u.stepId ?? undefined, e);
        throw e;
      }
      await recordAccepted(deps, params.id, actor, 'urging-answer', `${u.responsibleUnit} answered urging ${u._id}${filename ? ` with "${filename}"` : ''}: ${body.text}`, { key: u._id, stepId: u.stepId ?? undefined });
      return show(answered);
    },
  }),
  route({
    method: 'get',
    path: '/api/urgings',
    summary: 'Urgings of the agencies in your reach, open or answered, newest first, with per-agency counts (for supervisors’ overview and the units’ own)',
    access: { user: true },
    schemas: { query: z.object({ agency: z.string().max(200).optional(), status: z.enum(['open', 'answered']).optional(), year: z.coerce.number().int().min(2000).max(2100).optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const reach = readScope(principal!, []).agencies;
      const agencies = query.agency ? reach.filter((a) => a.includes(query.agency!)) : reach;
      const items = (await urgingsOfAgencies(deps.models, agencies, { status: query.status, year: query.year })).map(show);
      const counts = Object.fromEntries(agencies.map((a) => [a, { open: 0, answered: 0, replyOverdue: 0 }]));
      for (const u of items) {
        const c = counts[u.agency];
        if (u.status === 'open') c.open++;
        else c.answered++;
        if (u.replyOverdue) c.replyOverdue++;
      }
      return { items, counts };
    },
  }),
];
