/**
 * The annual catalogue's full-procedure policy (Decree 713 Art. 3(3); Ningxia Decree 115 Art. 4;
 * Ningxia practice, a deployment switch): a decision carrying out a catalogue item performs public
 * participation, expert review and risk assessment besides the always-mandatory legality review
 * and collective decision — none is found not applicable unless the decision body has recorded an
 * exemption. Each test builds its state through the acts a user takes.
 */
import { act, clock, codes, event, newDecision, perform, resetClock } from '../support/driver';
import { drafted } from '../support/paths';
import { findingsFor, sample, useFixedClock } from '../support/records';

useFixedClock(clock);
beforeEach(() => resetClock());

const ITEM = { itemId: 'yinchuan-2026-03', title: '银川市老旧小区改造三年行动计划', year: 2026 };

describe('Art. 3(3) policy — catalogue items perform all five procedures', () => {
  test('a catalogue item cannot be initiated with expert review or risk assessment found not applicable', async () => {
    const ws = await newDecision();
    expect(codes(event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: true }))).toEqual(['ok']);
    act(ws, 'initiation', 'start');
    const r = act(ws, 'initiation', 'complete', sample.initiation());
    expect(codes(r)).toEqual(['CATALOGUE_FULL_PROCEDURE']);
    expect(r.kind === 'blocked' && r.reasons[0]).toMatchObject({ class: 'statutory', missing: ['expert_review', 'risk_assessment'], zh: expect.stringContaining('专家论证、风险评估') });
    // Performing them all is lawful; fair-competition review and the congress are not among the five.
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability: findingsFor({ technical: true, stabilityRisk: true }) }))).toEqual(['ok']);
  });

  test("the decision body's exemption lets the office find an exempted step not applicable, and only that one", async () => {
    const ws = await newDecision();
    event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: true });
    expect(codes(event(ws, { type: 'exemption', kinds: ['expert-review'], reasons: '本事项为一般性管理措施，经市政府常务会议研究同意不组织专家论证。' }))).toEqual(['ok']);
    act(ws, 'initiation', 'start');
    const r = act(ws, 'initiation', 'complete', sample.initiation());
    expect(r.kind === 'blocked' && r.reasons.map((x) => x.missing)).toEqual([['risk_assessment']]);
    expect(codes(act(ws, 'initiation', 'complete', { ...sample.initiation(), applicability: findingsFor({ stabilityRisk: true }) }))).toEqual(['ok']);
    expect(ws.findings['expert-review']).toMatchObject({ applies: false, ground: 'not-technical' });
    expect(codes(event(ws, { type: 'exemption', kinds: ['expert-review'], reasons: '再次记录同一豁免。' }))).toEqual(['EXEMPTION_ALREADY_RECORDED']);
  });

  test('a revised finding is held to the same policy', async () => {
    const ws = await newDecision();
    event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: true });
    perform(ws, 'initiation', { ...sample.initiation(), applicability: findingsFor({ technical: true, stabilityRisk: true }) });
    const r = event(ws, { type: 'finding', kind: 'risk-assessment', applies: false, ground: 'no-adverse-impact', reasons: '经复核实施范围小，不影响社会稳定。' });
    expect(codes(r)).toEqual(['CATALOGUE_FULL_PROCEDURE']);
    expect(ws.findings['risk-assessment']?.applies).toBe(true);
  });

  test('linking afterwards is refused while a step of the five stands found not applicable without exemption', async () => {
    const ws = await drafted();
    const r = event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: true });
    expect(codes(r)).toEqual(['CATALOGUE_FULL_PROCEDURE']);
    expect(ws.catalogue).toBeNull();
    event(ws, { type: 'exemption', kinds: ['expert-review', 'risk-assessment'], reasons: '经市政府常务会议研究，本事项不组织专家论证和风险评估。' });
    expect(codes(event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: true }))).toEqual(['ok']);
    expect(ws.catalogue).toMatchObject({ itemId: ITEM.itemId, source: 'linked', fullProcedure: true });
    expect(codes(event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: true }))).toEqual(['repeat']);
    expect(codes(event(ws, { type: 'catalogue-linked', ...ITEM, itemId: 'yinchuan-2026-04', fullProcedure: true }))).toEqual(['CATALOGUE_ALREADY_LINKED']);
  });

  test('with the policy off, a catalogue item follows the national rules', async () => {
    const ws = await newDecision();
    event(ws, { type: 'catalogue-linked', ...ITEM, fullProcedure: false });
    perform(ws, 'initiation', sample.initiation());
    expect(ws.findings['expert-review']?.applies).toBe(false);
  });
});
