/**
 * Accounts and sessions on the real stack: the cookie's attributes, CSRF on every change,
 * throttled failed logins, logout, disabled and expired accounts, and the user CLI.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { THROTTLE } from '../../server/auth';
import { setDisabled } from '../../server/directory';
import { startHarness, TEST_PASSWORD, UNIT_OF, type Harness } from '../support/harness';
import { readSuiteState } from '../support/suite-state';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('sessions');
});
afterAll(async () => {
  await h?.close();
});

async function login(username: string, password: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
  const body = await res.json();
  return { status: res.status, body, setCookie: res.headers.get('set-cookie'), retryAfter: res.headers.get('retry-after') };
}

async function post(path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(h.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test('a login sets an httpOnly SameSite=Strict session cookie and returns the CSRF token', async () => {
  const r = await login('sfj', TEST_PASSWORD);
  expect(r.status).toBe(200);
  expect(r.setCookie).toMatch(/^juece_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  expect(r.setCookie).not.toMatch(/Secure/); // plain http here; JUECE_COOKIE_SECURE=on or TLS adds it
  expect(r.body.user).toMatchObject({ username: 'sfj', name: '赵审查', roles: ['legality-review-body'], org: { name: '银川市司法局' }, agency: { name: '银川市人民政府' } });
  expect(r.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  const cookie = r.setCookie!.split(';')[0];
  const session = await (await fetch(`${h.baseUrl}/api/session`, { headers: { cookie } })).json();
  expect(session.user.username).toBe('sfj');
  expect(session.csrfToken).toBe(r.body.csrfToken);
  // The store keeps only a hash of the token.
  expect(await h.deps.models.Session.exists({ _id: cookie.split('=')[1] })).toBeNull();
});

test('every change needs the session’s CSRF token; reads do not', async () => {
  const { cookie, csrf } = await h.login('zjj');
  const body = { title: '银川市供热价格调整方案', ...UNIT_OF.zjj, category: 'public-policy' };
  const missing = await post('/api/decisions', body, { cookie });
  expect(missing.status).toBe(403);
  expect(missing.body.error).toMatchObject({ code: 'CSRF_FAILED', details: [{ path: 'header.x-csrf-token', message: 'missing' }] });
  const wrong = await post('/api/decisions', body, { cookie, 'x-csrf-token': csrf.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
  expect(wrong.status).toBe(403);
  expect(wrong.body.error.details[0].message).toBe('does not match the session');
  // Another user's token is not this session's.
  const other = await h.login('office');
  expect((await post('/api/decisions', body, { cookie, 'x-csrf-token': other.csrf })).status).toBe(403);
  expect((await fetch(`${h.baseUrl}/api/decisions`, { headers: { cookie } })).status).toBe(200);
  expect((await post('/api/decisions', body, { cookie, 'x-csrf-token': csrf })).status).toBe(201);
});

test('a login is taken only as JSON from this site', async () => {
  const form = await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=sfj&password=${TEST_PASSWORD}` });
  expect(form.status).toBe(415);
  expect((await form.json()).error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: [{ path: 'header.content-type' }] });
  const cross = await login('sfj', TEST_PASSWORD, { origin: 'https://evil.example' });
  expect(cross.status).toBe(403);
  expect(cross.body.error.code).toBe('CSRF_FAILED');
  expect(cross.setCookie).toBeNull();
  // A sandboxed frame or a data: page says `Origin: null`; no page of ours does.
  const opaque = await login('sfj', TEST_PASSWORD, { origin: 'null' });
  expect([opaque.status, opaque.body.error.code, opaque.body.error.details[0].path]).toEqual([403, 'CSRF_FAILED', 'header.origin']);
  expect(opaque.setCookie).toBeNull();
  expect((await login('sfj', TEST_PASSWORD, { origin: h.baseUrl })).status).toBe(200);
});

test('wrong passwords get one message; repeated failures lock the login name, even against the right password', async () => {
  const unknown = await login('nobody-here', 'whatever-123');
  const wrong = await login('mayor', 'not-the-password');
  expect(unknown.status).toBe(401);
  expect(wrong.status).toBe(401);
  expect(wrong.body.error.message).toBe(unknown.body.error.message);
  for (let i = 1; i < THROTTLE.perUser; i++) expect((await login('mayor', `wrong-${i}`)).status).toBe(401);
  const locked = await login('mayor', TEST_PASSWORD);
  expect(locked.status).toBe(429);
  expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  expect(Number(locked.retryAfter)).toBeGreaterThan(THROTTLE.lock / 1000 - 60);
  // Only that name is locked; the lock ends after its time.
  expect((await login('office', TEST_PASSWORD)).status).toBe(200);
  await h.deps.models.LoginThrottle.updateOne({ _id: 'user:mayor' }, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
  expect((await login('mayor', TEST_PASSWORD)).status).toBe(200);
  const kinds = (await h.deps.models.SecurityEvent.find({ username: 'mayor' }).lean()).map((e) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['login-failed', 'login-locked', 'login-throttled', 'login']));
});

test('twenty guesses at once get no more than the limit checked: the rest are refused unchecked', async () => {
  const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => login('vicemayor', `parallel-guess-${i}`)));
  const statuses = guesses.map((g) => g.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(THROTTLE.perUser);
  expect(statuses.filter((s) => s === 429)).toHaveLength(20 - THROTTLE.perUser);
  // Only the counted ones had their password looked at; the name is locked now, right password or not.
  const events = await h.deps.models.SecurityEvent.find({ username: 'vicemayor' }).lean();
  expect(events.filter((e) => e.kind === 'login-failed' || e.kind === 'login-locked')).toHaveLength(THROTTLE.perUser);
  expect((await login('vicemayor', TEST_PASSWORD)).status).toBe(429);
  // This file's later logins come from the same address: give it back its clean slate.
  await h.deps.models.LoginThrottle.deleteMany({ _id: { $regex: '^ip:' } });
});

test('logout ends the session on the server; a disabled or expired account is nobody', async () => {
  const a = await login('lawyer', TEST_PASSWORD);
  const cookie = a.setCookie!.split(';')[0];
  const out = await post('/api/session/logout', {}, { cookie, 'x-csrf-token': a.body.csrfToken });
  expect(out.status).toBe(200);
  expect((await fetch(`${h.baseUrl}/api/notifications`, { headers: { cookie } })).status).toBe(401);

  const b = await login('govlawyer', TEST_PASSWORD);
  const bCookie = b.setCookie!.split(';')[0];
  await h.deps.models.Session.updateMany({ username: 'govlawyer' }, { $set: { expiresAt: new Date(Date.now() - 1) } });
  expect((await fetch(`${h.baseUrl}/api/notifications`, { headers: { cookie: bCookie } })).status).toBe(401);
  // Idle too long is ended too; anyone's next login clears ended sessions from the store.
  const idle = await login('govlawyer', TEST_PASSWORD);
  await h.deps.models.Session.updateMany({ username: 'govlawyer' }, { $set: { lastSeenAt: new Date(Date.now() - 3 * 3600_000) } });
  expect((await fetch(`${h.baseUrl}/api/notifications`, { headers: { cookie: idle.setCookie!.split(';')[0] } })).status).toBe(401);
  await h.deps.models.Session.create({ _id: 'ended-session', username: 'govlawyer', csrfToken: 'x', createdAt: new Date(0), lastSeenAt: new Date(0), expiresAt: new Date(1) });
  await login('office', TEST_PASSWORD);
  expect(await h.deps.models.Session.exists({ _id: 'ended-session' })).toBeNull();

  const c = await login('fgw', TEST_PASSWORD);
  await setDisabled(h.deps.models, 'fgw', true);
  expect((await fetch(`${h.baseUrl}/api/notifications`, { headers: { cookie: c.setCookie!.split(';')[0] } })).status).toBe(401);
  expect((await login('fgw', TEST_PASSWORD)).status).toBe(401);
  await setDisabled(h.deps.models, 'fgw', false);
  expect((await login('fgw', TEST_PASSWORD)).status).toBe(200);
});

/** Run the user CLI against this test's database, with `stdin` piped in. */
function cli(args: string[], stdin = ''): Promise<{ code: number; out: string }> {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/juece.ts', ...args], {
    cwd: root,
    env: { ...process.env, MONGODB_URI: readSuiteState().mongoUri, MONGODB_DB: h.deps.models.User.db.name },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, out })));
}

