/**
 * The drafting unit's side of public participation (Decree 713 Arts. 14-18): opening a
 * consultation (which publishes it on the portal), announcing and running hearings, reading
 * every opinion received grouped by the article it addresses, answering each (adopted, partly,
 * not adopted, with the reason), and the record as the system would write it. Every act on the
 * decision is a workflow event whose guards decide; answers live beside the opinions in the store
 * and are fixed once public participation completes (their digest is in its record, Art. 29(2)).
 */
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { z } from 'zod';
import { reasonOf } from '../definitions/statute';
import { eventUpdate } from '../workflows/handles';
import type { DecisionView, EventInput } from '../workflows/model';
import { AnnounceHearingSchema, HearingCancelSchema, HearingDeliverySchema, HearingParticipantsSchema, OpenConsultationSchema } from '../workflows/records';
import type { UserRole } from '../activities/people';
import { ApiError } from './errors';
import { contentDisposition, fileTypeOf, filenameOf } from './files';
import { ANSWER_LABELS, AnswerSchema, groupByClause, opinionsOf, portalBucket, storePortalFile } from './portal/opinions';
import { participationDraft } from './portal/participation';
import { portalKeyOf, syncPortal } from './portal/projection';
import { DecisionId, OccurredOn, queryState, recordAccepted, recordRefusal, refuseIfClosed, route, type AppDeps, type Route } from './route-kit';
import { actAndView } from './updates';

const HearingId = z.string().regex(/^H\d{1,3}$/, 'not a hearing');
const Receipt = z.string().regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'not a receipt number');
/** Who reads the opinions: the drafting unit answers them; the office, the review body and supervisors check them. */
const OPINION_READERS: readonly UserRole[] = ['department', 'secretariat', 'legality-review-body', 'supervisor'];
/** A hearing's signed record: a scan or a signed document, at most 20 MB. */
const RECORD_LIMIT = 20 * 1024 * 1024;

/** One participation act as a workflow event; the portal is brought up to date with the view it produced. */
function participationEvent<S extends z.ZodObject>(o: { path: string; summary: string; params?: S; body: z.ZodType; toEvent: (body: never, params: z.infer<S> & { id: string }) => Omit<EventInput, 'actor' | 'occurredOn'> }): Route {
  return route({
    method: 'post',
    path: o.path,
    summary: o.summary,
    access: { decision: 'write', roles: ['department'] },
    schemas: { params: (o.params ?? z.object({})).extend({ id: DecisionId }), query: OccurredOn, body: o.body },
    errors: [400, 403, 404, 409],
    handler: async ({ params, query, body }, { actor, deps }) => {
      const event = { ...o.toEvent(body as never, params as never), actor, occurredOn: query.occurredOn } as EventInput;
      const view = await actAndView(deps, (params as { id: string }).id, eventUpdate, event, { actor, action: event.type });
      await syncPortal(deps, view);
      return view;
    },
  });
}

/** Public participation is completed (and not reopened): its adoption report went to the decision body. */
function participationDone(view: DecisionView): boolean {
  const steps = Object.values(view.elements).filter((e) => e.kind === 'public-participation');
  return steps.some((e) => e.status === 'completed') && !steps.some((e) => e.status === 'active' || e.status === 'enabled');
}

async function opinionOf(deps: AppDeps, decisionId: string, receipt: string) {
  const o = await deps.models.PublicOpinion.findById(receipt).lean();
  if (!o || o.decisionId !== decisionId) throw new ApiError('NOT_FOUND', `Decision ${decisionId} received no opinion ${receipt}.`);
  return o;
}

