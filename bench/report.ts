/** Machine facts, memory figures, the results files and the human table. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Summary } from './stats';

export const RESULTS_DIR = path.join(__dirname, 'results');
const MiB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

export function machineFacts() {
  const cpus = os.cpus();
  return {
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
export function printTable(rows: { name: string; s: Summary; targetMs?: number }[]) {
  const w = Math.max(...rows.map((r) => r.name.length)) + 2;
  console.log(`\n${pad('measurement (ms)', w)}     n      min   median      p95      max  target`);
  for (const r of rows) {
    const target = r.targetMs === undefined ? '' : `  p95 ≤ ${r.targetMs} ${r.s.p95 <= r.targetMs ? '✓' : '✗'}`;
    console.log(`${pad(r.name, w)}${String(r.s.n).padStart(6)} ${num(r.s.min)} ${num(r.s.median)} ${num(r.s.p95)} ${num(r.s.max)}${target}`);
  }
}