test('the CLI adds, lists and disables users, reading the password from standard input', async () => {
  const added = await cli(['user', 'add', 'wang.lawyer', '--name', '王律师', '--role', 'legal-adviser', '--org', 'yc-advisers', '--lawyer-type', 'government-lawyer', '--email', 'wang@example.gov.cn'], 'a-long-passphrase\n');
  expect(added).toEqual({ code: 0, out: 'Added wang.lawyer.\n' });
  const signedIn = await login('wang.lawyer', 'a-long-passphrase');
  expect(signedIn.status).toBe(200);
  expect(signedIn.body.user).toMatchObject({ roles: ['legal-adviser'], lawyerType: 'government-lawyer', agency: { name: '银川市人民政府' } });
  // The password never appears in the stored document or the listing.
  const doc = await h.deps.models.User.findById('wang.lawyer').lean();
  expect(doc!.passwordHash).toMatch(/^\$argon2id\$/);
  const listed = await cli(['user', 'list']);
  expect(listed.code).toBe(0);
  expect(listed.out).toMatch(/wang\.lawyer\s+active\s+legal-adviser\s+王律师（银川市人民政府法律顾问团） <wang@example\.gov\.cn>/);
  expect(listed.out).not.toContain('a-long-passphrase');

  const short = await cli(['user', 'add', 'li', '--name', '李四', '--role', 'department', '--org', 'yc-zjj'], 'short\n');
  expect(short.code).toBe(2);
  expect(short.out).toContain('password: at least 10 characters');
  // Length is not strength: a common password with digits after it is refused before the store opens.
  const weak = await cli(['user', 'add', 'li', '--name', '李四', '--role', 'department', '--org', 'yc-zjj'], 'password123456\n');
  expect(weak.code).toBe(2);
  expect(weak.out).toContain('password: too easy to guess');
  const misplaced = await cli(['user', 'add', 'li', '--name', '李四', '--role', 'supervisor', '--org', 'yc-zjj'], 'long-enough-pw\n');
  expect(misplaced.code).toBe(2);
  expect(misplaced.out).toContain('The role supervisor belongs in a supervisor-office');
  const taken = await cli(['user', 'add', 'zjj', '--name', '重名', '--role', 'department', '--org', 'yc-zjj'], 'long-enough-pw\n');
  expect(taken).toMatchObject({ code: 2, out: expect.stringContaining('The login name zjj is taken.') });

  expect((await cli(['user', 'disable', 'wang.lawyer'])).code).toBe(0);
  expect((await fetch(`${h.baseUrl}/api/session`, { headers: { cookie: signedIn.setCookie!.split(';')[0] } }).then((r) => r.json())).user).toBeNull();
  expect((await login('wang.lawyer', 'a-long-passphrase')).status).toBe(401);
  expect((await cli(['user', 'frobnicate'])).code).toBe(2);
});

