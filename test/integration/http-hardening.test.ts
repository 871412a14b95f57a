/**
 * HTTP hardening on the real stack: security headers (the workspace itself must still render —
 * test/e2e checks that in Chromium), every way a body can be wrong answered 400/413/415 with a
 * code and never a 500, and a body read only after the gate has let its sender in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createApp } from '../../server/app';
import { BODY_LIMITS, MAX_JSON_DEPTH } from '../../server/body';
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let id: string;
beforeAll(async () => {
  h = await startHarness('hardening');
  const paths = apiPaths(h);
  id = await paths.create();
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一条 为改造老旧小区，制定本计划。');
});
afterAll(async () => {
  await h?.close();
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read loosely
  body: any;
  /** Milliseconds from the first byte sent to the answer. */
  ms: number;
}

/**
 * A request whose body is sent as given — or, with `declared`, a Content-Length larger than what
 * is sent, then nothing more: only a server that answers without reading the body answers at all.
 */
function raw(method: string, path: string, headers: Record<string, string>, body: Buffer | string = '', declared?: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const url = new URL(h.baseUrl + path);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { ...headers, ...(declared !== undefined ? { 'content-length': String(declared) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, ms: Date.now() - started });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error('no answer: the server waited for the body')));
    if (declared !== undefined) req.write(body);
    else req.end(body);
  });
}

const json = async (who: string, more: Record<string, string> = {}) => ({ ...(await h.authHeaders(who)), 'content-type': 'application/json', ...more });
const comment = () => `/api/decisions/${id}/drafts/1/comments`;

test('every answer carries the security headers; the CSP allows only this site, and data: images', async () => {
  for (const path of ['/', '/api/session', '/api/nowhere']) {
    const r = await raw('GET', path, {});
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    // Nothing inline at all: bpmn-js styles through the CSSOM. Only images may be data: URLs.
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('unsafe');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    // Plain http: no HSTS, which would lock an intranet install out.
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['x-powered-by']).toBeUndefined();
  }
});

