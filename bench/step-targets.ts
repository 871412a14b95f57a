/**
 * Issue 10's targets for the step path, judged on the figures of one run: a lean history, step
 * latency against a bare Temporal Update with a local activity, and throughput and p99 under
 * concurrent clients against the same baseline — each with its threshold, ✓/✗ and, for a miss,
 * by how much.
 */
import type { StepPathResults } from './step-path';

/** A completed standard decision's history, at most (issue 10: ≤ 200 KB). */
export const HISTORY_TARGET_BYTES = 200_000;
/** Step latency p50, and p99 under load, at most this many times bare's. */
export const LATENCY_FACTOR = 1.5;
/** Throughput under load at least this share of bare's. */
export const THROUGHPUT_SHARE = 2 / 3;

export interface Target {
  statement: string;
  measured: number;
  threshold: number;
  unit: string;
  /** 'max': measured ≤ threshold; 'min': measured ≥ threshold. */
  kind: 'max' | 'min';
  met: boolean;
  /** For a miss, how far off: measured / threshold ('max') or threshold / measured ('min'). */
  missedBy?: number;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function target(statement: string, measured: number, threshold: number, unit: string, kind: 'max' | 'min'): Target {
  const met = kind === 'max' ? measured <= threshold : measured >= threshold;
  const missedBy = met ? undefined : kind === 'max' ? measured / threshold : measured > 0 ? threshold / measured : Infinity;
  return { statement, measured: round(measured), threshold: round(threshold), unit, kind, met, ...(missedBy !== undefined ? { missedBy: round(missedBy, 2) } : {}) };
}

export function stepPathTargets(r: StepPathResults): Target[] {
  const t: Target[] = [target('history of a completed standard decision ≤ 200 KB', r.history.bytes, HISTORY_TARGET_BYTES, 'bytes', 'max')];
  const bare = r.sequential.bare.median;
  t.push(target(`step start p50 ≤ ${LATENCY_FACTOR}× bare Update p50 (${bare} ms)`, r.sequential.start.median, LATENCY_FACTOR * bare, 'ms', 'max'));
  t.push(target(`step complete p50 ≤ ${LATENCY_FACTOR}× bare Update p50 (${bare} ms)`, r.sequential.complete.median, LATENCY_FACTOR * bare, 'ms', 'max'));
  for (const { bare: b, juece: j } of Object.values(r.concurrent)) {
    const n = j.clients;
    t.push(target(`${n} clients: acts/s ≥ ⅔ of bare's ${round(b.perSecond)}/s`, j.actsPerSecond, THROUGHPUT_SHARE * b.perSecond, '/s', 'min'));
    // No act answered in the window: its p99 is the whole window, at least.
    t.push(target(`${n} clients: p99 ≤ ${LATENCY_FACTOR}× bare's ${b.latency.p99} ms`, j.actLatency?.p99 ?? j.seconds * 1000, LATENCY_FACTOR * b.latency.p99, 'ms', 'max'));
    t.push(target(`${n} clients: no errors (bare had ${b.errors})`, j.errors, 0, 'errors', 'max'));
  }
  return t;
}

/** One line per target: ✓/✗, the statement, measured against threshold, and for a miss by how much. */
export function formatTarget(t: Target): string {
  const cmp = t.kind === 'max' ? '≤' : '≥';
  const miss = t.met ? '' : t.missedBy === undefined || !Number.isFinite(t.missedBy) ? '  (missed)' : `  (missed by ×${t.missedBy})`;
  return `${t.met ? '✓' : '✗'} ${t.statement}: ${t.measured} ${t.unit} ${cmp} ${t.threshold}${miss}`;
}
