/**
 * The numbers of 合法性审查意见书: 〔2026〕第N号, counted per agency and year in the order the
 * opinions are given, each opinion numbered once. A number is claimed by the one writer that
 * created the opinion's entry (insert-once), so retried or racing projections never take two
 * numbers for one opinion, and the count has no gaps unless a writer dies between claim and count.
 */
import { chinaDate } from '../workflows/time';
import type { Models } from './models';
import { nextSeq } from './paged-log';
import { isDuplicateKey } from './models';

export interface OpinionNumber {
  year: number;
  number: number;
  /** 〔2026〕第3号 */
  text: string;
}

export const opinionNumberText = (year: number, n: number) => `〔${year}〕第${n}号`;

/** The sequence of an agency's opinions in a year. */
const sequenceOf = (agency: string, year: number) => `legality-opinion:${agency}:${year}`;

/** A writer that claimed an entry and died leaves it without a number; after this long another finishes it. */
const STALE_CLAIM_MS = 30_000;

/**
 * The number of the legality opinion recorded at `recordSeq` of a decision, assigned now if it has
 * none. `at` dates the opinion (its year is the number's year).
 */
export async function numberOpinion(models: Models, decisionId: string, recordSeq: number, agency: string, at: Date): Promise<OpinionNumber> {
  const _id = `${decisionId}:${recordSeq}`;
  const year = Number(chinaDate(at.getTime()).slice(0, 4));
  let claimed = false;
  try {
    await models.OpinionNumber.create({ _id, decisionId, agency, year, number: null, createdAt: new Date() });
    claimed = true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  for (let attempt = 0; ; attempt++) {
    const doc = await models.OpinionNumber.findById(_id).lean();
    if (doc?.number) return { year: doc.year, number: doc.number, text: opinionNumberText(doc.year, doc.number) };
    const stale = doc && Date.now() - doc.createdAt.getTime() > STALE_CLAIM_MS;
    if (claimed || stale) {
      const n = await nextSeq(models, sequenceOf(agency, year));
      const r = await models.OpinionNumber.updateOne({ _id, number: null }, { $set: { number: n } });
      if (r.modifiedCount) return { year, number: n, text: opinionNumberText(year, n) };
      claimed = false;
      continue;
    }
    if (attempt > 100) throw new Error(`legality opinion ${_id} has no number yet`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Number every completed legality review among these records (the projection calls it). */
export async function numberLegalityOpinions(models: Models, decisionId: string, agency: string, records: readonly { seq: number; kind: string; action: string; at: number }[]): Promise<void> {
  for (const r of records) if (r.kind === 'legality-review' && r.action === 'complete') await numberOpinion(models, decisionId, r.seq, agency, new Date(r.at));
}

/** The numbers a decision's opinions have, by record seq. */
export async function opinionNumbersOf(models: Models, decisionId: string): Promise<Map<number, OpinionNumber>> {
  const docs = await models.OpinionNumber.find({ decisionId }).lean();
  return new Map(docs.filter((d) => d.number).map((d) => [Number(d._id.slice(d._id.lastIndexOf(':') + 1)), { year: d.year, number: d.number!, text: opinionNumberText(d.year, d.number!) }]));
}
