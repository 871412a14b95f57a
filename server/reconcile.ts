/**
 * `juece reconcile`: compare every decision's workflow — the truth — with the read model, and
 * repair what differs. The repair is the projection itself, run with everything the workflow
 * holds: audit events and records are insert-once by seq and the summary replaces only an older
 * one, so repairing twice, or while the workflows keep projecting, changes nothing that is right.
 */
import type { Client } from '@temporalio/client';
import { createActivities } from '../activities';
import type { Models } from '../activities/models';
import { projectionQuery } from '../workflows/handles';
import type { ProjectionDelta } from '../workflows/model';

export interface ReconcileReport {
  decisions: number;
  /** Decisions whose read model lagged or missed something, with what. */
  repaired: { decisionId: string; summarySeq: [stored: number | null, truth: number]; missingAudit: number; missingRecords: number }[];
  /** Workflows that could not be read (e.g. a worker cannot replay them). */
  unreadable: { workflowId: string; error: string }[];
}

/**
 * Reconcile every decision of the namespace — of one task queue when `taskQueue` is given (one
 * deployment's decisions, when several share a namespace); `dryRun` only reports.
 */
export async function reconcile(client: Client, models: Models, o: { dryRun?: boolean; taskQueue?: string; log?: (line: string) => void } = {}): Promise<ReconcileReport> {
  const activities = createActivities({ models });
  const report: ReconcileReport = { decisions: 0, repaired: [], unreadable: [] };
  const query = `WorkflowType = 'decisionProcedure'${o.taskQueue ? ` AND TaskQueue = '${o.taskQueue.replace(/'/g, "''")}'` : ''}`;
  for await (const wf of client.workflow.list({ query })) {
    report.decisions += 1;
    const decisionId = wf.workflowId.replace(/^decision-/, '');
    let truth: ProjectionDelta;
    try {
      truth = await client.workflow.getHandle(wf.workflowId, wf.runId).query(projectionQuery);
    } catch (err) {
      report.unreadable.push({ workflowId: wf.workflowId, error: String((err as Error)?.message ?? err) });
      continue;
    }
    const [stored, audit, records] = await Promise.all([
      models.Decision.findById(decisionId, { seq: 1 }).lean(),
      models.AuditEvent.distinct('seq', { decisionId, result: 'accepted' }),
      models.StepRecord.distinct('seq', { decisionId }),
    ]);
    const haveAudit = new Set(audit as number[]);
    const haveRecords = new Set(records as number[]);
    const missingAudit = truth.audit.filter((a) => !haveAudit.has(a.seq)).length;
    const missingRecords = truth.records.filter((r) => !haveRecords.has(r.seq)).length;
    const stale = !stored || stored.seq < truth.summary.seq;
    if (!stale && !missingAudit && !missingRecords) continue;
    report.repaired.push({ decisionId, summarySeq: [stored?.seq ?? null, truth.summary.seq], missingAudit, missingRecords });
    o.log?.(`${decisionId}: read model at seq ${stored?.seq ?? '—'} of ${truth.summary.seq}, ${missingAudit} audit event(s) and ${missingRecords} record(s) missing${o.dryRun ? '' : ' — repaired'}`);
    if (!o.dryRun) await activities.projectDecision(truth);
  }
  return report;
}
