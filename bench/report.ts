/** Machine facts, memory figures, the results files and the human table. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StepResults } from './api-bench';
import type { ListResults } from './list-bench';
import type { RenderResults } from './render-bench';
import type { Summary } from './stats';

export interface BenchResults {
  startedAt: string;
  /** false when a phase failed: the numbers present are still real, the rest is missing. */
  complete: boolean;
  error?: string;
  durationMs?: number;
  machine: ReturnType<typeof machineFacts>;
  parameters: Record<string, number | string>;
  setupMs?: Record<string, number>;
  uiBundleKiB?: Record<string, number>;
  phasesMs: Record<string, number>;
  targets?: Record<string, { statement: string; thresholdMs: number; measuredAs: string; p95Ms: number; met: boolean }>;
  render?: RenderResults;
  steps?: StepResults;
  /** The same step measurements once the read model is full (the projection's cost grows with it). */
  stepsAtListSize?: StepResults;
  list?: ListResults;
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

/** The human table of whatever was measured, then the render and memory facts. */
export function printSummary(r: BenchResults, renderTargetMs: number) {
  const rows: { name: string; s: Summary; targetMs?: number }[] = [];
  if (r.render)
    rows.push(
      { name: 'render: goto → ready (wall)', s: r.render.wallMs, targetMs: renderTargetMs }, { name: 'render: data-render-ms (in page)', s: r.render.renderMs, targetMs: renderTargetMs },
      { name: 'render: navigation → diagram with markers', s: r.render.diagramMs, targetMs: renderTargetMs },
      { name: 'render: DOMContentLoaded', s: r.render.domContentLoadedMs },
    );
  const steps = (st: StepResults, at: string) => [
    { name: `create decision${at}`, s: st.createMs },
    { name: `step start${at}`, s: st.startMs },
    { name: `step complete${at}`, s: st.completeMs },
    { name: `refused attempt (409 + audit)${at}`, s: st.refusedMs },
    { name: `decision state (query)${at}`, s: st.stateQueryMs },
  ];
  if (r.steps) rows.push(...steps(r.steps, ''));
  if (r.list) rows.push(...Object.entries(r.list.queries).map(([name, q]) => ({ name: `list ${name} (${q.total} match)`, s: q.ms })));
  if (r.stepsAtListSize && r.list) rows.push(...steps(r.stepsAtListSize, ` @${r.list.decisionsInReadModel}`));
  if (rows.length) printTable(rows);
  if (r.render) console.log(`\nrender: cold first load ${r.render.coldWallMs} ms; ${r.render.markedElements} elements carry a status marker; ${r.render.pageErrors.length} page error(s)`);
  if (r.list) console.log(`list: ${r.list.decisionsInReadModel} decisions in the read model (filled by ${r.list.fill})`);
  console.log(`load average (1/5/15 min): at start ${r.machine.loadAverageAtStart.join(' ')}, at end ${r.machine.loadAverageAtEnd?.join(' ') ?? '?'}`);
  if (r.memory) {
    const b = r.memory.benchProcess;
    console.log(`memory: bench process (worker + API + bench) RSS ${b.rssMiB} MiB, peak ${b.peakRssMiB} MiB, heap ${b.heapUsedMiB} MiB; child servers RSS ${JSON.stringify(r.memory.childServersRssMiB)} MiB`);
  }
  if (!r.complete) console.log(`INCOMPLETE: ${r.error}`);
}
