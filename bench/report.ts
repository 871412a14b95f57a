/** Machine facts, memory figures, the results files and the human table. */
import type { PublicBenchResults } from './public-bench';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StepResults } from './api-bench';
import type { DashboardBench } from './dashboard-bench';
import type { RenderResults } from './render-bench';
import type { ScaleLevel, scaleTargets } from './scale-bench';
import type { Summary } from './stats';
import type { StepPathResults } from './step-path';
import { formatTarget, type Target } from './step-targets';

export interface BenchResults {
  startedAt: string;
  /** false when a phase failed: the numbers present are still real, the rest is missing. */
  complete: boolean;
  error?: string;
  durationMs?: number;
  machine: ReturnType<typeof machineFacts>;
  parameters: Record<string, number | string>;
  /** The store the bench ran on, e.g. "FerretDB on PostgreSQL 15.18". */
  store?: string;
  setupMs?: Record<string, number>;
  uiBundleKiB?: Record<string, number>;
  phasesMs: Record<string, number>;
  targets?: Record<string, { statement: string; thresholdMs: number; measuredAs: string; p95Ms: number; met: boolean }>;
  render?: RenderResults;
  /** The decision view at a phone's size (390×844). */
  renderPhone?: RenderResults;
  steps?: StepResults;
  /** The store filled level by level, and the reads measured at each level. */
  scale?: { store: string; levels: ScaleLevel[] };
  scaleTargets?: ReturnType<typeof scaleTargets>;
  /** The same step measurements once the read model is full (the projection's cost could grow with it). */
  stepsAtScale?: StepResults;
  /** The step path against a bare Temporal Update with a local activity (issue 10), and its targets. */
  stepPath?: StepPathResults;
  stepPathTargets?: Target[];
  /** The compliance dashboard's reads over generated decisions (issue 12), and its target. */
  dashboard?: DashboardBench;
  /** The public portal's opinion endpoint under load (bench/public-bench.ts). */
  publicPortal?: PublicBenchResults;
  memory?: ReturnType<typeof memoryFacts>;
}

export const RESULTS_DIR = path.join(__dirname, 'results');
const MiB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

/** 1, 5 and 15 minute load averages: other work on the machine skews every number. */
export const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function machineFacts() {
  const cpus = os.cpus();
  return {
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: undefined as number[] | undefined,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / MiB),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** Resident set size of another process from /proc (Linux), in MiB; null elsewhere. */
function childRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** The bench process (worker + API + bench client) and the child servers, after the run. */
export function memoryFacts(pids: Record<string, number | undefined>) {
  const m = process.memoryUsage();
  return {
    benchProcess: { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external), peakRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10 },
    childServersRssMiB: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, childRssMiB(pid)])),
  };
}

/** latest.json plus a timestamped copy; returns the copy's path. */
export function writeResults(results: { startedAt: string }): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
  const stamped = path.join(RESULTS_DIR, `${results.startedAt.replace(/:/g, '-')}.json`);
  fs.writeFileSync(stamped, json);
  return stamped;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));
const num = (x: number) => x.toFixed(1).padStart(8);

/** One line per measurement: n, min, median, p95, max in ms, and a ✓/✗ where there is a target. */
function printTable(rows: { name: string; s: Summary; targetMs?: number }[]) {
  const w = Math.max(...rows.map((r) => [...r.name].length)) + 2;
  console.log(`\n${pad('measurement (ms)', w)}     n      min   median      p95      max  target`);
  for (const r of rows) {
    const target = r.targetMs === undefined ? '' : `  p95 ≤ ${r.targetMs} ${r.s.p95 <= r.targetMs ? '✓' : '✗'}`;
    console.log(`${pad(r.name, w)}${String(r.s.n).padStart(6)} ${num(r.s.min)} ${num(r.s.median)} ${num(r.s.p95)} ${num(r.s.max)}${target}`);
  }
}

/** Per read, the median (and p95) at each level of the store. */
function printScale(store: string, levels: ScaleLevel[]) {
  const names = Object.keys(levels[0]?.reads ?? {});
  const w = Math.max(...names.map((n) => n.length)) + 2;
  console.log(`\n${store}: median ms (p95) at each size of the store`);
  console.log(pad('decisions', w) + levels.map((l) => String(l.decisions).padStart(18)).join(''));
  console.log(pad('audit events', w) + levels.map((l) => String(l.auditEvents).padStart(18)).join(''));
  console.log(pad('fill (s)', w) + levels.map((l) => (l.fillMs / 1000).toFixed(1).padStart(18)).join(''));
  for (const n of names) console.log(pad(n, w) + levels.map((l) => `${l.reads[n].ms.median.toFixed(1)} (${l.reads[n].ms.p95.toFixed(0)})`.padStart(18)).join(''));
}

