/**
 * What the supervision dashboard counts of a decision (activities/compliance-facts.ts), from
 * decisions carried through the same acts a user takes (test/support/driver.ts): the keys, and
 * that folding deltas one projection at a time gives what a fold from the start gives.
 */
import { complianceKeys, emptyFold, foldEvents, foldSummary, shorteningReason, yearOf, type ComplianceFold } from '../../activities/compliance-facts';
import type { WorkflowState } from '../../workflows/model';
import { summaryOf } from '../../workflows/summary';
import { act, advance, clock, draft, event, newDecision, perform, resetClock } from '../support/driver';
import { drafted, meet, readyForMeeting, reviewed, throughParallel } from '../support/paths';
import { daysAgo, sample, useFixedClock } from '../support/records';

useFixedClock(clock);
beforeEach(() => resetClock());

/** Keys from a fold of everything the decision holds, as a rebuild computes them. */
function keysOf(ws: WorkflowState): string[] {
  const summary = summaryOf(ws, clock());
  return complianceKeys(summary, foldSummary(foldEvents(emptyFold(), ws.records, ws.audit, 0), summary));
}

/** A projection's view of the decision: fold what is new since `seq`, as activities/compliance.ts does. */
function project(ws: WorkflowState, prev: { seq: number; fold: ComplianceFold }) {
  const summary = summaryOf(ws, clock());
  const fold = foldSummary(foldEvents(prev.fold, ws.records, ws.audit, prev.seq), summary);
  return { seq: ws.seq, fold, keys: complianceKeys(summary, fold) };
}

