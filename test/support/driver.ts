/**
 * Drives a decision's pure state the way the workflow does — every act checked by the same
 * validators and applied by the same transitions — on a clock the test moves, for guard tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCalendar } from '../../definitions/calendars';
import { compileBpmn } from '../../definitions/compiler';
import { applyEvent, applyMaterial, applyOpinion, checkDraft, checkEvent, checkMaterial, checkOpinion, type ActCheck } from '../../workflows/acts';
import { checkAction, type CheckResult } from '../../workflows/guards';
import type { EventInput, OpinionRef, Roster, StepAction, WorkflowState } from '../../workflows/model';
import type { CompiledProcedure } from '../../workflows/procedure';
import { CaseFactsSchema } from '../../workflows/records';
import { applyAction, applyDraft, createState } from '../../workflows/state';

export const TODAY = '2026-11-27';
export const NOW = Date.parse(`${TODAY}T10:00:00+08:00`);

/** The test clock: starts at NOW; `advance` moves it on. */
let now = NOW;
export const clock = () => now;
export function resetClock(at = NOW) {
  now = at;
}
/** Move the clock on by days (and hours). */
export function advance(days: number, hours = 0) {
  now += days * 86_400_000 + hours * 3_600_000;
}

/** The Yinchuan government's meeting roster in the unit tests: a head and four members. */
export const ROSTER: Roster = {
  agency: '银川市人民政府',
  head: { username: 'mayor', name: '市长' },
  members: [
    { username: 'vicemayor', name: '副市长甲' },
    { username: 'vicemayor2', name: '副市长乙' },
    { username: 'secgen', name: '秘书长' },
    { username: 'member4', name: '委员丁' },
  ],
};

let standard: CompiledProcedure | undefined;
export async function standardProcedure(): Promise<CompiledProcedure> {
  standard ??= await compileBpmn(fs.readFileSync(path.join(__dirname, '..', '..', 'definitions', 'major-decision.bpmn'), 'utf8'));
  return standard;
}

export async function newDecision(facts: Partial<Record<string, boolean>> = {}, o: { import?: { reason: string; startedOn: string }; quorum?: number } = {}): Promise<WorkflowState> {
  return createState(
    {
      decisionId: 'D-test',
      meta: { title: '测试事项', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', createdBy: 'tester' },
      facts: CaseFactsSchema.parse(facts),
      procedure: await standardProcedure(),
      calendar: loadCalendar(),
      ...(o.quorum ? { policy: { quorum: o.quorum } } : {}),
      ...(o.import ? { origin: { kind: 'import' as const, ...o.import } } : {}),
    },
    now,
  );
}

/** Check an action like the workflow's validator, and apply it when accepted. */
export function act(ws: WorkflowState, stepId: string, action: StepAction['action'], data: Record<string, unknown> = {}, o: { actor?: string; occurredOn?: string } = {}): CheckResult {
  const a: StepAction = { action, stepId, actor: o.actor ?? 'tester', data, occurredOn: o.occurredOn };
  if (action === 'start' && ws.input.procedure.elements[stepId]?.step?.kind === 'collective-decision') a.system = { roster: ROSTER };
  const r = checkAction(ws, a, now);
  if (r.kind === 'ok') applyAction(ws, a, r.data, now);
  return r;
}

function must<R extends { kind: string }>(what: string, r: R): R {
  if (r.kind !== 'ok') throw new Error(`${what}: ${JSON.stringify(r)}`);
  return r;
}

/** start + complete, failing loudly if either is refused. */
export function perform(ws: WorkflowState, stepId: string, record: Record<string, unknown>, o: { occurredOn?: string } = {}) {
  must(`start ${stepId}`, act(ws, stepId, 'start', {}, o));
  must(`complete ${stepId}`, act(ws, stepId, 'complete', record, o));
}

/** A new draft version; refused ones throw. */
export function draft(ws: WorkflowState, content: string, o: { occurredOn?: string } = {}) {
  const d = { actor: 'tester', title: '草案', hash: `hash-of-${content}`, size: content.length, ...o };
  must(`draft ${content}`, checkDraft(ws, d, now));
  applyDraft(ws, d, now);
}

/** Any other act, checked and applied like the workflow's event update. */
/** An event as a test writes it: the actor defaults to the tester. */
export type EventArg = EventInput extends infer E ? (E extends EventInput ? Omit<E, 'actor'> & { actor?: string } : never) : never;

export function event(ws: WorkflowState, ev: EventArg): ActCheck {
  const e = { actor: 'tester', ...ev } as EventInput;
  const r = checkEvent(ws, e, now);
  if (r.kind === 'ok') applyEvent(ws, e, now);
  return r;
}

let opinionSeq = 0;
/** A person's own opinion on the current draft; returns its id. */
export function opinion(ws: WorkflowState, o: Partial<OpinionRef> & { capacity: OpinionRef['capacity']; occurredOn?: string }): string {
  const id = o.id ?? `op-${++opinionSeq}`;
  const input = {
    id,
    author: o.author ?? (o.capacity === 'expert' ? 'expert' : 'lawyer'),
    authorName: o.authorName ?? (o.capacity === 'expert' ? '李教授' : '赵律师'),
    capacity: o.capacity,
    draftVersion: o.draftVersion ?? ws.drafts.at(-1)!.version,
    hash: 'h',
    source: o.source ?? 'account',
    recordedBy: 'tester',
    ...(o.capacity === 'expert' ? { noDirectInterest: o.noDirectInterest ?? true } : {}),
    actor: 'tester',
    occurredOn: o.occurredOn,
  } as const;
  must(`opinion ${id}`, checkOpinion(ws, input, now));
  applyOpinion(ws, input, now);
  return id;
}

/** A file of the decision, checked and applied like the material update. */
export function material(ws: WorkflowState, m: { id: string; stepId?: string | null; draftVersion?: number }): ActCheck {
  const input = { id: m.id, sha256: `sha-${m.id}`, filename: `${m.id}.pdf`, size: 10, draftVersion: m.draftVersion ?? ws.drafts.at(-1)?.version ?? 0, stepId: m.stepId ?? null, actor: 'tester' };
  const r = checkMaterial(ws, input, now);
  if (r.kind === 'ok') applyMaterial(ws, input, now);
  return r;
}

export function codes(r: CheckResult | ActCheck): string[] {
  if (r.kind === 'blocked') return r.reasons.map((x) => x.code);
  if (r.kind === 'invalid') return r.issues.map((i) => `invalid:${i.path}`);
  return [r.kind];
}