test('HSTS only when the request came over TLS (through a trusted proxy)', async () => {
  const app = createApp({ ...h.deps, trustProxy: 'loopback' }, async () => ({}));
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tls = await fetch(`${base}/api/session`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    const plain = await fetch(`${base}/api/session`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('bodies a parser cannot take are 400, 413 or 415 with a code naming what is wrong — never a 500', async () => {
  const ok = JSON.stringify({ text: '建议补充改造资金来源说明。' });
  const cases: Array<[string, Record<string, string>, Buffer | string, number, string, string]> = [
    ['a charset other than UTF', { 'content-type': 'application/json; charset=latin1' }, ok, 415, 'UNSUPPORTED_MEDIA_TYPE', 'header.content-type'],
    ['an unknown charset', { 'content-type': 'application/json; charset=klingon' }, ok, 415, 'UNSUPPORTED_MEDIA_TYPE', 'header.content-type'],
    ['an unknown content encoding', { 'content-encoding': 'compress' }, ok, 415, 'UNSUPPORTED_MEDIA_TYPE', 'header.content-encoding'],
    ['broken gzip', { 'content-encoding': 'gzip' }, Buffer.from('this is not gzip at all'), 400, 'VALIDATION_FAILED', '(body)'],
    ['gzip cut short', { 'content-encoding': 'gzip' }, zlib.gzipSync(ok).subarray(0, 12), 400, 'VALIDATION_FAILED', '(body)'],
    ['not JSON', {}, '{"text": ', 400, 'VALIDATION_FAILED', '(body)'],
    ['a bare JSON string', {}, '"text"', 400, 'VALIDATION_FAILED', '(body)'],
    ['JSON nested too deep', {}, `{"text":${'['.repeat(MAX_JSON_DEPTH + 5)}${']'.repeat(MAX_JSON_DEPTH + 5)}}`, 400, 'VALIDATION_FAILED', '(body)'],
    ['JSON nested a hundred thousand deep', {}, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'VALIDATION_FAILED', '(body)'],
    ['a form instead of JSON', { 'content-type': 'application/x-www-form-urlencoded' }, 'text=abc', 415, 'UNSUPPORTED_MEDIA_TYPE', 'header.content-type'],
    ['a body past the limit', {}, JSON.stringify({ text: 'x'.repeat(BODY_LIMITS.json) }), 413, 'PAYLOAD_TOO_LARGE', '(body)'],
    ['a gzip bomb', { 'content-encoding': 'gzip' }, zlib.gzipSync(JSON.stringify({ text: ' '.repeat(50 * 1024 * 1024) })), 413, 'PAYLOAD_TOO_LARGE', '(body)'],
  ];
  for (const [what, headers, body, status, code, path] of cases) {
    const r = await raw('POST', comment(), { ...(await json('zjj')), ...headers }, body);
    expect({ what, status: r.status, code: r.body?.error?.code, path: r.body?.error?.details?.[0]?.path }).toEqual({ what, status, code, path });
  }
  // A well-compressed body is read like any other.
  const gz = await raw('POST', comment(), { ...(await json('zjj')), 'content-encoding': 'gzip' }, zlib.gzipSync(ok));
  expect(gz.status).toBe(201);
  // Nothing refused was recorded: the one comment is the gzipped one.
  expect((await h.api('GET', comment(), undefined, 'zjj')).body.items).toHaveLength(1);
});

test('each route reads its own amount: a draft may be megabytes, an act a few hundred KB, a login a few KB', async () => {
  const content = '第二条 改造范围为2000年前建成的小区。'.repeat(90_000); // 1.9 million characters, ≈ 4.8 MB of UTF-8
  expect(Buffer.byteLength(content)).toBeGreaterThan(BODY_LIMITS.json * 10);
  const draft = await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content }, 'zjj');
  expect(draft.status).toBe(201);
  const act = await h.api('POST', `/api/decisions/${id}/steps/drafting/start`, { note: 'x'.repeat(BODY_LIMITS.json) }, 'zjj');
  expect([act.status, act.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  const login = await raw('POST', '/api/session/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'zjj', password: 'p'.repeat(BODY_LIMITS.login) }));
  expect([login.status, login.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
});

test('the gate answers before a body is read: a stranger’s 20 MB upload is refused unread', async () => {
  const file = `/api/decisions/${id}/attachments`;
  const twentyMb = 20 * 1024 * 1024;
  // 64 KiB of a declared 20 MB is sent, then nothing: an answer proves the rest was never awaited.
  const nobody = await raw('POST', file, { 'x-filename': 'a.pdf', 'content-type': 'application/pdf' }, Buffer.alloc(64 * 1024), twentyMb);
  expect([nobody.status, nobody.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  const { cookie } = await h.login('zjj');
  const noCsrf = await raw('POST', file, { cookie, 'x-filename': 'a.pdf', 'content-type': 'application/pdf' }, Buffer.alloc(64 * 1024), twentyMb);
  expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, 'CSRF_FAILED']);
  // Signed in but not allowed: the secretariat of another city, the review body on a department's act.
  const stranger = await raw('POST', file, await h.authHeaders('szsjt'), Buffer.alloc(64 * 1024), twentyMb);
  expect(stranger.status).toBe(404);
  const wrongRole = await raw('POST', `/api/decisions/${id}/drafts`, { ...(await json('sfj')) }, Buffer.alloc(64 * 1024), BODY_LIMITS.draft);
  expect(wrongRole.status).toBe(403);
  // Allowed, but declaring more than the route takes: refused from the header alone.
  const over = await raw('POST', file, { ...(await h.authHeaders('zjj')), 'x-filename': 'a.pdf' }, Buffer.alloc(1024), twentyMb + 1);
  expect([over.status, over.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  for (const r of [nobody, noCsrf, stranger, wrongRole, over]) expect(r.ms).toBeLessThan(5000);
});
