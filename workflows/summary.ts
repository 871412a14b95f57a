/**
 * The decision as the read model keeps it: what lists, queues, dashboards and notifications need
 * — a few KB, whatever the size of the records — computed from workflow state (pure). The whole
 * view is the workflow's query, never a payload: projections carry this summary and what changed.
 */
import { addWorkingDays } from './calendar';
import type { DecisionSummary, OpenStep, WorkflowState } from './model';
import { chinaDate } from './time';

/** The working days of a timer on a step's boundary (e.g. 15 for the legality review), if any. */
export function boundaryWorkingDays(p: WorkflowState['input']['procedure'], id: string): number | undefined {
  for (const b of p.elements[id].boundary ?? []) {
    const days = p.elements[b].timer?.workingDays;
    if (days) return days;
  }
  return undefined;
}

/** An open step's due date: its boundary timer's working days from when it opened (Civil Code Art. 201). */
export function dueOf(ws: WorkflowState, id: string): OpenStep['due'] {
  const st = ws.engine.elements[id];
  const days = boundaryWorkingDays(ws.input.procedure, id);
  if (!days || !st.enabledAt || (st.status !== 'enabled' && st.status !== 'active')) return undefined;
  return addWorkingDays(ws.input.calendar, chinaDate(st.enabledAt), days);
}

export function summaryOf(ws: WorkflowState, now: number): DecisionSummary {
  const p = ws.input.procedure;
  const today = chinaDate(now);
  const openSteps: OpenStep[] = [];
  for (const e of Object.values(p.elements)) {
    const st = ws.engine.elements[e.id];
    if (e.type !== 'userTask' || !e.step || (st.status !== 'enabled' && st.status !== 'active')) continue;
    const due = dueOf(ws, e.id);
    openSteps.push({
      id: e.id,
      name: e.name,
      kind: e.step.kind,
      role: e.step.role,
      status: st.status,
      visits: st.visits,
      enabledAt: st.enabledAt ?? ws.createdAt,
      ...(st.startedBy ? { startedBy: st.startedBy } : {}),
      ...(due ? { due } : {}),
      overdue: st.overdue || Boolean(due && due.date < today),
    });
  }
  const current = ws.drafts.at(-1) ?? null;
  const lastReview = [...ws.records].reverse().find((r) => r.kind === 'legality-review' && (r.action === 'complete' || r.action === 'return'));
  const minutes = ws.meeting?.minutes;
  return {
    decisionId: ws.input.decisionId,
    seq: ws.seq,
    meta: ws.input.meta,
    procedure: { key: p.key, version: p.version, hash: p.hash, name: p.name },
    status: ws.engine.incidents.length ? 'incident' : ws.engine.completed ? 'completed' : 'in-progress',
    createdAt: ws.createdAt,
    updatedAt: ws.audit.length ? ws.audit[ws.audit.length - 1].at : ws.createdAt,
    openSteps,
    overdue: openSteps.some((s) => s.overdue),
    drafts: { current: current?.version ?? null, lastReviewed: lastReview?.draftVersion ?? null, versions: ws.drafts.map((d) => ({ version: d.version, hash: d.hash, title: d.title, addedAt: d.addedAt, addedBy: d.addedBy })) },
    findings: Object.fromEntries(Object.entries(ws.findings).map(([k, f]) => [k, { applies: f!.applies, ...(f!.ground ? { ground: f!.ground } : {}), source: f!.source }])),
    meeting: minutes ? { minutesVersion: minutes.version, meetingType: minutes.meetingType, meetingDate: minutes.meetingDate, speakers: [...new Set(minutes.statements.map((s) => s.speaker))], answered: Object.keys(ws.meeting!.confirmations).filter((u) => ws.meeting!.confirmations[u].minutesVersion === minutes.version) } : null,
    imported: ws.import ? { open: ws.import.open, startedOn: ws.import.startedOn } : null,
    suspended: Boolean(ws.execution.suspended),
    ...(ws.catalogue ? { catalogue: { itemId: ws.catalogue.itemId, year: ws.catalogue.year } } : {}),
  };
}
