/**
 * Supervision of `npm start`'s child servers (the Temporal dev server, PostgreSQL, FerretDB): one
 * that exits when nobody asked it to is started again on the same ports and data, after a wait
 * that doubles with each crash in a row (1 s, 2 s, 4 s … at most 30 s; a server that stayed up a
 * minute starts again from 1 s). Every crash and restart is logged, and `status()` is what
 * /healthz reports. `halt()` — called first thing on Ctrl-C — ends restarts before anything stops.
 */
import type { ManagedServer } from './services';

export interface BackOff {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** A server up this long counts as recovered: its next crash waits initialMs again. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackOff = { initialMs: 1000, factor: 2, maxMs: 30_000, resetAfterMs: 60_000 };

export interface ProcessStatus {
  name: string;
  /** running; restarting (waiting, or starting again); stopped (by request). */
  state: 'running' | 'restarting' | 'stopped';
  pid: number | null;
  /** Restarts that succeeded since `npm start`. */
  restarts: number;
  /** When the current state began. */
  since: string;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  /** While restarting: when the next attempt starts. */
  nextAttemptAt?: string;
  /** While restarting: why the last attempt failed, if one did. */
  lastError?: string;
}

export interface Supervised {
  readonly name: string;
  /** The server running now (it changes with each restart). */
  current(): ManagedServer;
  status(): ProcessStatus;
  /** No more restarts from now on (synchronous: call it before anything is stopped). */
  halt(): void;
  /** Halt, wait for a restart in progress, and stop the server. */
  stop(): Promise<void>;
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0];

/** Supervise a started server; it must know how to start itself again (`restart`). */
export function supervise(first: ManagedServer, o: { log?: (line: string) => void; backoff?: BackOff } = {}): Supervised {
  if (!first.restart) throw new Error(`${first.name} cannot be supervised: it does not know how to start again`);
  const log = o.log ?? ((line: string) => console.error(line));
  const b = o.backoff ?? DEFAULT_BACKOFF;
  const name = first.name;
  let current = first;
  let halted = false;
  let delay = b.initialMs;
  let upSince = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> | undefined;
  const status: ProcessStatus = { name, state: 'running', pid: first.child.pid ?? null, restarts: 0, since: new Date(upSince).toISOString(), lastExit: null };

  const schedule = () => {
    const at = Date.now() + delay;
    status.nextAttemptAt = new Date(at).toISOString();
    log(`${name}: restarting in ${(delay / 1000).toFixed(delay < 1000 ? 1 : 0)} s (restart ${status.restarts + 1}).`);
    timer = setTimeout(() => {
      timer = undefined;
      attempt = restart().finally(() => (attempt = undefined));
    }, delay);
    delay = Math.min(delay * b.factor, b.maxMs);
  };

  const restart = async () => {
    if (halted) return;
    const began = Date.now();
    try {
      const next = await current.restart!();
      if (halted) return void (await next.stop());
      current = next;
      upSince = Date.now();
      status.restarts += 1;
      Object.assign(status, { state: 'running', pid: next.child.pid ?? null, since: new Date(upSince).toISOString() });
      delete status.nextAttemptAt;
      delete status.lastError;
      log(`${name}: running again (pid ${next.child.pid}, restart ${status.restarts}, ready in ${Date.now() - began} ms).`);
      watch(next);
    } catch (err) {
      status.lastError = firstLine(err);
      log(`${name}: could not start again: ${status.lastError}`);
      if (!halted) schedule();
    }
  };

  const watch = (server: ManagedServer) => {
    server.child.once('exit', (code, signal) => {
      if (halted || server !== current) return;
      const at = new Date();
      status.lastExit = { code, signal, at: at.toISOString() };
      Object.assign(status, { state: 'restarting', pid: null, since: at.toISOString() });
      if (at.getTime() - upSince >= b.resetAfterMs) delay = b.initialMs;
      log(`${name}: exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`}) after ${Math.round((at.getTime() - upSince) / 1000)} s up; its log: ${server.logFile}`);
      schedule();
    });
  };
  watch(first);

  const halt = () => {
    halted = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    name,
    current: () => current,
    status: () => ({ ...status }),
    halt,
    async stop() {
      halt();
      await attempt;
      await current.stop();
      Object.assign(status, { state: 'stopped', pid: null, since: new Date().toISOString() });
      delete status.nextAttemptAt;
    },
  };
}
