/** Summaries of latency samples and the bench's parameters from the environment. */

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** min / median / p95 / p99 (nearest rank) / max / mean, in the samples' unit, to 0.1. */
export function summarize(samples: number[]): Summary {
  if (!samples.length) throw new Error('no samples to summarize');
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const p95 = s[Math.max(0, Math.ceil(0.95 * n) - 1)];
  const p99 = s[Math.max(0, Math.ceil(0.99 * n) - 1)];
  const mean = s.reduce((a, b) => a + b, 0) / n;
  return { n, min: round1(s[0]), median: round1(median), p95: round1(p95), p99: round1(p99), max: round1(s[n - 1]), mean: round1(mean) };
}

/** A positive integer from the environment, or the default; a bad value stops the bench. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got "${raw}".`);
  return v;
}
