/**
 * People's own opinions on a draft version (domain invariant 12): a legal adviser's or government
 * lawyer's legal opinion (Decree 713 Art. 28), an invited expert's opinion (Arts. 19-20). Given
 * under the person's own account, or uploaded as a document that person signed, attributed to
 * them in the directory. The text or document lives in the store; the decision's workflow holds
 * who, on which version, and the hash — the legality and expert review records cite them by id.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../activities/people';
import { opinionUpdate } from '../workflows/handles';
import type { DecisionView, OpinionInput } from '../workflows/model';
import { isoDate, MAX, Username } from '../workflows/records';
import { declaredConflict } from './conflicts';
import { ApiError } from './errors';
import { dropFile, filenameOf, fileTypeOf, MAX_FILE_SIZE, storeFile } from './files';
import { DecisionId, queryState, recordRefusal, refuseIfClosed, route, withId, type AppDeps, type Route } from './route-kit';
import { runUpdate } from './updates';

const Version = z.coerce.number().int().min(1);

/** The draft version an opinion is on: the one named, else the current one. */
async function draftFor(deps: AppDeps, view: DecisionView, actor: string, version: number | undefined) {
  const draft = version ? view.drafts.find((d) => d.version === version) : view.currentDraft;
  if (draft) return draft;
  const e = new ApiError('VALIDATION_FAILED', version ? `No draft version ${version}.` : 'There is no draft to give an opinion on yet.', [
    { path: 'body.draftVersion', message: `versions: ${view.drafts.map((d) => d.version).join(', ') || 'none'}` },
  ]);
  await recordRefusal(deps, view.decisionId, actor, 'opinion', undefined, e);
  throw e;
}

/** Art. 20: an expert who declared an interest in this matter gives no opinion on it. */
async function refuseConflicted(deps: AppDeps, view: DecisionView, actor: string, username: string) {
  const user = await deps.models.User.findById(username, { name: 1, expert: 1 }).lean();
  const conflict = user ? declaredConflict(user, view.meta) : undefined;
  if (!conflict) return;
  const e = new ApiError('CONFLICT_OF_INTEREST', `${user!.name} has declared a conflict of interest with ${conflict.party} and may not give an opinion on this matter (Decree 713 Art. 20).`, [
    { path: 'username', message: `conflict: ${conflict.party}` },
  ]);
  await recordRefusal(deps, view.decisionId, actor, 'opinion', undefined, e);
  throw e;
}

/** Put the opinion on file in the store, then with the workflow; a refused one leaves nothing behind. */
async function fileOpinion(deps: AppDeps, id: string, doc: Record<string, unknown> & { _id: string }, input: OpinionInput) {
  await deps.models.Opinion.create(doc);
  try {
    await runUpdate(deps, id, opinionUpdate, input, { actor: input.actor, action: 'opinion' });
  } catch (err) {
    await deps.models.Opinion.deleteOne({ _id: doc._id });
    throw err;
  }
}

