/** Hand-built compiled procedures for interpreter and guard unit tests. */
import type { CompiledElement, CompiledFlow, CompiledProcedure, ElementType, StepKind } from '../../workflows/procedure';
import { parseCondition } from '../../workflows/conditions';

type Node = [id: string, type: ElementType, kind?: StepKind, extra?: Partial<CompiledElement>];
type Edge = [source: string, target: string, condition?: string, opts?: { isDefault?: boolean; id?: string }];

/** Build a procedure from nodes and edges; tasks get a step meta from their kind. */
export function graph(nodes: Node[], edges: Edge[]): CompiledProcedure {
  const elements: Record<string, CompiledElement> = {};
  for (const [id, type, kind, extra] of nodes) {
    elements[id] = {
      id,
      type,
      name: id,
      incoming: [],
      outgoing: [],
      ...(type === 'userTask'
        ? { step: { kind: kind ?? 'drafting', article: '1', role: 'department', record: kind ?? 'drafting', conditional: false, returnable: false, ...(extra?.step ?? {}) } }
        : {}),
      ...extra,
    } as CompiledElement;
    if (type === 'userTask' && extra?.step) elements[id].step = { ...elements[id].step!, ...extra.step };
  }
  const flows: Record<string, CompiledFlow> = {};
  for (const [source, target, cond, opts] of edges) {
    const id = opts?.id ?? `${source}->${target}`;
    flows[id] = { id, name: '', source, target, ...(cond ? { condition: parseCondition(cond), conditionText: cond } : {}) };
    elements[source].outgoing.push(id);
    elements[target].incoming.push(id);
    if (opts?.isDefault) elements[source].defaultFlow = id;
  }
  for (const e of Object.values(elements)) if (e.type === 'boundaryTimer' && e.attachedTo) (elements[e.attachedTo].boundary ??= []).push(e.id);
  const start = Object.values(elements).find((e) => e.type === 'startEvent')!;
  return { key: 'test', name: 'test', version: '1', hash: 'h', startEvent: start.id, elements, flows };
}
