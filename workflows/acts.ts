/**
 * Acts on a decision besides step actions: draft versions, the draft's materials and step
 * evidence, people's opinions, and the events of a procedure — findings revised, a skipped step
 * reopened, a consultation opened, the meeting's minutes and each member's confirmation,
 * execution problems and suspension, an adjustment linked, an import ended. Each has a check
 * (the validator's, pure) and an apply (the handler's, after the check accepted it).
 */
import { KINDS, MATTER_FACTS, reasonOf, type ConditionalKind, type MatterFact } from '../definitions/statute';
import { addCalendarDays } from './calendar';
import { enactFinding, elementsOfKind, exempted, findingReasons, foundNotApplicable, fullProcedureReasons, isConditionalKind, openLegalityReview, reopenReasons, revisionReasons } from './findings';
import { applyHearingEvent, checkHearingEvent } from './hearings';
import { minutesReasons } from './meeting';
import type { DraftInput, EventInput, Finding, MaterialInput, OpinionInput, Reason, WorkflowState } from './model';
import type { FieldIssue } from './messages';
import { audit, engineContext, noteImported, openDraftStep } from './state';
import { actTime, backfillReasons, chinaDate, declaredDateProblems } from './time';

/** The verdict on an act: accepted, a harmless repeat, refused under the statute, or malformed. */
export type ActCheck = { kind: 'ok' } | { kind: 'repeat' } | { kind: 'blocked'; reasons: Reason[] } | { kind: 'invalid'; issues: FieldIssue[] };

const ok: ActCheck = { kind: 'ok' };
const blocked = (...reasons: Reason[]): ActCheck => (reasons.length ? { kind: 'blocked', reasons } : ok);

/** What every act faces first: a closed decision, and the import's dating rules. */
function common(ws: WorkflowState, occurredOn: string | undefined, now: number, allowLive = false): ActCheck | null {
  if (ws.engine.completed) return blocked(reasonOf('DECISION_CLOSED'));
  const b = backfillReasons(ws, occurredOn, now);
  if (b.issues.length && !allowLive) return { kind: 'invalid', issues: b.issues };
  if (b.reasons.length) return blocked(...b.reasons);
  return null;
}

const isOpen = (ws: WorkflowState, id: string) => ['enabled', 'active'].includes(ws.engine.elements[id]?.status);
const activeOfKind = (ws: WorkflowState, kind: string) => elementsOfKind(ws, kind).find((id) => ws.engine.elements[id].status === 'active');
const current = (ws: WorkflowState) => ws.drafts.at(-1) ?? null;

/** Has the current draft version been through a completed legality review? */
function currentDraftReviewed(ws: WorkflowState): boolean {
  const d = current(ws);
  return Boolean(d && ws.records.some((r) => r.kind === 'legality-review' && r.action === 'complete' && r.draftHash === d.hash));
}

// ——— Drafts and materials ———

export function checkDraft(ws: WorkflowState, d: DraftInput, now: number): ActCheck {
  const c = common(ws, d.occurredOn, now);
  if (c) return c;
  const last = current(ws);
  if (last?.hash === d.hash) return last.addedBy === d.actor && openDraftStep(ws) ? { kind: 'repeat' } : { kind: 'invalid', issues: [issueOf('content', reasonOf('DRAFT_UNCHANGED'))] };
  if (!openDraftStep(ws)) return blocked(reasonOf('DRAFT_LOCKED'));
  return ok;
}

/**
 * A file of the decision. Draft material is added only while drafting or a revision is open, and
 * never to a version the legality review has covered (Art. 25: what was reviewed stays reviewed);
 * step evidence only while its step is open (Art. 33: a completed step's record is fixed).
 */
export function checkMaterial(ws: WorkflowState, m: MaterialInput, now: number): ActCheck {
  const c = common(ws, m.occurredOn, now);
  if (c) return c;
  if (ws.materials.some((x) => x.id === m.id)) return { kind: 'repeat' };
  if (m.stepId !== null) {
    const e = ws.input.procedure.elements[m.stepId];
    if (!e?.step) return { kind: 'invalid', issues: [{ path: 'stepId', message: `没有环节${m.stepId}。`, en: `No step ${m.stepId}.` }] };
    return isOpen(ws, m.stepId) ? ok : blocked(reasonOf('EVIDENCE_STEP_CLOSED', { step: { zh: e.name, en: KINDS[e.step.kind].en } }));
  }
  const d = current(ws);
  if (!d || d.version !== m.draftVersion) return { kind: 'invalid', issues: [{ path: 'draftVersion', message: `草案材料只能附在当前草案（第${d?.version ?? 0}稿）上。`, en: `Draft material attaches to the current draft version (${d?.version ?? 0}).` }] };
  if (openDraftStep(ws)) return ok;
  return blocked(currentDraftReviewed(ws) ? reasonOf('MATERIAL_AFTER_REVIEW', { version: d.version }) : reasonOf('DRAFT_LOCKED'));
}

