/**
 * Opinions from the public (Decree 713 Arts. 15, 18): a submission is judged by when it arrived,
 * stored as it is — one insert, keyed by its receipt, never a workflow update per opinion — and
 * later answered by the drafting unit. The workflow sees what was received when public
 * participation completes: counts and a digest of the opinions and their answers.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { z } from 'zod';
import { reasonOf } from '../../definitions/statute';
import { isDuplicateKey } from '../../activities/models';
import type { DecisionView, ParticipationFacts } from '../../workflows/model';
import { ApiError } from '../errors';
import type { AppDeps } from '../route-kit';
import { checkedType, sniff } from '../sniff';
import { insertBatched } from './batch-insert';
import { clauseLabel, clauseMentioned } from './clauses';
import { portalKey, portalSettings, receiptFor, tokenProblem } from './limits';
import { consultationFacts, portalKeyOf, type ConsultationFacts } from './projection';

/** What one submission may carry: three files of 2 MB at most, 4 MB together. */
export const ATTACHMENT_LIMITS = { count: 3, bytes: 2 * 1024 * 1024, total: 4 * 1024 * 1024 } as const;
/** The JSON body of a submission: the files base64-encoded, plus the text. */
export const SUBMISSION_BODY_LIMIT = Math.ceil((ATTACHMENT_LIMITS.total * 4) / 3) + 128 * 1024;
/** The kinds of file a citizen may attach: PDF, Word, JPEG and PNG (read from the bytes). */
const PORTAL_KINDS = new Set(['pdf', 'docx', 'doc', 'jpeg', 'png']);

const PHONE = /^[0-9+\-() ]{6,20}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,20}$/;
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const BAD_NAME = /[/\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const OpinionSubmissionSchema = z
  .object({
    submissionKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a submission key').describe('chosen by the form once per submission: a retry with the same key gets the same receipt'),
    formToken: z.string().max(100).describe('from GET /api/portal/consultations/:key'),
    name: z.string().trim().max(50).optional().describe('姓名（按征求意见公告的要求）'),
    contact: z
      .string()
      .trim()
      .max(100)
      .refine((v) => v === '' || PHONE.test(v) || EMAIL.test(v), '请填写电话号码或电子邮箱')
      .optional()
      .describe('联系方式'),
    clause: z.number().int().min(1).max(999).nullable().optional().describe('所针对的条款（第X条）；不选为总体意见'),
    text: z.string().trim().min(5, '意见至少5个字').max(5000).describe('意见和建议'),
    attachments: z
      .array(
        z
          .object({
            filename: z.string().trim().min(1).max(200).refine((v) => !BAD_NAME.test(v), '文件名不能含路径或控制字符'),
            contentType: z.string().trim().max(100).default('application/octet-stream'),
            data: z.string().max(Math.ceil((ATTACHMENT_LIMITS.bytes * 4) / 3) + 4, '附件超过2 MB').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
          })
          .strict(),
      )
      .max(ATTACHMENT_LIMITS.count)
      .default([]),
    /** A field people never see (CSS hides it); a form filled in by a robot fills it. */
    website: z.string().max(500).optional(),
  })
  .strict();
export type OpinionSubmission = z.infer<typeof OpinionSubmissionSchema>;

const sha256 = (b: string | Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const fmtChina = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

function refused(path: string, zh: string, en: string): ApiError {
  return new ApiError('SUBMISSION_REFUSED', `The submission was not accepted: ${en}.`, [{ path, message: zh, en }]);
}

/** The portal's GridFS bucket: citizens' attachments and hearing records, apart from the decision's own files. */
export function portalBucket(deps: AppDeps) {
  const db = deps.models.PublicOpinion.db.db;
  if (!db) throw new ApiError('DEPENDENCY_UNAVAILABLE', 'The document store is not connected.');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'portal_files' });
}

/** Store one file in the portal's bucket; returns its id. */
export async function storePortalFile(deps: AppDeps, filename: string, bytes: Buffer, metadata: Record<string, unknown>): Promise<string> {
  const upload = portalBucket(deps).openUploadStream(filename, { metadata });
  await pipeline(Readable.from([bytes]), upload);
  return upload.id.toString();
}

const dropFiles = (deps: AppDeps, ids: string[]) => Promise.all(ids.map((id) => portalBucket(deps).delete(new mongoose.mongo.ObjectId(id)).catch(() => undefined)));

