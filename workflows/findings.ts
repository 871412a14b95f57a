/**
 * Applicability as a reasoned finding (Decree 713 Art. 10; domain invariant 10): which conditional
 * steps apply is decided by the office acting for the decision body, on grounds the law names,
 * and revisited when the facts change; the legality review body can reopen a step it finds
 * wrongly skipped (Art. 27(2)). The gateway facts of a definition follow from the findings.
 */
import { APPLICABILITY, articleCitation, CONDITIONAL_KINDS, FACT_OF_KIND, FULL_PROCEDURE_KINDS, GROUNDS, KINDS, reasonOf, type ConditionalKind, type FullProcedureKind, type GroundCode } from '../definitions/statute';
import { leaveTask, reopenTask, type EngineContext } from './engine';
import type { Finding, Reason, WorkflowState } from './model';
import type { FindingInput } from './records';

/** The elements of one step kind in this decision's definition. */
export function elementsOfKind(ws: WorkflowState, kind: string): string[] {
  return Object.values(ws.input.procedure.elements)
    .filter((e) => e.step?.kind === kind)
    .map((e) => e.id);
}

export const isConditionalKind = (kind: string | undefined): kind is ConditionalKind => (CONDITIONAL_KINDS as readonly string[]).includes(kind ?? '');

/**
 * The facts the definition's gateways read: the drafting unit's proposal until the office has
 * found otherwise, then the findings.
 */
export function effectiveFacts(ws: WorkflowState): Record<string, boolean> {
  const facts: Record<string, boolean> = { ...(ws.input.facts as Record<string, boolean>), publicationWithheld: Boolean(ws.input.facts.nonDisclosable) };
  for (const kind of CONDITIONAL_KINDS) {
    const f = ws.findings[kind];
    if (!f) continue;
    const { fact, whenApplies } = FACT_OF_KIND[kind];
    facts[fact] = f.applies ? whenApplies : !whenApplies;
  }
  for (const [k, m] of Object.entries(ws.matter)) if (m) facts[k] = m.value;
  // A decision linked to a catalogue item is one, whatever the proposal said (Art. 3(3)).
  if (ws.catalogue) facts.catalogueItem = true;
  return facts;
}

const groundLabel = (g: string | undefined) => (g && g in GROUNDS ? GROUNDS[g as GroundCode] : { zh: g ?? '（未选择）', en: g ?? '(none chosen)' });

/** What the statute says about one finding: a "not applicable" needs a named ground, reasons and, for some grounds, the basis. */
export function findingReasons(kind: ConditionalKind, f: FindingInput): Reason[] {
  if (f.applies) return [];
  const spec = APPLICABILITY[kind];
  const step = KINDS[kind];
  const out: Reason[] = [];
  const allowed = { zh: spec.grounds.map((g) => GROUNDS[g].zh).join('；'), en: spec.grounds.map((g) => GROUNDS[g].en).join('; ') };
  if (!f.ground || !(spec.grounds as readonly string[]).includes(f.ground)) out.push(reasonOf('GROUND_NOT_RECOGNISED', { article: spec.article, step, grounds: allowed, ground: groundLabel(f.ground) }));
  if (!f.reasons || f.reasons.trim().length < 5) out.push(reasonOf('FINDING_REASONS_MISSING', { step }));
  const g = f.ground && f.ground in GROUNDS ? GROUNDS[f.ground as GroundCode] : undefined;
  if (g?.needsBasis && !f.basis) out.push(reasonOf('GROUND_BASIS_MISSING', { article: spec.article, ground: g, basis: g.basis }));
  return out;
}

const isFullProcedureKind = (kind: string): kind is FullProcedureKind => (FULL_PROCEDURE_KINDS as readonly string[]).includes(kind);

/** Has the decision body exempted this step from the full-procedure policy? */
export const exempted = (ws: WorkflowState, kind: FullProcedureKind) => ws.exemptions.some((e) => e.kinds.includes(kind));

/**
 * Ningxia practice as a deployment policy: a decision carrying out a catalogue item performs all
 * five procedures, so of the conditional ones none may be found not applicable unless the decision
 * body has recorded an exemption for it. `kinds` are those about to be found not applicable.
 */
export function fullProcedureReasons(ws: WorkflowState, kinds: readonly string[], link = ws.catalogue): Reason[] {
  if (!link?.fullProcedure) return [];
  const barred = kinds.filter(isFullProcedureKind).filter((k) => !exempted(ws, k));
  if (!barred.length) return [];
  const steps = { zh: barred.map((k) => KINDS[k].zh).join('、'), en: barred.map((k) => KINDS[k].en).join(', ') };
  return [reasonOf('CATALOGUE_FULL_PROCEDURE', { year: link.year, item: link.itemId, steps }, barred.flatMap((k) => elementsOfKind(ws, k)))];
}