export function applyMaterial(ws: WorkflowState, m: MaterialInput, now: number) {
  const at = actTime(m.occurredOn, now);
  ws.materials.push({ id: m.id, sha256: m.sha256, filename: m.filename, size: m.size, draftVersion: m.draftVersion, stepId: m.stepId, by: m.actor, at });
  noteImported(ws, m.occurredOn);
  const what = m.stepId ? `evidence of ${m.stepId}` : `material of draft version ${m.draftVersion}`;
  audit(ws, { actor: m.actor, action: 'attachment', stepId: m.stepId ?? undefined, summary: `${what}: "${m.filename}" (${m.size} bytes, sha256 ${m.sha256.slice(0, 12)})`, occurredOn: m.occurredOn }, now);
}

// ——— Opinions (Arts. 19-20, 28) ———

/** A person's own opinion on a draft version; an expert affirms having no direct interest (Art. 20). */
export function checkOpinion(ws: WorkflowState, o: OpinionInput, now: number): ActCheck {
  const c = common(ws, o.occurredOn, now);
  if (c) return c;
  if (ws.opinions.some((x) => x.id === o.id)) return { kind: 'repeat' };
  if (!ws.drafts.some((d) => d.version === o.draftVersion))
    return { kind: 'invalid', issues: [{ path: 'draftVersion', message: `没有第${o.draftVersion}稿。`, en: `There is no draft version ${o.draftVersion}.` }] };
  if (o.capacity === 'expert' && o.noDirectInterest === undefined) return { kind: 'invalid', issues: [issueOf('noDirectInterest', reasonOf('INTEREST_UNDECLARED'))] };
  if (o.capacity === 'expert' && !o.noDirectInterest) return blocked(reasonOf('EXPERT_HAS_DIRECT_INTEREST', { name: o.authorName }));
  return ok;
}

export function applyOpinion(ws: WorkflowState, o: OpinionInput, now: number) {
  const { actor, occurredOn, ...ref } = o;
  ws.opinions.push({ ...ref, at: actTime(occurredOn, now) });
  noteImported(ws, occurredOn);
  const how = o.source === 'signed-document' ? ` (signed document put on file by ${o.recordedBy})` : '';
  audit(ws, { actor, action: 'opinion', summary: `${o.capacity} opinion of ${o.authorName} on draft version ${o.draftVersion}${how}`, occurredOn }, now);
}

// ——— Events ———