/** The files of a submission, decoded and checked: their kind is read from the bytes. */
function decodeAttachments(list: OpinionSubmission['attachments']) {
  let total = 0;
  return list.map((a, i) => {
    const bytes = Buffer.from(a.data, 'base64');
    total += bytes.length;
    const path = `body.attachments.${i}`;
    if (!bytes.length) throw new ApiError('VALIDATION_FAILED', 'An attachment is empty.', [{ path, message: '附件为空。', en: 'empty' }]);
    if (bytes.length > ATTACHMENT_LIMITS.bytes || total > ATTACHMENT_LIMITS.total)
      throw new ApiError('PAYLOAD_TOO_LARGE', 'The attachments are too large.', [{ path, message: '每个附件不超过2 MB，合计不超过4 MB。', en: 'at most 2 MB each, 4 MB together' }]);
    const kind = sniff(bytes);
    const checked = checkedType(a.contentType, bytes);
    if (!kind || !PORTAL_KINDS.has(kind) || 'refused' in checked)
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Attachment ${a.filename} is not a PDF, Word, JPEG or PNG file, or not what it claims to be.`, [
        { path, message: '附件仅限PDF、Word、JPEG、PNG文件，且内容须与文件类型一致。', en: 'only PDF, Word, JPEG or PNG, with content matching the declared type' },
      ]);
    return { filename: a.filename, bytes, contentType: checked.type, sha256: sha256(bytes) };
  });
}

export interface Accepted {
  receipt: string;
  receivedAt: string;
  consultation: { key: string; title: string; closesOn: string };
  repeated?: boolean;
}

/**
 * Judge and store one submission. Order matters: the consultation and its deadline (by the
 * arrival time), then the challenge, then what the consultation requires, then the one insert.
 */
export async function submitOpinion(deps: AppDeps, key: string, body: OpinionSubmission, arrivedAt: number): Promise<{ status: 200 | 201; body: Accepted }> {
  const c = await consultationFacts(deps, key);
  if (!c) throw new ApiError('NOT_FOUND', `No consultation ${key} on the portal.`);
  // Art. 15: the period stated in the notice. Judged by when the request arrived, so a slow upload or a busy server loses nobody's opinion.
  if (arrivedAt >= c.closesAt) {
    const reason = reasonOf('CONSULTATION_CLOSED', { closesOn: c.closesOn, closesAt: `${c.closesOn} 24:00`, arrivedAt: `${fmtChina(arrivedAt)}（北京时间）` });
    throw new ApiError('CONSULTATION_CLOSED', reason.en, [reason]);
  }
  if (body.website) throw refused('website', '提交未被接受。', 'the submission looks automated');
  const secret = await portalKey(deps.models);
  const problem = tokenProblem(secret, key, body.formToken, arrivedAt, portalSettings(deps).minFillMs);
  if (problem) throw refused('formToken', problem.zh, problem.en);
  const missing = [c.requires.name && !body.name ? { path: 'body.name', message: '本次征求意见要求填写姓名。', en: 'this consultation asks for your name' } : null, c.requires.contact && !body.contact ? { path: 'body.contact', message: '本次征求意见要求填写联系方式。', en: 'this consultation asks for a contact' } : null].filter((x) => x !== null);
  if (missing.length) throw new ApiError('VALIDATION_FAILED', 'The consultation asks for more.', missing);

  const files = decodeAttachments(body.attachments);
  const clause = body.clause === undefined ? clauseMentioned(body.text) : body.clause;
  const receipt = receiptFor(secret, key, body.submissionKey);
  const contentHash = sha256(JSON.stringify([body.name ?? null, body.contact ?? null, clause, body.text, files.map((f) => [f.filename, f.sha256])]));
  const answerOf = (existing: { contentHash: string; receivedAt: Date }) => {
    if (existing.contentHash !== contentHash)
      throw new ApiError('IDEMPOTENCY_MISMATCH', 'This submission key was used for a different opinion; the form makes a new key for each opinion.', [{ path: 'body.submissionKey', message: '该提交编号已用于另一条意见，请刷新页面后提交。', en: 'used for another opinion' }]);
    return { status: 200 as const, body: accepted(c, receipt, existing.receivedAt.getTime(), true) };
  };
  // Files are stored before the opinion that names them; a retry is found first so they are not stored twice.
  if (files.length) {
    const existing = await deps.models.PublicOpinion.findById(receipt, { contentHash: 1, receivedAt: 1 }).lean();
    if (existing) return answerOf(existing);
  }
  const stored = await Promise.all(files.map((f) => storePortalFile(deps, f.filename, f.bytes, { consultationKey: key, receipt, sha256: f.sha256, contentType: f.contentType })));
  try {
    // Validated by the model (no I/O), then inserted with whatever else is arriving (batch-insert.ts).
    const doc = new deps.models.PublicOpinion({
      _id: receipt,
      consultationKey: key,
      decisionId: c.decisionId,
      consultationId: c.consultationId,
      name: body.name || null,
      contact: body.contact || null,
      clause,
      text: body.text,
      attachments: files.map((f, i) => ({ fileId: stored[i], filename: f.filename, size: f.bytes.length, sha256: f.sha256, contentType: f.contentType })),
      contentHash,
      receivedAt: new Date(arrivedAt),
      answer: null,
    });
    // validate() rejects with the same ValidationError validateSync() returned (which mongoose 9 deprecates, warning on every opinion).
    await doc.validate();
    await insertBatched(deps.models.PublicOpinion.collection, doc.toObject());
  } catch (err) {
    await dropFiles(deps, stored);
    if (!isDuplicateKey(err)) throw err;
    const existing = await deps.models.PublicOpinion.findById(receipt, { contentHash: 1, receivedAt: 1 }).lean();
    return answerOf(existing!);
  }
  return { status: 201, body: accepted(c, receipt, arrivedAt) };
}

const accepted = (c: ConsultationFacts, receipt: string, receivedAt: number, repeated = false): Accepted => ({
  receipt,
  receivedAt: new Date(receivedAt).toISOString(),
  consultation: { key: c.key, title: c.title, closesOn: c.closesOn },
  ...(repeated ? { repeated } : {}),
});

// ——— The drafting unit's side ———

export const ANSWER_DECISIONS = ['adopted', 'partly-adopted', 'not-adopted'] as const;
export const AnswerSchema = z
  .object({
    decision: z.enum(ANSWER_DECISIONS).describe('采纳、部分采纳或不予采纳'),
    reason: z.string().trim().min(2).max(2000).describe('理由（不予采纳、部分采纳的，须说明理由）'),
  })
  .strict();

export const ANSWER_LABELS: Record<(typeof ANSWER_DECISIONS)[number], { zh: string; en: string }> = {
  adopted: { zh: '采纳', en: 'Adopted' },
  'partly-adopted': { zh: '部分采纳', en: 'Partly adopted' },
  'not-adopted': { zh: '不予采纳', en: 'Not adopted' },
};

type OpinionDoc = { _id: string; contentHash: string; clause: number | null; answer: { decision: string; reason: string; at?: Date; by?: string } | null };

/** The digest the record carries: every opinion (by receipt and content) with its answer, in receipt order. */
export function digestOf(opinions: OpinionDoc[]): string {
  const lines = [...opinions].sort((a, b) => (a._id < b._id ? -1 : 1)).map((o) => `${o._id} ${o.contentHash} ${o.answer?.decision ?? '-'} ${sha256(o.answer?.reason ?? '')}`);
  return sha256(lines.join('\n'));
}

/** One received opinion as the store keeps it. */
export interface OpinionRow extends OpinionDoc {
  consultationKey: string;
  name?: string | null;
  contact?: string | null;
  text: string;
  attachments: { fileId: string; filename: string; size: number; sha256: string; contentType: string }[];
  receivedAt: Date;
}

/** Everything received in one consultation, in order of arrival (no names or contacts unless asked for). */
export async function opinionsOf(deps: AppDeps, decisionId: string, consultationId: string, o: { personal?: boolean } = {}): Promise<OpinionRow[]> {
  const fields = o.personal ? {} : { name: 0, contact: 0 };
  return (await deps.models.PublicOpinion.find({ consultationKey: portalKeyOf(decisionId, consultationId) }, fields).sort({ receivedAt: 1 }).lean()) as unknown as OpinionRow[];
}

/** What each live consultation received, for the workflow when public participation completes. */
export async function participationFacts(deps: AppDeps, view: DecisionView): Promise<ParticipationFacts> {
  const live = view.consultations.filter((c) => !c.imported);
  const consultations = await Promise.all(
    live.map(async (c) => {
      const all = await opinionsOf(deps, view.decisionId, c.id);
      return { id: c.id, received: all.length, answered: all.filter((x) => x.answer).length, digest: digestOf(all) };
    }),
  );
  return { consultations };
}

/** Opinions grouped by the article they address, in article order, the draft as a whole last. */
export function groupByClause<T extends { clause: number | null }>(opinions: T[]): { clause: number | null; label: { zh: string; en: string }; opinions: T[] }[] {
  const groups = new Map<number | null, T[]>();
  for (const o of opinions) groups.set(o.clause ?? null, [...(groups.get(o.clause ?? null) ?? []), o]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a - b))
    .map(([clause, list]) => ({ clause, label: clauseLabel(clause), opinions: list }));
}

/** The adoption report of one consultation, in plain 公文 wording: counts, then article by article. */
export function adoptionReportText(title: string, c: { id: string; opensOn: string; closesOn: string }, opinions: OpinionDoc[]): string {
  const count = (d: string) => opinions.filter((o) => o.answer?.decision === d).length;
  const lines = [
    `《${title}》公开征求意见（${c.id}，${c.opensOn}至${c.closesOn}）共收到意见${opinions.length}条，采纳${count('adopted')}条，部分采纳${count('partly-adopted')}条，不予采纳${count('not-adopted')}条${opinions.some((o) => !o.answer) ? `，尚未研究${opinions.filter((o) => !o.answer).length}条` : ''}。`,
  ];
  for (const g of groupByClause(opinions)) {
    const by = (d: string) => g.opinions.filter((o) => o.answer?.decision === d).length;
    lines.push(`${g.label.zh}：意见${g.opinions.length}条（采纳${by('adopted')}条，部分采纳${by('partly-adopted')}条，不予采纳${by('not-adopted')}条）。`);
  }
  return lines.join('\n');
}
