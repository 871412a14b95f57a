/**
 * definitions/major-decision.bpmn: the standard Decree 713 procedure.
 * Checks that it parses cleanly with the juece extension, that every contract id is there
 * with the right type and wiring, that every userTask carries its statutory metadata, and that
 * the diagram interchange is complete and clean (every node drawn, no overlaps, right-angle edges).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, STEP_KINDS } from '../../workflows/procedure';
import { conditionPaths, parseCondition } from '../../workflows/conditions';
import { CaseFactsSchema, RECORD_SCHEMAS } from '../../workflows/records';
import juece from '../../definitions/juece.json';

// The small part of the bpmn-moddle object model used here.
interface Bounds { x: number; y: number; width: number; height: number }
interface Point { x: number; y: number }
interface El {
  $type: string;
  id: string;
  name?: string;
  [key: string]: unknown;
}
interface FlowNode extends El {
  incoming?: El[];
  outgoing?: El[];
  default?: El;
  attachedToRef?: El;
  cancelActivity?: boolean;
  eventDefinitions?: El[];
  documentation?: { text: string }[];
}
interface Flow extends El {
  sourceRef: FlowNode;
  targetRef: FlowNode;
  conditionExpression?: { $type: string; body: string };
}
interface DiElement extends El {
  bpmnElement: El;
  bounds?: Bounds;
  waypoint?: Point[];
  label?: { bounds?: Bounds };
}
interface Parsed {
  rootElement: { rootElements: El[]; diagrams: { plane: { bpmnElement: El; planeElement: DiElement[] } }[] };
  warnings: { message: string }[];
}
interface Moddle { fromXML(xml: string): Promise<Parsed> }
// bpmn-moddle's main entry has no type declarations, so a typed `import` fails under strict
// (TS7016); require it (Jest transforms the ESM package, see jest.config.js) and type it here.
 
const { BpmnModdle } = require('bpmn-moddle') as { BpmnModdle: new (packages: Record<string, unknown>) => Moddle };

const FILE = join(__dirname, '../../definitions/major-decision.bpmn');

let parsed: Parsed;
let proc: El & { flowElements: El[] };
let byId: Map<string, El>;
let nodes: FlowNode[];
let flows: Flow[];
let shapes: Map<string, DiElement>;
let edges: Map<string, DiElement>;

beforeAll(async () => {
  parsed = await new BpmnModdle({ juece }).fromXML(readFileSync(FILE, 'utf8'));
  proc = parsed.rootElement.rootElements.find((e) => e.$type === 'bpmn:Process') as El & { flowElements: El[] };
  byId = new Map(proc.flowElements.map((e) => [e.id, e]));
  flows = proc.flowElements.filter((e) => e.$type === 'bpmn:SequenceFlow') as Flow[];
  nodes = proc.flowElements.filter((e) => e.$type !== 'bpmn:SequenceFlow') as FlowNode[];
  const di = parsed.rootElement.diagrams[0].plane.planeElement;
  shapes = new Map(di.filter((d) => d.$type === 'bpmndi:BPMNShape').map((d) => [d.bpmnElement.id, d]));
  edges = new Map(di.filter((d) => d.$type === 'bpmndi:BPMNEdge').map((d) => [d.bpmnElement.id, d]));
});

const node = (id: string) => byId.get(id) as FlowNode;
const flow = (id: string) => byId.get(id) as Flow;

/** Every contract node: id → BPMN type. */
const NODES: Record<string, string> = {
  start: 'StartEvent',
  initiation: 'UserTask',
  drafting: 'UserTask',
  split_parallel: 'ParallelGateway',
  gw_pp: 'ExclusiveGateway',
  public_participation: 'UserTask',
  merge_pp: 'ExclusiveGateway',
  gw_expert: 'ExclusiveGateway',
  expert_review: 'UserTask',
  merge_expert: 'ExclusiveGateway',
  gw_risk: 'ExclusiveGateway',
  risk_assessment: 'UserTask',
  gw_risk_result: 'ExclusiveGateway',
  revise_for_risk: 'UserTask',
  merge_risk: 'ExclusiveGateway',
  gw_fc: 'ExclusiveGateway',
  fair_competition_review: 'UserTask',
  gw_fc_result: 'ExclusiveGateway',
  revise_for_fc: 'UserTask',
  merge_fc: 'ExclusiveGateway',
  join_parallel: 'ParallelGateway',
  legality_review: 'UserTask',
  legality_review_due: 'BoundaryEvent',
  notify_overdue: 'ServiceTask',
  end_overdue: 'EndEvent',
  gw_legality: 'ExclusiveGateway',
  revise_for_legality: 'UserTask',
  collective_decision: 'UserTask',
  gw_meeting: 'ExclusiveGateway',
  party_report: 'UserTask',
  gw_party: 'ExclusiveGateway',
  revise_for_party: 'UserTask',
  gw_congress: 'ExclusiveGateway',
  congress: 'UserTask',
  merge_congress: 'ExclusiveGateway',
  gw_publication: 'ExclusiveGateway',
  publication: 'UserTask',
  merge_publication: 'ExclusiveGateway',
  archive: 'UserTask',
  seal_archive: 'ServiceTask',
  gw_after_archive: 'ExclusiveGateway',
  end_not_adopted: 'EndEvent',
  implementation: 'UserTask',
  gw_evaluation: 'ExclusiveGateway',
  post_evaluation: 'UserTask',
  gw_after_evaluation: 'ExclusiveGateway',
  adjustment: 'UserTask',
  merge_evaluation: 'ExclusiveGateway',
  end: 'EndEvent',
};

