/** Activities: the side effects of the procedure, built from their dependencies. */
import type { AuditEvent, DecisionView, ServiceTaskInput, StepRecord } from '../workflows/model';
import { isDuplicateKey, type Models } from './models';
import { notifyEnabledSteps, notifyOverdueSteps, notifyStatementConfirmations } from './notify';

/**
 * Insert-once documents ($setOnInsert upserts) written by two overlapping projections can race
 * to insert; the loser's duplicate-key error means the document is already there, as wanted.
 * (MongoDB retries such upserts itself; FerretDB reports them.)
 */
async function insertOnce(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code?: number }[] }).writeErrors;
    const onlyDuplicates = isDuplicateKey(err) && (!writeErrors || writeErrors.every((w) => w.code === 11000));
    if (!onlyDuplicates) throw err;
  }
}

/**
 * An upsert that lost a race to insert the same _id fails with a duplicate key on FerretDB
 * (MongoDB retries it itself); run it once more, when it matches the document now there.
 */
async function upsertRetrying(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await run();
  }
}

export interface ProjectionInput {
  view: DecisionView;
  audit: AuditEvent[];
  records: StepRecord[];
}

/** Build the activities with their dependencies injected (the worker opens the store once). */
export function createActivities({ models }: { models: Models }) {
  const { Decision, DecisionView, AuditEvent: Audit, StepRecord: Record, Archive, Probe } = models;

  return {
    /** Write the decision's state, new step records and audit events; idempotent and ordered by seq. */
    async projectDecision({ view, audit, records }: ProjectionInput): Promise<void> {
      const id = view.decisionId;
      if (audit.length)
        await insertOnce(() => Audit.bulkWrite(
          audit.map((a) => ({
            updateOne: {
              filter: { _id: `${id}:${a.seq}` },
              update: { $setOnInsert: { decisionId: id, seq: a.seq, at: new Date(a.at), actor: a.actor, action: a.action, stepId: a.stepId, result: 'accepted', summary: a.summary, ...(a.occurredOn ? { occurredOn: a.occurredOn } : {}) } },
              upsert: true,
            },
          })),
          { ordered: false },
        ));
      if (records.length)
        await insertOnce(() => Record.bulkWrite(
          records.map((r) => ({
            updateOne: {
              filter: { _id: `${id}:${r.seq}` },
              update: { $setOnInsert: { ...r, decisionId: id, at: new Date(r.at) } },
              upsert: true,
            },
          })),
          { ordered: false },
        ));
      const doc = {
        seq: view.seq,
        title: view.meta.title,
        agency: view.meta.agency,
        draftingUnit: view.meta.draftingUnit,
        category: view.meta.category,
        status: view.status,
        currentSteps: view.currentSteps,
        currentKinds: [...new Set(view.currentSteps.map((s) => view.elements[s].kind).filter(Boolean))],
        overdue: Object.values(view.elements).some((e) => e.overdue && (e.status === 'enabled' || e.status === 'active')),
        procedure: view.procedure,
        createdAt: new Date(view.createdAt),
        updatedAt: new Date(view.updatedAt),
      };
      // Only a newer state replaces an older one: a late retry of an old projection changes nothing.
      // The workflow issues projections one at a time, so read-then-write does not race; filtering
      // by _id alone keeps FerretDB on its primary key (a combined seq filter scanned the collection).
      const current = await DecisionView.findById(id, { seq: 1 }).lean();
      if (current && current.seq > view.seq) return;
      await upsertRetrying(() => DecisionView.updateOne({ _id: id }, { $set: { seq: view.seq, view } }, { upsert: true }));
      await upsertRetrying(() => Decision.updateOne({ _id: id }, { $set: doc }, { upsert: true }));
      // Every change carries its audit event, stamped with the time the engine enabled the steps
      // it reached: steps enabled since the earliest event here are the ones this change opened.
      // A retry carries the same events, and notifications are insert-once.
      if (audit.length) await notifyEnabledSteps(models, view, Math.min(...audit.map((a) => a.at)));
      // Minutes recorded: each speaker is asked to confirm their own statement (Art. 30).
      const minutes = audit.filter((a) => a.action === 'minutes' && a.stepId).at(-1);
      if (minutes) await notifyStatementConfirmations(models, view, minutes.stepId!);
    },

    /** Service task: seal the archive of the decision file (Decree 713 Art. 33). */
    async sealArchive({ decisionId, view }: ServiceTaskInput): Promise<void> {
      await Archive.updateOne(
        { _id: decisionId },
        { $setOnInsert: { decisionId, sealedAt: new Date(), dossier: { meta: view.meta, facts: view.facts, procedure: view.procedure, drafts: view.drafts, records: view.records } } },
        { upsert: true },
      );
    },

    /** Service task: tell everyone who may act on the overdue step (and advisers intervening early) that it is overdue. */
    async notifyOverdue({ view }: ServiceTaskInput): Promise<void> {
      await notifyOverdueSteps(models, view);
    },

    /** Foundation smoke test: proves worker → activity → store. */
    async writeProbe({ id, note }: { id: string; note: string }): Promise<void> {
      await Probe.updateOne({ _id: id }, { $set: { note, writtenAt: new Date() } }, { upsert: true });
    },
  };
}
export type Activities = ReturnType<typeof createActivities>;
