/**
 * The step path against its baseline, on the same Temporal server in the same run (issue 10):
 * how large a completed decision's history is; how long a step action takes next to a bare
 * Temporal Update that runs one local activity; and how many acts per second, at what p99, N
 * concurrent clients get — each client driving whole decisions to their end through the API.
 * Bare and Juece are measured back to back at each client count, so both see the same machine.
 */
import { performance } from 'node:perf_hooks';
import { temporal as proto } from '@temporalio/proto';
import { apiPaths } from '../test/support/api-paths';
import type { Harness } from '../test/support/harness';
import { sample } from '../test/support/records';
import { startBaseline, type BareRun } from './baseline';
import { cpuMeter, type CpuUse } from './cpu';
import type { BenchStack } from './stack';
import { summarize, type Summary } from './stats';

/** N clients driving whole decisions through the API for a while. */
export interface JueceRun {
  clients: number;
  seconds: number;
  /** Every POST a decision needs — step actions, the draft, opinions, minutes, confirmations, the creation: each runs one workflow Update (creation: starts the workflow). */
  actsPerSecond: number;
  actLatency: Summary | null;
  /** The step actions among them (start, complete). */
  stepActionsPerSecond: number;
  stepLatency: Summary | null;
  /** Decisions that reached their end inside the window, and the rate they were finished at. */
  decisionsCompleted: number;
  decisionsPerMinute: number;
  /** Acts one whole decision takes, and the decisions per minute the act rate amounts to. */
  actsPerDecision: number;
  decisionsPerMinuteFromActs: number;
  errors: number;
  /** The first few errors, as the client saw them. */
  errorSamples: string[];
  /** CPU ms each part of the stack used per act in the window. */
  cpuMsPerAct: CpuUse;
}

export interface StepPathResults {
  /** A completed standard decision: its history in bytes (protobuf, as Temporal stores it) and events. */
  history: { bytes: number; events: number; decisionId: string };
  /** One at a time: a bare Update with a local activity; creating a decision, its page's first read, step start and complete. */
  sequential: { bare: Summary; create: Summary; firstRead: Summary; start: Summary; complete: Summary };
  /** Per client count, bare and Juece back to back; bare's CPU ms per Update beside Juece's per act. */
  concurrent: Record<string, { bare: BareRun & { cpuMsPerUpdate: CpuUse }; juece: JueceRun }>;
}

/** Thrown by a driver told to stop mid-decision: the window closed; not an error. */
class Stopped extends Error {}

/** Who performs each step, as the integration tests' harness chooses. */
const PERFORMER: Record<string, string> = { initiation: 'office', legality_review: 'sfj', collective_decision: 'office', party_report: 'office', publication: 'office', archive: 'office' };

/**
 * Drive one standard decision from creation to its end through the API, as its people would;
 * `onAct` gets each POST's kind and latency. Before each request `stop()` is asked whether the
 * window has closed.
 */
