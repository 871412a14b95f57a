/**
 * The BPMN token interpreter: pure, deterministic, and independent of Temporal so it can be
 * tested exhaustively. It moves tokens through a CompiledProcedure; user tasks wait for
 * actions, service tasks and timers wait for the workflow driver.
 */
import { evaluateCondition } from './conditions';
import type { CompiledElement, CompiledProcedure } from './procedure';

export type ElementStatus = 'locked' | 'enabled' | 'active' | 'completed' | 'not-applicable' | 'rework' | 'bypassed';

/** Statuses in which a step no longer blocks what follows it. */
export const SETTLED: ReadonlySet<ElementStatus> = new Set(['completed', 'not-applicable', 'bypassed', 'rework']);

export interface ElementState {
  status: ElementStatus;
  visits: number;
  overdue: boolean;
  enabledAt?: number;
  startedAt?: number;
  startedBy?: string;
  completedAt?: number;
  completedBy?: string;
  outcome?: string;
}

export interface Token {
  id: number;
  at: string;
}

export interface ArmedTimer {
  /** The timer element (intermediate or boundary). */
  id: string;
  dueAt: number;
}

export interface EngineState {
  elements: Record<string, ElementState>;
  tokens: Token[];
  /** Parallel joins: arrivals per incoming flow not yet consumed. */
  joins: Record<string, Record<string, number>>;
  /** How often each sequence flow was taken (the executed path). */
  takenFlows: Record<string, number>;
  /** Last outcome of each element, read by gateway conditions as outcome.<id>. */
  outcome: Record<string, string>;
  timers: ArmedTimer[];
  nextToken: number;
  incidents: string[];
  completed: boolean;
  /**
   * Steps reopened outside the drawn path (a revised finding, or the legality review body
   * reopening a skipped step): where the token goes when the step is done — back to the task
   * it was taken from, or nowhere (null) when that task had not been reached.
   */
  detours?: Record<string, string | null>;
}

export interface EngineContext {
  now: number;
  facts: Record<string, unknown>;
  /** Computes when a timer element falls due, from its spec and the time it was armed. */
  dueAt: (timer: CompiledElement, armedAt: number) => number;
}

/** A fresh state with one token on the start event, advanced as far as it goes. */
export function startEngine(p: CompiledProcedure, ctx: EngineContext): EngineState {
  const elements: Record<string, ElementState> = {};
  for (const id of Object.keys(p.elements)) elements[id] = { status: 'locked', visits: 0, overdue: false };
  const state: EngineState = { elements, tokens: [], joins: {}, takenFlows: {}, outcome: {}, timers: [], nextToken: 1, incidents: [], completed: false, detours: {} };
  arrive(p, state, p.startEvent, ctx);
  return state;
}

function el(p: CompiledProcedure, id: string): CompiledElement {
  const e = p.elements[id];
  if (!e) throw new Error(`unknown element ${id}`);
  return e;
}

/** A token arrives at an element (not via a flow: the start). */
function arrive(p: CompiledProcedure, s: EngineState, id: string, ctx: EngineContext, via?: string) {
  const e = el(p, id);
  const st = s.elements[id];
  switch (e.type) {
    case 'parallelGateway': {
      if (e.incoming.length > 1) {
        const join = (s.joins[id] ??= {});
        if (via) join[via] = (join[via] ?? 0) + 1;
        if (!e.incoming.every((f) => (join[f] ?? 0) > 0)) {
          st.status = 'active';
          return;
        }
        for (const f of e.incoming) join[f] -= 1;
      }
      markPassed(st, ctx);
      for (const f of e.outgoing) take(p, s, f, ctx);
      return;
    }
    case 'exclusiveGateway': {
      markPassed(st, ctx);
      const chosen = chooseExclusive(p, s, e, ctx);
      if (!chosen) {
        s.incidents.push(`exclusive gateway ${id}: no condition matched and no default flow`);
        return;
      }
      for (const f of e.outgoing) if (f !== chosen) bypass(p, s, p.flows[f].target, p.flows[chosen].target);
      take(p, s, chosen, ctx);
      return;
    }
    case 'startEvent':
      markPassed(st, ctx);
      for (const f of e.outgoing) take(p, s, f, ctx);
      return;
    case 'endEvent':
      markPassed(st, ctx);
      s.completed = s.tokens.length === 0 && s.timers.length === 0;
      return;
    case 'userTask':
    case 'serviceTask':
    case 'intermediateTimer': {
      st.visits += 1;
      st.status = e.type === 'userTask' ? 'enabled' : 'active';
      st.overdue = false;
      st.enabledAt = ctx.now;
      st.startedAt = st.startedBy = st.completedAt = st.completedBy = undefined;
      s.tokens.push({ id: s.nextToken++, at: id });
      if (e.type === 'intermediateTimer') s.timers.push({ id, dueAt: ctx.dueAt(e, ctx.now) });
      for (const b of e.boundary ?? []) s.timers.push({ id: b, dueAt: ctx.dueAt(el(p, b), ctx.now) });
      return;
    }
    case 'boundaryTimer':
      // Boundary events are entered only by their timer firing (fireTimer).
      s.incidents.push(`boundary event ${id} entered by a sequence flow`);
      return;
  }
}

