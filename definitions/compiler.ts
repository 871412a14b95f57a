/**
 * BPMN → CompiledProcedure. Runs outside the workflow (it parses XML and hashes); the workflow
 * receives only the plain-data result. The supported profile is deliberately small, and
 * anything with execution semantics outside it is refused with its id and BPMN type —
 * never silently ignored, so a diagram never means more than the engine does.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BpmnModdle, type ImportWarning, type ModdleElement } from 'bpmn-moddle';
import jueceDescriptor from './juece.json';
import { ConditionSyntaxError, conditionPaths, parseCondition } from '../workflows/conditions';
import { ROLES, STEP_KINDS } from '../workflows/procedure';
import type { CompiledElement, CompiledFlow, CompiledProcedure, ElementType, StepMeta, TimerSpec } from '../workflows/procedure';
import { CaseFactsSchema, RECORD_SCHEMAS } from '../workflows/records';
import { FACT_OF_KIND } from './statute';

export interface CompileProblem {
  /** The offending element (or its nearest ancestor with an id). */
  id?: string;
  /** Its BPMN type as bpmn-moddle names it, e.g. "bpmn:ScriptTask". */
  type?: string;
  message: string;
}

/** A definition the engine refuses to run; lists every problem found, not just the first. */
export class CompileError extends Error {
  constructor(
    readonly problems: CompileProblem[],
    readonly file?: string,
  ) {
    const where = file ? ` ${file}` : '';
    super(`BPMN definition${where} refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'CompileError';
  }
}

const formatProblem = (p: CompileProblem) => `  - ${[p.id, p.type && `(${p.type})`].filter(Boolean).join(' ')}${p.id || p.type ? ': ' : ''}${p.message}`;

/**
 * The juece extension with every attribute read as a string, so the compiler sees what was
 * written: moddle would turn juece:conditional="yes" into false and "abc" working days into NaN.
 */
const JUECE_RAW = {
  ...jueceDescriptor,
  types: jueceDescriptor.types.map((t) => ({ ...t, properties: t.properties.map((p) => ({ ...p, type: 'String' })) })),
};

const ISO_DURATION = /^P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;
const ACTIVITY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STEP_ATTRS = ['kind', 'article', 'role', 'record', 'conditional', 'returnable'] as const;
/** Facts a condition may read: the case facts, and those the office's findings decide (definitions/statute.ts). */
const CASE_FACTS = [...new Set([...Object.keys(CaseFactsSchema.shape), ...Object.values(FACT_OF_KIND).map((f) => f.fact)])];

/** Elements that document but do not execute: accepted and left out of the compiled graph. */
const DOCUMENTATION_ONLY = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
const ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group']);

const HINTS: Record<string, string> = {
  'bpmn:Task': 'use a userTask (statutory step) or a serviceTask (automated activity)',
  'bpmn:ScriptTask': 'use a serviceTask with juece:activity',
  'bpmn:BusinessRuleTask': 'use a serviceTask with juece:activity',
  'bpmn:SendTask': 'use a serviceTask with juece:activity',
  'bpmn:ReceiveTask': 'use a userTask',
  'bpmn:ManualTask': 'use a userTask',
  'bpmn:SubProcess': 'flatten it into the process',
  'bpmn:Transaction': 'flatten it into the process',
  'bpmn:AdHocSubProcess': 'flatten it into the process',
  'bpmn:CallActivity': 'flatten the called process into this one',
  'bpmn:InclusiveGateway': 'use a parallel gateway with an exclusive gateway on each branch',
  'bpmn:EventBasedGateway': 'use an exclusive gateway, or a boundary timer on the waiting task',
  'bpmn:ComplexGateway': 'use exclusive and parallel gateways',
  'bpmn:IntermediateThrowEvent': 'the profile has no throw events; use a serviceTask',
};

type Problems = CompileProblem[];

/** Properties of a moddle element, read defensively. */
const list = (e: ModdleElement, prop: string) => ((e[prop] as ModdleElement[] | undefined) ?? []).filter(Boolean);
const ref = (e: ModdleElement, prop: string) => e[prop] as ModdleElement | undefined;
const str = (e: ModdleElement, prop: string) => (typeof e[prop] === 'string' ? (e[prop] as string) : undefined);

/** The element itself if it has an id, else its nearest ancestor with one. */
function locate(e: ModdleElement): { id?: string; type: string; via?: string } {
  for (let cur: ModdleElement | undefined = e; cur; cur = cur.$parent) {
    if (cur.id) return { id: cur.id, type: cur.$type, via: cur === e ? undefined : e.$type };
  }
  return { type: e.$type };
}

function problemAt(e: ModdleElement, message: string): CompileProblem {
  const { id, type, via } = locate(e);
  return { id, type, message: via ? `${via}: ${message}` : message };
}

/** Compile a BPMN document to the procedure the engine runs; throws CompileError listing every problem. */
export async function compileBpmn(xml: string): Promise<CompiledProcedure> {
  const moddle = new BpmnModdle({ juece: JUECE_RAW });
  let rootElement: ModdleElement;
  let warnings: ImportWarning[];
  try {
    ({ rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions'));
  } catch (err) {
    throw new CompileError([{ message: `not a readable BPMN 2.0 document: ${(err as Error).message}` }]);
  }
  const problems: Problems = warnings.map((w) => importProblem(w, rootElement, xml));

  const processes: ModdleElement[] = [];
  for (const root of list(rootElement, 'rootElements')) {
    if (root.$type === 'bpmn:Process') processes.push(root);
    else if (root.$type === 'bpmn:Collaboration') checkCollaboration(root, problems);
    else if (root.$type === 'bpmn:Choreography' || root.$type === 'bpmn:GlobalConversation')
      problems.push(problemAt(root, `${root.$type} is not supported by the Juece profile`));
    // Messages, signals, errors, item definitions, data stores, resources, categories… are only
    // definitions; an element that would use one at run time is refused where it appears.
  }
  if (processes.length === 0) problems.push({ id: rootElement.id, type: rootElement.$type, message: 'the document defines no process' });
  if (processes.length > 1)
    for (const p of processes)
      problems.push(problemAt(p, `the document defines ${processes.length} processes (${processes.map((q) => q.id).join(', ')}); Juece runs exactly one per file`));

  const compiled = processes.map((p) => compileProcess(p, xml, problems));
  if (problems.length) throw new CompileError(problems);
  return compiled[0]!;
}

/** bpmn-moddle import warnings (unknown attributes and elements, duplicate ids, dangling references) are problems. */
function importProblem(w: ImportWarning, defs: ModdleElement, xml: string): CompileProblem {
  if (w.element?.$type) {
    const at = problemAt(w.element, w.message);
    return w.property && !w.message.includes(w.property) ? { ...at, message: `${at.message} (property ${w.property})` } : at;
  }
  const encoding = /unsupported document encoding <([^>]+)>/.exec(w.message);
  if (encoding)
    return { id: defs.id, type: defs.$type, message: `the document declares encoding ${encoding[1]}; Juece definitions must be UTF-8` };
  const unparsable = /^unparsable content <([^>\s]+)>?[^\n]*\n\s*line: (\d+)\n\s*column: (\d+)\n\s*nested error: ([\s\S]*)$/.exec(w.message);
  if (unparsable) {
    const [, tag, line, column, nested] = unparsable;
    const id = /duplicate ID <([^>]+)>/.exec(nested)?.[1] ?? idOfTagAt(xml, Number(line), Number(column));
    return { id, type: typeOfTag(xml, tag), message: `${nested.trim()} (line ${Number(line) + 1}, column ${Number(column) + 1})` };
  }
  return { id: defs.id, type: defs.$type, message: w.message };
}

const BPMN_MODEL_URI = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** A BPMN tag as written (any prefix, lowerCamel) in moddle's type spelling, e.g. semantic:userTask → bpmn:UserTask. */
function typeOfTag(xml: string, tag: string): string {
  const [prefix, local] = tag.includes(':') ? tag.split(':', 2) : ['', tag];
  const declaration = new RegExp(`xmlns${prefix ? `:${prefix.replace(/\./g, '\\.')}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(xml);
  return declaration?.[1] === BPMN_MODEL_URI ? `bpmn:${local[0].toUpperCase()}${local.slice(1)}` : tag;
}

/** The id attribute of the tag starting at a 0-based line and column, as saxen counts them. */
function idOfTagAt(xml: string, line: number, column: number): string | undefined {
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let l = 0; l < line; l++) {
    const m = breaks.exec(xml);
    if (!m) return undefined;
    start = m.index + m[0].length;
  }
  const tag = /^<[^\s/>]+((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)/.exec(xml.slice(start + column));
  return tag ? /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag[1])?.slice(1).find((v) => v !== undefined) : undefined;
}

/** Pools and message flows model several parties; a Juece procedure is one party's process. */
function checkCollaboration(c: ModdleElement, problems: Problems) {
  for (const p of list(c, 'participants'))
    problems.push(problemAt(p, 'participants (pools) are not supported; draw the process without a pool (lanes are fine)'));
  for (const f of list(c, 'messageFlows')) problems.push(problemAt(f, 'message flows are not supported'));
  for (const prop of ['conversations', 'conversationLinks'])
    for (const x of list(c, prop)) problems.push(problemAt(x, `${x.$type} is not supported by the Juece profile`));
}

function refuse(e: ModdleElement, problems: Problems, detail?: string) {
  const hint = HINTS[e.$type];
  const name = e.name?.replace(/\s+/g, ' ').trim();
  const what = `${e.$type}${name ? ` "${name}"` : ''} is not supported by the Juece profile`;
  problems.push(problemAt(e, [detail ?? what, hint].filter(Boolean).join('; ')));
}

function compileProcess(proc: ModdleElement, xml: string, problems: Problems): CompiledProcedure {
  const elements: Record<string, CompiledElement> = {};
  const flows: Record<string, CompiledFlow> = {};
  /** Ids of flow nodes refused above; flows touching them are dropped without a second problem. */
  const refused = new Set<string>();
  /** Nodes that lost a flow to a refused node: their in/out checks would only repeat the refusal. */
  const damaged = new Set<string>();
  /** Flows dropped because they touch a refused node. */
  const dropped = new Set<string>();
  const types = new Map<string, string>();
  /** Flows whose condition was reported as unusable: not also "missing a condition". */
  const unusableConditions = new Set<string>();

  const claim = (e: ModdleElement): e is ModdleElement & { id: string } => {
    if (!e.id) {
      problems.push(problemAt(e, `${e.$type} has no id`));
      return false;
    }
    if (types.has(e.id)) {
      problems.push(problemAt(e, `duplicate id ${e.id} (also a ${types.get(e.id)})`));
      return false;
    }
    types.set(e.id, e.$type);
    return true;
  };
  const add = (e: ModdleElement & { id: string }, type: ElementType, extra: Partial<CompiledElement> = {}) => {
    elements[e.id] = { id: e.id, type, name: e.name ?? '', incoming: [], outgoing: [], ...extra };
  };

  if (!proc.id) problems.push(problemAt(proc, 'the process has no id'));
  const version = str(proc, 'version')?.trim();
  if (!version) problems.push(problemAt(proc, 'juece:version is required on the process'));

  for (const a of list(proc, 'artifacts')) if (!ARTIFACTS.has(a.$type)) refuse(a, problems);

  const sequenceFlows: ModdleElement[] = [];
  const boundaries: ModdleElement[] = [];
  let refusedStarts = 0;
  for (const e of list(proc, 'flowElements')) {
    if (DOCUMENTATION_ONLY.has(e.$type)) continue;
    if (e.$type === 'bpmn:SequenceFlow') {
      sequenceFlows.push(e);
      continue;
    }
    if (!claim(e)) continue;
    const before = problems.length;
    switch (e.$type) {
      case 'bpmn:StartEvent':
      case 'bpmn:EndEvent': {
        const defs = eventDefinitions(e);
        if (defs.length === 0) add(e, e.$type === 'bpmn:StartEvent' ? 'startEvent' : 'endEvent');
        else {
          if (e.$type === 'bpmn:StartEvent') refusedStarts++;
          const kind = e.$type === 'bpmn:StartEvent' ? 'start' : 'end';
          refuse(e, problems, `${describeDefinitions(defs)} ${kind} events are not supported (${defs.map((d) => d.$type).join(', ')}); only a none ${kind} event`);
        }
        break;
      }
      case 'bpmn:UserTask':
      case 'bpmn:ServiceTask': {
        checkActivity(e, problems);
        const meta = e.$type === 'bpmn:UserTask' ? stepMeta(e, problems) : undefined;
        const activity = e.$type === 'bpmn:ServiceTask' ? serviceActivity(e, problems) : undefined;
        if (problems.length === before) add(e, e.$type === 'bpmn:UserTask' ? 'userTask' : 'serviceTask', meta ? { step: meta } : { activity });
        break;
      }
      case 'bpmn:ExclusiveGateway': {
        const def = ref(e, 'default');
        add(e, 'exclusiveGateway', def?.id ? { defaultFlow: def.id } : {});
        break;
      }
      case 'bpmn:ParallelGateway':
        add(e, 'parallelGateway');
        break;
      case 'bpmn:IntermediateCatchEvent': {
        const timer = timerOf(e, problems);
        if (timer) add(e, 'intermediateTimer', { timer });
        break;
      }
      case 'bpmn:BoundaryEvent': {
        const timer = timerOf(e, problems);
        if (timer) {
          add(e, 'boundaryTimer', { timer, attachedTo: ref(e, 'attachedToRef')?.id, cancelActivity: e.cancelActivity !== false });
          boundaries.push(e);
        }
        break;
      }
      default:
        refuse(e, problems);
    }
    if (!elements[e.id]) refused.add(e.id);
  }

  // Boundary timers hang on a task of this process.
  for (const b of boundaries) {
    const el = elements[b.id!];
    const task = el.attachedTo ? elements[el.attachedTo] : undefined;
    if (!el.attachedTo) problems.push(problemAt(b, 'a boundary event must be attached to a task (attachedToRef)'));
    else if (refused.has(el.attachedTo)) damaged.add(b.id!);
    else if (!task || (task.type !== 'userTask' && task.type !== 'serviceTask'))
      problems.push(problemAt(b, `a boundary timer must be attached to a userTask or serviceTask, not ${types.get(el.attachedTo) ?? el.attachedTo}`));
    else (task.boundary ??= []).push(b.id!);
  }

  for (const f of sequenceFlows) {
    if (!claim(f)) continue;
    const source = ref(f, 'sourceRef')?.id;
    const target = ref(f, 'targetRef')?.id;
    if (!source || !target) {
      // An unresolved reference was already reported by the import; only a missing attribute is new.
      if (!f.sourceRef || !f.targetRef) problems.push(problemAt(f, 'a sequence flow needs both sourceRef and targetRef'));
      continue;
    }
    if (refused.has(source) || refused.has(target)) {
      damaged.add(source).add(target);
      dropped.add(f.id);
      continue;
    }
    if (!elements[source] || !elements[target]) {
      const other = elements[source] ? target : source;
      problems.push(problemAt(f, `connects ${other}, which is not a flow node of process ${proc.id}`));
      continue;
    }
    const flow: CompiledFlow = { id: f.id, name: f.name ?? '', source, target };
    const expr = ref(f, 'conditionExpression');
    if (expr) {
      const parsed = conditionOf(f, expr, problems);
      if (parsed) Object.assign(flow, parsed);
      else unusableConditions.add(f.id);
    }
    flows[f.id] = flow;
    elements[source].outgoing.push(f.id);
    elements[target].incoming.push(f.id);
  }

  const starts = Object.values(elements).filter((e) => e.type === 'startEvent');
  if (starts.length === 0 && refusedStarts === 0) problems.push(problemAt(proc, 'the process has no start event'));
  if (starts.length > 1)
    for (const s of starts) problems.push({ id: s.id, type: 'bpmn:StartEvent', message: `the process has ${starts.length} start events; Juece needs exactly one` });

  checkStructure({ elements, flows, types, refused, damaged, dropped, unusableConditions }, problems);
  const graphIntact = damaged.size === 0 && refused.size === 0 && starts.length === 1;
  if (graphIntact) checkReachability(elements, flows, starts[0].id, types, problems);
  checkStatute(proc, elements, flows, graphIntact ? starts[0].id : undefined, problems);

  return {
    key: proc.id ?? '',
    name: proc.name ?? proc.id ?? '',
    version: version ?? '',
    hash: createHash('sha256').update(xml, 'utf8').digest('hex'),
    startEvent: starts[0]?.id ?? '',
    elements,
    flows,
  };
}

const eventDefinitions = (e: ModdleElement) => [...list(e, 'eventDefinitions'), ...list(e, 'eventDefinitionRefs')];
const describeDefinitions = (defs: ModdleElement[]) =>
  defs.length > 1 ? 'multiple' : defs[0].$type.replace(/^bpmn:/, '').replace(/EventDefinition$/, '').toLowerCase();

/** Activity attributes with execution semantics the engine does not implement. */
function checkActivity(e: ModdleElement, problems: Problems) {
  const loop = ref(e, 'loopCharacteristics');
  if (loop) problems.push(problemAt(e, `${loop.$type} (loops and multi-instance) is not supported`));
  if (e.isForCompensation === true) problems.push(problemAt(e, 'compensation handlers are not supported'));
  for (const r of list(e, 'resources'))
    problems.push(problemAt(e, `${r.$type} is not supported; assign the step with juece:role`));
  if (ref(e, 'default')) problems.push(problemAt(e, 'a default flow on a task is not supported; branch with an exclusive gateway'));
  for (const q of ['startQuantity', 'completionQuantity'])
    if (e[q] !== undefined && e[q] !== 1) problems.push(problemAt(e, `${q} other than 1 is not supported`));
}

function stepMeta(e: ModdleElement, problems: Problems): StepMeta | undefined {
  const before = problems.length;
  const need = (attr: string) => {
    const v = str(e, attr)?.trim();
    if (!v) problems.push(problemAt(e, `juece:${attr} is required on a userTask`));
    return v;
  };
  const oneOf = <T extends string>(attr: string, allowed: readonly T[], v: string | undefined): T | undefined => {
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      problems.push(problemAt(e, `juece:${attr}="${v}" is not one of ${allowed.join(', ')}`));
      return undefined;
    }
    return v as T;
  };
  const flag = (attr: string) => oneOf(attr, ['true', 'false'] as const, str(e, attr)?.trim()) === 'true';
  const kind = oneOf('kind', STEP_KINDS, need('kind'));
  const article = need('article');
  const role = oneOf('role', ROLES, need('role'));
  const record = oneOf('record', Object.keys(RECORD_SCHEMAS), need('record'));
  const conditional = flag('conditional');
  const returnable = flag('returnable');
  if (str(e, 'activity') !== undefined) problems.push(problemAt(e, 'juece:activity belongs on a serviceTask, not a userTask'));
  if (problems.length > before) return undefined;
  return { kind: kind!, article: article!, role: role!, record: record!, conditional, returnable };
}

function serviceActivity(e: ModdleElement, problems: Problems): string | undefined {
  for (const attr of STEP_ATTRS)
    if (str(e, attr) !== undefined) problems.push(problemAt(e, `juece:${attr} belongs on a userTask, not a serviceTask`));
  const activity = str(e, 'activity')?.trim();
  if (!activity) problems.push(problemAt(e, 'juece:activity is required on a serviceTask'));
  else if (!ACTIVITY_NAME.test(activity)) problems.push(problemAt(e, `juece:activity="${activity}" is not an activity name`));
  return activity;
}

/** The one timer definition of a catch or boundary event; anything else is refused. */
function timerOf(e: ModdleElement, problems: Problems): TimerSpec | undefined {
  const defs = eventDefinitions(e);
  if (defs.length !== 1 || defs[0].$type !== 'bpmn:TimerEventDefinition' || list(e, 'eventDefinitionRefs').length) {
    const kind = e.$type === 'bpmn:BoundaryEvent' ? 'boundary' : 'intermediate catch';
    const what = defs.length ? `${describeDefinitions(defs)} ${kind} events (${defs.map((d) => d.$type).join(', ')})` : `${kind} events without a definition`;
    refuse(e, problems, `${what} are not supported; only timer events`);
    return undefined;
  }
  const def = defs[0];
  const before = problems.length;
  for (const p of ['timeDate', 'timeCycle'])
    if (ref(def, p)) problems.push(problemAt(e, `timer ${p} is not supported; use timeDuration or juece:workingDays`));
  const spec: TimerSpec = {};
  const duration = ref(def, 'timeDuration');
  if (duration) {
    const iso = (str(duration, 'body') ?? '').trim();
    if (ISO_DURATION.test(iso)) spec.isoDuration = iso;
    else problems.push(problemAt(e, `timeDuration "${iso}" is not an ISO-8601 duration in days, hours, minutes or seconds (e.g. P21D, PT2H, P1DT2H)`));
  }
  const wd = str(def, 'workingDays');
  if (wd !== undefined) {
    if (/^\s*[1-9][0-9]*\s*$/.test(wd)) spec.workingDays = Number(wd);
    else problems.push(problemAt(e, `juece:workingDays="${wd}" is not a positive whole number`));
  }
  if (!duration && wd === undefined && problems.length === before)
    problems.push(problemAt(e, 'a timer needs a timeDuration or juece:workingDays'));
  return problems.length === before ? spec : undefined;
}

/** The parsed condition of a flow, or undefined after reporting why it cannot be used. */
function conditionOf(f: ModdleElement, expr: ModdleElement, problems: Problems): Pick<CompiledFlow, 'condition' | 'conditionText'> | undefined {
  const language = str(expr, 'language');
  if (language && language !== jueceDescriptor.uri) {
    problems.push(problemAt(f, `condition language "${language}" is not supported; write a Juece condition without a language attribute`));
    return undefined;
  }
  const text = str(expr, 'body') ?? '';
  try {
    return { condition: parseCondition(text), conditionText: text.trim() };
  } catch (err) {
    if (!(err instanceof ConditionSyntaxError)) throw err;
    problems.push(problemAt(f, `condition syntax error at position ${err.position}: ${err.reason} (in ${JSON.stringify(text)})`));
    return undefined;
  }
}

/** The graph under construction and what was left out of it, so later checks don't repeat a refusal. */
interface Graph {
  elements: Record<string, CompiledElement>;
  flows: Record<string, CompiledFlow>;
  types: Map<string, string>;
  refused: Set<string>;
  damaged: Set<string>;
  dropped: Set<string>;
  unusableConditions: Set<string>;
}

function checkStructure({ elements, flows, types, refused, damaged, dropped, unusableConditions }: Graph, problems: Problems) {
  const at = (id: string, message: string) => problems.push({ id, type: types.get(id), message });
  for (const e of Object.values(elements)) {
    const whole = !damaged.has(e.id);
    switch (e.type) {
      case 'startEvent':
        if (e.incoming.length) at(e.id, 'a start event cannot have incoming flows');
        if (!e.outgoing.length && whole) at(e.id, 'the start event has no outgoing flow');
        break;
      case 'endEvent':
        if (e.outgoing.length) at(e.id, 'an end event cannot have outgoing flows');
        if (!e.incoming.length && whole) at(e.id, 'no flow leads to this end event');
        break;
      case 'boundaryTimer':
        if (e.incoming.length) at(e.id, 'a boundary event cannot have incoming flows');
        if (!e.outgoing.length && whole) at(e.id, 'the boundary timer has no outgoing flow');
        break;
      default:
        if (!e.incoming.length && whole) at(e.id, 'no flow leads to this element');
        if (!e.outgoing.length && whole) at(e.id, 'no flow leaves this element');
    }
    if (e.type === 'exclusiveGateway') {
      if (e.defaultFlow && !e.outgoing.includes(e.defaultFlow) && !dropped.has(e.defaultFlow))
        at(e.id, `the default flow ${e.defaultFlow} is not one of this gateway's outgoing flows`);
      if (e.defaultFlow && flows[e.defaultFlow]?.condition) at(e.defaultFlow, 'a default flow cannot carry a condition');
      if (e.outgoing.length > 1)
        for (const f of e.outgoing)
          if (f !== e.defaultFlow && !flows[f].condition && !unusableConditions.has(f))
            at(f, `flow out of exclusive gateway ${e.id} needs a condition (or must be the gateway's default flow)`);
    }
  }
  for (const f of Object.values(flows)) {
    if (!f.condition) continue;
    const src = elements[f.source];
    if (src.type === 'parallelGateway') at(f.id, `parallel gateway ${src.id} takes every outgoing flow; conditions on them are not allowed`);
    else if (src.type !== 'exclusiveGateway' && src.type !== 'userTask' && src.type !== 'serviceTask')
      at(f.id, `conditions are only allowed on flows out of tasks and exclusive gateways, not out of a ${types.get(src.id)}`);
    for (const p of conditionPaths(f.condition)) {
      const problem = pathProblem(p, elements, refused);
      if (problem) at(f.id, problem);
    }
  }
}

/** Conditions read facts.<case fact> or outcome.<task id>: catch typos at compile time, not in a running case. */
function pathProblem(p: string[], elements: Record<string, CompiledElement>, refused: Set<string>): string | undefined {
  const text = p.join('.');
  if (p[0] === 'outcome' && p.length === 2 && refused.has(p[1])) return undefined;
  if (p[0] === 'facts') {
    if (p.length !== 2 || !CASE_FACTS.includes(p[1])) return `condition reads ${text}, which is not a case fact (facts.${CASE_FACTS.join(', facts.')})`;
  } else if (p[0] === 'outcome') {
    const e = p.length === 2 ? elements[p[1]] : undefined;
    if (!e || !['userTask', 'serviceTask', 'intermediateTimer'].includes(e.type))
      return `condition reads ${text}, but outcome.<id> must name a task of this process`;
  }
  return undefined;
}

/** Successors of a node: its outgoing flows' targets, and a task's boundary events. */
function successors(e: CompiledElement, flows: Record<string, CompiledFlow>): string[] {
  return [...e.outgoing.map((f) => flows[f].target), ...(e.boundary ?? [])];
}

/** Every node reachable from the start, and able to reach an end. */
function checkReachability(elements: Record<string, CompiledElement>, flows: Record<string, CompiledFlow>, start: string, types: Map<string, string>, problems: Problems) {
  const reached = new Set([start]);
  for (const queue = [start]; queue.length; )
    for (const n of successors(elements[queue.shift()!], flows)) if (!reached.has(n) && reached.add(n)) queue.push(n);
  const preds = new Map<string, string[]>();
  for (const e of Object.values(elements)) for (const n of successors(e, flows)) preds.set(n, [...(preds.get(n) ?? []), e.id]);
  const ends = Object.values(elements).filter((e) => e.type === 'endEvent').map((e) => e.id);
  const finishing = new Set(ends);
  for (const queue = [...ends]; queue.length; )
    for (const n of preds.get(queue.shift()!) ?? []) if (!finishing.has(n) && finishing.add(n)) queue.push(n);
  for (const id of Object.keys(elements)) {
    if (!reached.has(id)) problems.push({ id, type: types.get(id), message: 'cannot be reached from the start event' });
    else if (!finishing.has(id)) problems.push({ id, type: types.get(id), message: 'no path leads from here to an end event' });
  }
}

/**
 * Decree 713 Arts. 25 and 30: legality review and collective decision are always mandatory,
 * and no collective decision may be reached without a legality review. "Passing" is judged
 * with token semantics: a parallel join waits for all its branches, so a review on any one
 * of them covers what follows the join; any other merge needs a review on every branch.
 */
function checkStatute(proc: ModdleElement, elements: Record<string, CompiledElement>, flows: Record<string, CompiledFlow>, start: string | undefined, problems: Problems) {
  const tasks = Object.values(elements).filter((e) => e.type === 'userTask');
  const reviews = tasks.filter((e) => e.step?.kind === 'legality-review');
  const decisions = tasks.filter((e) => e.step?.kind === 'collective-decision');
  if (!reviews.length)
    problems.push(problemAt(proc, 'Decree 713 Art. 25: the procedure must contain a legality review (a userTask with juece:kind="legality-review")'));
  if (!decisions.length)
    problems.push(problemAt(proc, 'Decree 713 Art. 30: the procedure must contain a collective decision (a userTask with juece:kind="collective-decision")'));
  if (!start || !reviews.length || !decisions.length) return;

  // reviewed[n]: every token arriving at n has passed a completed legality review (greatest fixpoint).
  const reviewed: Record<string, boolean> = {};
  for (const id of Object.keys(elements)) reviewed[id] = id !== start;
  const after = (id: string) => reviewed[id] || elements[id].step?.kind === 'legality-review';
  const arrivals = (e: CompiledElement): boolean[] =>
    e.type === 'boundaryTimer' ? [reviewed[e.attachedTo!]] : e.incoming.map((f) => after(flows[f].source));
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of Object.values(elements)) {
      if (e.id === start || !reviewed[e.id]) continue;
      const a = arrivals(e);
      const joins = e.type === 'parallelGateway' && a.length > 1;
      if (joins ? a.length > 0 && !a.some(Boolean) : !a.every(Boolean)) {
        reviewed[e.id] = false;
        changed = true;
      }
    }
  }
  for (const d of decisions) {
    if (reviewed[d.id]) continue;
    problems.push({
      id: d.id,
      type: 'bpmn:UserTask',
      message: `Decree 713 Art. 25: collective decision ${d.id} can be reached without passing a legality review, e.g. ${witness(d.id, start, elements, flows, reviewed).join(' → ')}`,
    });
  }
}

