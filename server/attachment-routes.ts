/**
 * Attachments: a decision's files — draft material (tied to the current draft version) and a
 * step's evidence (tied to an open step). The bytes go to the store (server/files.ts); the
 * decision's workflow registers each by hash and decides whether it may be added now (Art. 25:
 * a reviewed draft's materials are fixed; Art. 33: a completed step's record is fixed). A
 * refused file leaves nothing behind.
 */
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { z } from 'zod';
import { materialUpdate } from '../workflows/handles';
import { isoDate } from '../workflows/records';
import { ApiError } from './errors';
import { bucketOf, contentDisposition, dropFile, FileId, filenameOf, fileTypeOf, MAX_FILE_SIZE, storeFile, toView } from './files';
import { DecisionId, queryState, recordRefusal, route, type Route } from './route-kit';
import { runUpdate } from './updates';

const StepId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'not a step id');
const DraftVersion = z.coerce.number().int().min(1);

export const attachmentRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/decisions/:id/attachments',
    summary:
      'Upload a file (the body is the raw file, up to 20 MB: PDF, Word, Excel, OFD, JPEG, PNG or UTF-8 text, its type read from its bytes; its URI-encoded name in X-Filename): draft material of the current draft version, or — with ?stepId= — evidence of an open step',
    access: { decision: 'write', roles: ['department', 'secretariat', 'legality-review-body', 'legal-adviser'] },
    schemas: {
      params: z.object({ id: DecisionId }),
      query: z.object({
        draftVersion: DraftVersion.optional().describe('the current draft version (draft material only attaches to it)'),
        stepId: StepId.optional().describe('an open step the file is evidence of'),
        occurredOn: isoDate.optional().describe('imports (补录) only: when the file was actually submitted'),
      }),
    },
    rawBody: { limit: MAX_FILE_SIZE },
    errors: [400, 404, 409, 413, 415],
    handler: async ({ params, query, body }, { req, res, actor, deps }) => {
      const refuse = async (e: ApiError) => {
        await recordRefusal(deps, params.id, actor, 'attachment', query.stepId, e);
        return e;
      };
      const filename = filenameOf(req);
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('VALIDATION_FAILED', 'The body must be the file’s bytes; it is empty.', [{ path: '(body)', message: 'empty' }]);
      const contentType = fileTypeOf(req, body);
      const view = await queryState(deps, params.id);
      const draft = view.drafts.at(-1) ?? null;
      if (!draft) throw await refuse(new ApiError('VALIDATION_FAILED', `Decision ${params.id} has no draft version to attach the file to; record a draft first.`, [{ path: 'query.draftVersion', message: 'no draft yet' }]));
      // What the query names is checked before anything is stored, and the 400 names the query parameter.
      if (query.stepId !== undefined && !view.elements[query.stepId]?.kind)
        throw await refuse(new ApiError('VALIDATION_FAILED', `Decision ${params.id} has no step ${query.stepId}.`, [{ path: 'query.stepId', message: 'not a step of this decision' }]));
      // A file is tied to the current draft (its hash is the current draft's): an older or unknown version is refused.
      if (query.draftVersion !== undefined && query.draftVersion !== draft.version)
        throw await refuse(
          new ApiError(
            'VALIDATION_FAILED',
            view.drafts.some((d) => d.version === query.draftVersion)
              ? `Files attach to the current draft version (${draft.version}) of decision ${params.id}, not to version ${query.draftVersion}.`
              : `Decision ${params.id} has no draft version ${query.draftVersion}.`,
            [{ path: 'query.draftVersion', message: `当前草案为第${draft.version}稿。`, en: `The current draft version is ${draft.version}.` }],
          ),
        );
      const version = draft.version;
      const sha256 = crypto.createHash('sha256').update(body).digest('hex');
      const file = await storeFile(deps, filename, body, { decisionId: params.id, draftVersion: version, draftHash: draft.hash, stepId: query.stepId ?? null, uploadedBy: actor, sha256, contentType });
      try {
        await runUpdate(
          deps,
          params.id,
          materialUpdate,
          { id: file._id.toHexString(), sha256, filename, size: body.length, draftVersion: version, stepId: query.stepId ?? null, actor, occurredOn: query.occurredOn },
          { actor, action: 'attachment', stepId: query.stepId },
        );
      } catch (err) {
        await dropFile(deps, file._id);
        throw err;
      }
      res.status(201);
      return toView(file);
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/attachments',
    summary: "A decision's attachments, newest first",
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }), query: z.object({ draftVersion: DraftVersion.optional() }) },
    errors: [404],
    handler: async ({ params, query }, { deps }) => {
      const filter: Record<string, unknown> = { 'metadata.decisionId': params.id };
      if (query.draftVersion !== undefined) filter['metadata.draftVersion'] = query.draftVersion;
      const bucket = await bucketOf(deps);
      const files = await bucket.find(filter, { sort: { uploadDate: -1, _id: -1 } }).toArray();
      // No files: tell an unknown decision (404) from one without attachments.
      if (files.length === 0) await queryState(deps, params.id);
      return { items: files.map(toView) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/attachments/:fileId',
    summary: 'Download an attachment (its bytes, with its content type and file name)',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId, fileId: FileId }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const bucket = await bucketOf(deps);
      const _id = new mongoose.mongo.ObjectId(params.fileId);
      const [file] = await bucket.find({ _id, 'metadata.decisionId': params.id }, { limit: 1 }).toArray();
      if (!file) throw new ApiError('NOT_FOUND', `Decision ${params.id} has no attachment ${params.fileId}.`);
      const v = toView(file);
      res.status(200);
      res.setHeader('Content-Type', v.contentType);
      res.setHeader('Content-Length', String(v.size));
      res.setHeader('Content-Disposition', contentDisposition(v.filename));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'private, no-cache');
      try {
        await pipeline(bucket.openDownloadStream(_id), res);
      } catch (err) {
        // The headers may be out already: cut the response rather than send an error body.
        console.error(`attachment ${params.fileId} of ${params.id}: download failed`, err);
        if (!res.destroyed) res.destroy();
      }
      return undefined;
    },
  }),
];
