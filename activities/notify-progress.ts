/**
 * How far a decision's notifications have caught up: the seq of the latest change the notifier has
 * told people about. Kept in its own counters document rather than on the decision's list
 * document, which the projection rewrites: on FerretDB an update rewrites the whole document, so
 * two writers of one document can undo each other (activities/in-turn.ts).
 */
import { inTurn } from './in-turn';
import type { Models } from './models';

const key = (decisionId: string) => `notified:${decisionId}`;

/** Record that the notifier has told everyone about change `seq` (and so about every earlier one). */
export async function markNotified(models: Models, decisionId: string, seq: number): Promise<void> {
  await inTurn(models, models.Counter, key(decisionId), () => models.Counter.updateOne({ _id: key(decisionId) }, { $max: { seq } }, { upsert: true }));
}

/** The seq of the latest change the notifier has told people about (0 before the first). */
export async function notifiedUpTo(models: Models, decisionId: string): Promise<number> {
  return (await models.Counter.findById(key(decisionId), { seq: 1 }).lean())?.seq ?? 0;
}
