/**
 * The handover of a decided matter's file to the archive (Decree 713 Art. 33: 及时完整归档). The
 * statute names no period; local rules use e.g. 30 days after the decision, so the period is a
 * deployment setting (JUECE_ARCHIVE_HANDOVER_DAYS). Decided: the collective decision completed;
 * handed over: the archive step completed.
 */
import { chinaDate } from '../workflows/time';
import type { Models } from './models';

export interface Handover {
  decisionId: string;
  /** When the decision body decided (the collective decision's completion), China date; null before. */
  decidedOn: string | null;
  dueOn: string | null;
  handedOverOn: string | null;
  overdue: boolean;
  days: number;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** One decision's handover deadline, from its step records. */
export async function handoverOf(models: Models, decisionId: string, days: number, now = Date.now()): Promise<Handover> {
  const records = await models.StepRecord.find({ decisionId }, { kind: 1, action: 1, at: 1, seq: 1 }).sort({ seq: 1 }).lean();
  const last = (kind: string) => records.filter((r) => r.kind === kind && r.action === 'complete').at(-1);
  const decided = last('collective-decision');
  const archived = last('archive');
  const decidedOn = decided ? chinaDate(decided.at.getTime()) : null;
  const dueOn = decidedOn ? addDays(decidedOn, days) : null;
  const handedOverOn = archived && decided && archived.seq > decided.seq ? chinaDate(archived.at.getTime()) : null;
  return { decisionId, decidedOn, dueOn, handedOverOn, overdue: Boolean(dueOn && !handedOverOn && chinaDate(now) > dueOn), days };
}

/** Step kinds a decided matter may stand at before its file is handed over. */
const AWAITING_HANDOVER = ['party-report', 'congress', 'publication', 'archive'];

/** Decided matters of these agencies not yet handed over, with their deadlines, latest due first late. */
export async function pendingHandovers(models: Models, agencies: readonly string[], days: number, now = Date.now()) {
  const docs = (
    await Promise.all(agencies.flatMap((agency) => AWAITING_HANDOVER.map((kind) => models.Decision.find({ agency, currentKinds: kind }, { title: 1, agency: 1, draftingUnit: 1 }).lean())))
  ).flat();
  const unique = [...new Map(docs.map((d) => [d._id, d])).values()];
  const out = await Promise.all(unique.map(async (d) => ({ ...(await handoverOf(models, d._id, days, now)), title: d.title, agency: d.agency, draftingUnit: d.draftingUnit })));
  return out.filter((h) => h.decidedOn && !h.handedOverOn).sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueOn ?? '').localeCompare(b.dueOn ?? ''));
}