export function checkEvent(ws: WorkflowState, ev: EventInput, now: number): ActCheck {
  const c = common(ws, ev.occurredOn, now, ev.type === 'import-ended' || ev.type === 'catalogue-linked');
  if (c) return c;
  const at = actTime(ev.occurredOn, now);
  switch (ev.type) {
    case 'finding': {
      if ('matter' in ev) return ws.matter[ev.matter]?.value === ev.value ? blocked(reasonOf('FINDING_UNCHANGED', { step: MATTER_FACTS[ev.matter] })) : ok;
      const why = revisionReasons(ws, ev.kind, ev.applies);
      return blocked(...why, ...(why.length ? [] : [...findingReasons(ev.kind, ev), ...(ev.applies ? [] : fullProcedureReasons(ws, [ev.kind]))]));
    }
    case 'reopen':
      return blocked(...reopenReasons(ws, ev.stepId));
    case 'consultation-opened': {
      const pp = activeOfKind(ws, 'public-participation');
      if (!pp) return blocked(reasonOf('STEP_NOT_STARTED', { article: KINDS['public-participation'].article, step: KINDS['public-participation'] }));
      // Art. 15: the period runs from today, when the consultation opens in the system.
      const opensOn = chinaDate(at);
      const min = addCalendarDays(ws.input.calendar, opensOn, 30).date;
      if (ev.closesOn <= opensOn || (ev.closesOn < min && !ev.shorteningReason)) return blocked(reasonOf('CONSULTATION_TOO_SHORT', { opensOn, minClose: min }));
      return ok;
    }
    case 'minutes': {
      const cd = activeOfKind(ws, 'collective-decision');
      if (!cd || !ws.meeting) return blocked(reasonOf('STEP_NOT_STARTED', { article: KINDS['collective-decision'].article, step: KINDS['collective-decision'] }));
      const dates = declaredDateProblems(ws, ev.minutes, ws.engine.elements[cd].enabledAt, at);
      if (dates.issues.length) return { kind: 'invalid', issues: dates.issues.map((i) => ({ ...i, path: `minutes.${i.path}` })) };
      return blocked(...dates.reasons, ...minutesReasons(ws, ev.minutes));
    }
    case 'confirm': {
      const m = ws.meeting?.minutes;
      if (!m || !activeOfKind(ws, 'collective-decision')) return blocked(reasonOf('MINUTES_MISSING'));
      if (!m.statements.some((s) => s.speaker === ev.username)) return blocked(reasonOf('NOT_A_SPEAKER'));
      const prior = ws.meeting!.confirmations[ev.username];
      if (prior && prior.minutesVersion === m.version && prior.confirm === Boolean(ev.confirm) && (prior.dispute ?? null) === (ev.dispute ?? null)) return { kind: 'repeat' };
      return ok;
    }
    case 'problem-reported':
      return elementsOfKind(ws, 'implementation').some((id) => isOpen(ws, id)) ? ok : blocked(reasonOf('NOT_IN_EXECUTION'));
    case 'suspended':
      if (!elementsOfKind(ws, 'implementation').some((id) => isOpen(ws, id)) && !elementsOfKind(ws, 'post-evaluation').some((id) => isOpen(ws, id))) return blocked(reasonOf('NOT_IN_EXECUTION'));
      return ws.execution.suspended ? blocked(reasonOf('ALREADY_SUSPENDED')) : ok;
    case 'resumed':
      return ws.execution.suspended ? ok : blocked(reasonOf('NOT_SUSPENDED'));
    case 'linked':
      return ws.adjustedBy.some((a) => a.decisionId === ev.decisionId) ? { kind: 'repeat' } : ok;
    case 'import-ended':
      return ws.import?.open ? ok : blocked(reasonOf('BACKFILL_NOT_OPEN'));
    case 'catalogue-linked': {
      if (ws.catalogue) return ws.catalogue.itemId === ev.itemId ? { kind: 'repeat' } : blocked(reasonOf('CATALOGUE_ALREADY_LINKED', { item: ws.catalogue.itemId }));
      // Linked under the full-procedure policy, steps already found not applicable need the decision body's exemption first.
      const link = { ...ev, by: ev.actor, at, source: 'linked' as const };
      return blocked(...fullProcedureReasons(ws, foundNotApplicable(ws), link));
    }
    case 'exemption': {
      if (ev.kinds.every((k) => exempted(ws, k))) return blocked(reasonOf('EXEMPTION_ALREADY_RECORDED', { steps: { zh: ev.kinds.map((k) => KINDS[k].zh).join('、'), en: ev.kinds.map((k) => KINDS[k].en).join(', ') } }));
      return ok;
    }
    case 'hearing-announced':
    case 'hearing-participants':
    case 'hearing-materials-delivered':
    case 'hearing-record-signed':
    case 'hearing-cancelled':
      return checkHearingEvent(ws, ev, at);
  }
}

