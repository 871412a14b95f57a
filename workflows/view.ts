/** Builds the query view of a decision from workflow state (pure). */
import { addWorkingDays } from './calendar';
import { effectiveFacts, isConditionalKind } from './findings';
import { checkAction, chinaDate, lockReasons } from './guards';
import type { DecisionView, ElementView, StepActionKind, WorkflowState } from './model';

/**
 * A step's due date comes from the definition: the working days of a timer on its boundary
 * (a local policy setting, e.g. 15 working days for legality review), counted from when the
 * step opened, start day not counted (Civil Code Art. 201).
 */
function boundaryWorkingDays(p: WorkflowState['input']['procedure'], id: string): number | undefined {
  for (const b of p.elements[id].boundary ?? []) {
    const days = p.elements[b].timer?.workingDays;
    if (days) return days;
  }
  return undefined;
}

export function buildView(ws: WorkflowState, now: number): DecisionView {
  const p = ws.input.procedure;
  const today = chinaDate(now);
  const elements: Record<string, ElementView> = {};
  for (const e of Object.values(p.elements)) {
    const st = ws.engine.elements[e.id];
    const v: ElementView = {
      id: e.id,
      type: e.type,
      name: e.name,
      ...(e.step
        ? { kind: e.step.kind, article: e.step.article, role: e.step.role, record: e.step.record, conditional: e.step.conditional, returnable: e.step.returnable }
        : {}),
      status: st.status,
      overdue: st.overdue,
      visits: st.visits,
      enabledAt: st.enabledAt,
      startedAt: st.startedAt,
      startedBy: st.startedBy,
      completedAt: st.completedAt,
      completedBy: st.completedBy,
      outcome: st.outcome,
      lockReasons: e.step ? lockReasons(ws, e.id, today) : [],
      allowedActions: [],
    };
    if (e.step) {
      v.allowedActions = (['start', 'complete', 'return'] as StepActionKind[]).filter((a) => {
        const r = checkAction(ws, { action: a, stepId: e.id, actor: '', data: {}, occurredOn: ws.import?.open ? ws.import.lastOn : undefined }, now, { offer: true });
        // complete/return need data: allowed when only the data is missing.
        return r.kind === 'ok' || (r.kind === 'invalid' && a !== 'start') || (r.kind === 'blocked' && a === 'complete' && st.status === 'active');
      });
      if (isConditionalKind(e.step.kind) && ws.findings[e.step.kind]) v.finding = ws.findings[e.step.kind];
      const last = [...ws.records].reverse().find((r) => r.elementId === e.id);
      if (last?.imported) v.imported = true;
      if (ws.engine.detours && e.id in ws.engine.detours) v.reopened = true;
      const days = boundaryWorkingDays(p, e.id);
      if (days && (st.status === 'active' || st.status === 'enabled') && st.enabledAt) {
        const due = addWorkingDays(ws.input.calendar, chinaDate(st.enabledAt), days);
        v.due = due;
        if (due.date < today) v.overdue = true;
      }
    }
    elements[e.id] = v;
  }
  const current = ws.drafts.length ? ws.drafts[ws.drafts.length - 1] : null;
  return {
    decisionId: ws.input.decisionId,
    meta: ws.input.meta,
    facts: ws.input.facts,
    procedure: { key: p.key, version: p.version, hash: p.hash, name: p.name },
    status: ws.engine.incidents.length ? 'incident' : ws.engine.completed ? 'completed' : 'in-progress',
    incidents: ws.engine.incidents,
    createdAt: ws.createdAt,
    updatedAt: ws.audit.length ? ws.audit[ws.audit.length - 1].at : ws.createdAt,
    seq: ws.seq,
    currentDraft: current,
    drafts: ws.drafts,
    currentSteps: Object.values(elements)
      .filter((v) => v.type === 'userTask' && (v.status === 'enabled' || v.status === 'active'))
      .map((v) => v.id),
    elements,
    takenFlows: Object.keys(ws.engine.takenFlows),
    records: ws.records,
    findings: ws.findings,
    matter: ws.matter,
    effectiveFacts: effectiveFacts(ws),
    consultations: ws.consultations,
    hearings: ws.hearings,
    opinions: ws.opinions,
    materials: ws.materials,
    meeting: ws.meeting,
    execution: ws.execution,
    adjustedBy: ws.adjustedBy,
    import: ws.import,
    catalogue: ws.catalogue,
    exemptions: ws.exemptions,
  };
}
