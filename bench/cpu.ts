/**
 * CPU time spent by each part of the stack over a window — the bench process (API, worker and
 * the bench's own clients, all threads) and each child server with its descendants (PostgreSQL's
 * backends) — read from /proc on Linux. Divided by the acts done in the window, it is what one act
 * costs each part, the figure capacity planning multiplies (docs/capacity.md).
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

function statOf(pid: number, file = `/proc/${pid}/stat`): { ppid: number; ms: number } | null {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // f[1] is field 4 (ppid); f[11..14] are fields 14–17: utime, stime, cutime, cstime.
    return { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU ms used so far by each named process tree. */
function treeTimes(roots: Record<string, number | undefined>): Record<string, number> {
  const stats = new Map<number, { ppid: number; ms: number }>();
  let pids: number[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return {};
  }
  for (const pid of pids) {
    const s = statOf(pid);
    if (s) stats.set(pid, s);
  }
  const rootOf = (pid: number): string | undefined => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = stats.get(p)?.ppid ?? 0, hops++) {
      const name = Object.keys(roots).find((k) => roots[k] === p);
      if (name) return name;
    }
    return undefined;
  };
  const out: Record<string, number> = Object.fromEntries(Object.keys(roots).map((k) => [k, 0]));
  for (const [pid, s] of stats) {
    const name = rootOf(pid);
    if (name) out[name] += s.ms;
  }
  return out;
}

export type CpuUse = Record<string, number>;

/** CPU ms of this process's main thread (the API, the activities, the bench's clients), from /proc; null elsewhere. */
const mainThreadMs = () => statOf(process.pid, `/proc/self/task/${process.pid}/stat`)?.ms ?? null;

/**
 * Start counting; the returned function gives the CPU ms each part used since: the bench
 * process's main thread and its other threads (the workflow sandbox's thread, Temporal's core,
 * the garbage collector), and each child server's process tree.
 */
export function cpuMeter(children: Record<string, number | undefined>): () => CpuUse {
  const self0 = process.cpuUsage();
  const main0 = mainThreadMs();
  const tree0 = treeTimes(children);
  return () => {
    const self = process.cpuUsage(self0);
    const all = Math.round((self.user + self.system) / 1000);
    const main = main0 === null ? null : (mainThreadMs() ?? main0) - main0;
    const tree = treeTimes(children);
    return {
      ...(main === null ? { benchProcess: all } : { benchMainThread: main, benchOtherThreads: Math.max(0, all - main) }),
      ...Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, v - (tree0[k] ?? 0)])),
    };
  };
}