export function applyEvent(ws: WorkflowState, ev: EventInput, now: number) {
  const at = actTime(ev.occurredOn, now);
  const ctx = engineContext(ws, at);
  let summary = '';
  let stepId: string | undefined;
  switch (ev.type) {
    case 'finding': {
      if ('matter' in ev) {
        ws.matter[ev.matter as MatterFact] = { value: ev.value, reasons: ev.reasons, by: ev.actor, at, source: 'revision' };
        summary = `revised the finding "${ev.matter}" to ${ev.value}: ${ev.reasons}`;
        break;
      }
      const f: Finding = { applies: ev.applies, reasons: ev.reasons, by: ev.actor, at, source: 'revision', ...(ev.applies ? {} : { ground: ev.ground, basis: ev.basis }) };
      enactFinding(ws, ev.kind, f, ctx);
      summary = `revised the finding on ${ev.kind}: ${ev.applies ? 'applies' : `not applicable (${ev.ground})`} — ${ev.reasons}`;
      break;
    }
    case 'reopen': {
      const kind = ws.input.procedure.elements[ev.stepId].step!.kind;
      if (!isConditionalKind(kind)) throw new Error(`${ev.stepId} is not conditional`);
      const review = openLegalityReview(ws);
      enactFinding(ws, kind as ConditionalKind, { applies: true, reasons: ev.reasons, by: ev.actor, at, source: 'reopen' }, ctx);
      stepId = ev.stepId;
      summary = `reopened ${ev.stepId} found wrongly skipped (Art. 27(2))${review ? `; ${review} waits for it` : ''}: ${ev.reasons}`;
      break;
    }
    case 'consultation-opened': {
      const id = `C${ws.consultations.length + 1}`;
      ws.consultations.push({
        id,
        channel: ev.channel,
        opensOn: chinaDate(at),
        openedAt: at,
        closesOn: ev.closesOn,
        shorteningReason: ev.shorteningReason,
        noticeUrl: ev.noticeUrl,
        openedBy: ev.actor,
        ...(ev.occurredOn ? { imported: true } : {}),
        ...(ev.explanation ? { explanation: ev.explanation } : {}),
        ...(ev.requires ? { requires: ev.requires } : {}),
      });
      stepId = activeOfKind(ws, 'public-participation');
      summary = `opened consultation ${id} until ${ev.closesOn}${ev.shorteningReason ? ` (shortened: ${ev.shorteningReason})` : ''}`;
      break;
    }
    case 'minutes': {
      const m = ws.meeting!;
      m.minutes = { ...ev.minutes, version: (m.minutes?.version ?? 0) + 1, by: ev.actor, at };
      stepId = activeOfKind(ws, 'collective-decision');
      summary = `recorded the minutes (version ${m.minutes.version}) of the ${ev.minutes.meetingType} meeting on ${ev.minutes.meetingDate}: ${ev.minutes.decision}`;
      break;
    }
    case 'confirm': {
      const m = ws.meeting!;
      m.confirmations[ev.username] = { at, confirm: Boolean(ev.confirm), ...(ev.dispute ? { dispute: ev.dispute } : {}), minutesVersion: m.minutes!.version };
      stepId = activeOfKind(ws, 'collective-decision');
      summary = ev.confirm ? `${ev.username} confirmed their statement in minutes version ${m.minutes!.version}` : `${ev.username} disputed their statement: ${ev.dispute}`;
      break;
    }
    case 'problem-reported':
      ws.execution.problems.push({ kind: ev.kind, description: ev.description, by: ev.actor, at });
      summary = `reported (Art. 35) ${ev.kind}: ${ev.description}`;
      break;
    case 'suspended':
      ws.execution.suspended = { by: ev.actor, at, reasons: ev.reasons };
      ws.execution.history.push({ event: 'suspended', by: ev.actor, at, reasons: ev.reasons });
      summary = `suspended execution (Art. 37): ${ev.reasons}`;
      break;
    case 'resumed':
      ws.execution.suspended = null;
      ws.execution.history.push({ event: 'resumed', by: ev.actor, at, reasons: ev.reasons });
      summary = `resumed execution: ${ev.reasons}`;
      break;
    case 'linked':
      ws.adjustedBy.push({ decisionId: ev.decisionId, title: ev.title, at });
      summary = `decision ${ev.decisionId} re-runs the procedure to adjust this one (Art. 37)`;
      break;
    case 'import-ended':
      ws.import!.open = false;
      ws.import!.endedAt = now;
      summary = `ended the import (补录); from now on acts are dated by the system`;
      break;
    case 'catalogue-linked':
      ws.catalogue = { itemId: ev.itemId, title: ev.title, year: ev.year, fullProcedure: ev.fullProcedure, by: ev.actor, at, source: 'linked' };
      summary = `linked to catalogue item ${ev.itemId} of ${ev.year} (Art. 3(3))${ev.fullProcedure ? '; all five procedures apply' : ''}`;
      break;
    case 'exemption':
      ws.exemptions.push({ kinds: ev.kinds, reasons: ev.reasons, ...(ev.basis ? { basis: ev.basis } : {}), by: ev.actor, at });
      summary = `exempted ${ev.kinds.join(', ')} from the full-procedure policy: ${ev.reasons}`;
      break;
    case 'hearing-announced':
    case 'hearing-participants':
    case 'hearing-materials-delivered':
    case 'hearing-record-signed':
    case 'hearing-cancelled':
      ({ summary, stepId } = applyHearingEvent(ws, ev, at));
      break;
  }
  noteImported(ws, ev.occurredOn);
  audit(ws, { actor: ev.actor, action: ev.type === 'confirm' && ev.dispute ? 'dispute' : ev.type, stepId, summary, occurredOn: ev.occurredOn }, now);
}

function issueOf(path: string, r: Reason): FieldIssue {
  return { path, message: r.zh, en: r.en };
}

