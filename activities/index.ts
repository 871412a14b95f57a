/** Activities: the side effects of the procedure, built from their dependencies. */
import type { DecisionSummary, NotifyInput, ProjectionDelta, ServiceTaskInput } from '../workflows/model';
import type { Models } from './models';
import { projectCompliance } from './compliance';
import { markNotified } from './notify-progress';
import { writeListEntry } from './decision-index';
import { insertOnce } from './write-once';
import { numberLegalityOpinions } from './opinion-numbers';
import { notifyEnabledSteps, notifyOverdueSteps, notifyStatementConfirmations } from './notify';

/** The read model's list document of a decision: its summary plus the fields lists filter on. */
function decisionDoc(summary: DecisionSummary) {
  return {
    seq: summary.seq,
    title: summary.meta.title,
    agency: summary.meta.agency,
    draftingUnit: summary.meta.draftingUnit,
    category: summary.meta.category,
    status: summary.status,
    currentSteps: summary.openSteps.map((s) => s.id),
    currentKinds: [...new Set(summary.openSteps.map((s) => s.kind))],
    overdue: summary.overdue,
    procedure: summary.procedure,
    createdAt: new Date(summary.createdAt),
    updatedAt: new Date(summary.updatedAt),
    catalogueItem: summary.catalogue?.itemId ?? null,
    summary,
  };
}

/** Build the activities with their dependencies injected (the worker opens the store once). */
export function createActivities({ models }: { models: Models }) {
  const { Decision, AuditEvent: Audit, StepRecord: Record, Archive, NotifyJob, Probe } = models;

  /** A decision's summary as last projected. */
  async function summaryOf(decisionId: string): Promise<DecisionSummary> {
    const doc = await Decision.findById(decisionId, { summary: 1 }).lean();
    if (!doc?.summary) throw new Error(`decision ${decisionId} has no projected summary`);
    return doc.summary as DecisionSummary;
  }

  return {
    /**
     * Write what changed: the audit events and step records since the last projection (insert-once,
     * keyed by seq), the decision's summary (only a newer one replaces an older one), and the
     * change queued for the notifier. The writes are independent, so they go out together.
     */
    async projectDecision({ summary, audit, records, notify }: ProjectionDelta): Promise<void> {
      const id = summary.decisionId;
      const writes: Promise<unknown>[] = [];
      if (audit.length)
        writes.push(
          insertOnce(() =>
            Audit.bulkWrite(
              audit.map((a) => ({
                updateOne: {
                  filter: { _id: `${id}:${a.seq}` },
                  update: { $setOnInsert: { decisionId: id, seq: a.seq, at: new Date(a.at), actor: a.actor, action: a.action, stepId: a.stepId, result: 'accepted', summary: a.summary, ...(a.occurredOn ? { occurredOn: a.occurredOn } : {}) } },
                  upsert: true,
                },
              })),
              { ordered: false },
            ),
          ),
        );
      if (records.length)
        writes.push(
          insertOnce(() =>
            Record.bulkWrite(
              records.map((r) => ({ updateOne: { filter: { _id: `${id}:${r.seq}` }, update: { $setOnInsert: { ...r, decisionId: id, at: new Date(r.at), recordedAt: new Date(r.recordedAt) } }, upsert: true } })),
              { ordered: false },
            ),
          ),
        );
      // The dashboard's figures (activities/compliance.ts), folded from this delta; from the store only
      // when the entry missed earlier ones, so only then does it wait for the writes above.
      const eventsStored = Promise.all(writes);
      eventsStored.catch(() => undefined); // its failure is reported by the writes themselves
      writes.push(projectCompliance(models, { summary, audit, records }, eventsStored));
      // Only a newer state replaces an older one: a late retry of an old projection changes nothing.
      // The workflow issues projections one at a time (workflows/decision.ts chains them), so
      // read-then-write does not race; filtering by _id alone keeps FerretDB on its primary key.
      writes.push(
        (async () => {
          const current = await Decision.findById(id, { seq: 1 }).lean();
          if (current && current.seq > summary.seq) return;
          await writeListEntry(models, id, decisionDoc(summary));
        })(),
      );
      // A legality opinion is numbered when it is given (〔year〕第N号 of the agency, activities/opinion-numbers.ts).
      if (records.some((r) => r.kind === 'legality-review' && r.action === 'complete')) writes.push(numberLegalityOpinions(models, id, summary.meta.agency, records));
      await Promise.all(writes);
      // Queued only once the summary is written: the notifier reads it, and must never find it missing.
      if (notify)
        await insertOnce(() => NotifyJob.updateOne({ _id: `${id}:${summary.seq}` }, { $setOnInsert: { decisionId: id, seq: summary.seq, since: notify.since, minutesRecorded: notify.minutesRecorded, status: 'pending', createdAt: new Date() } }, { upsert: true }));
    },

    /**
     * Tell people what a change means for them: steps it enabled, speakers asked to confirm new
     * minutes. The notifier runs it for each queued change, outside the workflow; notifications are
     * insert-once, so running it twice tells nobody twice.
     */
    async notifyChanges({ decisionId, seq, since, minutesRecorded }: NotifyInput): Promise<void> {
      // The summary as projected now (this change's, or a later one): steps still open are told.
      const summary = await summaryOf(decisionId);
      await notifyEnabledSteps(models, summary, since);
      if (minutesRecorded) await notifyStatementConfirmations(models, summary);
      // How far the notifications have caught up (reconcile and the tests read it).
      await markNotified(models, decisionId, seq);
    },

    /** Service task: seal the archive of the decision file (Decree 713 Art. 33), from the read model the workflow has brought up to date. */
    async sealArchive({ decisionId }: ServiceTaskInput): Promise<void> {
      const summary = await summaryOf(decisionId);
      const records = await Record.find({ decisionId }).sort({ seq: 1 }).lean();
      await Archive.updateOne(
        { _id: decisionId },
        { $setOnInsert: { decisionId, sealedAt: new Date(), dossier: { meta: summary.meta, procedure: summary.procedure, drafts: summary.drafts.versions, findings: summary.findings, records: records.map(({ _id, ...r }) => r) } } },
        { upsert: true },
      );
    },

    /** Service task: tell everyone who may act on the overdue step (and advisers intervening early) that it is overdue. */
    async notifyOverdue({ decisionId }: ServiceTaskInput): Promise<void> {
      await notifyOverdueSteps(models, await summaryOf(decisionId));
    },

    /** Foundation smoke test: proves worker → activity → store. */
    async writeProbe({ id, note }: { id: string; note: string }): Promise<void> {
      await Probe.updateOne({ _id: id }, { $set: { note, writtenAt: new Date() } }, { upsert: true });
    },
  };
}
export type Activities = ReturnType<typeof createActivities>;
