/** Drives a decision's pure state the way the workflow does, for guard unit tests. */
import fs from 'node:fs';
import path from 'node:path';
import { loadCalendar } from '../../definitions/calendars';
import { compileBpmn } from '../../definitions/compiler';
import { checkAction, type CheckResult } from '../../workflows/guards';
import type { StepAction, WorkflowState } from '../../workflows/model';
import type { CompiledProcedure } from '../../workflows/procedure';
import { CaseFactsSchema } from '../../workflows/records';
import { applyAction, applyDraft, createState } from '../../workflows/state';

export const TODAY = '2026-11-27';
export const NOW = Date.parse(`${TODAY}T10:00:00+08:00`);

let standard: CompiledProcedure | undefined;
export async function standardProcedure(): Promise<CompiledProcedure> {
  standard ??= await compileBpmn(fs.readFileSync(path.join(__dirname, '..', '..', 'definitions', 'major-decision.bpmn'), 'utf8'));
  return standard;
}

export async function newDecision(facts: Partial<Record<string, boolean>> = {}): Promise<WorkflowState> {
  return createState(
    {
      decisionId: 'D-test',
      meta: { title: '测试事项', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', createdBy: 'tester' },
      facts: CaseFactsSchema.parse(facts),
      procedure: await standardProcedure(),
      calendar: loadCalendar(),
    },
    NOW,
  );
}

/** Check an action like the workflow's validator, and apply it when accepted. */
export function act(ws: WorkflowState, stepId: string, action: StepAction['action'], data: Record<string, unknown> = {}, today = TODAY): CheckResult {
  const a: StepAction = { action, stepId, actor: 'tester', data };
  const r = checkAction(ws, a, today);
  if (r.kind === 'ok') applyAction(ws, a, r.data, NOW);
  return r;
}

/** start + complete, failing loudly if either is refused. */
export function perform(ws: WorkflowState, stepId: string, record: Record<string, unknown>, startData: Record<string, unknown> = {}) {
  const s = act(ws, stepId, 'start', startData);
  if (s.kind !== 'ok') throw new Error(`start ${stepId}: ${JSON.stringify(s)}`);
  const c = act(ws, stepId, 'complete', record);
  if (c.kind !== 'ok') throw new Error(`complete ${stepId}: ${JSON.stringify(c)}`);
}

export function draft(ws: WorkflowState, content: string) {
  applyDraft(ws, { actor: 'tester', title: '草案', hash: `hash-of-${content}`, size: content.length }, NOW);
}

export function codes(r: CheckResult): string[] {
  if (r.kind === 'blocked') return r.reasons.map((x) => x.code);
  if (r.kind === 'invalid') return r.issues.map((i) => `invalid:${i.path}`);
  return [r.kind];
}
