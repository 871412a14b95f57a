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
import { nextSeq, pageOf, SECURITY_LOG } from '../activities/paged-log';
import { ApiError } from './errors';
import { addressKey, countAttempts, failed, lockedFor, succeeded, THROTTLE, userKey, type Attempt } from './login-throttle';
import { checkStrength } from './password-strength';

export const SESSION_COOKIE = 'juece_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends 12 hours after login, or after 2 idle hours. */
const ABSOLUTE_MS = 12 * 3600_000;
const IDLE_MS = 2 * 3600_000;
export { THROTTLE } from './login-throttle';

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
  // A sandboxed frame or a data: page sends `Origin: null`: no site of ours does.
  if (origin === 'null') throw new ApiError('CSRF_FAILED', 'Logins are accepted only from this site.', [{ path: 'header.origin', message: 'null is not this site' }]);
  if (origin) {
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

/** Append to the security log, on its newest page (activities/paged-log.ts). */
async function security(models: Models, kind: string, fields: { username?: string; ip?: string; route?: string; detail?: string; detailEn?: string }) {
  const page = pageOf(await nextSeq(models, SECURITY_LOG.key), SECURITY_LOG.pageSize);
  await models.SecurityEvent.create({ _id: crypto.randomUUID(), at: new Date(), kind, page, ...fields });
}
export { security as recordSecurityEvent };

/** 429 with Retry-After for a throttled name or address. */
function throttled(res: Response, waitMs: number, what: string): ApiError {
  res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
  return new ApiError('TOO_MANY_ATTEMPTS', `Too many ${what}; try again in ${Math.ceil(waitMs / 60_000)} minute(s).`, { retryAfterSeconds: Math.ceil(waitMs / 1000) });
}

/** Whether any of the keys is locked now, and for how long. */
async function longestLock(models: Models, keys: Attempt[], now: number): Promise<number> {
  return Math.max(0, ...(await Promise.all(keys.map((k) => lockedFor(models, k.key, now)))));
}

export async function login(models: Models, req: Request, res: Response, username: string, password: string, secure: 'auto' | 'on' | 'off') {
  const now = Date.now();
  const ip = clientAddress(req);
  const keys = [userKey(username), addressKey(ip)];
  const wait = await longestLock(models, keys, now);
  if (wait > 0) {
    await security(models, 'login-throttled', { username, ip });
    throw throttled(res, wait, 'failed logins');
  }
  // Counted before the password is looked at: parallel guesses past the limit are refused unchecked.
  if ((await countAttempts(models, keys, now)).length) {
    await security(models, 'login-throttled', { username, ip });
    throw throttled(res, THROTTLE.lock, 'failed logins');
  }
  const user = await models.User.findById(username).lean();
  const ok = await checkPassword(user?.passwordHash, password);
  if (!ok || !user || user.disabled) {
    const locked = await failed(models, keys, now);
    await security(models, locked ? 'login-locked' : 'login-failed', { username, ip, detail: ok && user?.disabled ? 'account disabled' : undefined });
    // One message for every failure: which part was wrong is not told.
    throw new ApiError('UNAUTHENTICATED', 'Wrong login name or password, or the account is disabled.');
  }
  await succeeded(models, keys);
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
  const keys = [userKey(username)];
  const wait = await longestLock(models, keys, now);
  if (wait > 0) throw throttled(res, wait, 'wrong passwords');
  if (current === next) throw new ApiError('VALIDATION_FAILED', 'The new password must differ from the current one.', [{ path: 'body.newPassword', message: '新密码不能与当前密码相同', en: 'same as the current password' }]);
  if ((await countAttempts(models, keys, now)).length) throw throttled(res, THROTTLE.lock, 'wrong passwords');
  const user = await models.User.findById(username).lean();
  if (!(await checkPassword(user?.passwordHash, current))) {
    await failed(models, keys, now);
    await security(models, 'password-change-failed', { username, ip: clientAddress(req) });
    throw new ApiError('VALIDATION_FAILED', 'The current password is wrong.', [{ path: 'body.currentPassword', message: '当前密码不正确', en: 'wrong password' }]);
  }
  await succeeded(models, keys);
  const weak = checkStrength(next, [username, session.principal.name, session.principal.org.name]);
  if (weak) throw new ApiError('VALIDATION_FAILED', 'The new password is too easy to guess.', [{ path: 'body.newPassword', message: weak.zh, en: weak.en }]);
  await models.User.updateOne({ _id: username }, { $set: { passwordHash: await hashPassword(next), passwordChangedAt: new Date(now) } });
  const ended = await models.Session.deleteMany({ username, _id: { $ne: session.sessionId } });
  await security(models, 'password-changed', { username, ip: clientAddress(req), detail: `${ended.deletedCount} other session(s) ended` });
  return { ok: true, otherSessionsEnded: ended.deletedCount };
}