export const opinionRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/decisions/:id/opinions',
    summary: "Legal advisers', government lawyers' and experts' own opinions, per draft version",
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    handler: async ({ params }, { deps }) => {
      const rows = await deps.models.Opinion.find({ decisionId: params.id }).sort({ createdAt: 1 }).lean();
      return { items: rows.map(withId) };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/opinions',
    summary: "Give your own opinion on a draft version: a legal adviser's or government lawyer's (Art. 28), or an invited expert's, who affirms having no direct interest (Arts. 19-20)",
    access: { decision: 'write', roles: ['legal-adviser', 'expert'] },
    schemas: {
      params: z.object({ id: DecisionId }),
      query: z.object({ occurredOn: isoDate.optional().describe('imports (补录) only') }),
      body: z
        .object({
          opinion: z.string().trim().min(2).max(MAX.LONG),
          legalBases: z.array(z.string().trim().min(2).max(MAX.LINE)).max(50).default([]),
          draftVersion: Version.optional().describe('default: the current draft'),
          noDirectInterest: z.boolean().optional().describe('experts: 本人与决策事项无直接利害关系 (Art. 20)'),
        })
        .strict(),
    },
    errors: [400, 403, 404, 409],
    handler: async ({ params, query, body }, { res, actor, principal, actingRole, deps }) => {
      const view = await queryState(deps, params.id);
      await refuseIfClosed(deps, view, actor, 'opinion');
      const draft = await draftFor(deps, view, actor, body.draftVersion);
      const p = principal as Principal;
      const capacity: OpinionInput['capacity'] = actingRole === 'expert' ? 'expert' : (p.lawyerType ?? 'legal-adviser');
      if (capacity === 'expert') await refuseConflicted(deps, view, actor, p.username);
      const id = crypto.randomUUID();
      const hash = crypto.createHash('sha256').update(body.opinion, 'utf8').digest('hex');
      const doc = { _id: id, decisionId: params.id, draftVersion: draft.version, author: p.username, authorName: p.name, capacity, opinion: body.opinion, legalBases: body.legalBases, source: 'account', recordedBy: actor, hash, noDirectInterest: body.noDirectInterest, createdAt: new Date() };
      await fileOpinion(deps, params.id, doc, {
        id,
        author: p.username,
        authorName: p.name,
        capacity,
        draftVersion: draft.version,
        hash,
        source: 'account',
        recordedBy: actor,
        ...(capacity === 'expert' ? { noDirectInterest: body.noDirectInterest } : {}),
        actor,
        occurredOn: query.occurredOn,
      });
      res.status(201);
      return withId(doc);
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/opinions/signed',
    summary:
      'Put on file an opinion given as a signed document (the body is the file, its URI-encoded name in X-Filename), attributed to the person in the directory who signed it: an adviser’s by the legality review body, an invited expert’s by the drafting department or the office',
    access: { decision: 'write', roles: ['legality-review-body', 'department', 'secretariat'] },
    schemas: {
      params: z.object({ id: DecisionId }),
      query: z.object({
        author: Username.describe('the login name of the person who signed it'),
        draftVersion: Version.optional(),
        summary: z.string().trim().min(2).max(MAX.TEXT).describe('what the opinion says, in brief'),
        noDirectInterest: z.enum(['true', 'false']).optional().describe('experts: the document affirms no direct interest (Art. 20)'),
        occurredOn: isoDate.optional().describe('imports (补录) only'),
      }),
    },
    rawBody: { limit: MAX_FILE_SIZE },
    errors: [400, 403, 404, 409, 413, 415],
    handler: async ({ params, query, body }, { req, res, actor, actingRole, deps }) => {
      const filename = filenameOf(req);
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('VALIDATION_FAILED', 'The body must be the signed document’s bytes; it is empty.', [{ path: '(body)', message: 'empty' }]);
      const contentType = fileTypeOf(req, body);
      const view = await queryState(deps, params.id);
      await refuseIfClosed(deps, view, actor, 'opinion');
      const refuse = async (e: ApiError) => {
        await recordRefusal(deps, params.id, actor, 'opinion', undefined, e);
        return e;
      };
      const author = await deps.models.User.findById(query.author).lean();
      const isExpert = author?.roles.includes('expert');
      if (!author || author.disabled || (!isExpert && !author.roles.includes('legal-adviser')))
        throw await refuse(new ApiError('VALIDATION_FAILED', `${query.author} is not a legal adviser, government lawyer or expert in the directory.`, [{ path: 'query.author', message: 'not an adviser or expert' }]));
      // Advisers' opinions reach the legality review body; experts' the unit that organises the review.
      if (isExpert ? actingRole === 'legality-review-body' : actingRole !== 'legality-review-body')
        throw await refuse(new ApiError('FORBIDDEN', isExpert ? 'An expert’s signed opinion is put on file by the drafting department or the office.' : 'A legal adviser’s signed opinion is put on file by the legality review body.', { required: [isExpert ? 'department' : 'legality-review-body'] }));
      if (isExpert) {
        const invited = await deps.models.Participant.exists({ decisionId: params.id, username: author._id, purpose: 'expert-review' });
        if (!invited) throw await refuse(new ApiError('VALIDATION_FAILED', `${author.name} was not invited to review this decision (Decree 713 Art. 20).`, [{ path: 'query.author', message: 'not invited for expert review' }]));
        await refuseConflicted(deps, view, actor, author._id);
      }
      const draft = await draftFor(deps, view, actor, query.draftVersion);
      const capacity: OpinionInput['capacity'] = isExpert ? 'expert' : ((author.lawyerType as OpinionInput['capacity'] | null) ?? 'legal-adviser');
      const sha256 = crypto.createHash('sha256').update(body).digest('hex');
      const file = await storeFile(deps, filename, body, { decisionId: params.id, draftVersion: draft.version, draftHash: draft.hash, stepId: null, uploadedBy: actor, sha256, contentType, opinionOf: author._id });
      const id = crypto.randomUUID();
      const doc = { _id: id, decisionId: params.id, draftVersion: draft.version, author: author._id, authorName: author.name, capacity, opinion: query.summary, legalBases: [], source: 'signed-document', recordedBy: actor, documentId: file._id.toHexString(), hash: sha256, noDirectInterest: query.noDirectInterest === 'true', createdAt: new Date() };
      try {
        await fileOpinion(deps, params.id, doc, {
          id,
          author: author._id,
          authorName: author.name,
          capacity,
          draftVersion: draft.version,
          hash: sha256,
          source: 'signed-document',
          recordedBy: actor,
          ...(isExpert ? { noDirectInterest: query.noDirectInterest === undefined ? undefined : query.noDirectInterest === 'true' } : {}),
          actor,
          occurredOn: query.occurredOn,
        });
      } catch (err) {
        await dropFile(deps, file._id);
        throw err;
      }
      res.status(201);
      return withId(doc);
    },
  }),
];