/** The step path beside bare Temporal, then issue 10's targets. */
function printStepPath(p: StepPathResults, targets: Target[]) {
  const ms = (s: Summary | null) => (s ? `p50 ${s.median} p95 ${s.p95} p99 ${s.p99}` : '–');
  console.log(`\nstep path (same Temporal server, same run): history of a completed decision ${p.history.bytes} bytes, ${p.history.events} events`);
  console.log(`  one at a time (ms): bare Update + local activity ${ms(p.sequential.bare)}; step start ${ms(p.sequential.start)}; step complete ${ms(p.sequential.complete)}`);
  console.log(`  (create a decision ${ms(p.sequential.create)}; its page's first read ${ms(p.sequential.firstRead)})`);
  for (const { bare, juece } of Object.values(p.concurrent)) {
    console.log(
      `  ${juece.clients} clients: bare ${bare.perSecond.toFixed(1)} Updates/s (${ms(bare.latency)} ms, ${bare.errors} errors); ` +
        `Juece ${juece.actsPerSecond.toFixed(1)} acts/s (${ms(juece.actLatency)} ms), of them ${juece.stepActionsPerSecond.toFixed(1)} step actions/s (${ms(juece.stepLatency)} ms); ` +
        `${juece.decisionsCompleted} decisions completed in ${juece.seconds.toFixed(0)} s = ${juece.decisionsPerMinute.toFixed(1)}/min (the act rate amounts to ${juece.decisionsPerMinuteFromActs.toFixed(1)}/min at ${juece.actsPerDecision} acts each); ${juece.errors} errors`,
    );
    console.log(`    CPU ms per bare Update ${JSON.stringify(bare.cpuMsPerUpdate)}; per Juece act ${JSON.stringify(juece.cpuMsPerAct)}`);
    for (const e of juece.errorSamples) console.log(`    error: ${e}`);
  }
  for (const t of targets) console.log(formatTarget(t));
}

/** The human table of whatever was measured, then the render and memory facts. */
export function printSummary(r: BenchResults, renderTargetMs: number) {
  const rows: { name: string; s: Summary; targetMs?: number }[] = [];
  if (r.render)
    rows.push(
      { name: 'render: goto → ready (wall)', s: r.render.wallMs, targetMs: renderTargetMs }, { name: 'render: data-render-ms (in page)', s: r.render.renderMs, targetMs: renderTargetMs },
      { name: 'render: navigation → diagram with markers', s: r.render.diagramMs, targetMs: renderTargetMs },
      { name: 'render: DOMContentLoaded', s: r.render.domContentLoadedMs },
    );
  if (r.renderPhone)
    rows.push(
      { name: 'render on a phone 390×844: goto → ready (wall)', s: r.renderPhone.wallMs },
      { name: 'render on a phone 390×844: navigation → diagram with markers', s: r.renderPhone.diagramMs, targetMs: 1500 },
    );
  const steps = (st: StepResults, at: string) => [
    { name: `create decision${at}`, s: st.createMs },
    { name: `step start${at}`, s: st.startMs },
    { name: `step complete${at}`, s: st.completeMs },
    { name: `refused attempt (409 + audit)${at}`, s: st.refusedMs },
    { name: `decision state (query)${at}`, s: st.stateQueryMs },
  ];
  if (r.steps) rows.push(...steps(r.steps, ''));
  const top = r.scale?.levels.at(-1);
  if (r.stepsAtScale && top) rows.push(...steps(r.stepsAtScale, ` @${top.decisions}`));
  if (rows.length) printTable(rows);
  if (r.scale) printScale(r.scale.store, r.scale.levels);
  for (const t of Object.values(r.scaleTargets ?? {})) console.log(`${t.met ? '✓' : '✗'} ${t.statement} ${t.measuredAs}: ${t.medianMs} ms (p95 ${t.p95Ms} ms)`);
  if (r.stepPath) printStepPath(r.stepPath, r.stepPathTargets ?? []);
  if (r.dashboard) {
    const d = r.dashboard;
    console.log(`\ndashboard over ${d.decisions} decisions (filled in ${(d.fillMs / 1000).toFixed(1)} s):`);
    for (const [name, x] of Object.entries(d.reads)) console.log(`  ${name}: median ${x.ms.median} ms, p95 ${x.ms.p95} ms${x.total !== undefined ? ` (${x.total} decisions)` : ''}`);
    console.log(`${d.target.met ? '✓' : '✗'} ${d.target.statement} ${d.target.measuredAs}: ${d.target.medianMs} ms (p95 ${d.target.p95Ms} ms)`);
  }
  if (r.publicPortal) {
    const p = r.publicPortal;
    console.log(`\n${p.target.met ? '✓' : '✗ MISSED:'} ${p.target.statement}`);
    console.log(`  at ${p.atRate.rate}/s: ${p.atRate.perSecond}/s accepted, p50 ${p.atRate.latencyMs.p50} ms, p99 ${p.atRate.latencyMs.p99} ms; flat out ${p.flatOut.perSecond}/s; read back ${p.readBack.found}/${p.readBack.accepted}, lost ${p.readBack.lost}`);
  }
  if (r.render) console.log(`\nrender: cold first load ${r.render.coldWallMs} ms; ${r.render.markedElements} elements carry a status marker; ${r.render.pageErrors.length} page error(s)`);
  console.log(`load average (1/5/15 min): at start ${r.machine.loadAverageAtStart.join(' ')}, at end ${r.machine.loadAverageAtEnd?.join(' ') ?? '?'}`);
  if (r.memory) {
    const b = r.memory.benchProcess;
    console.log(`memory: bench process (worker + API + bench) RSS ${b.rssMiB} MiB, peak ${b.peakRssMiB} MiB, heap ${b.heapUsedMiB} MiB; child servers RSS ${JSON.stringify(r.memory.childServersRssMiB)} MiB`);
  }
  if (!r.complete) console.log(`INCOMPLETE: ${r.error}`);
}