test('a person changes their own password with the current one; their other sessions end, this one stays', async () => {
  const first = await login('szsoffice', TEST_PASSWORD);
  const second = await login('szsoffice', TEST_PASSWORD);
  const cookie = first.setCookie!.split(';')[0];
  const headers = { cookie, 'x-csrf-token': first.body.csrfToken };
  const wrong = await post('/api/me/password', { currentPassword: 'not-it-at-all', newPassword: 'a-new-passphrase' }, headers);
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.details[0].path).toBe('body.currentPassword');
  const short = await post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' }, headers);
  expect(short.status).toBe(400);
  expect(short.body.error.details[0].path).toBe('body.newPassword');
  for (const weak of ['1234567890', 'qwertyuiop123', 'woaini5201314', 'szsoffice2026']) {
    const r = await post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: weak }, headers);
    expect({ weak, status: r.status, path: r.body.error?.details?.[0]?.path }).toEqual({ weak, status: 400, path: 'body.newPassword' });
  }
  const ok = await post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-new-passphrase' }, headers);
  expect(ok).toEqual({ status: 200, body: { ok: true, otherSessionsEnded: 1 } });
  expect((await fetch(`${h.baseUrl}/api/notifications`, { headers: { cookie } })).status).toBe(200);
  expect((await fetch(`${h.baseUrl}/api/notifications`, { headers: { cookie: second.setCookie!.split(';')[0] } })).status).toBe(401);
  expect((await login('szsoffice', TEST_PASSWORD)).status).toBe(401);
  expect((await login('szsoffice', 'a-new-passphrase')).status).toBe(200);
  const kinds = (await h.deps.models.SecurityEvent.find({ username: 'szsoffice' }).lean()).map((e) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['password-change-failed', 'password-changed']));
});
