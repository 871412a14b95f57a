/**
 * Child servers of the embedded default and the test suite: the Temporal dev server
 * (SQLite persistence) and FerretDB (on PostgreSQL, see server/postgres.ts, or SQLite). Each
 * start checks its port first, waits until the server really answers, and fails with a
 * paragraph that says what to do.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
  /** Start the same server again, on the same ports and data (server/supervisor.ts, after a crash). */
  restart?(): Promise<ManagedServer>;
}

/** True when `p` is an executable file. */
export function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
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

export async function assertPortFree(port: number, what: string, envVar: string) {
  if (await portInUse(port)) {
    throw new ConfigError(
      `Port ${port} is already in use, so ${what} cannot start there. Another Juece (or another program) may be running: ` +
        `stop it, or choose another port with ${envVar}=<port>.`,
    );
  }
}

export interface SpawnOptions {
  /** Extra environment (e.g. a connection URL that must stay out of the process list). */
  env?: NodeJS.ProcessEnv;
  /** Run as this user (when we are root). */
  uid?: number;
  gid?: number;
  /** The signal that stops the server quickly and cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Sent when it has not stopped 10 s later (default SIGKILL). */
  forceSignal?: NodeJS.Signals;
}

let pdeathsig: boolean | undefined;
/** util-linux's setpriv with --pdeathsig (2.33 and later; Debian's since buster). */
function hasPdeathsig(): boolean {
  if (pdeathsig === undefined) {
    const r = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
    pdeathsig = r.status === 0 && r.stdout.includes('--pdeathsig');
  }
  return pdeathsig;
}

/**
 * Start a child server with its output in `logFile`. Through setpriv, where there is one, it
 * runs as `uid`/`gid` and the kernel sends it its stop signal if this process dies without
 * stopping it (a killed test run, a crash), so no server outlives Juece.
 */
export function spawnLogged(name: string, bin: string, args: string[], logFile: string, o: SpawnOptions = {}): ManagedServer {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const stopSignal = o.stopSignal ?? 'SIGTERM';
  const asUser = o.uid === undefined ? [] : ['--reuid', String(o.uid), '--regid', String(o.gid ?? o.uid), '--clear-groups'];
  const [command, argv, ids] = hasPdeathsig()
    ? ['setpriv', [...asUser, '--pdeathsig', stopSignal.replace(/^SIG/, ''), '--', bin, ...args], {}]
    : [bin, args, { uid: o.uid, gid: o.gid }];
  const child = spawn(command, argv, { stdio: ['ignore', out, out], env: o.env ? { ...process.env, ...o.env } : process.env, ...ids });
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
        const kill = setTimeout(() => child.kill(o.forceSignal ?? 'SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill(stopSignal);
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
export async function waitUntil(server: ManagedServer, probe: () => Promise<boolean>, timeoutMs: number, what: string) {
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
  return { ...server, address, uiUrl: o.uiPort === null ? undefined : `http://127.0.0.1:${o.uiPort}`, restart: () => startTemporalDev(o) };
}

export interface FerretdbOptions {
  bin: string;
  port: number;
  /** Where FerretDB stores: a PostgreSQL URL (kept out of the process list), or a SQLite directory. */
  storage: { postgresqlUrl: string } | { sqliteDir: string };
  logFile: string;
  startTimeoutMs?: number;
}

/** Start FerretDB and wait until it answers ping. */
export async function startFerretdb(o: FerretdbOptions): Promise<ManagedServer & { uri: string }> {
  await assertPortFree(o.port, 'FerretDB', 'JUECE_FERRETDB_PORT');
  const listen = ['-listen-addr', `127.0.0.1:${o.port}`];
  let server: ManagedServer;
  if ('postgresqlUrl' in o.storage) {
    server = spawnLogged('ferretdb', o.bin, [...listen, '-handler', 'postgresql'], o.logFile, { env: { FERRETDB_POSTGRESQL_URL: o.storage.postgresqlUrl } });
  } else {
    fs.mkdirSync(o.storage.sqliteDir, { recursive: true });
    server = spawnLogged('ferretdb', o.bin, [...listen, '-handler', 'sqlite', '-sqlite-dir', o.storage.sqliteDir], o.logFile);
  }
  const uri = `mongodb://127.0.0.1:${o.port}/`;
  await waitUntil(server, () => storeReady(uri), o.startTimeoutMs ?? 30_000, 'FerretDB');
  return { ...server, uri, restart: () => startFerretdb(o) };
}
