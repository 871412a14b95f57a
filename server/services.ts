/**
 * Child servers of the embedded default and the test suite: the Temporal dev server
 * (SQLite persistence) and FerretDB (SQLite backend). Each start checks its port first,
 * waits until the server really answers, and fails with a paragraph that says what to do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { ConfigError } from './config';

export interface ManagedServer {
  name: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** True when something already listens on host:port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function assertPortFree(port: number, what: string, envVar: string) {
  if (await portInUse(port)) {
    throw new ConfigError(
      `Port ${port} is already in use, so ${what} cannot start there. Another Juece (or another program) may be running: ` +
        `stop it, or choose another port with ${envVar}=<port>.`,
    );
  }
}

function spawnLogged(name: string, bin: string, args: string[], logFile: string): ManagedServer {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    name,
    child,
    logFile,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function tail(file: string, lines = 12): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Poll `probe` until it succeeds; fail early if the child exits, or after timeoutMs. */
async function waitUntil(server: ManagedServer, probe: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null = null;
  server.child.once('exit', (code) => (exitCode = code ?? -1));
  for (;;) {
    if (exitCode !== null) {
      throw new ConfigError(`${what} exited with code ${exitCode} while starting. Its log (${server.logFile}) ends with:\n${tail(server.logFile)}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      await server.stop();
      throw new ConfigError(`${what} did not become ready within ${timeoutMs / 1000} s. Its log (${server.logFile}) ends with:\n${tail(server.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** True when the Temporal frontend answers and the namespace exists. */
export async function temporalReady(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/** True when a MongoDB-wire server answers ping. */
export async function storeReady(uri: string): Promise<boolean> {
  const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1000 });
  try {
    await conn.asPromise();
    await conn.db!.admin().ping();
    return true;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

export interface TemporalDevOptions {
  bin: string;
  port: number;
  /** null → headless (no Web UI). */
  uiPort: number | null;
  /** SQLite file for persistence; undefined → in-memory. */
  dbFile?: string;
  logFile: string;
  startTimeoutMs?: number;
}

/** Start `temporal server start-dev` and wait until the default namespace answers. */
export async function startTemporalDev(o: TemporalDevOptions): Promise<ManagedServer & { address: string; uiUrl?: string }> {
  await assertPortFree(o.port, 'the Temporal dev server', 'JUECE_TEMPORAL_PORT');
  if (o.uiPort !== null) await assertPortFree(o.uiPort, 'the Temporal Web UI', 'JUECE_TEMPORAL_PORT');
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--log-level', 'warn'];
  if (o.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort));
  if (o.dbFile) {
    fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
    args.push('--db-filename', o.dbFile);
  }
  const server = spawnLogged('temporal', o.bin, args, o.logFile);
  const address = `127.0.0.1:${o.port}`;
  await waitUntil(server, () => temporalReady(address, 'default'), o.startTimeoutMs ?? 60_000, 'The Temporal dev server');
  return { ...server, address, uiUrl: o.uiPort === null ? undefined : `http://127.0.0.1:${o.uiPort}` };
}

export interface FerretdbOptions {
  bin: string;
  port: number;
  dataDir: string;
  logFile: string;
  startTimeoutMs?: number;
}

/** Start FerretDB on SQLite and wait until it answers ping. */
export async function startFerretdb(o: FerretdbOptions): Promise<ManagedServer & { uri: string }> {
  await assertPortFree(o.port, 'FerretDB', 'JUECE_FERRETDB_PORT');
  fs.mkdirSync(o.dataDir, { recursive: true });
  const server = spawnLogged('ferretdb', o.bin, ['-listen-addr', `127.0.0.1:${o.port}`, '-sqlite-dir', o.dataDir], o.logFile);
  const uri = `mongodb://127.0.0.1:${o.port}/`;
  await waitUntil(server, () => storeReady(uri), o.startTimeoutMs ?? 30_000, 'FerretDB');
  return { ...server, uri };
}
