/**
 * Supervision of the child servers (server/supervisor.ts), on real child processes: a crash is
 * followed by a restart after a wait that doubles with each crash in a row; a restart that fails
 * is tried again later; halting — what Ctrl-C does first — means no exit is a crash any more.
 */
import { spawn } from 'node:child_process';
import type { ManagedServer } from '../../server/services';
import { supervise, type BackOff } from '../../server/supervisor';

const BACKOFF: BackOff = { initialMs: 100, factor: 2, maxMs: 400, resetAfterMs: 60_000 };

/** A child that runs until killed, and starts again when asked (failing when `failNext` says so). */
function server(o: { failNext?: () => boolean; started?: number[] } = {}): ManagedServer {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
  o.started?.push(Date.now());
  return {
    name: 'fake',
    child,
    logFile: '/dev/null',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    restart: async () => {
      if (o.failNext?.()) throw new Error('port 7233 is still in use\nmore detail');
      return server(o);
    },
  };
}

const crash = (s: ManagedServer) => s.child.kill('SIGKILL');
const until = async (ok: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('a crashed server is started again, each crash in a row waiting twice as long, and the status says so', async () => {
  const started: number[] = [];
  const log: string[] = [];
  const s = supervise(server({ started }), { backoff: BACKOFF, log: (l) => log.push(l) });
  try {
    const firstPid = s.current().child.pid;
    const crashedAt: number[] = [];
    for (let i = 1; i <= 3; i++) {
      crashedAt.push(Date.now());
      crash(s.current());
      await until(() => s.status().restarts === i && s.status().state === 'running');
    }
    const waits = crashedAt.map((at, i) => started[i + 1] - at);
    // 100 ms, 200 ms, 400 ms: never sooner (a busy machine may make them later).
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[2]).toBeGreaterThanOrEqual(400);
    const st = s.status();
    expect(st).toMatchObject({ name: 'fake', state: 'running', restarts: 3, lastExit: { code: null, signal: 'SIGKILL', at: expect.any(String) } });
    expect(st.pid).toBe(s.current().child.pid);
    expect(st.pid).not.toBe(firstPid);
    expect(log.filter((l) => /exited unexpectedly \(signal SIGKILL\)/.test(l))).toHaveLength(3);
    expect(log.filter((l) => /running again/.test(l))).toHaveLength(3);
    expect(log.some((l) => /restarting in 0\.1 s \(restart 1\)/.test(l))).toBe(true);
  } finally {
    await s.stop();
  }
  expect(s.status().state).toBe('stopped');
});

test('a restart that fails is tried again after a longer wait, with the reason in the status', async () => {
  let failures = 1;
  const log: string[] = [];
  const s = supervise(server({ failNext: () => failures-- > 0 }), { backoff: BACKOFF, log: (l) => log.push(l) });
  try {
    crash(s.current());
    await until(() => s.status().lastError !== undefined);
    expect(s.status()).toMatchObject({ state: 'restarting', pid: null, lastError: 'port 7233 is still in use', nextAttemptAt: expect.any(String) });
    await until(() => s.status().state === 'running');
    expect(s.status()).toMatchObject({ restarts: 1 });
    expect(s.status().lastError).toBeUndefined();
    expect(log.some((l) => /could not start again: port 7233 is still in use$/.test(l))).toBe(true);
  } finally {
    await s.stop();
  }
});

test('once halted (Ctrl-C), an exit is no crash: nothing is started again', async () => {
  const started: number[] = [];
  const log: string[] = [];
  const s = supervise(server({ started }), { backoff: BACKOFF, log: (l) => log.push(l) });
  s.halt();
  crash(s.current());
  await new Promise((r) => setTimeout(r, 400));
  expect(started).toHaveLength(1);
  expect(log).toEqual([]);
  await s.stop();
  expect(s.status().state).toBe('stopped');
});
