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
import { healthProbe } from '../../server/health';
import { connectApiDeps } from '../../server/stack';
import { createWorker } from '../../server/worker';
import { readSuiteState } from './suite-state';

let runtimeInstalled = false;

export interface Harness {
  baseUrl: string;
  taskQueue: string;
  deps: Awaited<ReturnType<typeof connectApiDeps>>;
  env: TestWorkflowEnvironment;
  /** Start (or restart) the worker. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely
  api<T = any>(method: string, path: string, body?: unknown, actor?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const suite = readSuiteState();
  const suffix = crypto.randomBytes(4).toString('hex');
  const taskQueue = `test-${name}-${suffix}`;
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: suite.temporalAddress, namespace: suite.namespace });
  const deps = await connectApiDeps({ temporalAddress: suite.temporalAddress, namespace: suite.namespace, taskQueue, mongoUri: suite.mongoUri, mongoDb: `test_${name.replace(/\W/g, '_')}_${suffix}` });
  const bundle = { code: fs.readFileSync(suite.bundlePath, 'utf8') };

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let workerConn: { close(): Promise<void> } | undefined;
  const startWorker = async () => {
    const w = await createWorker({ address: suite.temporalAddress, namespace: suite.namespace, taskQueue, models: deps.models, bundle });
    worker = w.worker;
    workerConn = w.connection;
    running = worker.run();
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

  return {
    baseUrl,
    taskQueue,
    deps,
    env,
    startWorker,
    stopWorker,
    async api(method, path, body, actor = 'tester') {
      const res = await fetch(baseUrl + path, {
        method,
        headers: { 'content-type': 'application/json', 'x-juece-actor': encodeURIComponent(actor) },
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