/** The conditional steps the office has found not applicable so far. */
export const foundNotApplicable = (ws: WorkflowState): ConditionalKind[] => CONDITIONAL_KINDS.filter((k) => ws.findings[k]?.applies === false);

/** The findings at initiation: one per conditional step the definition has, each lawful, and consistent. */
export function initiationFindingReasons(ws: WorkflowState, applicability: Record<string, FindingInput>): Reason[] {
  const out: Reason[] = [];
  for (const kind of CONDITIONAL_KINDS) {
    const f = applicability[kind];
    if (!f) {
      if (elementsOfKind(ws, kind).length) out.push(reasonOf('FINDING_MISSING', { step: KINDS[kind] }));
      continue;
    }
    out.push(...findingReasons(kind, f));
  }
  out.push(...fullProcedureReasons(ws, CONDITIONAL_KINDS.filter((k) => applicability[k]?.applies === false)));
  // A matter exempt from public participation is non-disclosable, so it is not published either (Arts. 14, 32).
  const pp = applicability['public-participation'];
  if (pp && !pp.applies && applicability.publication?.applies) out.push(reasonOf('FINDINGS_INCONSISTENT'));
  return out;
}

/** Has a legality review given its opinion on the procedure as it stands (then findings are fixed)? */
export function legalityReviewed(ws: WorkflowState): boolean {
  return elementsOfKind(ws, 'legality-review').some((id) => ws.engine.elements[id].status === 'completed');
}

/** A legality review element that holds a token (enabled or active), if any. */
export function openLegalityReview(ws: WorkflowState): string | undefined {
  return elementsOfKind(ws, 'legality-review').find((id) => ['enabled', 'active'].includes(ws.engine.elements[id].status));
}

/** Conditional steps reopened outside the drawn path and not yet done: the review waits for them. */
export function openReopenedSteps(ws: WorkflowState): string[] {
  const detours = ws.engine.detours ?? {};
  return Object.keys(detours).filter((id) => ['enabled', 'active'].includes(ws.engine.elements[id]?.status));
}

const SKIPPED = new Set(['bypassed', 'not-applicable']);

/** Why a revision of a conditional step's finding cannot be made now (the statute's side; the data's is findingReasons). */
export function revisionReasons(ws: WorkflowState, kind: ConditionalKind, applies: boolean): Reason[] {
  if (legalityReviewed(ws)) return [reasonOf('FINDING_LOCKED')];
  const current = ws.findings[kind];
  if (current && current.applies === applies) return [reasonOf('FINDING_UNCHANGED', { step: KINDS[kind] })];
  if (!applies) {
    const done = elementsOfKind(ws, kind).filter((id) => ws.engine.elements[id].status === 'completed');
    if (done.length) return [reasonOf('STEP_ALREADY_PERFORMED', { step: KINDS[kind] })];
  }
  return [];
}

/**
 * Make the engine agree with a changed finding: a step found applicable after being skipped is
 * reopened (sending an open legality review back to wait for it); a step found not applicable
 * while open is closed as such. Steps not yet reached follow the new facts at their gateway.
 */
export function enactFinding(ws: WorkflowState, kind: ConditionalKind, finding: Finding, ctx: EngineContext) {
  ws.findings[kind] = finding;
  const p = ws.input.procedure;
  for (const id of elementsOfKind(ws, kind)) {
    const st = ws.engine.elements[id];
    if (finding.applies && SKIPPED.has(st.status)) reopenTask(p, ws.engine, id, openLegalityReview(ws) ?? null, ctx);
    else if (!finding.applies && (st.status === 'enabled' || st.status === 'active')) leaveTask(p, ws.engine, id, finding.by, 'not-applicable', 'not-applicable', ctx);
  }
}

/** Why the legality review body cannot reopen this step now (Art. 27(2)). */
export function reopenReasons(ws: WorkflowState, stepId: string): Reason[] {
  const e = ws.input.procedure.elements[stepId];
  const kind = e?.step?.kind;
  if (!isConditionalKind(kind)) return [reasonOf('STEP_MANDATORY', { article: articleCitation(e?.step?.article ?? '27'), step: { zh: e?.name ?? stepId, en: kind ? KINDS[kind as keyof typeof KINDS].en : stepId } })];
  // Skipped already, or not reached yet but found not applicable (congress, publication).
  const status = ws.engine.elements[stepId].status;
  if (!SKIPPED.has(status) && !(status === 'locked' && ws.findings[kind]?.applies === false)) return [reasonOf('REOPEN_NOT_SKIPPED', { step: { zh: e.name, en: KINDS[kind].en } })];
  if (!openLegalityReview(ws)) return [reasonOf('REOPEN_NOT_IN_REVIEW')];
  return [];
}
