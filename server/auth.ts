/**
 * Accounts and sessions: argon2id password hashes, an opaque session token in an httpOnly
 * SameSite=Strict cookie (the store keeps only its sha256), a per-session CSRF token required on
 * every state-changing request, and throttling of repeated failed logins per name and per address.
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Request, Response } from 'express';
import { loadPrincipal, type Principal } from '../activities/people';
import type { Models } from '../activities/models';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'juece_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends 12 hours after login, or after 2 idle hours. */
const ABSOLUTE_MS = 12 * 3600_000;
const IDLE_MS = 2 * 3600_000;
/** Lock a login name after 5 failures in 15 minutes, an address after 30; the lock lasts 15 minutes. */
export const THROTTLE = { window: 15 * 60_000, perUser: 5, perAddress: 30, lock: 15 * 60_000 };

export const PASSWORD_RULE = { min: 10, max: 200 };

export async function hashPassword(password: string): Promise<string> {
  return hash(password); // argon2id, m=19 MiB, t=2, p=1 (the OWASP baseline)
}

/** A hash of a random password, verified against when the user is unknown so timing tells nothing. */
let decoy: Promise<string> | undefined;

export async function checkPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (!stored) {
    await verify(await (decoy ??= hash(crypto.randomBytes(16).toString('hex'))), password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

export interface SessionContext {
  principal: Principal;
  csrfToken: string;
  sessionId: string;
}

/** The signed-in person of this request, or null (expired, unknown, disabled users are nobody). */
export async function readSession(models: Models, req: Request): Promise<SessionContext | null> {
  const token = parseCookies(req.get('cookie'))[SESSION_COOKIE];
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const id = sha256(token);
  const s = await models.Session.findById(id).lean();
  const now = Date.now();
  if (!s) return null;
  if (s.expiresAt.getTime() <= now || s.lastSeenAt.getTime() + IDLE_MS <= now) {
    await models.Session.deleteOne({ _id: id });
    return null;
  }
  const principal = await loadPrincipal(models, s.username);
  if (!principal) return null;
  // Slide the idle timer, at most once a minute per session.
  if (now - s.lastSeenAt.getTime() > 60_000) await models.Session.updateOne({ _id: id }, { $set: { lastSeenAt: new Date(now) } });
  return { principal, csrfToken: s.csrfToken, sessionId: id };
}

/** A state-changing request must carry the session's CSRF token in X-CSRF-Token. */
export function checkCsrf(req: Request, session: SessionContext): void {
  const sent = req.get(CSRF_HEADER) ?? '';
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrfToken);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b))
    throw new ApiError('CSRF_FAILED', 'This change needs the session’s CSRF token in the X-CSRF-Token header (from GET /api/session or the login response).', [
      { path: 'header.x-csrf-token', message: sent ? 'does not match the session' : 'missing' },
    ]);
}

/**
 * A login has no session yet, so the cookie cannot be forged cross-site but the login itself
 * could be: accept it only as JSON (a cross-site form cannot send that without CORS) and, when
 * the browser names an Origin, only from this host.
 */
export function checkLoginOrigin(req: Request): void {
  if (!req.is('application/json'))
    throw new ApiError('VALIDATION_FAILED', 'Log in with a JSON body (Content-Type: application/json).', [{ path: 'header.content-type', message: 'must be application/json' }]);
  const origin = req.get('origin');
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      host = '';
    }
    if (host !== req.get('host')) throw new ApiError('CSRF_FAILED', 'Logins are accepted only from this site.', [{ path: 'header.origin', message: `${origin} is not this site` }]);
  }
}

function cookie(req: Request, res: Response, value: string, maxAgeMs: number, secure: 'auto' | 'on' | 'off') {
  const isSecure = secure === 'on' || (secure === 'auto' && req.secure);
  res.append('Set-Cookie', `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${isSecure ? '; Secure' : ''}`);
}

