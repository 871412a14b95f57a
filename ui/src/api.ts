/**
 * The API client: JSON in and out, the session cookie sent by the browser, the session's CSRF
 * token in X-CSRF-Token on every change, errors as ApiFailure. A 401 sends the user to the login
 * screen, which brings them back where they were. Every change carries an Idempotency-Key of its
 * own: a double click joins the first request, a lost answer is retried under the same key.
 */
export interface ApiErrorBody {
  code: string;
  message: string;
  details: unknown;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** The server could not be reached at all (fetch itself failed): the only failure that is "no connection". */
export class NetworkFailure extends Error {
  constructor(readonly original: unknown) {
    super(String((original as Error)?.message ?? original));
  }
}

/** fetch, with its own failure (no answer at all) told apart from every other error. */
async function reach(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (err) {
    throw new NetworkFailure(err);
  }
}

/** The signed-in person as GET /api/session tells it. */
export interface SessionUser {
  username: string;
  name: string;
  roles: string[];
  org: { id: string; kind: string; name: string };
  agency: { id: string; name: string } | null;
  jurisdiction: string[];
  lawyerType: 'legal-adviser' | 'government-lawyer' | null;
}

export type RoleLabels = Record<string, { zh: string; en: string }>;

/** Who is signed in; the CSRF token lives only in memory (re-read from GET /api/session on load). */
export const session: { user: SessionUser | null; csrfToken: string | null; roleLabels: RoleLabels } = { user: null, csrfToken: null, roleLabels: {} };

export function setSession(s: { user: SessionUser | null; csrfToken: string | null; roleLabels?: RoleLabels }) {
  session.user = s.user;
  session.csrfToken = s.csrfToken;
  if (s.roleLabels) session.roleLabels = s.roleLabels;
}

export async function loadSession(): Promise<void> {
  setSession(await api<{ user: SessionUser | null; csrfToken: string | null; roleLabels: RoleLabels }>('GET', '/api/session'));
}

/** The login screen's address, remembering where to come back to. */
export function loginHash(next = location.hash): string {
  const back = next.replace(/^#/, '');
  return back && !back.startsWith('/login') && back !== '/' ? `#/login?next=${encodeURIComponent(back)}` : '#/login';
}

/** The session has ended (or never began): forget it and ask for a login. */
function unauthenticated() {
  setSession({ user: null, csrfToken: null });
  if (!location.hash.startsWith('#/login')) location.hash = loginHash();
}

async function failure(res: Response): Promise<ApiFailure> {
  const text = await res.text();
  let parsed: { error?: ApiErrorBody } | null = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: a proxy's page */
  }
  return new ApiFailure(res.status, parsed?.error ?? { code: 'HTTP_' + res.status, message: text || res.statusText, details: null });
}

async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit }, opts: { noLoginRedirect?: boolean }): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (method !== 'GET' && method !== 'HEAD' && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  const res = await reach(path, { method, headers, body: init.body, credentials: 'same-origin' });
  if (!res.ok) {
    const err = await failure(res);
    if (res.status === 401 && !opts.noLoginRedirect) unauthenticated();
    throw err;
  }
  return res;
}

/**
 * GETs started before the session is known (the first page load asks for the session and the
 * page's own data at once, instead of one after the other). Each is taken once, by the first
 * `api`/`apiText` that asks for the same path; a failure is thrown there, not here.
 */
const early = new Map<string, Promise<Response>>();

export function prefetch(paths: string[]) {
  for (const p of paths) {
    const r = reach(p, { credentials: 'same-origin' });
    r.catch(() => undefined);
    early.set(p, r);
  }
}

/** Forget what the first page did not use: a later page must never get an old answer. */
export function dropPrefetched() {
  early.clear();
}

/** A prefetched response for `path` when there is one (and it succeeded), else a fresh request. */
async function take(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit }, opts: { noLoginRedirect?: boolean }): Promise<Response> {
  const pending = method === 'GET' ? early.get(path) : undefined;
  if (pending) {
    early.delete(path);
    const res = await pending.catch(() => null);
    if (res?.ok) return res;
  }
  return send(method, path, init, opts);
}

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; an intranet may be plain http). */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Changes in flight, by what they send: a double click joins the first instead of sending again. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * Send one change with its own Idempotency-Key. A connection lost before the answer is retried
 * once with the same key, so the server acts once and returns its first answer.
 */
function change<T>(signature: string, attempt: (key: string) => Promise<T>): Promise<T> {
  const pending = inFlight.get(signature);
  if (pending) return pending as Promise<T>;
  const key = newKey();
  const p = attempt(key)
    .catch(async (err: unknown) => {
      if (!(err instanceof NetworkFailure)) throw err; // no answer at all; an ApiFailure is an answer
      await new Promise((r) => setTimeout(r, 500));
      return attempt(key);
    })
    .finally(() => inFlight.delete(signature));
  inFlight.set(signature, p);
  return p;
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, opts: { noLoginRedirect?: boolean } = {}): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { 'content-type': 'application/json' };
  if (method === 'GET' || method === 'HEAD') return json<T>(await take(method, path, { headers, body: payload }, opts));
  return change(`${method} ${path} ${payload ?? ''}`, async (key) => json<T>(await send(method, path, { headers: { ...headers, 'idempotency-key': key }, body: payload }, opts)));
}

export async function apiText(path: string): Promise<string> {
  return (await take('GET', path, {}, {})).text();
}

/** Upload a file as the raw body (the attachment route), with the CSRF header. */
export async function upload<T = unknown>(path: string, file: File): Promise<T> {
  const headers = { 'x-filename': encodeURIComponent(file.name), 'content-type': file.type || 'application/octet-stream' };
  return change(`POST ${path} ${file.name} ${file.size} ${file.lastModified}`, async (key) => json<T>(await send('POST', path, { headers: { ...headers, 'idempotency-key': key }, body: file }, {})));
}
