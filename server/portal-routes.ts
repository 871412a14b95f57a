/**
 * The public portal's API (no sign-in): open consultations with the draft, its explanation, the
 * channel, the period and — when shortened — the reason (Decree 713 Art. 15); submitting an
 * opinion; reading what became of it by its receipt; hearings announced in advance (Art. 16);
 * published decisions with how opinions were adopted (Art. 32). A submission passes the rate
 * limit before its body is read, and is judged by when it arrived (server/portal/).
 */
import { z } from 'zod';
import { DecisionId, route, type Route } from './route-kit';
import { ApiError } from './errors';
import { clauseLabel, clausesOf } from './portal/clauses';
import { admitSubmission, formToken, normalReceipt, portalKey, portalSettings } from './portal/limits';
import { ANSWER_LABELS, ATTACHMENT_LIMITS, OpinionSubmissionSchema, SUBMISSION_BODY_LIMIT, submitOpinion } from './portal/opinions';
import { publicationOf, publishedDecision, publishedList } from './portal/publications';

const PortalKey = z.string().regex(/^[A-Za-z0-9-]{3,80}$/, 'not a consultation');
const DAY_MS = 86_400_000;
const chinaToday = (now: number) => new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
const daysLeft = (closesOn: string, now: number) => Math.round((Date.parse(`${closesOn}T00:00:00Z`) - Date.parse(`${chinaToday(now)}T00:00:00Z`)) / DAY_MS);

/** A consultation as the list shows it. */
function listItem(c: { _id: string; title: string; agency: string; draftingUnit: string; channel: string; opensOn: string; closesOn: string; closesAt: Date; shorteningReason?: string | null; noticeUrl?: string | null }, now: number) {
  const open = now < new Date(c.closesAt).getTime();
  return {
    key: c._id,
    title: c.title,
    agency: c.agency,
    draftingUnit: c.draftingUnit,
    channel: c.channel,
    opensOn: c.opensOn,
    closesOn: c.closesOn,
    shortened: Boolean(c.shorteningReason),
    shorteningReason: c.shorteningReason ?? null,
    noticeUrl: c.noticeUrl ?? null,
    open,
    daysLeft: open ? daysLeft(c.closesOn, now) : 0,
  };
}