function clientAddress(req: Request): string {
  // req.ip honours JUECE_TRUST_PROXY; without it, the socket's address.
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

async function security(models: Models, kind: string, fields: { username?: string; ip?: string; route?: string; detail?: string; detailEn?: string }) {
  await models.SecurityEvent.create({ _id: crypto.randomUUID(), at: new Date(), kind, ...fields });
}
export { security as recordSecurityEvent };

/** The remaining lock of a throttle key in ms, or 0. */
async function lockedFor(models: Models, key: string, now: number): Promise<number> {
  const t = await models.LoginThrottle.findById(key).lean();
  return t?.lockedUntil && t.lockedUntil.getTime() > now ? t.lockedUntil.getTime() - now : 0;
}

async function countFailure(models: Models, key: string, limit: number, now: number): Promise<boolean> {
  const t = await models.LoginThrottle.findById(key).lean();
  const fresh = !t || !t.windowStart || t.windowStart.getTime() + THROTTLE.window <= now;
  const failures = fresh ? 1 : (t!.failures ?? 0) + 1;
  const lock = failures >= limit;
  await models.LoginThrottle.updateOne(
    { _id: key },
    { $set: { failures: lock ? 0 : failures, windowStart: fresh || lock ? new Date(now) : t!.windowStart, lockedUntil: lock ? new Date(now + THROTTLE.lock) : (t?.lockedUntil ?? null) } },
    { upsert: true },
  );
  return lock;
}

export async function login(models: Models, req: Request, res: Response, username: string, password: string, secure: 'auto' | 'on' | 'off') {
  const now = Date.now();
  const ip = clientAddress(req);
  const userKey = `user:${username.toLowerCase()}`;
  const ipKey = `ip:${ip}`;
  const wait = Math.max(await lockedFor(models, userKey, now), await lockedFor(models, ipKey, now));
  if (wait > 0) {
    await security(models, 'login-throttled', { username, ip });
    res.set('Retry-After', String(Math.ceil(wait / 1000)));
    throw new ApiError('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${Math.ceil(wait / 60_000)} minute(s).`, { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
  const user = await models.User.findById(username).lean();
  const ok = await checkPassword(user?.passwordHash, password);
  if (!ok || !user || user.disabled) {
    const lockedUser = await countFailure(models, userKey, THROTTLE.perUser, now);
    const lockedIp = await countFailure(models, ipKey, THROTTLE.perAddress, now);
    await security(models, lockedUser || lockedIp ? 'login-locked' : 'login-failed', { username, ip, detail: ok && user?.disabled ? 'account disabled' : undefined });
    // One message for every failure: which part was wrong is not told.
    throw new ApiError('UNAUTHENTICATED', 'Wrong login name or password, or the account is disabled.');
  }
  await models.LoginThrottle.deleteOne({ _id: userKey });
  // Ended sessions (anyone's: past their end or idle too long) are dropped here rather than by a
  // TTL index, which FerretDB does not have; logins are frequent enough to keep the table small.
  await models.Session.deleteMany({ $or: [{ expiresAt: { $lte: new Date(now) } }, { lastSeenAt: { $lte: new Date(now - IDLE_MS) } }] });
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(32).toString('base64url');
  await models.Session.create({ _id: sha256(token), username: user._id, csrfToken, createdAt: new Date(now), lastSeenAt: new Date(now), expiresAt: new Date(now + ABSOLUTE_MS) });
  cookie(req, res, token, ABSOLUTE_MS, secure);
  await security(models, 'login', { username: user._id, ip });
  const principal = (await loadPrincipal(models, user._id))!;
  return { user: publicPrincipal(principal), csrfToken };
}

export async function logout(models: Models, req: Request, res: Response, session: SessionContext | null, secure: 'auto' | 'on' | 'off') {
  if (session) {
    await models.Session.deleteOne({ _id: session.sessionId });
    await security(models, 'logout', { username: session.principal.username, ip: clientAddress(req) });
  }
  cookie(req, res, '', 0, secure);
}

/** What the client is told about the signed-in person. */
export function publicPrincipal(p: Principal) {
  return { username: p.username, name: p.name, roles: p.roles, org: p.org, agency: p.agency, jurisdiction: p.jurisdiction, lawyerType: p.lawyerType };
}

/**
 * A signed-in person changes their own password: the current one is required (and wrong
 * guesses count towards the login throttle), and every other session of theirs ends.
 */
export async function changeOwnPassword(models: Models, req: Request, res: Response, session: SessionContext, current: string, next: string) {
  const username = session.principal.username;
  const now = Date.now();
  const userKey = `user:${username.toLowerCase()}`;
  const wait = await lockedFor(models, userKey, now);
  if (wait > 0) {
    res.set('Retry-After', String(Math.ceil(wait / 1000)));
    throw new ApiError('TOO_MANY_ATTEMPTS', `Too many wrong passwords; try again in ${Math.ceil(wait / 60_000)} minute(s).`, { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
  const user = await models.User.findById(username).lean();
  if (!(await checkPassword(user?.passwordHash, current))) {
    await countFailure(models, userKey, THROTTLE.perUser, now);
    await security(models, 'password-change-failed', { username, ip: clientAddress(req) });
    throw new ApiError('VALIDATION_FAILED', 'The current password is wrong.', [{ path: 'body.currentPassword', message: '当前密码不正确', en: 'wrong password' }]);
  }
  if (current === next) throw new ApiError('VALIDATION_FAILED', 'The new password must differ from the current one.', [{ path: 'body.newPassword', message: '新密码不能与当前密码相同', en: 'same as the current password' }]);
  await models.User.updateOne({ _id: username }, { $set: { passwordHash: await hashPassword(next), passwordChangedAt: new Date(now) } });
  const ended = await models.Session.deleteMany({ username, _id: { $ne: session.sessionId } });
  await security(models, 'password-changed', { username, ip: clientAddress(req), detail: `${ended.deletedCount} other session(s) ended` });
  return { ok: true, otherSessionsEnded: ended.deletedCount };
}