/** userTask id → [kind, article, role, record, conditional, returnable]. */
const STEPS: Record<string, [string, string, string, string, boolean, boolean]> = {
  initiation: ['initiation', '10-11', 'secretariat', 'initiation', false, false],
  drafting: ['drafting', '12-13', 'department', 'drafting', false, false],
  public_participation: ['public-participation', '14-18', 'department', 'public-participation', true, false],
  expert_review: ['expert-review', '19-21', 'department', 'expert-review', true, false],
  risk_assessment: ['risk-assessment', '22-24', 'department', 'risk-assessment', true, false],
  revise_for_risk: ['revision', '24', 'department', 'revision', false, false],
  fair_competition_review: ['fair-competition-review', '29', 'department', 'fair-competition-review', true, false],
  revise_for_fc: ['revision', '29', 'department', 'revision', false, false],
  legality_review: ['legality-review', '25-28', 'legality-review-body', 'legality-review', false, true],
  revise_for_legality: ['revision', '28', 'department', 'revision', false, false],
  collective_decision: ['collective-decision', '29-30', 'secretariat', 'collective-decision', false, false],
  party_report: ['party-report', '31', 'secretariat', 'party-report', false, false],
  revise_for_party: ['revision', '31', 'department', 'revision', false, false],
  congress: ['congress', '8', 'secretariat', 'congress', true, false],
  publication: ['publication', '32', 'secretariat', 'publication', true, false],
  archive: ['archive', '33', 'secretariat', 'archive', false, false],
  implementation: ['implementation', '34-35', 'department', 'implementation', false, false],
  post_evaluation: ['post-evaluation', '36', 'secretariat', 'post-evaluation', true, false],
  adjustment: ['adjustment', '37', 'secretariat', 'adjustment', false, false],
};

/** Flow id → [source, target, condition or null (unconditional / default)]. */
const NOT_DISCLOSABLE = '!facts.nonDisclosable';
const LEGALITY_REWORK =
  'outcome.legality_review == "returned" || outcome.legality_review == "unlawful" || outcome.legality_review == "lawful-with-changes"';