describe('the keys of a decision', () => {
  test('each performed step, each finding of not applicable with its ground, the meeting adopting it', async () => {
    const ws = await readyForMeeting({ technical: true });
    meet(ws);
    const keys = keysOf(ws);
    expect(keys).toEqual(expect.arrayContaining(['started', 'st|in-progress', 'decided', 'adviser', 'ind|legality', 'ind|pp|required', 'ind|pp|done']));
    for (const kind of ['initiation', 'drafting', 'public-participation', 'expert-review', 'legality-review', 'collective-decision']) expect(keys).toContain(`k|${kind}|done`);
    expect(keys).toEqual(expect.arrayContaining(['k|risk-assessment|na', 'k|risk-assessment|na|no-adverse-impact', 'k|fair-competition-review|na|no-market-impact', 'k|congress|na|not-congress-matter']));
    expect(keys).not.toContain('k|expert-review|na');
    // The sample legality opinion states a shortening reason; the meeting followed the majority.
    expect(keys).toContain('short|review');
    expect(keys).not.toContain('against');
  });

  test('a non-disclosable matter: public participation is not required, so the rate does not count it', async () => {
    const ws = await readyForMeeting({ nonDisclosable: true });
    meet(ws);
    const keys = keysOf(ws);
    expect(keys).toEqual(expect.arrayContaining(['decided', 'k|public-participation|na|state-secret', 'k|publication|na|state-secret']));
    expect(keys).not.toContain('ind|pp|required');
    expect(keys).not.toContain('ind|pp|done');
  });

  test('Art. 30: the head deciding against the majority, with the reasons given at the meeting', async () => {
    const ws = await readyForMeeting();
    const statements = [
      { speaker: 'vicemayor', position: 'disagree', text: '不同意。' },
      { speaker: 'vicemayor2', position: 'disagree', text: '资金来源不明确。' },
      { speaker: 'secgen', position: 'agree', text: '同意。' },
      { speaker: 'mayor', position: 'agree', text: '通过。' },
    ];
    meet(ws, { statements, reasons: '群众诉求迫切，资金已由市财政兜底。' });
    const fold = foldEvents(emptyFold(), ws.records, ws.audit, 0);
    expect(fold.against).toBe('群众诉求迫切，资金已由市财政兜底。');
    expect(keysOf(ws)).toContain('against');
  });

  test('Art. 15: a shortened consultation, with the reason from the audit event the workflow writes', async () => {
    const ws = await drafted();
    act(ws, 'public_participation', 'start');
    const closesOn = daysAgo(-10);
    expect(event(ws, { type: 'consultation-opened', channel: 'government-website', closesOn, shorteningReason: '供暖季前须出台，征求意见期缩短为10日。' }).kind).toBe('ok');
    expect(shorteningReason(ws.audit.at(-1)!.summary)).toBe('供暖季前须出台，征求意见期缩短为10日。');
    expect(event(ws, { type: 'consultation-opened', channel: 'new-media', closesOn: daysAgo(-40) }).kind).toBe('ok');
    expect(shorteningReason(ws.audit.at(-1)!.summary)).toBeNull();
    const fold = foldEvents(emptyFold(), ws.records, ws.audit, 0);
    expect(fold.shortConsultations).toEqual(['供暖季前须出台，征求意见期缩短为10日。']);
    expect(keysOf(ws)).toContain('short|consultation');
  });

  test('durations: calendar days from starting a step to completing it, summed over its visits', async () => {
    const ws = await newDecision();
    act(ws, 'initiation', 'start');
    advance(3);
    act(ws, 'initiation', 'complete', sample.initiation());
    draft(ws, 'v1');
    act(ws, 'drafting', 'start');
    advance(12);
    act(ws, 'drafting', 'complete', sample.drafting());
    const keys = keysOf(ws);
    expect(keys).toEqual(expect.arrayContaining(['k|initiation|days|3', 'k|drafting|days|12']));
    // A step still being worked on has no duration yet.
    act(ws, 'public_participation', 'start');
    advance(5);
    expect(keysOf(ws).some((k) => k.startsWith('k|public-participation|days|'))).toBe(false);
  });

  test('a step open past its period: overdue now, and late for good once done', async () => {
    const ws = await drafted();
    throughParallel(ws);
    const open = summaryOf(ws, clock()).openSteps.find((s) => s.kind === 'legality-review')!;
    expect(open.due).toBeDefined();
    expect(keysOf(ws)).toContain(`due|${open.due!.date}`);
    advance(40);
    const late = project(ws, { seq: 0, fold: emptyFold() });
    expect(late.keys).toEqual(expect.arrayContaining(['overdue', 'k|legality-review|overdue', 'late', 'k|legality-review|late']));
    reviewed(ws);
    const after = project(ws, late);
    expect(after.keys).not.toContain('overdue');
    expect(after.keys).toEqual(expect.arrayContaining(['late', 'k|legality-review|late', 'k|legality-review|done']));
  });

  test('an imported decision counts in the year its procedure started', async () => {
    const ws = await newDecision({}, { import: { reason: '系统上线前已启动的事项，依规补录。', startedOn: '2025-03-02' } });
    expect(yearOf(summaryOf(ws, clock()))).toBe(2025);
    expect(yearOf(summaryOf(await newDecision(), clock()))).toBe(Number(daysAgo(0).slice(0, 4)));
  });
});

test('folding one projection at a time gives the keys and fold of a fold from the start', async () => {
  const ws = await newDecision({ technical: true });
  let p = project(ws, { seq: 0, fold: emptyFold() });
  const step = () => {
    advance(1);
    p = project(ws, p);
  };
  perform(ws, 'initiation', sample.initiation({ technical: true }));
  step();
  draft(ws, 'v1');
  perform(ws, 'drafting', sample.drafting());
  step();
  throughParallel(ws, { technical: true });
  step();
  reviewed(ws, 'lawful');
  step();
  meet(ws);
  step();
  // A retried projection of the same state changes nothing.
  expect(project(ws, p)).toEqual(p);
  const full = project(ws, { seq: 0, fold: emptyFold() });
  expect(p.keys).toEqual(full.keys);
  expect(p.fold).toEqual(full.fold);
});
