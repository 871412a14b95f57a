/**
 * Published decisions on the portal (Decree 713 Art. 32), read from the read model the worker
 * writes: a decision appears only with a completed publication record that follows the Party
 * committee's consent (Art. 31) — the guards already make that the only way to publish; the
 * portal checks it again rather than trust it — together with how the public's and the experts'
 * opinions were adopted and each public opinion's answer, without names or contacts.
 */
import type { AppDeps } from '../route-kit';
import { clausesOf } from './clauses';
import { ANSWER_LABELS, groupByClause, opinionsOf } from './opinions';

const CONSENT = new Set(['agreed', 'agreed-with-changes']);

interface RecordDoc {
  decisionId: string;
  seq: number;
  kind: string;
  action: string;
  at: Date;
  draftHash: string | null;
  data: Record<string, unknown>;
}

const lastOf = (records: RecordDoc[], kind: string) => [...records].reverse().find((r) => r.kind === kind && r.action === 'complete');

/** The decision's records when it is published after the Party committee's consent; else null. */
async function publishedRecords(deps: AppDeps, decisionId: string): Promise<RecordDoc[] | null> {
  const records = (await deps.models.StepRecord.find({ decisionId }).sort({ seq: 1 }).lean()) as unknown as RecordDoc[];
  const pub = lastOf(records, 'publication');
  const party = lastOf(records, 'party-report');
  if (!pub || !party || party.seq > pub.seq || !CONSENT.has(String(party.data.outcome))) return null;
  return records;
}

/** When one decision was published (its last publication record), or null: what a receipt's page says of it. */
export async function publicationOf(deps: AppDeps, decisionId: string): Promise<{ decisionId: string; publishedOn: string } | null> {
  const records = await publishedRecords(deps, decisionId);
  const pub = records && lastOf(records, 'publication');
  return pub ? { decisionId, publishedOn: String(pub.data.publishedOn ?? '') } : null;
}

/** Every published decision, newest first. */
export async function publishedList(deps: AppDeps) {
  const pubs = (await deps.models.StepRecord.find({ kind: 'publication', action: 'complete' }, { decisionId: 1, seq: 1, at: 1, data: 1 }).lean()) as unknown as RecordDoc[];
  const latest = new Map<string, RecordDoc>();
  for (const p of pubs) if ((latest.get(p.decisionId)?.seq ?? -1) < p.seq) latest.set(p.decisionId, p);
  const items = await Promise.all(
    [...latest.values()].map(async (p) => {
      if (!(await publishedRecords(deps, p.decisionId))) return null;
      const d = await deps.models.Decision.findById(p.decisionId, { title: 1, agency: 1, draftingUnit: 1 }).lean();
      if (!d) return null;
      return { decisionId: p.decisionId, title: d.title, agency: d.agency, draftingUnit: d.draftingUnit, publishedOn: String(p.data.publishedOn ?? ''), documentNumber: (p.data.documentNumber as string) ?? null };
    }),
  );
  return items.filter((x) => x !== null).sort((a, b) => (a.publishedOn < b.publishedOn ? 1 : -1));
}

/** One published decision with the explanation of how opinions were adopted; null when not published. */
export async function publishedDecision(deps: AppDeps, decisionId: string) {
  const records = await publishedRecords(deps, decisionId);
  if (!records) return null;
  const d = await deps.models.Decision.findById(decisionId, { title: 1, agency: 1, draftingUnit: 1 }).lean();
  if (!d) return null;
  const pub = lastOf(records, 'publication')!;
  const meeting = lastOf(records, 'collective-decision');
  const draftHash = ((meeting?.data.dossier as { draftHash?: string } | undefined)?.draftHash ?? pub.draftHash) || null;
  const draft = draftHash ? await deps.models.Draft.findById(`${decisionId}:${draftHash}`, { title: 1, content: 1 }).lean() : null;
  const participation = lastOf(records, 'public-participation');
  const expert = lastOf(records, 'expert-review');
  const consultations = await deps.models.PublicConsultation.find({ decisionId }, { consultationId: 1, opensOn: 1, closesOn: 1, shorteningReason: 1 }).lean();
  const opinions = await Promise.all(
    consultations.map(async (c) => {
      const all = await opinionsOf(deps, decisionId, c.consultationId);
      const rows = all.map((o) => ({ clause: o.clause ?? null, text: o.text, answer: o.answer ? { decision: o.answer.decision, label: ANSWER_LABELS[o.answer.decision as keyof typeof ANSWER_LABELS], reason: o.answer.reason } : null }));
      return { id: c.consultationId, opensOn: c.opensOn, closesOn: c.closesOn, shorteningReason: c.shorteningReason, received: rows.length, groups: groupByClause(rows) };
    }),
  );
  return {
    decisionId,
    title: d.title,
    agency: d.agency,
    draftingUnit: d.draftingUnit,
    publication: {
      publishedOn: pub.data.publishedOn,
      channels: pub.data.channels,
      documentNumber: pub.data.documentNumber ?? null,
      url: pub.data.url ?? null,
      adoptionExplanation: pub.data.adoptionExplanation ?? null,
      interpretation: pub.data.interpretation ?? null,
    },
    text: draft ? { title: draft.title, content: draft.content, clauses: clausesOf(draft.content).length } : null,
    publicAdoption: participation ? { report: participation.data.adoptionReport ?? null, consultations: opinions } : null,
    expertAdoption: expert ? { report: expert.data.adoptionReport ?? null } : null,
  };
}
