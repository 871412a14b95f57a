/**
 * The public participation record built from what happened (Decree 713 Arts. 14-18): the
 * consultations opened in the system with what the portal received in each, the hearings as
 * announced, delivered and recorded — prefilled for the drafting unit, and handed to the
 * workflow as system facts so a typed count that disagrees is refused (workflows/guards.ts).
 */
import type { DecisionView, ParticipationFacts, StepAction } from '../../workflows/model';
import { queryState, type AppDeps } from '../route-kit';
import { adoptionReportText, opinionsOf, participationFacts } from './opinions';

/** The hearings of the record, as the system recorded them (only those whose materials went out; the guard names the rest). */
export function hearingRows(view: DecisionView) {
  return (view.hearings ?? [])
    .filter((h) => !h.cancelled && h.materialsDeliveredOn)
    .map((h) => ({
      id: h.id,
      hearingDate: h.scheduledOn,
      materialsDeliveredOn: h.materialsDeliveredOn!,
      participants: h.participants.map((p) => (p.represents ? `${p.name}（${p.represents}）` : p.name)).slice(0, 100),
      selectionMethod: h.selectionMethod,
      recordSignedByParticipants: Boolean(h.signedRecord),
    }));
}

/** The record with what the system knows filled in where the body leaves it out. */
export function prefill(body: Record<string, unknown>, view: DecisionView, facts: ParticipationFacts): Record<string, unknown> {
  const data = { ...body };
  const byId = new Map(facts.consultations.map((f) => [f.id, f]));
  if (!Array.isArray(data.consultations)) data.consultations = view.consultations.map((c) => ({ id: c.id }));
  data.consultations = (data.consultations as unknown[]).map((c) => {
    if (!c || typeof c !== 'object') return c;
    const row = c as Record<string, unknown>;
    const f = byId.get(String(row.id));
    if (!f) return row;
    // The count is typed or taken from the store; answered and digest are only ever the system's.
    return { ...row, commentsReceived: row.commentsReceived ?? f.received, answered: f.answered, digest: f.digest };
  });
  if (data.hearings === undefined) data.hearings = hearingRows(view);
  return data;
}

/** Completing public participation: the record prefilled from the store, and the facts the guard checks it against. */
export async function participationAct(deps: AppDeps, id: string, body: Record<string, unknown>): Promise<Pick<StepAction, 'data' | 'system'>> {
  const view = await queryState(deps, id);
  const facts = await participationFacts(deps, view);
  return { data: prefill(body, view, facts), system: { participation: facts } };
}

/** The record as the system would write it now, and the adoption report of each consultation (GET …/participation). */
export async function participationDraft(deps: AppDeps, view: DecisionView) {
  const facts = await participationFacts(deps, view);
  const reports = await Promise.all(
    view.consultations.map(async (c) => {
      const all = await opinionsOf(deps, view.decisionId, c.id);
      return { id: c.id, imported: Boolean(c.imported), text: adoptionReportText(view.meta.title, c, all) };
    }),
  );
  const record = prefill({}, view, facts);
  record.adoptionReport = reports.filter((r) => !r.imported).map((r) => r.text).join('\n') || undefined;
  return { record, facts, reports };
}
