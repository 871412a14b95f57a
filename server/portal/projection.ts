/**
 * What the portal shows of a decision's public participation, projected from the decision's
 * view (the workflow is the truth): each consultation as opened — period, shortening reason,
 * the draft and its explanation — and each hearing as announced. Written by the API after every
 * participation act, and again whenever the drafting unit reads its opinions, so a write lost
 * between the workflow and the store is made good; every write is an idempotent upsert.
 */
import type { DecisionView } from '../../workflows/model';
import type { AppDeps } from '../route-kit';

const DAY_MS = 86_400_000;

/** The end of a closing day (24:00 China time): an opinion arriving from then on is late (Art. 15). */
export const closingInstant = (closesOn: string) => Date.parse(`${closesOn}T00:00:00+08:00`) + DAY_MS;

/** The portal's address of a consultation or a hearing. */
export const portalKeyOf = (decisionId: string, localId: string) => `${decisionId}-${localId}`;

/** When public participation was last completed (its answers then went to the decision body), if it was. */
function reportedAt(view: DecisionView): number | null {
  const done = Object.values(view.elements).some((e) => e.kind === 'public-participation' && e.status === 'completed');
  if (!done) return null;
  const r = [...view.records].reverse().find((x) => x.kind === 'public-participation' && x.action === 'complete');
  return r ? r.recordedAt : null;
}

/** Publish (or bring up to date) every consultation and hearing of a decision on the portal. */
export async function syncPortal(deps: AppDeps, view: DecisionView): Promise<void> {
  const { PublicConsultation, PublicHearing } = deps.models;
  const meta = { title: view.meta.title, agency: view.meta.agency, draftingUnit: view.meta.draftingUnit };
  const reported = reportedAt(view);
  const now = new Date();
  const consultations = view.consultations.map((c) => {
    // The draft published with it: the version on file when it opened.
    const draft = [...view.drafts].reverse().find((d) => d.addedAt <= c.openedAt) ?? view.drafts.at(-1);
    return {
      updateOne: {
        filter: { _id: portalKeyOf(view.decisionId, c.id) },
        update: {
          $set: {
            decisionId: view.decisionId,
            consultationId: c.id,
            listed: true,
            ...meta,
            draft: draft ? { version: draft.version, hash: draft.hash, title: draft.title } : null,
            explanation: c.explanation ?? '',
            channel: c.channel,
            noticeUrl: c.noticeUrl ?? null,
            opensOn: c.opensOn,
            openedAt: new Date(c.openedAt),
            closesOn: c.closesOn,
            closesAt: new Date(closingInstant(c.closesOn)),
            shorteningReason: c.shorteningReason ?? null,
            requires: { name: Boolean(c.requires?.name), contact: Boolean(c.requires?.contact) },
            imported: Boolean(c.imported),
            reportedAt: reported && reported >= c.openedAt ? new Date(reported) : null,
          },
          $setOnInsert: { publishedAt: now },
        },
        upsert: true,
      },
    };
  });
  const hearings = (view.hearings ?? []).map((h) => ({
    updateOne: {
      filter: { _id: portalKeyOf(view.decisionId, h.id) },
      update: {
        $set: {
          decisionId: view.decisionId,
          hearingId: h.id,
          listed: true,
          ...meta,
          scheduledOn: h.scheduledOn,
          startsAt: h.startsAt,
          place: h.place,
          selectionMethod: h.selectionMethod,
          participants: h.participants.map((p) => ({ name: p.name, represents: p.represents ?? '' })),
          announcedOn: h.announcedOn,
          participantsPublishedOn: h.participantsPublishedOn ?? null,
          materialsDeliveredOn: h.materialsDeliveredOn ?? null,
          recordFiled: Boolean(h.signedRecord),
          cancelled: h.cancelled?.reasons ?? null,
        },
      },
      upsert: true,
    },
  }));
  await Promise.all([consultations.length ? PublicConsultation.bulkWrite(consultations, { ordered: false }) : null, hearings.length ? PublicHearing.bulkWrite(hearings, { ordered: false }) : null]);
  forget(view.consultations.map((c) => portalKeyOf(view.decisionId, c.id)));
}

// ——— Reading a consultation on the hot path ———

export interface ConsultationFacts {
  key: string;
  decisionId: string;
  consultationId: string;
  title: string;
  closesOn: string;
  closesAt: number;
  requires: { name: boolean; contact: boolean };
  reported: boolean;
}

/** A consultation's deadline and requirements never change once opened: kept a few seconds per process. */
const CACHE_MS = 2000;
const cache = new Map<string, { at: number; facts: ConsultationFacts }>();

function forget(keys: string[]) {
  for (const k of keys) cache.delete(k);
}

/** The facts a submission is judged by, or null when there is no such consultation on the portal. */
export async function consultationFacts(deps: AppDeps, key: string): Promise<ConsultationFacts | null> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.facts;
  const doc = await deps.models.PublicConsultation.findById(key, { decisionId: 1, consultationId: 1, title: 1, closesOn: 1, closesAt: 1, requires: 1, reportedAt: 1 }).lean();
  if (!doc) return null;
  const facts: ConsultationFacts = {
    key,
    decisionId: doc.decisionId,
    consultationId: doc.consultationId,
    title: doc.title,
    closesOn: doc.closesOn,
    closesAt: new Date(doc.closesAt).getTime(),
    requires: { name: Boolean(doc.requires?.name), contact: Boolean(doc.requires?.contact) },
    reported: Boolean(doc.reportedAt),
  };
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: Date.now(), facts });
  return facts;
}
