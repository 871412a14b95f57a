/**
 * A draft version uploaded as a Word document (.docx): its text, read with mammoth, becomes the
 * version's content — what the diff, the comments and the clause scanner read — and the original
 * file is kept beside it (GridFS, server/files.ts) and downloadable. mammoth because it reads the
 * document's own structure (paragraphs, lists, tables) rather than its layout, is pure JavaScript
 * and has been kept for a decade; a .doc (the old binary format) is refused with what to do.
 */
import crypto from 'node:crypto';
import mammoth from 'mammoth';
import { z } from 'zod';
import { draftUpdate } from '../workflows/handles';
import { DraftSchema, isoDate } from '../workflows/records';
import { ApiError } from './errors';
import { dropFile, filenameOf, fileTypeOf, MAX_FILE_SIZE, storeFile, tagFile } from './files';
import { DecisionId, queryState, recordRefusal, route, type Route } from './route-kit';
import { sniff } from './sniff';
import { actAndView } from './updates';

/**
 * The text of a .docx: one paragraph per line, as a draft typed into the workspace has it
 * (mammoth ends each paragraph with a blank line); runs of empty paragraphs become one blank line.
 */
export async function docxText(bytes: Buffer): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: bytes });
  // NUL cannot be stored (server/nul-chars.ts); XML forbids it, so only a malformed file carries one.
  const paragraphs = value
    .replaceAll('\u0000', '')
    .replace(/\r\n?/g, '\n')
    .split('\n\n')
    .map((p) => p.replace(/[ \t\u3000]+$/, ''));
  return paragraphs
    .filter((p, i) => p !== '' || (i > 0 && paragraphs[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** The title a file name suggests (its name without .docx). */
const titleOf = (filename: string) => filename.replace(/\.docx$/i, '').trim();

export const docxRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/decisions/:id/drafts/docx',
    summary:
      'Record a new draft version from a Word document (.docx, the raw body, its URI-encoded name in X-Filename): its text becomes the version, the original is kept and downloadable (GET …/attachments/:fileId)',
    access: { decision: 'write', roles: ['department'] },
    schemas: {
      params: z.object({ id: DecisionId }),
      query: z.object({
        title: z.string().trim().max(300).optional().describe('the draft title (default: the file name)'),
        note: z.string().trim().max(2000).optional(),
        occurredOn: isoDate.optional().describe('imports (补录) only: the date the act actually happened'),
      }),
    },
    rawBody: { limit: MAX_FILE_SIZE },
    errors: [400, 404, 409, 413, 415],
    handler: async ({ params, query, body }, { req, res, actor, deps }) => {
      const refuse = async (e: ApiError) => {
        await recordRefusal(deps, params.id, actor, 'draft', undefined, e);
        return e;
      };
      const filename = filenameOf(req);
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('VALIDATION_FAILED', 'The body must be the document’s bytes; it is empty.', [{ path: '(body)', message: '没有收到文件内容。', en: 'empty' }]);
      const kind = sniff(body);
      if (kind !== 'docx')
        throw await refuse(
          new ApiError('UNSUPPORTED_MEDIA_TYPE', `A draft is uploaded as a Word document (.docx); this file is ${kind ?? 'of no accepted kind'}.`, [
            {
              path: 'header.content-type',
              message: kind === 'doc' ? '这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后上传。' : '只能上传 Word 文档（.docx）作为草案。',
              en: kind === 'doc' ? 'an old .doc file: save it as .docx in Word and upload that' : 'only Word documents (.docx)',
            },
          ]),
        );
      const contentType = fileTypeOf(req, body);
      await queryState(deps, params.id);
      let content: string;
      try {
        content = await docxText(body);
      } catch {
        throw await refuse(new ApiError('VALIDATION_FAILED', 'The Word document cannot be read.', [{ path: '(body)', message: '无法读取该 Word 文档，文件可能已损坏。', en: 'the document cannot be read' }]));
      }
      const draft = DraftSchema.safeParse({ title: query.title || titleOf(filename), content, ...(query.note ? { note: query.note } : {}) });
      if (!content) throw await refuse(new ApiError('VALIDATION_FAILED', 'The Word document holds no text.', [{ path: '(body)', message: '该 Word 文档中没有可读的文字。', en: 'no text in the document' }]));
      if (!draft.success)
        throw await refuse(new ApiError('VALIDATION_FAILED', 'The draft read from the document is not valid.', draft.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }))));

      const hash = crypto.createHash('sha256').update(content, 'utf8').digest('hex');
      const sha256 = crypto.createHash('sha256').update(body).digest('hex');
      const file = await storeFile(deps, filename, body, { decisionId: params.id, draftVersion: 0, draftHash: hash, stepId: null, uploadedBy: actor, sha256, contentType, draftOriginal: true });
      const original = { fileId: file._id.toHexString(), filename, size: body.length, sha256, contentType };
      try {
        await deps.models.Draft.updateOne(
          { _id: `${params.id}:${hash}` },
          { $setOnInsert: { decisionId: params.id, hash, title: draft.data.title, content, createdAt: new Date(), createdBy: actor } },
          { upsert: true },
        );
        const view = await actAndView(deps, params.id, draftUpdate, { actor, title: draft.data.title, hash, note: draft.data.note, size: Buffer.byteLength(content), occurredOn: query.occurredOn }, { actor, action: 'draft' });
        const version = view.currentDraft?.version ?? 0;
        // Once the version exists: the original names it, and the version its original.
        await tagFile(deps, file._id, { draftVersion: version });
        await deps.models.Draft.updateOne({ _id: `${params.id}:${hash}` }, { $set: { original } });
        res.status(201);
        return { version, hash, original, chars: content.length, decision: view };
      } catch (err) {
        await dropFile(deps, file._id);
        throw err;
      }
    },
  }),
];