/** A path from the start to `to` on which no legality review is completed. */
function witness(to: string, start: string, elements: Record<string, CompiledElement>, flows: Record<string, CompiledFlow>, reviewed: Record<string, boolean>): string[] {
  const pathBack = [to];
  const seen = new Set([to]);
  for (let cur = to; cur !== start; ) {
    const e = elements[cur];
    // A boundary event leaves its task unfinished, so it continues the path even from a review.
    const unreviewed =
      e.type === 'boundaryTimer'
        ? [e.attachedTo!].filter((t) => !reviewed[t])
        : e.incoming.map((f) => flows[f].source).filter((p) => !reviewed[p] && elements[p].step?.kind !== 'legality-review');
    const next = unreviewed.find((p) => !seen.has(p));
    if (!next) break;
    seen.add(next);
    pathBack.push(next);
    cur = next;
  }
  return pathBack.reverse();
}

/** Compile every *.bpmn file in a folder, keyed by process id; the first faulty file throws. */
export async function loadDefinitions(dir: string = __dirname): Promise<Map<string, { procedure: CompiledProcedure; xml: string; file: string }>> {
  const out = new Map<string, { procedure: CompiledProcedure; xml: string; file: string }>();
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.bpmn')).sort()) {
    const file = path.join(dir, name);
    const xml = await readFile(file, 'utf8');
    let procedure: CompiledProcedure;
    try {
      procedure = await compileBpmn(xml);
    } catch (err) {
      throw err instanceof CompileError ? new CompileError(err.problems, file) : err;
    }
    const clash = out.get(procedure.key);
    if (clash)
      throw new CompileError([{ id: procedure.key, type: 'bpmn:Process', message: `process id ${procedure.key} is also defined in ${clash.file}` }], file);
    out.set(procedure.key, { procedure, xml, file });
  }
  return out;
}
