/**
 * The bench's own throwaway stack, started the way test/global-setup.ts and
 * test/support/harness.ts start theirs: Temporal dev server and FerretDB on free ports in a
 * temp dir, the UI built, one worker and the API app on a free port — all in this process.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildUi } from '../ui/build';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { healthProbe } from '../server/health';
import { provision } from '../server/provision';
import { startThrowawayStore } from '../server/embedded-store';
import { freePort, startTemporalDev, type ManagedServer } from '../server/services';
import { signIn, type Session } from '../test/support/sign-in';
import { DEMO_WORLD } from '../server/demo-people';
import { seedWorld } from '../server/directory';
import { connectApiDeps } from '../server/stack';
import { bundleWorkflows, createWorker } from '../server/worker';

export interface ApiResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads the API's JSON loosely
  body: any;
  /** Round trip in ms: request sent → whole body read. */
  ms: number;
}

export interface BenchStack {
  baseUrl: string;
  /** What the store is, e.g. "FerretDB on PostgreSQL 15.18". */
  store: string;
  /** How long each part of the start-up took, in ms. */
  setup: Record<string, number>;
  /** The built UI's files and their sizes in KiB. */
  uiBundleKiB: Record<string, number>;
  /** The read model, for pacing only (never measured through it). */
  models: Awaited<ReturnType<typeof connectApiDeps>>['models'];
  /** The API's dependencies, for a phase that runs an API instance of its own (the portal bench). */
  deps: Awaited<ReturnType<typeof connectApiDeps>>;
  /** The child servers' process ids (for their memory). */
  pids: Record<string, number | undefined>;
  /** The throwaway Temporal server, for the baseline and for reading histories. */
  temporal: { address: string; namespace: string; client: Awaited<ReturnType<typeof connectApiDeps>>['client'] };
  /** Call the API signed in as a demo-world login (default zjj, the drafting department). */
  api(method: string, path: string, body?: unknown, as?: string): Promise<ApiResult>;
  /** A login's session cookie, for the browser. */
  cookie(username: string): Promise<{ name: string; value: string }>;
  /** Stops everything that was started; safe to call twice. */
  close(): Promise<void>;
}

async function timed<T>(setup: Record<string, number>, key: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    setup[key] = Math.round(performance.now() - t0);
  }
}

export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const setup: Record<string, number> = {};
  const cleanups: (() => Promise<void>)[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-bench-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  // One teardown, however many callers (the bench's finally and a signal handler) ask for it.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const c of cleanups.reverse()) await c().catch((e) => console.error(`  teardown: ${String((e as Error)?.message ?? e)}`));
    })());

  try {
    const bins = await timed(setup, 'provisionMs', () =>
      provision({
        cacheDir: config.JUECE_CACHE_DIR,
        temporalBin: config.JUECE_TEMPORAL_BIN,
        ferretdbBin: config.JUECE_FERRETDB_BIN,
        needTemporal: true,
        needFerretdb: true,
        needPostgres: config.JUECE_FERRETDB_BACKEND !== 'sqlite',
        postgresBinDir: config.JUECE_POSTGRESQL_BIN_DIR,
        log,
      }),
    );
    log('Starting a throwaway Temporal dev server and FerretDB…');
    const [temporal, store] = await timed(setup, 'serversMs', async () => {
      const servers: ManagedServer[] = [];
      cleanups.push(async () => {
        for (const s of servers.reverse()) await s.stop();
      });
      const t = await startTemporalDev({ bin: bins.temporal!, port: await freePort(), uiPort: null, logFile: path.join(dir, 'temporal.log'), startTimeoutMs: 90_000 });
      servers.push(t);
      const s = await startThrowawayStore(config, bins, dir, log);
      servers.push(...s.servers);
      return [t, s] as const;
    });

    log('Building the UI and bundling the workflow code…');
    const sizes = await timed(setup, 'uiBuildMs', () => buildUi({ quiet: true }));
    const uiBundleKiB = Object.fromEntries(Object.entries(sizes).map(([f, bytes]) => [f, Math.round(bytes / 1024)]));
    const bundle = await timed(setup, 'workflowBundleMs', () => bundleWorkflows());

    const taskQueue = `bench-${crypto.randomBytes(4).toString('hex')}`;
    const namespace = config.TEMPORAL_NAMESPACE;
    const deps = await connectApiDeps({ temporalAddress: temporal.address, namespace, taskQueue, mongoUri: store.uri, mongoDb: 'juece_bench' });
    cleanups.push(() => deps.close());

    const { worker, connection, run } = await timed(setup, 'workerMs', () => createWorker({ address: temporal.address, namespace, taskQueue, models: deps.models, bundle }));
    const running = run();
    running.catch((err) => console.error('The worker stopped unexpectedly:', (err as Error)?.message ?? err));
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    });

    const app = createApp(deps, healthProbe(deps.client, namespace, taskQueue, deps.store));
    const port = await freePort();
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const BENCH_PASSWORD = 'bench-password-1';
    await seedWorld(deps.models, DEMO_WORLD, () => BENCH_PASSWORD);
    const sessions = new Map<string, Promise<Session>>();
    const sessionOf = (username: string) => {
      if (!sessions.has(username)) sessions.set(username, signIn(baseUrl, username, BENCH_PASSWORD));
      return sessions.get(username)!;
    };
    const cookie: BenchStack['cookie'] = async (username) => {
      const [name, value] = (await sessionOf(username)).cookie.split('=');
      return { name, value };
    };

    const api: BenchStack['api'] = async (method, p, body, as = 'zjj') => {
      const s = p === '/healthz' ? undefined : await sessionOf(as);
      const t0 = performance.now();
      const res = await fetch(baseUrl + p, {
        method,
        headers: { 'content-type': 'application/json', ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* XML or text */
      }
      return { status: res.status, body: parsed, ms };
    };

    // The worker's pollers show up on the task queue a moment after run().
    const deadline = Date.now() + 20_000;
    for (;;) {
      const health = await api('GET', '/healthz');
      if (health.status === 200) break;
      if (Date.now() > deadline) throw new Error(`The bench stack is not healthy: ${JSON.stringify(health.body)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { baseUrl, store: store.label, setup, uiBundleKiB, models: deps.models, deps, pids: Object.fromEntries([temporal, ...store.servers].map((s) => [s.name, s.child.pid])), temporal: { address: temporal.address, namespace, client: deps.client }, api, cookie, close };
  } catch (err) {
    await close();
    throw err;
  }
}
