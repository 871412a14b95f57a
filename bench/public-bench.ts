/**
 * e. The portal's opinion endpoint under load: autocannon on the loopback, in a worker thread of
 * its own (so the load generator does not share the API's event loop), sends opinions to one open
 * consultation — each with a new submission key and its own client address in X-Forwarded-For (the
 * portal API trusts the loopback proxy, as behind a reverse proxy), so the per-address limit stays
 * in the path (one slot insert per submission) without refusing the crowd. First at a fixed rate
 * (the target: ≥ 200/s with p99 ≤ 100 ms), then as fast as it goes; afterwards every accepted
 * submission is read back by its receipt through the public API, and the store's count compared.
 *
 *   npm run bench -- --only=public      # this phase alone, on its own throwaway stack
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createApp } from '../server/app';
import { chineseNumeral } from '../server/portal/clauses';
import type { AppDeps } from '../server/route-kit';
import type { BenchStack } from './stack';
import { envInt, summarize, type Summary } from './stats';

/** The product issue's target. */
export const PUBLIC_TARGET = { perSecond: 200, p99Ms: 100 } as const;

interface LoadRun {
  connections: number;
  /** Requests per second asked for (0: as fast as it goes). */
  rate: number;
  durationS: number;
  sent: number;
  accepted: number;
  /** Statuses other than 201, by status. */
  refused: Record<string, number>;
  errors: number;
  timeouts: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export interface PublicBenchResults {
  target: { statement: string; perSecond: number; p99Ms: number; met: boolean };
  atRate: LoadRun;
  flatOut: LoadRun;
  readBack: { accepted: number; found: number; lost: number; inStore: number; duplicates: number; lookupMs: Summary };
}

/** The load generator: autocannon in a child process, unique bodies and addresses per request, receipts collected. */
const LOADER = `
const w = JSON.parse(process.argv[2]);
const crypto = require('node:crypto');
const autocannon = require(w.autocannon);
let n = w.offset;
const receipts = [];
const statuses = {};
const addr = (i) => '198.' + (18 + ((i >> 16) & 1)) + '.' + ((i >> 8) & 255) + '.' + (i & 255);
autocannon({
  url: w.url,
  connections: w.connections,
  duration: w.durationS,
  ...(w.rate ? { overallRate: w.rate } : {}),
  timeout: 10,
  requests: [{
    method: 'POST',
    path: w.path,
    setupRequest(req) {
      const i = n++;
      req.headers = { 'content-type': 'application/json', 'x-forwarded-for': addr(i) };
      req.body = JSON.stringify({
        submissionKey: crypto.randomUUID(),
        formToken: w.token,
        clause: (i % 12) + 1,
        text: '第' + i + '号意见：建议对公园开放时间、遛狗时段和无障碍设施作出更具体的规定，并明确管理责任和投诉渠道，便于群众监督。',
      });
      return req;
    },
    onResponse(status, body) {
      statuses[status] = (statuses[status] || 0) + 1;
      if (status === 201) receipts.push(JSON.parse(body).receipt);
    },
  }],
}, (err, r) => process.send({ err: err ? String(err) : null, receipts, statuses, r: r && { latency: r.latency, requests: r.requests, errors: r.errors, timeouts: r.timeouts, duration: r.duration } }, () => process.exit(0)));
`;

async function load(url: string, urlPath: string, token: string, o: { connections: number; rate: number; durationS: number; offset: number }): Promise<{ run: LoadRun; receipts: string[] }> {
  const script = path.join(os.tmpdir(), `juece-portal-load-${process.pid}.js`);
  fs.writeFileSync(script, LOADER);
  const child = fork(script, [JSON.stringify({ ...o, url, path: urlPath, token, autocannon: require.resolve('autocannon') })], { execArgv: [], stdio: 'inherit' });
  const msg = await new Promise<{ err: string | null; receipts: string[]; statuses: Record<string, number>; r: { latency: Record<string, number>; requests: { total: number }; errors: number; timeouts: number; duration: number } }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the load generator exited with ${code}`)));
  });
  fs.rmSync(script, { force: true });
  if (msg.err) throw new Error(`autocannon: ${msg.err}`);
  if (!msg.r?.latency) throw new Error(`autocannon gave no result: ${JSON.stringify({ ...msg, receipts: msg.receipts.length }).slice(0, 1500)}`);
  const sent = Object.values(msg.statuses).reduce((a, b) => a + b, 0);
  const refused = Object.fromEntries(Object.entries(msg.statuses).filter(([s]) => s !== '201'));
  const l = msg.r.latency;
  return {
    receipts: msg.receipts,
    run: {
      ...o,
      sent,
      accepted: msg.receipts.length,
      refused,
      errors: msg.r.errors,
      timeouts: msg.r.timeouts,
      perSecond: Math.round((msg.receipts.length / msg.r.duration) * 10) / 10,
      latencyMs: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, mean: Math.round(l.average * 10) / 10 },
    },
  };
}

/** A decision with an open consultation, through the real API as the drafting unit does it. */
async function openConsultation(s: BenchStack): Promise<string> {
  const must = async (method: string, p: string, body: unknown, as = 'zjj', status = 200) => {
    const r = await s.api(method, p, body, as);
    if (r.status !== status) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const id = (await must('POST', '/api/decisions', { title: '银川市城市公园管理办法', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy' }, 'zjj', 201)).id as string;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const findings = { 'public-participation': { applies: true }, publication: { applies: true }, 'expert-review': { applies: false, ground: 'not-technical', reasons: '不涉及专业技术问题。' }, 'risk-assessment': { applies: false, ground: 'no-adverse-impact', reasons: '影响范围小。' }, 'fair-competition-review': { applies: false, ground: 'no-market-impact', reasons: '不涉及经营者。' }, congress: { applies: false, ground: 'not-congress-matter', reasons: '不属于人大决定事项。' } };
  await must('POST', `/api/decisions/${id}/steps/initiation/start`, {}, 'office');
  await must('POST', `/api/decisions/${id}/steps/initiation/complete`, { proposalSource: 'department', studyReport: '研究论证。', startDecision: { decidedBy: '市政府常务会议', decidedOn: today }, draftingUnit: '银川市住房和城乡建设局', applicability: findings, matter: { affectsSpecificGroups: false, otherAgencies: false, publicConcern: false } }, 'office');
  await must('POST', `/api/decisions/${id}/drafts`, { title: '办法（征求意见稿）', content: Array.from({ length: 12 }, (_, i) => `第${chineseNumeral(i + 1)}条 ……`).join('\n') }, 'zjj', 201);
  await must('POST', `/api/decisions/${id}/steps/drafting/start`, {});
  await must('POST', `/api/decisions/${id}/steps/drafting/complete`, { lawInventory: ['《城市绿化条例》'] });
  await must('POST', `/api/decisions/${id}/steps/public_participation/start`, {});
  const closesOn = new Date(Date.now() + 8 * 3600_000 + 40 * 86_400_000).toISOString().slice(0, 10);
  await must('POST', `/api/decisions/${id}/consultations`, { channel: 'government-website', closesOn, explanation: '起草说明。' });
  return `${id}-C1`;
}

/** Read every accepted receipt back through the public API, a few at a time. */
async function readBack(url: string, receipts: string[]): Promise<{ found: number; lookupMs: Summary }> {
  const samples: number[] = [];
  let found = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < receipts.length) {
        const r = receipts[next++];
        const t0 = performance.now();
        const res = await fetch(`${url}/api/portal/opinions/${r}`);
        const body = (await res.json()) as { receipt?: string };
        samples.push(performance.now() - t0);
        if (res.status === 200 && body.receipt === r) found += 1;
      }
    }),
  );
  return { found, lookupMs: summarize(samples) };
}

/** The phase: a portal API of its own on the bench stack (trusting the loopback proxy), loaded twice, then read back. */
export async function measurePublic(s: BenchStack, log: (line: string) => void): Promise<PublicBenchResults> {
  const key = await openConsultation(s);
  const deps: AppDeps = { ...s.deps, trustProxy: 'loopback' };
  const app = createApp(deps, async () => ({}));
  const server: Server = await new Promise((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const token = ((await (await fetch(`${url}/api/portal/consultations/${key}`)).json()) as { form: { token: string; minFillMs: number } }).form;
    await new Promise((r) => setTimeout(r, token.minFillMs + 200)); // the form's fill time, once: the token is then good for a day
    const opinionsPath = `/api/portal/consultations/${key}/opinions`;
    if (process.env.BENCH_PUBLIC_DIAG) {
      const m = s.models;
      const ops: Record<string, (i: number) => Promise<unknown>> = {
        slotInsert: (i) => m.PortalSlot.collection.insertOne({ _id: `diag:${i}:${Math.random()}` as never, window: 1 }),
        opinionCreate: (i) => m.PublicOpinion.create({ _id: `DIAG-${i}-${Math.random()}`, consultationKey: 'diag', decisionId: 'd', consultationId: 'C1', text: 'x'.repeat(100), contentHash: 'h', receivedAt: new Date() }),
        opinionRaw: (i) => m.PublicOpinion.collection.insertOne({ _id: `DIAGR-${i}-${Math.random()}` as never, consultationKey: 'diag', text: 'x' }),
        findById: () => m.PublicConsultation.findById(key).lean(),
      };
      for (const [name, op] of Object.entries(ops))
        for (const conc of [1, 16]) {
          let n = 0;
          const until = performance.now() + 3000;
          await Promise.all(Array.from({ length: conc }, async () => {
            while (performance.now() < until) await op(n++);
          }));
          log(`  diag ${name} x${conc}: ${(n / 3).toFixed(0)}/s`);
        }
    }
    if (process.env.BENCH_PUBLIC_PROBE) {
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const res = await fetch(url + opinionsPath, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` }, body: JSON.stringify({ submissionKey: `probe-key-000000${i}`, formToken: token.token, text: '探测请求的意见内容。' }) });
        await res.text();
        log(`  probe ${i}: ${res.status} ${(performance.now() - t0).toFixed(1)} ms`);
      }
    }
    const connections = envInt('BENCH_PUBLIC_CONNECTIONS', 16);
    const rate = envInt('BENCH_PUBLIC_RATE', 250);
    const durationS = envInt('BENCH_PUBLIC_SECONDS', 20);
    log(`  ${rate}/s for ${durationS} s over ${connections} connections…`);
    const atRate = await load(url, opinionsPath, token.token, { connections, rate, durationS, offset: 0 });
    log(`  … ${atRate.run.accepted} accepted, ${atRate.run.perSecond}/s, p99 ${atRate.run.latencyMs.p99} ms`);
    log(`  as fast as it goes for ${Math.ceil(durationS / 2)} s…`);
    const flatOut = await load(url, opinionsPath, token.token, { connections, rate: 0, durationS: Math.ceil(durationS / 2), offset: 1_000_000 });
    log(`  … ${flatOut.run.accepted} accepted, ${flatOut.run.perSecond}/s, p99 ${flatOut.run.latencyMs.p99} ms`);
    const receipts = [...atRate.receipts, ...flatOut.receipts];
    log(`  reading ${receipts.length} receipts back…`);
    const back = await readBack(url, receipts);
    const inStore = await s.models.PublicOpinion.countDocuments({ consultationKey: key });
    const met = atRate.run.perSecond >= PUBLIC_TARGET.perSecond && atRate.run.latencyMs.p99 <= PUBLIC_TARGET.p99Ms && back.found === receipts.length && Object.keys(atRate.run.refused).length === 0;
    return {
      target: { statement: 'The opinion endpoint sustains ≥ 200 submissions/s with p99 ≤ 100 ms and loses none (every accepted one read back).', ...PUBLIC_TARGET, met },
      atRate: atRate.run,
      flatOut: flatOut.run,
      readBack: { accepted: receipts.length, found: back.found, lost: receipts.length - back.found, inStore, duplicates: inStore - new Set(receipts).size, lookupMs: back.lookupMs },
    };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