async function wholeDecision(stack: BenchStack, onAct: (kind: 'step' | 'other', ms: number) => void, stop: () => boolean = () => false): Promise<string> {
  const api = async (method: string, path: string, body?: unknown, as = 'zjj') => {
    if (stop()) throw new Stopped();
    const r = await stack.api(method, path, body, as);
    if (r.status >= 300) throw new Error(`${method} ${path.replace(/D\d+-[\w-]+/, ':id')}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    if (method === 'POST') onAct(/\/steps\//.test(path) ? 'step' : 'other', r.ms);
    return r;
  };
  const h = {
    api: (method: string, path: string, body?: unknown, as?: string | null) => {
      const step = /\/steps\/([^/]+)\//.exec(path)?.[1];
      return api(method, path, body, as ?? (step ? (PERFORMER[step] ?? 'zjj') : 'zjj'));
    },
  } as unknown as Harness;
  const p = apiPaths(h);
  const id = await p.create({}, '基准：完整办理的决策');
  await p.drafted(id);
  await p.throughParallel(id);
  await p.reviewed(id);
  await p.meet(id);
  await p.perform(id, 'party_report', sample['party-report']());
  await p.perform(id, 'publication', sample.publication({ interpretation: undefined }));
  await p.perform(id, 'archive', sample.archive());
  // Implementation opens once the archive's service task has sealed the file.
  for (let i = 0; i < 200; i++) {
    const v = await api('GET', `/api/decisions/${id}`);
    if (v.body?.elements?.implementation?.status === 'enabled') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await p.perform(id, 'implementation', sample.implementation());
  return id;
}

/** The history of a completed decision, encoded as Temporal stores it. */
async function historySize(stack: BenchStack, id: string) {
  const handle = stack.temporal.client.workflow.getHandle(`decision-${id}`);
  await handle.result();
  const history = await handle.fetchHistory();
  return { bytes: proto.api.history.v1.History.encode(history).finish().length, events: history.events?.length ?? 0, decisionId: id };
}

/**
 * Step start and complete one at a time, each on a fresh decision, as the workspace goes: the
 * decision is created, its page reads its state, then the office starts and completes initiation.
 * Creation and that first read are timed apart (the first read waits for the new workflow's first task).
 */
async function sequentialSteps(stack: BenchStack, n: number) {
  const create: number[] = [];
  const firstRead: number[] = [];
  const start: number[] = [];
  const complete: number[] = [];
  for (let i = 0; i < n; i++) {
    const made = await stack.api('POST', '/api/decisions', { title: `基准：单步${i}`, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', facts: {} }, 'zjj');
    if (made.status !== 201) throw new Error(`create: ${made.status} ${JSON.stringify(made.body).slice(0, 300)}`);
    const id = made.body.id as string;
    const read = await stack.api('GET', `/api/decisions/${id}`, undefined, 'office');
    if (read.status !== 200) throw new Error(`read: ${read.status}`);
    create.push(made.ms);
    firstRead.push(read.ms);
    const s = await stack.api('POST', `/api/decisions/${id}/steps/initiation/start`, {}, 'office');
    const c = await stack.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation(), 'office');
    if (s.status !== 200 || c.status !== 200) throw new Error(`sequential steps: ${s.status} ${c.status} ${JSON.stringify(c.body).slice(0, 300)}`);
    start.push(s.ms);
    complete.push(c.ms);
  }
  return { create: summarize(create), firstRead: summarize(firstRead), start: summarize(start), complete: summarize(complete) };
}

/** CPU ms per unit of work, to 0.1. */
const perUnit = (used: CpuUse, n: number): CpuUse => Object.fromEntries(Object.entries(used).map(([k, v]) => [k, n ? Math.round((v / n) * 10) / 10 : 0]));

/** `clients` drivers, each taking decision after decision through to its end, for `seconds`. */
async function jueceLoad(stack: BenchStack, clients: number, seconds: number, actsPerDecision: number): Promise<JueceRun> {
  const cpu = cpuMeter(stack.pids);
  const acts: number[] = [];
  const steps: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let completed = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const stop = () => performance.now() >= end;
  // The CPU of the window itself, not of the acts still finishing after it.
  let used: CpuUse | undefined;
  const snapshot = setTimeout(() => (used = cpu()), seconds * 1000);
  const onAct = (kind: 'step' | 'other', ms: number) => {
    if (stop()) return; // answered after the window closed: outside the measurement
    acts.push(ms);
    if (kind === 'step') steps.push(ms);
  };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!stop()) {
        try {
          await wholeDecision(stack, onAct, stop);
          if (!stop()) completed += 1;
        } catch (err) {
          if (err instanceof Stopped) break;
          errors += 1;
          if (errorSamples.length < 5) errorSamples.push(String((err as Error)?.message ?? err).slice(0, 400));
        }
      }
    }),
  );
  const elapsed = (end - t0) / 1000;
  const actsPerSecond = acts.length / elapsed;
  clearTimeout(snapshot);
  used ??= cpu();
  return {
    clients,
    seconds: elapsed,
    actsPerSecond,
    actLatency: acts.length ? summarize(acts) : null,
    stepActionsPerSecond: steps.length / elapsed,
    stepLatency: steps.length ? summarize(steps) : null,
    decisionsCompleted: completed,
    decisionsPerMinute: (completed / elapsed) * 60,
    actsPerDecision,
    decisionsPerMinuteFromActs: (actsPerSecond * 60) / actsPerDecision,
    errors,
    errorSamples,
    cpuMsPerAct: perUnit(used, acts.length),
  };
}

export async function measureStepPath(stack: BenchStack, o: { sequential: number; clientCounts: number[]; seconds: number; log: (line: string) => void }): Promise<StepPathResults> {
  const baseline = await startBaseline(stack.temporal.address, stack.temporal.namespace, Math.max(...o.clientCounts));
  try {
    let actsPerDecision = 0;
    const id = await wholeDecision(stack, () => (actsPerDecision += 1));
    const history = await historySize(stack, id);
    o.log(`  history of a completed decision: ${history.bytes} bytes, ${history.events} events; ${actsPerDecision} acts`);

    const bare = await baseline.sequential(o.sequential);
    const { create, firstRead, start, complete } = await sequentialSteps(stack, o.sequential);
    o.log(`  one at a time, p50: bare ${bare.median} ms, step start ${start.median} ms, complete ${complete.median} ms`);

    const concurrent: StepPathResults['concurrent'] = {};
    for (const clients of o.clientCounts) {
      const cpu = cpuMeter(stack.pids);
      const run = await baseline.concurrent(clients, Math.max(5, Math.round(o.seconds / 3)));
      const b = { ...run, cpuMsPerUpdate: perUnit(cpu(), Math.round(run.perSecond * run.seconds)) };
      const j = await jueceLoad(stack, clients, o.seconds, actsPerDecision);
      concurrent[String(clients)] = { bare: b, juece: j };
      o.log(
        `  ${clients} clients: bare ${b.perSecond.toFixed(1)}/s p99 ${b.latency.p99} ms; Juece ${j.actsPerSecond.toFixed(1)} acts/s p99 ${j.actLatency?.p99 ?? '–'} ms, ${j.decisionsCompleted} decisions, ${j.errors} errors`,
      );
    }
    return { history, sequential: { bare, create, firstRead, start, complete }, concurrent };
  } finally {
    await baseline.close();
  }
}
