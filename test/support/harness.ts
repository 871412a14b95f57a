/**
 * One real stack per test file: a worker on its own task queue, the API on a free port and
 * a database of its own, all against the suite's real Temporal and FerretDB servers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../../server/app';
import { DEMO_WORLD } from '../../server/demo-people';
import { seedWorld } from '../../server/directory';
import { healthProbe } from '../../server/health';
import { connectApiDeps } from '../../server/stack';
import { createWorker } from '../../server/worker';
import { signIn, type Session } from './sign-in';
import { readSuiteState } from './suite-state';

let runtimeInstalled = false;

/** Every test user's password (the demo world's people, seeded into each test database). */
export const TEST_PASSWORD = 'test-password-1';

/** Who performs a step by default: the demo person holding the role the definition names. */
export const USER_FOR_ROLE: Record<string, string> = {
  department: 'zjj',
  secretariat: 'office',
  'legality-review-body': 'sfj',
  'legal-adviser': 'lawyer',
  'decision-body': 'mayor',
  supervisor: 'supervisor',
  expert: 'expert',
};

/** Where each demo department's decisions belong: spread into a new decision's body. */
export const UNIT_OF: Record<string, { agency: string; draftingUnit: string }> = {
  zjj: { agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局' },
  fgw: { agency: '银川市人民政府', draftingUnit: '银川市发展和改革委员会' },
  szsjt: { agency: '石嘴山市人民政府', draftingUnit: '石嘴山市交通运输局' },
};

export type { Session };

export interface Harness {
  baseUrl: string;
  taskQueue: string;
  deps: Awaited<ReturnType<typeof connectApiDeps>>;
  /** The test's own database in the store. */
  mongoDb: string;
  env: TestWorkflowEnvironment;
  /** Start (or restart) the worker. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /**
   * Call the API signed in as `as` (a login of the demo world), or anonymously with `null`.
   * Omitted: a step action goes to the holder of the step's role, anything else to `zjj`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely
  api<T = any>(method: string, path: string, body?: unknown, as?: string | null): Promise<{ status: number; body: T }>;
  /** Sign in (once per user; cached) and return the cookie and CSRF token. */
  login(username: string): Promise<Session>;
  /** Headers that carry a user's session and CSRF token, for raw fetches. */
  authHeaders(username: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Start the stack against the suite's servers — or against a Temporal and a store of the test's
 * own (`servers`), which a fault test may stop without harming the other test files.
 */
export async function startHarness(name: string, servers: { temporalAddress?: string; mongoUri?: string } = {}): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const suite = { ...readSuiteState(), ...Object.fromEntries(Object.entries(servers).filter(([, v]) => v !== undefined)) };
  const suffix = crypto.randomBytes(4).toString('hex');
  const taskQueue = `test-${name}-${suffix}`;
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: suite.temporalAddress, namespace: suite.namespace });
  const mongoDb = `test_${name.replace(/\W/g, '_')}_${suffix}`;
  const deps = await connectApiDeps({ temporalAddress: suite.temporalAddress, namespace: suite.namespace, taskQueue, mongoUri: suite.mongoUri, mongoDb });
  const bundle = { code: fs.readFileSync(suite.bundlePath, 'utf8') };

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let workerConn: { close(): Promise<void> } | undefined;
  const startWorker = async () => {
    const w = await createWorker({ address: suite.temporalAddress, namespace: suite.namespace, taskQueue, models: deps.models, bundle });
    worker = w.worker;
    workerConn = w.connection;
    running = w.run();
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    await running;
    await workerConn?.close();
    worker = undefined;
  };
  await startWorker();

  const app = createApp(deps, healthProbe(deps.client, suite.namespace, taskQueue, deps.store));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  await seedWorld(deps.models, DEMO_WORLD, () => TEST_PASSWORD);
  const sessions = new Map<string, Promise<Session>>();
  const login = (username: string) => {
    if (!sessions.has(username)) sessions.set(username, signIn(baseUrl, username, TEST_PASSWORD));
    return sessions.get(username)!;
  };
  const authHeaders = async (username: string) => {
    const s = await login(username);
    return { cookie: s.cookie, 'x-csrf-token': s.csrf };
  };
  const steps = deps.definitions.get('major-decision')!.procedure.elements;
  const defaultUser = (path: string) => {
    const m = /^\/api\/decisions\/[^/]+\/steps\/([^/]+)\//.exec(path);
    const role = m ? steps[m[1]]?.step?.role : undefined;
    return role ? USER_FOR_ROLE[role] : 'zjj';
  };

  return {
    baseUrl,
    taskQueue,
    deps,
    mongoDb,
    env,
    startWorker,
    stopWorker,
    login,
    authHeaders,
    async api(method, path, body, as) {
      const user = as === undefined ? defaultUser(path) : as;
      const res = await fetch(baseUrl + path, {
        method,
        headers: { 'content-type': 'application/json', ...(user ? await authHeaders(user) : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* XML or text */
      }
      return { status: res.status, body: parsed as never };
    },
    async close() {
      await new Promise((r) => server.close(() => r(undefined)));
      await stopWorker();
      await deps.close();
      await env.teardown();
    },
  };
}