const FLOWS: Record<string, [string, string, string | null]> = {
  flow_start_initiation: ['start', 'initiation', null],
  flow_initiation_drafting: ['initiation', 'drafting', null],
  flow_drafting_split_parallel: ['drafting', 'split_parallel', null],
  flow_split_parallel_gw_pp: ['split_parallel', 'gw_pp', null],
  flow_split_parallel_gw_expert: ['split_parallel', 'gw_expert', null],
  flow_split_parallel_gw_risk: ['split_parallel', 'gw_risk', null],
  flow_split_parallel_gw_fc: ['split_parallel', 'gw_fc', null],
  flow_pp_yes: ['gw_pp', 'public_participation', NOT_DISCLOSABLE],
  flow_pp_no: ['gw_pp', 'merge_pp', null],
  flow_public_participation_merge_pp: ['public_participation', 'merge_pp', null],
  flow_merge_pp_join_parallel: ['merge_pp', 'join_parallel', null],
  flow_expert_yes: ['gw_expert', 'expert_review', 'facts.technical'],
  flow_expert_no: ['gw_expert', 'merge_expert', null],
  flow_expert_review_merge_expert: ['expert_review', 'merge_expert', null],
  flow_merge_expert_join_parallel: ['merge_expert', 'join_parallel', null],
  flow_risk_yes: ['gw_risk', 'risk_assessment', 'facts.stabilityRisk'],
  flow_risk_no: ['gw_risk', 'merge_risk', null],
  flow_risk_assessment_gw_risk_result: ['risk_assessment', 'gw_risk_result', null],
  flow_risk_uncontrollable: ['gw_risk_result', 'revise_for_risk', 'outcome.risk_assessment == "not-controllable"'],
  flow_revise_for_risk_risk_assessment: ['revise_for_risk', 'risk_assessment', null],
  flow_risk_controllable: ['gw_risk_result', 'merge_risk', null],
  flow_merge_risk_join_parallel: ['merge_risk', 'join_parallel', null],
  flow_fc_yes: ['gw_fc', 'fair_competition_review', 'facts.affectsMarketEntities'],
  flow_fc_no: ['gw_fc', 'merge_fc', null],
  flow_fair_competition_review_gw_fc_result: ['fair_competition_review', 'gw_fc_result', null],
  flow_fc_non_compliant: ['gw_fc_result', 'revise_for_fc', 'outcome.fair_competition_review == "non-compliant"'],
  flow_revise_for_fc_fair_competition_review: ['revise_for_fc', 'fair_competition_review', null],
  flow_fc_compliant: ['gw_fc_result', 'merge_fc', null],
  flow_merge_fc_join_parallel: ['merge_fc', 'join_parallel', null],
  flow_join_parallel_legality_review: ['join_parallel', 'legality_review', null],
  flow_legality_review_due_notify_overdue: ['legality_review_due', 'notify_overdue', null],
  flow_notify_overdue_end_overdue: ['notify_overdue', 'end_overdue', null],
  flow_legality_review_gw_legality: ['legality_review', 'gw_legality', null],
  flow_legality_rework: ['gw_legality', 'revise_for_legality', LEGALITY_REWORK],
  flow_revise_for_legality_legality_review: ['revise_for_legality', 'legality_review', null],
  flow_legality_pass: ['gw_legality', 'collective_decision', null],
  flow_collective_decision_gw_meeting: ['collective_decision', 'gw_meeting', null],
  flow_meeting_rejected: ['gw_meeting', 'archive', 'outcome.collective_decision == "rejected"'],
  flow_meeting_adopted: ['gw_meeting', 'party_report', null],
  flow_party_report_gw_party: ['party_report', 'gw_party', null],
  flow_party_agreed: ['gw_party', 'gw_congress', null],
  flow_party_deferred: ['gw_party', 'party_report', 'outcome.party_report == "deferred"'],
  flow_party_revise: ['gw_party', 'revise_for_party', 'outcome.party_report == "not-agreed-revise"'],
  flow_revise_for_party_legality_review: ['revise_for_party', 'legality_review', null],
  flow_party_not_agreed: ['gw_party', 'archive', 'outcome.party_report == "not-agreed-end"'],
  flow_congress_yes: ['gw_congress', 'congress', 'facts.congressRequired'],
  flow_congress_no: ['gw_congress', 'merge_congress', null],
  flow_congress_merge_congress: ['congress', 'merge_congress', null],
  flow_merge_congress_gw_publication: ['merge_congress', 'gw_publication', null],
  flow_publication_yes: ['gw_publication', 'publication', '!facts.publicationWithheld'],
  flow_publication_no: ['gw_publication', 'merge_publication', null],
  flow_publication_merge_publication: ['publication', 'merge_publication', null],
  flow_merge_publication_archive: ['merge_publication', 'archive', null],
  flow_archive_seal_archive: ['archive', 'seal_archive', null],
  flow_seal_archive_gw_after_archive: ['seal_archive', 'gw_after_archive', null],
  flow_not_adopted: ['gw_after_archive', 'end_not_adopted', 'outcome.collective_decision == "rejected" || outcome.party_report == "not-agreed-end"'],
  flow_to_implementation: ['gw_after_archive', 'implementation', null],
  flow_implementation_gw_evaluation: ['implementation', 'gw_evaluation', null],
  flow_evaluation_yes: ['gw_evaluation', 'post_evaluation', 'outcome.implementation == "evaluation-triggered"'],
  flow_evaluation_no: ['gw_evaluation', 'merge_evaluation', null],
  flow_adjustment_required: ['gw_evaluation', 'adjustment', 'outcome.implementation == "adjustment-required"'],
  flow_post_evaluation_gw_after_evaluation: ['post_evaluation', 'gw_after_evaluation', null],
  flow_evaluation_continue: ['gw_after_evaluation', 'merge_evaluation', null],
  flow_evaluation_adjust: ['gw_after_evaluation', 'adjustment', 'outcome.post_evaluation != "continue"'],
  flow_adjustment_merge_evaluation: ['adjustment', 'merge_evaluation', null],
  flow_merge_evaluation_end: ['merge_evaluation', 'end', null],
};