export const portalRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/portal/consultations',
    summary: 'The public portal: consultations opened in the system, open ones first (Decree 713 Art. 15)',
    access: { public: true },
    schemas: { query: z.object({ status: z.enum(['open', 'closed', 'all']).default('all') }) },
    handler: async ({ query }, { deps }) => {
      const now = Date.now();
      const docs = await deps.models.PublicConsultation.find({ listed: true }, { explanation: 0 }).sort({ openedAt: -1 }).limit(500).lean();
      const items = docs.map((d) => listItem(d as never, now)).filter((c) => query.status === 'all' || c.open === (query.status === 'open'));
      items.sort((a, b) => Number(b.open) - Number(a.open));
      return { items };
    },
  }),
  route({
    method: 'get',
    path: '/api/portal/consultations/:key',
    summary: 'One consultation: the draft and its explanation, channel, period, shortening reason, what a submitter must give, and a form token',
    access: { public: true },
    schemas: { params: z.object({ key: PortalKey }) },
    errors: [404],
    handler: async ({ params }, { deps }) => {
      const c = await deps.models.PublicConsultation.findById(params.key).lean();
      if (!c) throw new ApiError('NOT_FOUND', `No consultation ${params.key} on the portal.`);
      const draft = c.draft?.hash ? await deps.models.Draft.findById(`${c.decisionId}:${c.draft.hash}`, { title: 1, content: 1 }).lean() : null;
      const now = Date.now();
      const item = listItem(c as never, now);
      const { minFillMs } = portalSettings(deps);
      return {
        ...item,
        explanation: c.explanation,
        draft: draft ? { version: c.draft!.version, title: draft.title, content: draft.content, clauses: clausesOf(draft.content).map(({ n, label }) => ({ n, label })) } : null,
        reported: Boolean(c.reportedAt),
        form: item.open
          ? {
              token: formToken(await portalKey(deps.models), c._id, now),
              minFillMs,
              requires: { name: Boolean(c.requires?.name), contact: Boolean(c.requires?.contact) },
              attachments: { ...ATTACHMENT_LIMITS, types: ['application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/jpeg', 'image/png'] },
            }
          : null,
      };
    },
  }),
  route({
    method: 'post',
    path: '/api/portal/consultations/:key/opinions',
    summary:
      'Submit an opinion (no sign-in): JSON with the text, the article it addresses, name and contact as the consultation requires, up to 3 files (PDF, Word, JPEG, PNG; 2 MB each, base64), the form token and a submission key. Rate-limited per address before the body is read; refused after the deadline by the arrival time (409 CONSULTATION_CLOSED); a retry with the same key returns the same receipt (200).',
    access: { public: true },
    admit: admitSubmission,
    jsonLimit: SUBMISSION_BODY_LIMIT,
    schemas: { params: z.object({ key: PortalKey }), body: OpinionSubmissionSchema },
    errors: [400, 404, 409, 413, 415, 422, 429],
    handler: async ({ params, body }, { res, deps, arrivedAt }) => {
      const out = await submitOpinion(deps, params.key, body, arrivedAt);
      res.status(out.status);
      return out.body;
    },
  }),
  route({
    method: 'get',
    path: '/api/portal/opinions/:receipt',
    summary: 'What became of an opinion, by its receipt: received when, the article, the text, and the drafting unit’s answer (adopted, partly, not adopted, with the reason)',
    access: { public: true },
    schemas: { params: z.object({ receipt: z.string().max(40) }) },
    errors: [404],
    handler: async ({ params }, { deps }) => {
      const receipt = normalReceipt(params.receipt);
      const o = receipt ? await deps.models.PublicOpinion.findById(receipt, { name: 0, contact: 0 }).lean() : null;
      if (!o) throw new ApiError('NOT_FOUND', 'No opinion with this receipt number.', [{ path: 'params.receipt', message: '没有该回执编号的意见，请核对。', en: 'no opinion with this receipt' }]);
      const c = await deps.models.PublicConsultation.findById(o.consultationKey, { title: 1, agency: 1, draftingUnit: 1, opensOn: 1, closesOn: 1, closesAt: 1, reportedAt: 1, decisionId: 1 }).lean();
      // This decision's records only (by decisionId), not every publication there is.
      const published = c ? await publicationOf(deps, c.decisionId) : null;
      return {
        receipt: o._id,
        receivedAt: o.receivedAt,
        clause: o.clause ?? null,
        clauseLabel: clauseLabel(o.clause ?? null),
        text: o.text,
        attachments: o.attachments.map((a) => ({ filename: a.filename, size: a.size })),
        consultation: c ? { key: o.consultationKey, title: c.title, agency: c.agency, draftingUnit: c.draftingUnit, opensOn: c.opensOn, closesOn: c.closesOn, open: Date.now() < new Date(c.closesAt).getTime() } : null,
        answer: o.answer ? { decision: o.answer.decision, label: ANSWER_LABELS[o.answer.decision as keyof typeof ANSWER_LABELS], reason: o.answer.reason, at: o.answer.at } : null,
        /** The answers went to the decision body with the public participation record (Art. 29(2)) and no longer change. */
        final: Boolean(c?.reportedAt),
        published: published ? { decisionId: published.decisionId, publishedOn: published.publishedOn } : null,
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/portal/hearings',
    summary: 'Hearings announced in advance (Decree 713 Art. 16): time, place, participant selection method and list',
    access: { public: true },
    schemas: {},
    handler: async (_i, { deps }) => {
      const today = chinaToday(Date.now());
      const docs = await deps.models.PublicHearing.find({ listed: true }).sort({ scheduledOn: -1 }).limit(200).lean();
      const items = docs.map(({ _id, listed: _l, ...h }) => ({ key: _id, ...h, upcoming: h.scheduledOn >= today && !h.cancelled }));
      items.sort((a, b) => Number(b.upcoming) - Number(a.upcoming));
      return { items };
    },
  }),
  route({
    method: 'get',
    path: '/api/portal/decisions',
    summary: 'Decisions published after the Party committee’s consent (Decree 713 Arts. 31-32)',
    access: { public: true },
    schemas: {},
    handler: async (_i, { deps }) => ({ items: await publishedList(deps) }),
  }),
  route({
    method: 'get',
    path: '/api/portal/decisions/:decisionId',
    summary: 'One published decision: its text, the publication, and how public and expert opinions were adopted (Art. 32), each public opinion with its answer (no names)',
    access: { public: true },
    schemas: { params: z.object({ decisionId: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { deps }) => {
      const d = await publishedDecision(deps, params.decisionId);
      if (!d) throw new ApiError('NOT_FOUND', `No published decision ${params.decisionId}.`);
      return d;
    },
  }),
];