function markPassed(st: ElementState, ctx: EngineContext) {
  st.visits += 1;
  st.status = 'completed';
  st.completedAt = ctx.now;
}

function take(p: CompiledProcedure, s: EngineState, flowId: string, ctx: EngineContext) {
  s.takenFlows[flowId] = (s.takenFlows[flowId] ?? 0) + 1;
  arrive(p, s, p.flows[flowId].target, ctx, flowId);
}

function chooseExclusive(p: CompiledProcedure, s: EngineState, e: CompiledElement, ctx: EngineContext): string | undefined {
  const env = { facts: ctx.facts, outcome: s.outcome };
  for (const f of e.outgoing) {
    if (f === e.defaultFlow) continue;
    const c = p.flows[f].condition;
    if (!c || evaluateCondition(c, env)) return f;
  }
  return e.defaultFlow;
}

/** Structure of a procedure: loop-back flows and a depth-first order of its elements. */
export interface Analysis {
  backEdges: Set<string>;
  order: Record<string, number>;
}

const analyses = new WeakMap<CompiledProcedure, Analysis>();

/** Depth-first search from the start: a flow into an element still on the stack closes a loop. */
export function analyze(p: CompiledProcedure): Analysis {
  const cached = analyses.get(p);
  if (cached) return cached;
  const backEdges = new Set<string>();
  const order: Record<string, number> = {};
  const onStack = new Set<string>();
  let n = 0;
  const visit = (id: string) => {
    order[id] = n++;
    onStack.add(id);
    const e = el(p, id);
    const next = [...e.outgoing, ...(e.boundary ?? []).flatMap((b) => el(p, b).outgoing)];
    for (const f of next) {
      const t = p.flows[f].target;
      if (onStack.has(t)) backEdges.add(f);
      else if (order[t] === undefined) visit(t);
    }
    onStack.delete(id);
  };
  visit(p.startEvent);
  const a = { backEdges, order };
  analyses.set(p, a);
  return a;
}

/** Elements reachable from `id` along forward (non-loop-back) flows, `id` included. */
function forwardReach(p: CompiledProcedure, id: string, stopAt?: Set<string>): Set<string> {
  const { backEdges } = analyze(p);
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    if (stopAt?.has(cur)) continue;
    for (const f of el(p, cur).outgoing) if (!backEdges.has(f)) stack.push(p.flows[f].target);
  }
  return seen;
}

/**
 * Mark the branch an exclusive gateway did not take as bypassed — but only when it is a
 * detour: a branch that rejoins the taken path (a skipped conditional step) or only loops
 * back. A branch that is simply not reached yet (the way forward after a rework loop) stays locked.
 */
function bypass(p: CompiledProcedure, s: EngineState, untakenTarget: string, takenTarget: string) {
  const taken = forwardReach(p, takenTarget);
  const region = forwardReach(p, untakenTarget, taken);
  for (const id of region) {
    if (taken.has(id)) continue;
    if (el(p, id).type === 'endEvent') return; // the branch leads elsewhere: not a detour
  }
  for (const id of region) {
    if (taken.has(id)) continue;
    const e = el(p, id);
    if ((e.type === 'userTask' || e.type === 'serviceTask') && s.elements[id].status === 'locked') {
      s.elements[id].status = 'bypassed';
      for (const b of e.boundary ?? []) s.elements[b].status = 'bypassed';
    }
  }
}

function removeToken(s: EngineState, at: string): boolean {
  const i = s.tokens.findIndex((t) => t.at === at);
  if (i < 0) return false;
  s.tokens.splice(i, 1);
  return true;
}

function disarmBoundary(p: CompiledProcedure, s: EngineState, taskId: string) {
  const bs = new Set(el(p, taskId).boundary ?? []);
  s.timers = s.timers.filter((t) => !bs.has(t.id));
}

/** A user task becomes active. */
export function startTask(p: CompiledProcedure, s: EngineState, id: string, actor: string, ctx: EngineContext) {
  const st = s.elements[id];
  if (st.status !== 'enabled') throw new Error(`${id} is ${st.status}, not enabled`);
  st.status = 'active';
  st.startedAt = ctx.now;
  st.startedBy = actor;
}

/**
 * A task ends and its token leaves. `status` is what the element shows afterwards
 * (completed, not-applicable, rework); `outcome` feeds gateway conditions.
 */