/** Exclusive split gateway → its default flow. */
const DEFAULTS: Record<string, string> = {
  gw_pp: 'flow_pp_no',
  gw_expert: 'flow_expert_no',
  gw_risk: 'flow_risk_no',
  gw_risk_result: 'flow_risk_controllable',
  gw_fc: 'flow_fc_no',
  gw_fc_result: 'flow_fc_compliant',
  gw_legality: 'flow_legality_pass',
  gw_meeting: 'flow_meeting_adopted',
  gw_party: 'flow_party_agreed',
  gw_congress: 'flow_congress_no',
  gw_publication: 'flow_publication_no',
  gw_after_archive: 'flow_to_implementation',
  gw_evaluation: 'flow_evaluation_no',
  gw_after_evaluation: 'flow_evaluation_continue',
};

const SIZES: Record<string, [number, number]> = {
  UserTask: [100, 80],
  ServiceTask: [100, 80],
  ExclusiveGateway: [50, 50],
  ParallelGateway: [50, 50],
  StartEvent: [36, 36],
  EndEvent: [36, 36],
  BoundaryEvent: [36, 36],
};

const overlaps = (a: Bounds, b: Bounds) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const onBorder = (p: Point, b: Bounds) =>
  p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height &&
  (p.x === b.x || p.x === b.x + b.width || p.y === b.y || p.y === b.y + b.height);

