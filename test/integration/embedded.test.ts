/**
 * `npm start` itself: the embedded default (FerretDB on a PostgreSQL cluster of its own) reaches a
 * 200 /healthz, stops cleanly on Ctrl-C, and resumes with the same decisions after a restart; a
 * busy port is one clear paragraph.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, portInUse } from '../../server/services';
import { sample } from '../support/records';
import { signIn } from '../support/sign-in';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let base: string;

/** A port p with p + 1000 also free (the Temporal Web UI's). */
async function portPair(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p + 1000 < 65535 && !(await portInUse(p + 1000))) return p;
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-embedded-'));
  // Searchable by PostgreSQL's unprivileged user, so its cluster stays inside (data/postgresql).
  fs.chmodSync(dataDir, 0o711);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    JUECE_PORT: String(port),
    JUECE_TEMPORAL_PORT: String(await portPair()),
    JUECE_FERRETDB_PORT: String(await freePort()),
    JUECE_POSTGRESQL_PORT: String(await freePort()),
    JUECE_DATA_DIR: dataDir,
    JUECE_DEMO_DATA: 'on',
    TEMPORAL_ADDRESS: '',
    MONGODB_URI: '',
    JUECE_FERRETDB_BACKEND: '',
  };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function start(extra: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string; exited: Promise<number> } {
  const child = spawn(TSX, ['server/main.ts'], { cwd: ROOT, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, output: () => out, exited };
}

async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sessions by login, from the demo logins `npm start` printed. */
const sessions = new Map<string, { cookie: string; csrf: string }>();

function printedPassword(output: string, login: string): string {
  const m = new RegExp(`^\\s+${login}\\s+(\\S+)\\s`, 'm').exec(output);
  if (!m) throw new Error(`no demo login ${login} printed:\n${output}`);
  return m[1];
}

async function signInAs(login: string, password: string) {
  sessions.set(login, await signIn(base, login, password));
}

const api = async (method: string, p: string, body?: unknown, as?: string) => {
  const s = as ? sessions.get(as) : undefined;
  const res = await fetch(base + p, {
    method,
    headers: { 'content-type': 'application/json', ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

test('npm start runs the stack with demo logins, stops on Ctrl-C, and resumes every decision after a restart', async () => {
  const first = start();
  await until(() => first.output().includes('Juece is running'), 'the first start');
  const health = await api('GET', '/healthz');
  expect(health.status).toBe(200);
  // The store is FerretDB on PostgreSQL, whose cluster lives in the data directory.
  expect(health.body.checks.store.detail).toMatch(/^FerretDB on PostgreSQL \d+/);
  expect(health.body.checks.postgresql).toEqual({ ok: true, detail: expect.stringContaining(`127.0.0.1:${env.JUECE_POSTGRESQL_PORT}`) });
  expect(fs.existsSync(path.join(dataDir, 'postgresql', 'pgdata', 'PG_VERSION'))).toBe(true);
  expect(first.output()).toContain('Temporal Web UI');
  // The embedded default prints a login per role; nobody is signed in until they use one.
  expect(first.output()).toContain('Demo logins 演示账号');
  expect((await api('GET', '/api/decisions')).status).toBe(401);
  await signInAs('zjj', printedPassword(first.output(), 'zjj'));
  await signInAs('office', printedPassword(first.output(), 'office'));

  const created = await api('POST', '/api/decisions', { title: '银川市闽宁产业园区建设项目', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'major-project' }, 'zjj');
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await api('POST', `/api/decisions/${id}/steps/initiation/start`, {}, 'office')).status).toBe(200);
  expect((await api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation(), 'office')).status).toBe(200);

  first.child.kill('SIGINT');
  expect(await first.exited).toBe(0);
  // Every child server is gone: its ports are free again.
  expect(await portInUse(Number(env.JUECE_TEMPORAL_PORT))).toBe(false);
  expect(await portInUse(Number(env.JUECE_FERRETDB_PORT))).toBe(false);
  expect(await portInUse(Number(env.JUECE_POSTGRESQL_PORT))).toBe(false);

  const second = start();
  try {
    await until(() => second.output().includes('Juece is running'), 'the restart');
    // The same demo passwords, and sessions survive the restart (they live in the store).
    expect(printedPassword(second.output(), 'zjj')).toBe(printedPassword(first.output(), 'zjj'));
    const state = await api('GET', `/api/decisions/${id}`, undefined, 'zjj');
    expect(state.status).toBe(200);
    expect(state.body.elements.initiation.status).toBe('completed');
    expect(state.body.elements.drafting.status).toBe('enabled');
    // The office's findings at initiation (Art. 10) are part of the state that survives.
    expect(state.body.findings['expert-review']).toMatchObject({ applies: false, ground: 'not-technical', source: 'initiation', by: expect.stringContaining('(office)') });
    const listed = await api('GET', '/api/decisions?pageSize=100', undefined, 'zjj');
    expect(listed.body.items.map((d: { id: string }) => d.id)).toContain(id);
    // The resumed workflow still takes actions.
    expect((await api('POST', `/api/decisions/${id}/steps/drafting/start`, {}, 'zjj')).status).toBe(200);
  } finally {
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }
});

test('a busy port stops start-up with one paragraph that says what to do', async () => {
  const blocker = net.createServer().listen(Number(env.JUECE_PORT), '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  try {
    const run = start();
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Port \d+ is already in use, so the Juece API cannot start there\. .* choose another port with JUECE_PORT=<port>\./);
    expect(run.output()).not.toMatch(/\n\s+at /); // no stack trace
  } finally {
    blocker.close();
  }
});