export const participationRoutes: Route[] = [
  participationEvent({
    path: '/api/decisions/:id/consultations',
    summary:
      'Open a public consultation on the draft (Art. 15): it opens now, in the system, runs at least 30 days unless the shortening reason is stated now, and is published on the portal with the draft, its explanation and what a submitter must give',
    body: OpenConsultationSchema,
    toEvent: (b: z.infer<typeof OpenConsultationSchema>) => ({ type: 'consultation-opened', ...b }),
  }),
  participationEvent({
    path: '/api/decisions/:id/hearings',
    summary: 'Announce a hearing in advance on the portal (Art. 16): date and time, place, how participants are selected, and the participant list (now or later)',
    body: AnnounceHearingSchema,
    toEvent: (b: z.infer<typeof AnnounceHearingSchema>) => ({ type: 'hearing-announced', ...b }),
  }),
  participationEvent({
    path: '/api/decisions/:id/hearings/:hearingId/participants',
    summary: 'Publish the participant list of a hearing (Art. 16: in advance, before the materials go out)',
    params: z.object({ hearingId: HearingId }),
    body: HearingParticipantsSchema,
    toEvent: (b: z.infer<typeof HearingParticipantsSchema>, p) => ({ type: 'hearing-participants', hearingId: p.hearingId, ...b }),
  }),
  participationEvent({
    path: '/api/decisions/:id/hearings/:hearingId/delivered',
    summary: 'Record the day the hearing materials reached the participants — at least 7 days before the hearing (Art. 16), never in the future',
    params: z.object({ hearingId: HearingId }),
    body: HearingDeliverySchema,
    toEvent: (b: z.infer<typeof HearingDeliverySchema>, p) => ({ type: 'hearing-materials-delivered', hearingId: p.hearingId, ...b }),
  }),
  participationEvent({
    path: '/api/decisions/:id/hearings/:hearingId/cancel',
    summary: 'Cancel an announced hearing, with reasons (shown on the portal)',
    params: z.object({ hearingId: HearingId }),
    body: HearingCancelSchema,
    toEvent: (b: z.infer<typeof HearingCancelSchema>, p) => ({ type: 'hearing-cancelled', hearingId: p.hearingId, ...b }),
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/hearings/:hearingId/record',
    summary: 'File the hearing record confirmed and signed by the participants (Art. 17), after the hearing: the body is the file (PDF, Word, OFD, JPEG, PNG), its URI-encoded name in X-Filename',
    access: { decision: 'write', roles: ['department'] },
    schemas: { params: z.object({ id: DecisionId, hearingId: HearingId }), query: OccurredOn },
    rawBody: { limit: RECORD_LIMIT },
    errors: [400, 404, 409, 413, 415],
    handler: async ({ params, query, body }, { req, res, actor, deps }) => {
      const filename = filenameOf(req);
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('VALIDATION_FAILED', 'The body must be the file’s bytes; it is empty.', [{ path: '(body)', message: 'empty' }]);
      const contentType = fileTypeOf(req, body);
      const sha256 = crypto.createHash('sha256').update(body).digest('hex');
      const fileId = await storePortalFile(deps, filename, body, { decisionId: params.id, hearingId: params.hearingId, sha256, contentType, uploadedBy: actor });
      try {
        const view = await actAndView(deps, params.id, eventUpdate, { type: 'hearing-record-signed', hearingId: params.hearingId, fileId, sha256, filename, actor, occurredOn: query.occurredOn }, { actor, action: 'hearing-record-signed' });
        await syncPortal(deps, view);
        res.status(201);
        return view;
      } catch (err) {
        await portalBucket(deps).delete(new mongoose.mongo.ObjectId(fileId)).catch(() => undefined);
        throw err;
      }
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/hearings/:hearingId/record',
    summary: 'The signed record of a hearing, as filed',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId, hearingId: HearingId }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const h = (await queryState(deps, params.id)).hearings?.find((x) => x.id === params.hearingId);
      if (!h?.signedRecord) throw new ApiError('NOT_FOUND', `Hearing ${params.hearingId} has no signed record on file.`);
      await sendPortalFile(deps, res, h.signedRecord.fileId, h.signedRecord.filename);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/public-opinions',
    summary: 'Every opinion the portal received, per consultation and grouped by the article it addresses (第X条), each with its answer; names and contacts for the drafting unit only',
    access: { decision: 'read', roles: OPINION_READERS },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { principal, deps }) => {
      const view = await queryState(deps, params.id);
      // Reading them also brings the portal up to date with the decision (a lost projection write is made good here).
      await syncPortal(deps, view);
      const personal = principal!.roles.includes('department');
      const consultations = await Promise.all(
        view.consultations.map(async (c) => {
          const all = await opinionsOf(deps, params.id, c.id, { personal });
          const rows = all.map((o) => ({
            receipt: o._id,
            receivedAt: o.receivedAt,
            clause: o.clause ?? null,
            text: o.text,
            ...(personal ? { name: o.name ?? null, contact: o.contact ?? null } : {}),
            attachments: o.attachments.map((a, n) => ({ n, filename: a.filename, size: a.size, contentType: a.contentType })),
            answer: o.answer ? { ...o.answer, label: ANSWER_LABELS[o.answer.decision as keyof typeof ANSWER_LABELS] } : null,
          }));
          return { id: c.id, key: portalKeyOf(params.id, c.id), opensOn: c.opensOn, closesOn: c.closesOn, imported: Boolean(c.imported), received: rows.length, answered: rows.filter((r) => r.answer).length, groups: groupByClause(rows) };
        }),
      );
      return { fixed: participationDone(view), consultations };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/public-opinions/:receipt/answer',
    summary: 'Answer one opinion (Art. 18): adopted, partly adopted or not adopted, with the reason. Fixed once public participation completes (its record carries the digest, Art. 29(2)).',
    access: { decision: 'write', roles: ['department'] },
    schemas: { params: z.object({ id: DecisionId, receipt: Receipt }), body: AnswerSchema },
    errors: [400, 404, 409],
    handler: async ({ params, body }, { actor, deps }) => {
      const view = await queryState(deps, params.id);
      await refuseIfClosed(deps, view, actor, 'public-opinion-answer');
      const o = await opinionOf(deps, params.id, params.receipt);
      if (participationDone(view)) {
        const reason = reasonOf('ADOPTION_REPORT_FIXED');
        const e = new ApiError('STEP_BLOCKED', reason.en, [reason]);
        await recordRefusal(deps, params.id, actor, 'public-opinion-answer', undefined, e);
        throw e;
      }
      const answer = { decision: body.decision, reason: body.reason, by: actor, at: new Date() };
      await deps.models.PublicOpinion.updateOne({ _id: o._id }, { $set: { answer } });
      await recordAccepted(deps, params.id, actor, 'public-opinion-answer', `answered opinion ${o._id} (${o.consultationId}): ${body.decision} — ${body.reason}`);
      return { receipt: o._id, answer: { ...answer, label: ANSWER_LABELS[body.decision] } };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/public-opinions/:receipt/attachments/:n',
    summary: 'A file a citizen attached to an opinion',
    access: { decision: 'read', roles: OPINION_READERS },
    schemas: { params: z.object({ id: DecisionId, receipt: Receipt, n: z.coerce.number().int().min(0).max(9) }) },
    errors: [404],
    handler: async ({ params }, { res, deps }) => {
      const a = (await opinionOf(deps, params.id, params.receipt)).attachments[params.n];
      if (!a?.fileId) throw new ApiError('NOT_FOUND', `Opinion ${params.receipt} has no attachment ${params.n}.`);
      await sendPortalFile(deps, res, a.fileId, a.filename ?? 'attachment');
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/participation',
    summary: 'The public participation record as the system would write it now — consultations with what the portal received, hearings as recorded — and each consultation’s adoption report',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { deps }) => participationDraft(deps, await queryState(deps, params.id)),
  }),
];

/** Send a file of the portal's bucket as a download (never rendered inline: nosniff and attachment). */
async function sendPortalFile(deps: AppDeps, res: import('express').Response, fileId: string, filename: string): Promise<void> {
  const id = new mongoose.mongo.ObjectId(fileId);
  const [file] = await portalBucket(deps).find({ _id: id }).toArray();
  if (!file) throw new ApiError('NOT_FOUND', 'The file is not in the store.');
  res.set({ 'Content-Type': String((file.metadata as { contentType?: string })?.contentType ?? 'application/octet-stream'), 'Content-Length': String(file.length), 'Content-Disposition': contentDisposition(filename) });
  await new Promise<void>((resolve, reject) => portalBucket(deps).openDownloadStream(id).on('error', reject).pipe(res).on('finish', resolve).on('error', reject));
}