describe('major-decision.bpmn: semantics', () => {
  test('parses with the juece extension without warnings', () => {
    expect(parsed.warnings.map((w) => w.message)).toEqual([]);
    expect(proc.id).toBe('major-decision');
    expect(proc.name).toBe('重大行政决策标准程序（国务院令第713号）');
    expect(proc.isExecutable).toBe(true);
    expect(proc.version).toBe('2.0.0');
    expect(parsed.rootElement.diagrams[0].plane.bpmnElement).toBe(proc);
  });

  test('every contract node exists with its type, and nothing else', () => {
    for (const [id, type] of Object.entries(NODES)) expect([id, byId.get(id)?.$type]).toEqual([id, `bpmn:${type}`]);
    expect(nodes.map((n) => n.id).sort()).toEqual(Object.keys(NODES).sort());
  });

  test('every contract flow exists with its source, target and condition, and nothing else', () => {
    for (const [id, [source, target, condition]] of Object.entries(FLOWS)) {
      const f = flow(id);
      expect([id, f?.$type, f?.sourceRef.id, f?.targetRef.id]).toEqual([id, 'bpmn:SequenceFlow', source, target]);
      if (condition === null) expect([id, f.conditionExpression]).toEqual([id, undefined]);
      else {
        expect(f.conditionExpression?.$type).toBe('bpmn:FormalExpression');
        expect([id, f.conditionExpression?.body]).toEqual([id, condition]);
      }
    }
    expect(flows.map((f) => f.id).sort()).toEqual(Object.keys(FLOWS).sort());
  });

  test('every flow is listed as outgoing of its source and incoming of its target, and only there', () => {
    for (const n of nodes) {
      const out = flows.filter((f) => f.sourceRef === n).map((f) => f.id).sort();
      const inc = flows.filter((f) => f.targetRef === n).map((f) => f.id).sort();
      expect([n.id, (n.outgoing ?? []).map((f) => f.id).sort()]).toEqual([n.id, out]);
      expect([n.id, (n.incoming ?? []).map((f) => f.id).sort()]).toEqual([n.id, inc]);
    }
  });

  test('exclusive split gateways have their default flow, and every other outgoing flow is conditional', () => {
    for (const [gw, def] of Object.entries(DEFAULTS)) expect([gw, node(gw).default?.id]).toEqual([gw, def]);
    for (const n of nodes.filter((x) => x.$type === 'bpmn:ExclusiveGateway' && (x.outgoing ?? []).length > 1)) {
      expect(DEFAULTS[n.id]).toBeDefined();
      for (const f of n.outgoing as Flow[]) {
        if (f.id !== DEFAULTS[n.id]) expect([f.id, typeof f.conditionExpression?.body]).toEqual([f.id, 'string']);
      }
    }
  });

  test('every userTask has kind, article, role and record from the contract, and a documentation line', () => {
    const recordNames = Object.keys(RECORD_SCHEMAS);
    const userTasks = nodes.filter((n) => n.$type === 'bpmn:UserTask');
    expect(userTasks.map((t) => t.id).sort()).toEqual(Object.keys(STEPS).sort());
    for (const t of userTasks) {
      const [kind, article, role, record, conditional, returnable] = STEPS[t.id];
      expect([t.id, t.kind, t.article, t.role, t.record]).toEqual([t.id, kind, article, role, record]);
      expect([t.id, t.conditional === true, t.returnable === true]).toEqual([t.id, conditional, returnable]);
      expect(STEP_KINDS).toContain(t.kind);
      expect(ROLES).toContain(t.role);
      expect(recordNames).toContain(t.record);
      expect(t.documentation?.[0]?.text).toMatch(/第\d+条/);
      expect(t.$attrs).toEqual({}); // no misspelt juece attributes
    }
  });

  test('every condition parses and reads only known case facts, derived facts or outcomes of user tasks', () => {
    // publicationWithheld is not a case fact: it is derived from the office's publication finding.
    const factNames = [...Object.keys(CaseFactsSchema.shape), 'publicationWithheld'];
    for (const f of flows.filter((x) => x.conditionExpression)) {
      for (const [root, name, ...rest] of conditionPaths(parseCondition(f.conditionExpression!.body))) {
        expect([f.id, rest]).toEqual([f.id, []]);
        if (root === 'facts') expect(factNames).toContain(name);
        else {
          expect([f.id, root]).toEqual([f.id, 'outcome']);
          expect([f.id, byId.get(name)?.$type]).toEqual([f.id, 'bpmn:UserTask']);
        }
      }
    }
  });

  test('every node is reachable from the start event and can reach an end event', () => {
    const next = (n: FlowNode) => [
      ...(n.outgoing ?? []).map((f) => (f as Flow).targetRef),
      ...nodes.filter((b) => b.attachedToRef === n),
    ];
    const reached = new Set<FlowNode>([node('start')]);
    for (const n of reached) for (const m of next(n)) reached.add(m);
    expect(nodes.filter((n) => !reached.has(n)).map((n) => n.id)).toEqual([]);
    const ends = nodes.filter((n) => n.$type === 'bpmn:EndEvent');
    for (const n of nodes) {
      const seen = new Set<FlowNode>([n]);
      for (const m of seen) for (const k of next(m)) seen.add(k);
      expect([n.id, ends.some((e) => seen.has(e))]).toEqual([n.id, true]);
    }
  });

  test('service tasks name their activity', () => {
    expect(node('notify_overdue').activity).toBe('notifyOverdue');
    expect(node('seal_archive').activity).toBe('sealArchive');
  });

  test('legality review carries a non-interrupting working-day timer', () => {
    const due = node('legality_review_due');
    expect(due.attachedToRef?.id).toBe('legality_review');
    expect(due.cancelActivity).toBe(false);
    const timer = due.eventDefinitions?.[0] as El & { workingDays?: number; timeDuration?: { body: string } };
    expect(timer.$type).toBe('bpmn:TimerEventDefinition');
    expect(timer.workingDays).toBe(15);
    expect(timer.timeDuration?.body).toBe('P21D');
  });
});

