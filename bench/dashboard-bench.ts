/**
 * The compliance dashboard at scale: N generated decisions (test/support/compliance-data.ts) over
 * the demo world's seven agencies and two years, their dashboard entries and agency-year counts
 * written in bulk as the projection would have left them (activities/compliance.ts
 * entryFromEvents). Measured through the API as the supervisor (whose jurisdiction is all seven):
 * the dashboard of a year, of one agency by part of its name, of all years, the indicators, and
 * drill-downs of a small, a middling and a large figure. The target (issue #12): dashboard
 * aggregates over 100,000 decisions answer in ≤ 300 ms.
 */
import { performance } from 'node:perf_hooks';
import { bulkLoad, generateDecision, rng, type Generated } from '../test/support/compliance-data';
import { chinaDate } from '../workflows/time';
import { expectStatus } from './api-bench';
import type { BenchStack } from './stack';
import { summarize, type Summary } from './stats';

const AGENCIES = ['银川市人民政府', '石嘴山市人民政府', '吴忠市人民政府', '固原市人民政府', '中卫市人民政府', '西夏区人民政府', '贺兰县人民政府'];
const TARGET_MS = 300;
const BATCH = 2000;

export interface DashboardBench {
  decisions: number;
  fillMs: number;
  reads: Record<string, { request: string; ms: Summary; total?: number }>;
  target: { statement: string; thresholdMs: number; measuredAs: string; medianMs: number; p95Ms: number; met: boolean };
}

/** Fill to `decisions` generated decisions (entries and counts only) and measure the reads. */
export async function measureDashboard(stack: BenchStack, decisions: number, rounds: number, log: (l: string) => void): Promise<DashboardBench> {
  const today = chinaDate(Date.now());
  const year = Number(today.slice(0, 4));
  const r = rng(2024);
  const t = performance.now();
  for (let from = 0; from < decisions; from += BATCH) {
    const batch: Generated[] = [];
    for (let i = from; i < Math.min(decisions, from + BATCH); i++) batch.push(generateDecision(i, r, { agencies: AGENCIES, years: [year - 1, year], today, prefix: 'DASH' }));
    await bulkLoad(stack.models, batch, { entriesOnly: true });
    if (from % (BATCH * 10) === 0) log(`    … ${from + batch.length} of ${decisions} decisions' dashboard entries written`);
  }
  const fillMs = Math.round(performance.now() - t);
  log(`  … filled in ${(fillMs / 1000).toFixed(1)} s; measuring, ${rounds} rounds…`);

  const y = year - 1;
  const part = encodeURIComponent('银川');
  const requests: Record<string, { path: string; rounds?: number; aggregate?: boolean }> = {
    dashboardYear: { path: `/api/supervision/dashboard?year=${y}`, aggregate: true },
    dashboardAgency: { path: `/api/supervision/dashboard?year=${y}&agency=${part}`, aggregate: true },
    dashboardAllYears: { path: '/api/supervision/dashboard', aggregate: true },
    indicators: { path: `/api/supervision/indicators?year=${y}`, aggregate: true },
    drillAgainst: { path: `/api/supervision/decisions?year=${y}&agency=${part}&fact=against` },
    drillOverdue: { path: `/api/supervision/decisions?year=${y}&agency=${part}&fact=overdue` },
    drillPerformed: { path: `/api/supervision/decisions?year=${y}&agency=${part}&fact=${encodeURIComponent('k|legality-review|done')}`, rounds: 3 },
  };
  const samples: Record<string, number[]> = {};
  const totals: Record<string, number | undefined> = {};
  for (let round = 0; round < rounds; round++)
    for (const [name, q] of Object.entries(requests)) {
      if (round >= (q.rounds ?? rounds)) continue;
      const res = expectStatus(await stack.api('GET', q.path, undefined, 'supervisor'), 200, q.path);
      (samples[name] ??= []).push(res.ms);
      totals[name] = typeof res.body?.total === 'number' ? res.body.total : typeof res.body?.totals?.started?.n === 'number' ? res.body.totals.started.n : undefined;
    }
  const reads = Object.fromEntries(Object.entries(requests).map(([name, q]) => [name, { request: q.path, ms: summarize(samples[name]), ...(totals[name] !== undefined ? { total: totals[name] } : {}) }]));
  const slowest = Object.entries(requests)
    .filter(([, q]) => q.aggregate)
    .map(([name]) => ({ name, ms: reads[name].ms }))
    .sort((a, b) => b.ms.median - a.ms.median)[0];
  const target = {
    statement: `Dashboard aggregates over ${decisions} decisions ≤ ${TARGET_MS} ms.`,
    thresholdMs: TARGET_MS,
    measuredAs: `median of the slowest aggregate read (${slowest.name}: ${requests[slowest.name].path})`,
    medianMs: slowest.ms.median,
    p95Ms: slowest.ms.p95,
    met: slowest.ms.median <= TARGET_MS,
  };
  for (const [name, x] of Object.entries(reads)) log(`    ${name}: median ${x.ms.median} ms, p95 ${x.ms.p95} ms${x.total !== undefined ? ` (${x.total} decisions)` : ''}`);
  log(`  ${target.met ? '✓' : '✗'} ${target.statement} ${target.measuredAs}: ${target.medianMs} ms (p95 ${target.p95Ms} ms)`);
  return { decisions, fillMs, reads, target };
}