export function leaveTask(
  p: CompiledProcedure,
  s: EngineState,
  id: string,
  actor: string,
  outcome: string,
  status: ElementStatus,
  ctx: EngineContext,
) {
  const e = el(p, id);
  if (!removeToken(s, id)) throw new Error(`${id} holds no token`);
  disarmBoundary(p, s, id);
  const st = s.elements[id];
  st.status = status;
  st.completedAt = ctx.now;
  st.completedBy = actor;
  st.outcome = outcome;
  s.outcome[id] = outcome;
  const detours = (s.detours ??= {});
  if (id in detours) {
    // A reopened step goes back where it was taken from, not along the drawn flows.
    const back = detours[id];
    delete detours[id];
    if (back) arrive(p, s, back, ctx);
    settle(s);
    return;
  }
  const env = { facts: ctx.facts, outcome: s.outcome };
  const out = e.outgoing.filter((f) => !p.flows[f].condition || evaluateCondition(p.flows[f].condition!, env));
  if (out.length === 0) s.incidents.push(`task ${id}: no outgoing flow could be taken`);
  for (const f of out) take(p, s, f, ctx);
  settle(s);
}

/**
 * Reopen a user task outside the drawn path (Decree 713 Art. 27(2): a step wrongly found not
 * applicable is performed after all). If `returnTo` holds a token, that task waits in rework
 * and opens again once the reopened step is done; with `returnTo` null the token simply ends there.
 */
export function reopenTask(p: CompiledProcedure, s: EngineState, id: string, returnTo: string | null, ctx: EngineContext) {
  const e = el(p, id);
  if (e.type !== 'userTask') throw new Error(`${id} is not a user task`);
  if (s.tokens.some((t) => t.at === id)) throw new Error(`${id} is already open`);
  if (returnTo) {
    if (!removeToken(s, returnTo)) throw new Error(`${returnTo} holds no token`);
    disarmBoundary(p, s, returnTo);
    Object.assign(s.elements[returnTo], { status: 'rework', completedAt: ctx.now, outcome: 'reopened' });
  }
  (s.detours ??= {})[id] = returnTo;
  s.completed = false;
  arrive(p, s, id, ctx);
}

/** Fire every timer due at ctx.now; returns the ids fired. */
export function fireDueTimers(p: CompiledProcedure, s: EngineState, ctx: EngineContext): string[] {
  const due = s.timers.filter((t) => t.dueAt <= ctx.now);
  s.timers = s.timers.filter((t) => t.dueAt > ctx.now);
  for (const t of due) {
    const e = el(p, t.id);
    if (e.type === 'intermediateTimer') {
      leaveTask(p, s, t.id, 'timer', 'fired', 'completed', ctx);
      continue;
    }
    const task = e.attachedTo!;
    markPassed(s.elements[t.id], ctx);
    if (e.cancelActivity) {
      removeToken(s, task);
      disarmBoundary(p, s, task);
      Object.assign(s.elements[task], { status: 'bypassed', completedAt: ctx.now, completedBy: 'timer', outcome: 'timed-out' });
    } else {
      s.elements[task].overdue = true;
    }
    for (const f of e.outgoing) take(p, s, f, ctx);
  }
  settle(s);
  return due.map((t) => t.id);
}

function settle(s: EngineState) {
  if (s.tokens.length === 0 && s.timers.length === 0 && s.incidents.length === 0) s.completed = true;
}

/** Service tasks holding a token, waiting for the driver to run their activity. */
export function pendingServiceTasks(p: CompiledProcedure, s: EngineState): string[] {
  return s.tokens.map((t) => t.at).filter((id) => p.elements[id].type === 'serviceTask');
}

/** The next instant a timer falls due, if any. */
export function nextTimerDue(s: EngineState): number | undefined {
  return s.timers.length ? Math.min(...s.timers.map((t) => t.dueAt)) : undefined;
}

/**
 * The mandatory user tasks that still have to be done before `id` can be reached, in
 * procedure order: walk the flows backwards (a loop-back flow only where work is open in
 * the loop). Conditional steps are left to the statutory guards, which know the case facts.
 */
export function missingPredecessors(p: CompiledProcedure, s: EngineState, id: string): string[] {
  const { backEdges, order } = analyze(p);
  const missing = new Set<string>();
  const seen = new Set<string>([id]);
  const queue = [id];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const f of el(p, cur).incoming) {
      const src = p.flows[f].source;
      const st = s.elements[src];
      if (backEdges.has(f)) {
        if (st.status === 'enabled' || st.status === 'active') missing.add(src);
        continue;
      }
      if (seen.has(src)) continue;
      seen.add(src);
      const e = el(p, src);
      if (e.type === 'userTask' && !SETTLED.has(st.status) && (!e.step?.conditional || st.status !== 'locked')) missing.add(src);
      if (st.status !== 'bypassed') queue.push(src);
    }
  }
  return [...missing].sort((a, b) => (order[a] ?? 0) - (order[b] ?? 0));
}
