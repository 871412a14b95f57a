/**
 * Decisions carried lawfully to a point, through the same acts a user takes (driver.ts), for the
 * guard tests: each test then tries the one thing its article forbids.
 */
import type { WorkflowState } from '../../workflows/model';
import { act, draft, event, newDecision, opinion, perform } from './driver';
import { sample } from './records';

export type Facts = Partial<Record<'technical' | 'stabilityRisk' | 'affectsMarketEntities' | 'affectsSpecificGroups' | 'nonDisclosable' | 'congressRequired' | 'otherAgencies' | 'publicConcern', boolean>>;

/** Initiated on the office's findings for these facts, with draft v1 recorded and drafting done. */
export async function drafted(facts: Facts = {}): Promise<WorkflowState> {
  const ws = await newDecision(facts);
  perform(ws, 'initiation', sample.initiation(facts));
  draft(ws, 'v1');
  perform(ws, 'drafting', facts.otherAgencies ? { ...sample.drafting(), interAgencyConsultation: { units: ['市财政局'], agreed: true } } : sample.drafting());
  return ws;
}

/** Every applicable step of the parallel section performed, so the legality review is open. */
export function throughParallel(ws: WorkflowState, facts: Facts = {}) {
  if (!facts.nonDisclosable) perform(ws, 'public_participation', facts.affectsSpecificGroups ? { ...sample['public-participation'](), specificGroupsConsulted: '与残联、老年协会代表座谈。' } : sample['public-participation']());
  if (facts.technical) perform(ws, 'expert_review', sample['expert-review']([opinion(ws, { capacity: 'expert' })]));
  if (facts.stabilityRisk) perform(ws, 'risk_assessment', sample['risk-assessment']());
  if (facts.affectsMarketEntities) perform(ws, 'fair_competition_review', sample['fair-competition-review']());
}

/** The legality review done on the current draft, with a legal adviser's own opinion. */
export function reviewed(ws: WorkflowState, outcome = 'lawful') {
  perform(ws, 'legality_review', sample['legality-review'](outcome, [opinion(ws, { capacity: 'legal-adviser' })]));
}

/** A decision carried lawfully up to the collective decision (enabled). */
export async function readyForMeeting(facts: Facts = {}): Promise<WorkflowState> {
  const ws = await drafted(facts);
  throughParallel(ws, facts);
  reviewed(ws);
  return ws;
}

/** Minutes of a meeting of the unit tests' roster: three of four members and the head attend. */
export const minutes = (over: Record<string, unknown> = {}) =>
  sample.minutes({
    attendees: ['vicemayor', 'vicemayor2', 'secgen', 'mayor'],
    statements: [
      { speaker: 'vicemayor', position: 'agree', text: '同意。' },
      { speaker: 'vicemayor2', position: 'disagree', text: '资金来源不明确，建议暂缓。' },
      { speaker: 'secgen', position: 'agree', text: '同意。' },
      { speaker: 'mayor', position: 'agree', text: '原则通过。' },
    ],
    ...over,
  }) as never;

/** The meeting held: minutes recorded, every speaker confirms, the office completes the step. */
export function meet(ws: WorkflowState, over: Record<string, unknown> = {}) {
  const started = act(ws, 'collective_decision', 'start');
  if (started.kind !== 'ok') throw new Error(`start collective_decision: ${JSON.stringify(started)}`);
  const m = minutes(over) as { statements: { speaker: string }[] };
  const recorded = event(ws, { type: 'minutes', minutes: m as never });
  if (recorded.kind !== 'ok') throw new Error(`minutes: ${JSON.stringify(recorded)}`);
  for (const s of new Set(m.statements.map((x) => x.speaker))) event(ws, { type: 'confirm', username: s, confirm: true });
  const done = act(ws, 'collective_decision', 'complete', sample['collective-decision'](ws.drafts.length));
  if (done.kind !== 'ok') throw new Error(`complete collective_decision: ${JSON.stringify(done)}`);
}