describe('major-decision.bpmn: diagram interchange', () => {
  test('every flow node has a shape of the standard size', () => {
    for (const n of nodes) {
      const b = shapes.get(n.id)?.bounds;
      expect([n.id, b ? [b.width, b.height] : null]).toEqual([n.id, SIZES[n.$type.replace('bpmn:', '')]]);
    }
  });

  test('every sequence flow has an edge with right-angle waypoints from its source border to its target border', () => {
    for (const f of flows) {
      const wp = edges.get(f.id)?.waypoint ?? [];
      expect([f.id, wp.length >= 2]).toEqual([f.id, true]);
      for (let i = 1; i < wp.length; i++) {
        const straight = wp[i].x === wp[i - 1].x || wp[i].y === wp[i - 1].y;
        expect([f.id, i, straight]).toEqual([f.id, i, true]);
      }
      expect([f.id, 'starts on source', onBorder(wp[0], shapes.get(f.sourceRef.id)!.bounds!)]).toEqual([f.id, 'starts on source', true]);
      expect([f.id, 'ends on target', onBorder(wp[wp.length - 1], shapes.get(f.targetRef.id)!.bounds!)]).toEqual([f.id, 'ends on target', true]);
    }
  });

  test('no two shapes overlap (a boundary event sits on its own task only)', () => {
    const list = nodes.map((n) => ({ n, b: shapes.get(n.id)!.bounds! }));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i], list[j]];
        const hosted = a.n.attachedToRef === b.n || b.n.attachedToRef === a.n;
        expect([a.n.id, b.n.id, overlaps(a.b, b.b)]).toEqual([a.n.id, b.n.id, hosted]);
      }
    }
  });

  test('no label covers a shape or another label', () => {
    const labels = [...shapes.values(), ...edges.values()]
      .filter((d) => d.label?.bounds)
      .map((d) => ({ id: `label of ${d.bpmnElement.id}`, b: d.label!.bounds! }));
    const boxes = nodes.map((n) => ({ id: n.id, b: shapes.get(n.id)!.bounds! }));
    for (const l of labels) for (const s of boxes) expect([l.id, s.id, overlaps(l.b, s.b)]).toEqual([l.id, s.id, false]);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++)
        expect([labels[i].id, labels[j].id, overlaps(labels[i].b, labels[j].b)]).toEqual([labels[i].id, labels[j].id, false]);
  });

  test('the procedure reads left to right: forward flows never point left', () => {
    const loopBacks = new Set([
      'flow_revise_for_risk_risk_assessment',
      'flow_revise_for_legality_legality_review',
      'flow_risk_uncontrollable',
      'flow_legality_rework',
      'flow_fc_non_compliant',
      'flow_revise_for_fc_fair_competition_review',
      'flow_party_deferred',
      'flow_party_revise',
      'flow_revise_for_party_legality_review',
    ]);
    for (const f of flows.filter((x) => !loopBacks.has(x.id))) {
      const wp = edges.get(f.id)!.waypoint!;
      for (let i = 1; i < wp.length; i++) expect([f.id, wp[i].x >= wp[i - 1].x]).toEqual([f.id, true]);
    }
  });
});
