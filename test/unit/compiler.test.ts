import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompileError, type CompileProblem, compileBpmn, loadDefinitions } from '../../definitions/compiler';

const NS = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"',
  'xmlns:juece="http://juece.org/schema/bpmn/1.0"',
  'xmlns:bioc="http://bpmn.io/schema/bpmn/biocolor/1.0"',
].join(' ');

const doc = (body: string, processAttrs = 'juece:version="1.0.0"', outside = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="defs" targetNamespace="http://juece.org/test">
  ${outside}
  <bpmn:process id="mini" name="Mini procedure" isExecutable="true" ${processAttrs}>
${body}
  </bpmn:process>
</bpmn:definitions>`;

const step = (id: string, kind: string, extra = '') =>
  `<bpmn:userTask id="${id}" name="${id}" juece:kind="${kind}" juece:article="25" juece:role="department" juece:record="${kind}" ${extra}/>`;
const flow = (id: string, source: string, target: string, condition?: string) =>
  condition === undefined
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"><![CDATA[${condition}]]></bpmn:conditionExpression></bpmn:sequenceFlow>`;

/**
 * A small valid procedure: initiation, then in parallel an optional expert review and a
 * two-hour wait, then legality review (with a non-interrupting working-day reminder and a
 * rework loop), then collective decision.
 */
const MINI: Record<string, string> = {
  start: '<bpmn:startEvent id="start" name="Start"/>',
  f1: flow('f1', 'start', 'initiation'),
  initiation: step('initiation', 'initiation'),
  f2: flow('f2', 'initiation', 'split'),
  split: '<bpmn:parallelGateway id="split"/>',
  f3: flow('f3', 'split', 'gw_expert'),
  gw_expert: '<bpmn:exclusiveGateway id="gw_expert" name="Technical?" default="f5"/>',
  f4: flow('f4', 'gw_expert', 'expert_review', 'facts.technical'),
  f5: flow('f5', 'gw_expert', 'merge_expert'),
  expert_review: step('expert_review', 'expert-review', 'juece:conditional="true"'),
  f6: flow('f6', 'expert_review', 'merge_expert'),
  merge_expert: '<bpmn:exclusiveGateway id="merge_expert"/>',
  f7: flow('f7', 'merge_expert', 'join'),
  f8: flow('f8', 'split', 'wait'),
  wait: '<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
  f9: flow('f9', 'wait', 'join'),
  join: '<bpmn:parallelGateway id="join"/>',
  f10: flow('f10', 'join', 'legality_review'),
  legality_review: step('legality_review', 'legality-review', 'juece:returnable="true"'),
  due: '<bpmn:boundaryEvent id="due" attachedToRef="legality_review" cancelActivity="false"><bpmn:timerEventDefinition juece:workingDays="7"/></bpmn:boundaryEvent>',
  f11: flow('f11', 'due', 'remind'),
  remind: '<bpmn:serviceTask id="remind" name="Remind" juece:activity="notifyOverdue"/>',
  f12: flow('f12', 'remind', 'end_overdue'),
  end_overdue: '<bpmn:endEvent id="end_overdue"/>',
  f13: flow('f13', 'legality_review', 'gw_legal'),
  gw_legal: '<bpmn:exclusiveGateway id="gw_legal" default="f15"/>',
  f14: flow('f14', 'gw_legal', 'revision', 'outcome.legality_review == "unlawful"'),
  revision: step('revision', 'revision'),
  f16: flow('f16', 'revision', 'legality_review'),
  f15: flow('f15', 'gw_legal', 'collective_decision'),
  collective_decision: step('collective_decision', 'collective-decision'),
  f17: flow('f17', 'collective_decision', 'end'),
  end: '<bpmn:endEvent id="end"/>',
};

/** MINI with some parts replaced (a string), removed (null) or added (a new key). */
const mini = (changes: Record<string, string | null> = {}, processAttrs?: string, outside?: string) =>
  doc(
    Object.entries({ ...MINI, ...changes })
      .filter(([, xml]) => xml !== null)
      .map(([, xml]) => `    ${xml}`)
      .join('\n'),
    processAttrs,
    outside,
  );

async function problemsOf(xml: string): Promise<CompileProblem[]> {
  try {
    await compileBpmn(xml);
  } catch (err) {
    if (err instanceof CompileError) return err.problems;
    throw err;
  }
  throw new Error('compiled, but a CompileError was expected');
}

describe('compileBpmn: a valid procedure', () => {
  it('compiles to the expected graph', async () => {
    const xml = mini();
    const p = await compileBpmn(xml);
    expect(p).toMatchObject({
      key: 'mini',
      name: 'Mini procedure',
      version: '1.0.0',
      hash: createHash('sha256').update(xml).digest('hex'),
      startEvent: 'start',
    });
    expect(Object.keys(p.elements)).toEqual(Object.keys(MINI).filter((k) => !/^f\d+$/.test(k)));
    expect(Object.keys(p.flows).sort()).toEqual(Object.keys(MINI).filter((k) => /^f\d+$/.test(k)).sort());

    expect(p.elements.start).toEqual({ id: 'start', type: 'startEvent', name: 'Start', incoming: [], outgoing: ['f1'] });
    expect(p.elements.initiation).toEqual({
      id: 'initiation',
      type: 'userTask',
      name: 'initiation',
      incoming: ['f1'],
      outgoing: ['f2'],
      step: { kind: 'initiation', article: '25', role: 'department', record: 'initiation', conditional: false, returnable: false },
    });
    expect(p.elements.expert_review.step).toMatchObject({ kind: 'expert-review', conditional: true, returnable: false });
    expect(p.elements.legality_review).toMatchObject({
      type: 'userTask',
      incoming: ['f10', 'f16'],
      outgoing: ['f13'],
      boundary: ['due'],
      step: { kind: 'legality-review', returnable: true },
    });
    expect(p.elements.due).toEqual({
      id: 'due',
      type: 'boundaryTimer',
      name: '',
      incoming: [],
      outgoing: ['f11'],
      timer: { workingDays: 7 },
      attachedTo: 'legality_review',
      cancelActivity: false,
    });
    expect(p.elements.wait).toMatchObject({ type: 'intermediateTimer', incoming: ['f8'], outgoing: ['f9'], timer: { isoDuration: 'PT2H' } });
    expect(p.elements.remind).toMatchObject({ type: 'serviceTask', activity: 'notifyOverdue', incoming: ['f11'], outgoing: ['f12'] });
    expect(p.elements.split).toMatchObject({ type: 'parallelGateway', incoming: ['f2'], outgoing: ['f3', 'f8'] });
    expect(p.elements.join).toMatchObject({ type: 'parallelGateway', incoming: ['f7', 'f9'], outgoing: ['f10'] });
    expect(p.elements.gw_expert).toMatchObject({ type: 'exclusiveGateway', name: 'Technical?', outgoing: ['f4', 'f5'], defaultFlow: 'f5' });
    expect(p.elements.merge_expert).toMatchObject({ incoming: ['f5', 'f6'], outgoing: ['f7'] });
    expect(p.elements.merge_expert.defaultFlow).toBeUndefined();
    expect(p.elements.end).toMatchObject({ type: 'endEvent', incoming: ['f17'], outgoing: [] });

    expect(p.flows.f4).toEqual({
      id: 'f4',
      name: '',
      source: 'gw_expert',
      target: 'expert_review',
      condition: { op: 'path', path: ['facts', 'technical'] },
      conditionText: 'facts.technical',
    });
    expect(p.flows.f14.condition).toEqual({
      op: 'eq',
      left: { op: 'path', path: ['outcome', 'legality_review'] },
      right: { op: 'lit', value: 'unlawful' },
    });
    expect(p.flows.f5).toEqual({ id: 'f5', name: '', source: 'gw_expert', target: 'merge_expert' });
  });

  it('produces plain data that survives a JSON round trip (it is workflow input)', async () => {
    const p = await compileBpmn(mini());
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('records an interrupting boundary timer, an ISO duration and working days together', async () => {
    const p = await compileBpmn(
      mini({
        due: '<bpmn:boundaryEvent id="due" attachedToRef="legality_review"><bpmn:timerEventDefinition juece:workingDays="15"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P1DT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>',
      }),
    );
    expect(p.elements.due).toMatchObject({ cancelActivity: true, timer: { isoDuration: 'P1DT2H', workingDays: 15 } });
  });

  it('accepts lanes, text annotations, associations, groups, data objects, diagrams and colours silently', async () => {
    const diagram = `<bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="mini">
      <bpmndi:BPMNShape id="initiation_di" bpmnElement="initiation" bioc:stroke="#1e88e5" bioc:fill="#bbdefb"><dc:Bounds x="0" y="0" width="100" height="80"/></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
    const xml = mini({
        lanes: '<bpmn:laneSet id="lanes"><bpmn:lane id="lane_dept" name="Department"><bpmn:flowNodeRef>initiation</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>',
        note: '<bpmn:textAnnotation id="note"><bpmn:text>Art. 10</bpmn:text></bpmn:textAnnotation>',
        link: '<bpmn:association id="link" sourceRef="initiation" targetRef="note"/>',
        group: '<bpmn:group id="group"/>',
        dossier: '<bpmn:dataObject id="dossier"/>',
        dossierRef: '<bpmn:dataObjectReference id="dossierRef" dataObjectRef="dossier"/>',
      }).replace('</bpmn:definitions>', `${diagram}</bpmn:definitions>`);
    const p = await compileBpmn(xml);
    for (const id of ['lanes', 'lane_dept', 'note', 'link', 'group', 'dossier', 'dossierRef']) expect(p.elements[id]).toBeUndefined();
    expect(p.elements.initiation.type).toBe('userTask');
  });

  it('Arts. 25, 30: a legality review on one branch of a parallel split covers what follows the join', async () => {
    const p = await compileBpmn(
      doc(
        [
          '<bpmn:startEvent id="start"/>',
          flow('a', 'start', 'split'),
          '<bpmn:parallelGateway id="split"/>',
          flow('b', 'split', 'lr'),
          flow('c', 'split', 'expert'),
          step('lr', 'legality-review'),
          step('expert', 'expert-review'),
          flow('d', 'lr', 'join'),
          flow('e', 'expert', 'join'),
          '<bpmn:parallelGateway id="join"/>',
          flow('f', 'join', 'cd'),
          step('cd', 'collective-decision'),
          flow('g', 'cd', 'end'),
          '<bpmn:endEvent id="end"/>',
        ].join('\n'),
      ),
    );
    expect(p.elements.cd.step?.kind).toBe('collective-decision');
  });
});

describe('compileBpmn: unsupported elements are refused with id and type', () => {
  it.each([
    ['scriptTask', { remind: '<bpmn:scriptTask id="remind" name="Remind"><bpmn:script>notify()</bpmn:script></bpmn:scriptTask>' }, 'remind', 'bpmn:ScriptTask'],
    ['subProcess', { revision: '<bpmn:subProcess id="revision"><bpmn:startEvent id="inner_start"/></bpmn:subProcess>' }, 'revision', 'bpmn:SubProcess'],
    ['inclusiveGateway', { gw_expert: '<bpmn:inclusiveGateway id="gw_expert" default="f5"/>' }, 'gw_expert', 'bpmn:InclusiveGateway'],
    ['message start event', { start: '<bpmn:startEvent id="start"><bpmn:messageEventDefinition id="md"/></bpmn:startEvent>' }, 'start', 'bpmn:StartEvent'],
    ['terminate end event', { end: '<bpmn:endEvent id="end"><bpmn:terminateEventDefinition/></bpmn:endEvent>' }, 'end', 'bpmn:EndEvent'],
    ['error end event', { end_overdue: '<bpmn:endEvent id="end_overdue"><bpmn:errorEventDefinition/></bpmn:endEvent>' }, 'end_overdue', 'bpmn:EndEvent'],
    ['sendTask', { remind: '<bpmn:sendTask id="remind"/>' }, 'remind', 'bpmn:SendTask'],
    ['receiveTask', { remind: '<bpmn:receiveTask id="remind"/>' }, 'remind', 'bpmn:ReceiveTask'],
    ['manualTask', { remind: '<bpmn:manualTask id="remind"/>' }, 'remind', 'bpmn:ManualTask'],
    ['businessRuleTask', { remind: '<bpmn:businessRuleTask id="remind"/>' }, 'remind', 'bpmn:BusinessRuleTask'],
    ['plain task', { remind: '<bpmn:task id="remind"/>' }, 'remind', 'bpmn:Task'],
    ['callActivity', { remind: '<bpmn:callActivity id="remind" calledElement="other"/>' }, 'remind', 'bpmn:CallActivity'],
    ['transaction', { revision: '<bpmn:transaction id="revision"/>' }, 'revision', 'bpmn:Transaction'],
    ['complexGateway', { merge_expert: '<bpmn:complexGateway id="merge_expert"/>' }, 'merge_expert', 'bpmn:ComplexGateway'],
    ['eventBasedGateway', { merge_expert: '<bpmn:eventBasedGateway id="merge_expert"/>' }, 'merge_expert', 'bpmn:EventBasedGateway'],
    ['intermediateThrowEvent', { wait: '<bpmn:intermediateThrowEvent id="wait"/>' }, 'wait', 'bpmn:IntermediateThrowEvent'],
    ['message catch event', { wait: '<bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>' }, 'wait', 'bpmn:IntermediateCatchEvent'],
    ['signal boundary event', { due: '<bpmn:boundaryEvent id="due" attachedToRef="legality_review"><bpmn:signalEventDefinition/></bpmn:boundaryEvent>' }, 'due', 'bpmn:BoundaryEvent'],
    ['multi-instance task', { revision: step('revision', 'revision').replace('/>', '><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>') }, 'revision', 'bpmn:UserTask'],
    ['potential owner', { revision: step('revision', 'revision').replace('/>', '><bpmn:potentialOwner/></bpmn:userTask>') }, 'revision', 'bpmn:UserTask'],
  ])('%s', async (_what, changes, id, type) => {
    const problems = await problemsOf(mini(changes));
    expect(problems).toContainEqual(expect.objectContaining({ id, type }));
    // The refusal is not buried under knock-on complaints about the flows around it.
    expect(problems).toHaveLength(1);
  });

  it('names the event definition that makes an event unsupported', async () => {
    const [start] = await problemsOf(mini({ start: '<bpmn:startEvent id="start"><bpmn:messageEventDefinition/></bpmn:startEvent>' }));
    expect(start.message).toMatch(/message start events are not supported \(bpmn:MessageEventDefinition\)/);
    const [end] = await problemsOf(mini({ end: '<bpmn:endEvent id="end"><bpmn:terminateEventDefinition/></bpmn:endEvent>' }));
    expect(end.message).toMatch(/terminate end events are not supported/);
  });

  it('refuses pools and message flows, but not the process inside', async () => {
    const collaboration = `<bpmn:collaboration id="collab">
      <bpmn:participant id="pool" processRef="mini"/>
      <bpmn:participant id="citizen"/>
      <bpmn:messageFlow id="mf" sourceRef="citizen" targetRef="initiation"/>
    </bpmn:collaboration>`;
    const problems = await problemsOf(mini({}, undefined, collaboration));
    expect(problems.map((p) => [p.id, p.type])).toEqual([
      ['pool', 'bpmn:Participant'],
      ['citizen', 'bpmn:Participant'],
      ['mf', 'bpmn:MessageFlow'],
    ]);
  });

  it('refuses a second process', async () => {
    const problems = await problemsOf(mini().replace('</bpmn:definitions>', '<bpmn:process id="other"/></bpmn:definitions>'));
    expect(problems).toContainEqual(expect.objectContaining({ id: 'other', type: 'bpmn:Process', message: expect.stringMatching(/exactly one/) }));
  });

  it('collects every problem into one CompileError', async () => {
    const xml = mini({
      remind: '<bpmn:scriptTask id="remind"/>',
      gw_expert: '<bpmn:inclusiveGateway id="gw_expert"/>',
      initiation: '<bpmn:userTask id="initiation" juece:article="10" juece:role="secretariat" juece:record="initiation"/>',
    });
    const err = await compileBpmn(xml).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    const problems = (err as CompileError).problems;
    expect(problems.map((p) => p.id).sort()).toEqual(['gw_expert', 'initiation', 'remind']);
    expect((err as CompileError).message).toMatch(/3 problems/);
    expect((err as CompileError).message).toMatch(/remind \(bpmn:ScriptTask\)/);
  });
});

describe('compileBpmn: statutory step attributes', () => {
  it('refuses a userTask without juece:kind', async () => {
    const problems = await problemsOf(mini({ initiation: '<bpmn:userTask id="initiation" juece:article="10" juece:role="secretariat" juece:record="initiation"/>' }));
    expect(problems).toEqual([{ id: 'initiation', type: 'bpmn:UserTask', message: 'juece:kind is required on a userTask' }]);
  });

  it.each([
    ['an unknown kind', step('initiation', 'initiation').replace('juece:kind="initiation"', 'juece:kind="brainstorm"'), /juece:kind="brainstorm" is not one of initiation, drafting/],
    ['an unknown role', step('initiation', 'initiation').replace('juece:role="department"', 'juece:role="mayor"'), /juece:role="mayor" is not one of/],
    ['an unknown record', step('initiation', 'initiation').replace('juece:record="initiation"', 'juece:record="minutes"'), /juece:record="minutes" is not one of/],
    ['a missing article', step('initiation', 'initiation').replace('juece:article="25"', ''), /juece:article is required/],
    ['a non-boolean flag', step('initiation', 'initiation', 'juece:conditional="yes"'), /juece:conditional="yes" is not one of true, false/],
    ['an activity on a userTask', step('initiation', 'initiation', 'juece:activity="x"'), /juece:activity belongs on a serviceTask/],
    ['a misspelt juece attribute', step('initiation', 'initiation', 'juece:retunable="true"'), /unknown attribute <juece:retunable>/],
  ])('refuses %s', async (_what, initiation, message) => {
    const problems = await problemsOf(mini({ initiation }));
    expect(problems).toEqual([expect.objectContaining({ id: 'initiation', type: 'bpmn:UserTask', message: expect.stringMatching(message) })]);
  });

  it('refuses a serviceTask without juece:activity, or with step attributes', async () => {
    expect(await problemsOf(mini({ remind: '<bpmn:serviceTask id="remind"/>' }))).toEqual([
      { id: 'remind', type: 'bpmn:ServiceTask', message: 'juece:activity is required on a serviceTask' },
    ]);
    expect(await problemsOf(mini({ remind: '<bpmn:serviceTask id="remind" juece:activity="notify" juece:kind="archive"/>' }))).toEqual([
      expect.objectContaining({ id: 'remind', message: expect.stringMatching(/juece:kind belongs on a userTask/) }),
    ]);
  });

  it('refuses a juece attribute on an element that does not take it', async () => {
    const problems = await problemsOf(mini({ merge_expert: '<bpmn:exclusiveGateway id="merge_expert" juece:kind="drafting"/>' }));
    expect(problems).toEqual([expect.objectContaining({ id: 'merge_expert', type: 'bpmn:ExclusiveGateway', message: expect.stringMatching(/unknown attribute <juece:kind>/) })]);
  });

  it('requires juece:version on the process', async () => {
    const problems = await problemsOf(mini({}, ''));
    expect(problems).toEqual([{ id: 'mini', type: 'bpmn:Process', message: 'juece:version is required on the process' }]);
  });
});

describe('compileBpmn: timers', () => {
  const wait = (def: string) => ({ wait: `<bpmn:intermediateCatchEvent id="wait">${def}</bpmn:intermediateCatchEvent>` });
  const duration = (d: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${d}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

  it.each(['P21D', 'PT2H', 'P1DT2H', 'PT30M', 'PT45S', 'P1DT2H3M4S'])('accepts the duration %s', async (d) => {
    const p = await compileBpmn(mini(wait(duration(d))));
    expect(p.elements.wait.timer).toEqual({ isoDuration: d });
  });

  it.each(['P1M', 'P1Y', 'P2W', 'P', 'PT', 'P1DT', '21D', 'P1.5D', '${reminder}'])('refuses the duration %s', async (d) => {
    const problems = await problemsOf(mini(wait(duration(d))));
    expect(problems).toEqual([expect.objectContaining({ id: 'wait', type: 'bpmn:IntermediateCatchEvent', message: expect.stringMatching(/not an ISO-8601 duration/) })]);
  });

  it.each(['0', '-3', 'seven', '1.5'])('refuses juece:workingDays="%s"', async (wd) => {
    const problems = await problemsOf(mini(wait(`<bpmn:timerEventDefinition juece:workingDays="${wd}"/>`)));
    expect(problems).toEqual([expect.objectContaining({ id: 'wait', message: expect.stringMatching(/not a positive whole number/) })]);
  });

  it('refuses timeDate, timeCycle and a timer without a period', async () => {
    const date = await problemsOf(mini(wait('<bpmn:timerEventDefinition><bpmn:timeDate>2026-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition>')));
    expect(date).toEqual([expect.objectContaining({ id: 'wait', message: expect.stringMatching(/timeDate is not supported/) })]);
    const cycle = await problemsOf(mini(wait('<bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>')));
    expect(cycle).toEqual([expect.objectContaining({ id: 'wait', message: expect.stringMatching(/timeCycle is not supported/) })]);
    const none = await problemsOf(mini(wait('<bpmn:timerEventDefinition/>')));
    expect(none).toEqual([expect.objectContaining({ id: 'wait', message: expect.stringMatching(/needs a timeDuration or juece:workingDays/) })]);
  });

  it('refuses a boundary timer attached to something other than a task', async () => {
    const problems = await problemsOf(mini({ due: MINI.due.replace('attachedToRef="legality_review"', 'attachedToRef="gw_legal"') }));
    expect(problems).toContainEqual(expect.objectContaining({ id: 'due', type: 'bpmn:BoundaryEvent', message: expect.stringMatching(/attached to a userTask or serviceTask/) }));
  });
});

describe('compileBpmn: flows and gateways', () => {
  it('reports a condition syntax error with the flow id and position', async () => {
    const problems = await problemsOf(mini({ f4: flow('f4', 'gw_expert', 'expert_review', 'facts.technical ==') }));
    expect(problems).toEqual([
      { id: 'f4', type: 'bpmn:SequenceFlow', message: 'condition syntax error at position 18: expected a value, path or \'(\', found end of input (in "facts.technical ==")' },
    ]);
  });

  it('refuses a condition reading an unknown fact or a non-task outcome', async () => {
    const fact = await problemsOf(mini({ f4: flow('f4', 'gw_expert', 'expert_review', 'facts.technicl') }));
    expect(fact).toEqual([expect.objectContaining({ id: 'f4', message: expect.stringMatching(/facts\.technicl, which is not a case fact/) })]);
    const outcome = await problemsOf(mini({ f14: flow('f14', 'gw_legal', 'revision', 'outcome.gw_legal == "x"') }));
    expect(outcome).toEqual([expect.objectContaining({ id: 'f14', message: expect.stringMatching(/must name a task/) })]);
  });

  it('refuses a condition in another expression language', async () => {
    const f4 = '<bpmn:sequenceFlow id="f4" sourceRef="gw_expert" targetRef="expert_review"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">facts.technical</bpmn:conditionExpression></bpmn:sequenceFlow>';
    expect(await problemsOf(mini({ f4 }))).toEqual([expect.objectContaining({ id: 'f4', message: expect.stringMatching(/language "javascript" is not supported/) })]);
  });

  it('refuses conditions on flows out of a parallel gateway', async () => {
    const problems = await problemsOf(mini({ f8: flow('f8', 'split', 'wait', 'facts.technical') }));
    expect(problems).toEqual([expect.objectContaining({ id: 'f8', type: 'bpmn:SequenceFlow', message: expect.stringMatching(/parallel gateway split takes every outgoing flow/) })]);
  });

  it('refuses conditions on flows out of events', async () => {
    const problems = await problemsOf(mini({ f9: flow('f9', 'wait', 'join', 'facts.technical') }));
    expect(problems).toEqual([expect.objectContaining({ id: 'f9', message: expect.stringMatching(/only allowed on flows out of tasks and exclusive gateways/) })]);
  });

  it('refuses a non-default flow without a condition out of a branching exclusive gateway', async () => {
    const problems = await problemsOf(mini({ f4: flow('f4', 'gw_expert', 'expert_review') }));
    expect(problems).toEqual([expect.objectContaining({ id: 'f4', type: 'bpmn:SequenceFlow', message: expect.stringMatching(/needs a condition/) })]);
  });

  it("refuses a default flow that is not one of the gateway's outgoing flows", async () => {
    const problems = await problemsOf(mini({ gw_expert: '<bpmn:exclusiveGateway id="gw_expert" default="f7"/>', f5: flow('f5', 'gw_expert', 'merge_expert', 'true') }));
    expect(problems).toEqual([expect.objectContaining({ id: 'gw_expert', type: 'bpmn:ExclusiveGateway', message: expect.stringMatching(/default flow f7 is not one of/) })]);
  });

  it('refuses a default flow that carries a condition', async () => {
    const problems = await problemsOf(mini({ f5: flow('f5', 'gw_expert', 'merge_expert', 'true') }));
    expect(problems).toEqual([expect.objectContaining({ id: 'f5', message: expect.stringMatching(/default flow cannot carry a condition/) })]);
  });

  it('refuses a node with no outgoing flow, and one with no incoming flow', async () => {
    const problems = await problemsOf(
      mini({ f17: null, orphan: step('orphan', 'archive'), f18: flow('f18', 'orphan', 'end') }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'collective_decision', type: 'bpmn:UserTask', message: 'no flow leaves this element' }),
        expect.objectContaining({ id: 'orphan', type: 'bpmn:UserTask', message: 'no flow leads to this element' }),
      ]),
    );
  });

  it('refuses a loop that cannot be reached from the start, or cannot reach an end', async () => {
    const island = await problemsOf(
      mini({ a: step('island_a', 'drafting'), b: step('island_b', 'revision'), fa: flow('fa', 'island_a', 'island_b'), fb: flow('fb', 'island_b', 'island_a') }),
    );
    expect(island).toEqual([
      expect.objectContaining({ id: 'island_a', message: 'cannot be reached from the start event' }),
      expect.objectContaining({ id: 'island_b', message: 'cannot be reached from the start event' }),
    ]);
    const trap = await problemsOf(mini({ f16: flow('f16', 'revision', 'revision_check'), rc: step('revision_check', 'revision'), f19: flow('f19', 'revision_check', 'revision') }));
    expect(trap).toEqual([
      expect.objectContaining({ id: 'revision', message: 'no path leads from here to an end event' }),
      expect.objectContaining({ id: 'revision_check', message: 'no path leads from here to an end event' }),
    ]);
  });

  it('refuses duplicate ids', async () => {
    const problems = await problemsOf(mini({ dup: '<bpmn:exclusiveGateway id="initiation"/>' }));
    expect(problems).toEqual([expect.objectContaining({ id: 'initiation', type: 'bpmn:ExclusiveGateway', message: expect.stringMatching(/duplicate ID <initiation>.*line \d+/) })]);
  });

  it('spells the type of a duplicate the moddle way, whatever prefix the document uses', async () => {
    const xml = mini({ dup: '<userTask id="initiation"/>' }).replace('<bpmn:definitions ', '<bpmn:definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ');
    expect(await problemsOf(xml)).toEqual([expect.objectContaining({ id: 'initiation', type: 'bpmn:UserTask', message: expect.stringMatching(/duplicate ID/) })]);
  });

  it('refuses a flow to an id that does not exist', async () => {
    const problems = await problemsOf(mini({ f17: flow('f17', 'collective_decision', 'nowhere') }));
    expect(problems).toContainEqual(expect.objectContaining({ id: 'f17', type: 'bpmn:SequenceFlow', message: expect.stringMatching(/unresolved reference <nowhere>/) }));
  });

  it('refuses unknown BPMN elements and attributes reported by the importer', async () => {
    const problems = await problemsOf(mini({ odd: '<bpmn:frobnicator id="odd"/>', start: '<bpmn:startEvent id="start" colour="red"/>' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'odd', type: 'bpmn:Frobnicator', message: expect.stringMatching(/unknown type <bpmn:Frobnicator>/) }),
        expect.objectContaining({ id: 'start', type: 'bpmn:StartEvent', message: expect.stringMatching(/unknown attribute <colour>/) }),
      ]),
    );
  });

  it('refuses a document that is not well-formed, or not UTF-8', async () => {
    const broken = await problemsOf('<bpmn:definitions');
    expect(broken).toEqual([{ message: expect.stringMatching(/not a readable BPMN 2.0 document/) }]);
    const latin1 = await problemsOf(mini().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'));
    expect(latin1).toEqual([{ id: 'defs', type: 'bpmn:Definitions', message: expect.stringMatching(/declares encoding ISO-8859-1; Juece definitions must be UTF-8/) }]);
  });
});

describe('compileBpmn: Decree 713 Arts. 25, 30 — statutory completeness', () => {
  it('Art. 25: refuses a procedure that can skip legality review before collective decision', async () => {
    const problems = await problemsOf(
      mini({
        f10: flow('f10', 'join', 'gw_fast'),
        gw_fast: '<bpmn:exclusiveGateway id="gw_fast" default="f_fast"/>',
        f_review: flow('f_review', 'gw_fast', 'legality_review', 'facts.catalogueItem'),
        f_fast: flow('f_fast', 'gw_fast', 'collective_decision'),
      }),
    );
    expect(problems).toEqual([
      {
        id: 'collective_decision',
        type: 'bpmn:UserTask',
        message: expect.stringMatching(/^Decree 713 Art\. 25: collective decision collective_decision can be reached without passing a legality review/),
      },
    ]);
    expect(problems[0].message).toContain('start → initiation → split → gw_expert → merge_expert → join → gw_fast → collective_decision');
  });

  it('Art. 25: an interrupting timer on the legality review does not count as passing it', async () => {
    const problems = await problemsOf(
      mini({
        due: '<bpmn:boundaryEvent id="due" attachedToRef="legality_review"><bpmn:timerEventDefinition juece:workingDays="7"/></bpmn:boundaryEvent>',
        f11: flow('f11', 'due', 'collective_decision'),
        remind: null,
        f12: null,
        end_overdue: null,
      }),
    );
    expect(problems).toEqual([expect.objectContaining({ id: 'collective_decision', message: expect.stringMatching(/Art\. 25.*legality_review → due → collective_decision/) })]);
  });

  it('Art. 25: refuses a procedure without a legality review', async () => {
    const problems = await problemsOf(doc([ '<bpmn:startEvent id="s"/>', flow('a', 's', 'cd'), step('cd', 'collective-decision'), flow('b', 'cd', 'e'), '<bpmn:endEvent id="e"/>'].join('\n')));
    expect(problems).toEqual([{ id: 'mini', type: 'bpmn:Process', message: expect.stringMatching(/^Decree 713 Art\. 25: the procedure must contain a legality review/) }]);
  });

  it('Art. 30: refuses a procedure without a collective decision', async () => {
    const problems = await problemsOf(doc(['<bpmn:startEvent id="s"/>', flow('a', 's', 'lr'), step('lr', 'legality-review'), flow('b', 'lr', 'e'), '<bpmn:endEvent id="e"/>'].join('\n')));
    expect(problems).toEqual([{ id: 'mini', type: 'bpmn:Process', message: expect.stringMatching(/^Decree 713 Art\. 30: the procedure must contain a collective decision/) }]);
  });
});

describe('compileBpmn: MIWG reference models', () => {
  const dir = path.join(__dirname, '../fixtures/miwg');
  /** Tags (local names) the profile refuses wherever they appear. */
  const REFUSED = [
    'task', 'scriptTask', 'sendTask', 'receiveTask', 'manualTask', 'businessRuleTask', 'callActivity', 'subProcess', 'transaction',
    'adHocSubProcess', 'inclusiveGateway', 'eventBasedGateway', 'complexGateway', 'intermediateThrowEvent', 'messageEventDefinition',
    'signalEventDefinition', 'errorEventDefinition', 'conditionalEventDefinition', 'linkEventDefinition', 'escalationEventDefinition',
    'compensateEventDefinition', 'cancelEventDefinition', 'terminateEventDefinition', 'participant', 'messageFlow',
    'multiInstanceLoopCharacteristics', 'standardLoopCharacteristics',
  ];
  const CONTAINERS = /<([\w.-]+:)?(subProcess|transaction|adHocSubProcess)\b[^>]*[^/]>(?:(?!<([\w.-]+:)?(subProcess|transaction|adHocSubProcess)\b)[\s\S])*?<\/([\w.-]+:)?\2>/g;
  /**
   * The refused tags in a file. What sits inside a refused sub-process is refused with it,
   * so containers are collapsed (innermost first) before looking at what remains.
   */
  function refusedTagsIn(xml: string): string[] {
    const has = (text: string, t: string) => new RegExp(`<([A-Za-z0-9_.-]+:)?${t}[\\s/>]`).test(text);
    const found = new Set(REFUSED.filter((t) => ['subProcess', 'transaction', 'adHocSubProcess'].includes(t) && has(xml, t)));
    let collapsed = xml;
    for (let prev = ''; prev !== collapsed; ) [prev, collapsed] = [collapsed, collapsed.replace(CONTAINERS, '<collapsed/>')];
    for (const t of REFUSED) if (has(collapsed, t)) found.add(t);
    return [...found];
  }

  const models = readdirSync(dir).filter((f) => f.endsWith('.bpmn')).sort();

  it('has the fixtures and their licence', async () => {
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['LICENSE.txt', 'README.md']));
    expect(models.length).toBeGreaterThanOrEqual(8);
  });

  it('finds refused tags outside refused sub-processes (the helper below)', async () => {
    const tags = refusedTagsIn(await readFile(path.join(dir, 'B.2.0.bpmn'), 'utf8'));
    expect(tags).toEqual(expect.arrayContaining(['subProcess', 'inclusiveGateway', 'participant', 'multiInstanceLoopCharacteristics']));
    // B.2.0's only standard loop sits inside an expanded sub-process.
    expect(tags).not.toContain('standardLoopCharacteristics');
  });

  it.each(models)('%s compiles or is refused with an id and type per problem', async (name) => {
    const xml = await readFile(path.join(dir, name), 'utf8');
    const refusedTags = refusedTagsIn(xml);
    let problems: CompileProblem[] | undefined;
    try {
      await compileBpmn(xml);
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      problems = err.problems;
    }
    if (!problems) {
      expect(refusedTags).toEqual([]);
      return;
    }
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p).toEqual({ id: expect.any(String), type: expect.any(String), message: expect.any(String) });
      expect(p.id).not.toBe('');
      expect(p.type).toMatch(/^\w+:\w+$/);
    }
    // Every refused construct in the file is named by some problem, by type or in the message.
    for (const tag of refusedTags) {
      const type = `bpmn:${tag[0].toUpperCase()}${tag.slice(1)}`;
      expect({ tag, named: problems.some((p) => p.type === type || p.message.includes(type)) }).toEqual({ tag, named: true });
    }
  });
});

describe('loadDefinitions', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'juece-defs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('compiles every *.bpmn in a folder, keyed by process id', async () => {
    const xml = mini();
    await writeFile(path.join(dir, 'mini.bpmn'), xml);
    await writeFile(path.join(dir, 'notes.txt'), 'not a definition');
    const defs = await loadDefinitions(dir);
    expect([...defs.keys()]).toEqual(['mini']);
    expect(defs.get('mini')).toEqual({ procedure: await compileBpmn(xml), xml, file: path.join(dir, 'mini.bpmn') });
  });

  it('names the file that does not compile', async () => {
    await writeFile(path.join(dir, 'bad.bpmn'), mini({ remind: '<bpmn:scriptTask id="remind"/>' }));
    const err = await loadDefinitions(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).file).toBe(path.join(dir, 'bad.bpmn'));
    expect((err as CompileError).message).toContain('bad.bpmn');
    expect((err as CompileError).problems).toEqual([expect.objectContaining({ id: 'remind', type: 'bpmn:ScriptTask' })]);
  });

  it('refuses two files defining the same process id', async () => {
    await writeFile(path.join(dir, 'a.bpmn'), mini());
    await writeFile(path.join(dir, 'b.bpmn'), mini().replace('name="Mini procedure"', 'name="Copy"'));
    await expect(loadDefinitions(dir)).rejects.toThrow(/process id mini is also defined in .*a\.bpmn/);
  });
});

describe('definitions/major-decision.bpmn', () => {
  it('compiles, with legality review and collective decision of the right kinds', async () => {
    const defs = await loadDefinitions();
    const entry = defs.get('major-decision');
    expect(entry).toBeDefined();
    const p = entry!.procedure;
    expect(p.key).toBe('major-decision');
    expect(p.version).toMatch(/\S/);
    expect(p.elements.legality_review).toMatchObject({ type: 'userTask', step: { kind: 'legality-review' } });
    expect(p.elements.collective_decision).toMatchObject({ type: 'userTask', step: { kind: 'collective-decision' } });
    expect(entry!.file).toBe(path.join(__dirname, '../../definitions/major-decision.bpmn'));
  });
});
