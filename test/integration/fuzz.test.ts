/**
 * Property-based tests over the whole route table (fast-check): every route, called by a signed-in
 * person holding the role it asks for, with arbitrary path parameters, queries and bodies —
 * control characters, bidi overrides, lone surrogates, huge strings, deep objects, wrong types,
 * operator-looking keys — answers 2xx, or 4xx with `{ error: { code } }`; never a 5xx. And the
 * decision they were aimed at can still be driven to its archive afterwards.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { routes } from '../../server/routes';
import type { Route } from '../../server/route-kit';
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let paths: ReturnType<typeof apiPaths>;
let id: string;

/** Calls per route: enough to find the crashing shapes, few enough for the file to take a minute or two. */
const RUNS = 40;

/** The demo person who holds each role in the decision's organisation. */
const HOLDER: Record<string, string> = { department: 'zjj', secretariat: 'office', 'legality-review-body': 'sfj', 'legal-adviser': 'lawyer', 'decision-body': 'mayor', supervisor: 'supervisor', expert: 'expert' };

/** Who calls a route: someone the gate lets through, so the arbitrary input reaches the handler. */
function callerOf(r: Route): string | null {
  const a = r.access;
  // Logging out would end the session every other call shares.
  if (r.path === '/api/session/logout') return null;
  if ('public' in a) return 'zjj';
  if ('roles' in a && a.roles) return HOLDER[a.roles[0]];
  return 'zjj';
}

beforeAll(async () => {
  h = await startHarness('fuzz');
  paths = apiPaths(h);
  // Everyone signs in first: arbitrary logins count against this address's throttle.
  for (const who of Object.values(HOLDER)) await h.login(who);
  id = await paths.create({}, '银川市老旧小区改造三年行动计划（模糊测试）');
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一条 为改造老旧小区，制定本计划。第二条 应当缴纳改造费用。');
  await paths.post(`/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj', 201);
});
afterAll(async () => {
  await h?.close();
});

// ——— Arbitraries ———

const NASTY = [
  '', ' ', '\u0000', '\u0007\u001b[31m', '\r\n', '\u202eexe.pdf', '\u2066\u2069', '\ud800', '\udfff', '../../etc/passwd', '%00', '%E4%B8',
  '$where', '{"$gt":""}', '__proto__', 'constructor', 'prototype', 'NaN', 'Infinity', '-1', '0', '1e309', '9'.repeat(400), 'null', 'true', '[]', '{}',
  '<script>alert(1)</script>', "'; DROP TABLE decisions; --", '😀👍🏽', '\u200f\u061c', 'a.b', 'drafting', 'complete', 'D20990101-deadbeef',
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).chain((n) => fc.constantFrom('长', 'x', '\u0000', '👍').map((c) => c.repeat(n))) },
);

const key = (known: string[]) => fc.oneof(...(known.length ? [fc.constantFrom(...known)] : []), fc.constantFrom('__proto__', 'constructor', '$set', 'a.b', ''), fc.string({ maxLength: 12 }));

/** JSON values of every shape, nested a little; keys mostly the schema's own, so values reach the validators. */
const value = (known: string[]) =>
  fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(key(known), tie('v'), { maxKeys: 5 }),
    ),
  })).v;

/** Arrays or objects nested far past any record's depth. */
const deep = fc.tuple(fc.integer({ min: 20, max: 20_000 }), fc.boolean()).map(([n, arrays]) => (arrays ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`));

/** The field names a zod schema declares (objects, records of objects, wrapped in defaults). */
function fieldsOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  try {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    return Object.keys(js.properties ?? {});
  } catch {
    return [];
  }
}

const PLAUSIBLE: Record<string, string[]> = {
  stepId: ['drafting', 'initiation', 'public_participation', 'legality_review', 'archive', 'no_such_step'],
  action: ['start', 'complete', 'return', 'not-applicable', 'explode'],
  version: ['1', '2', '0', '-1', '99999999999999999999'],
  from: ['1', '2'],
  to: ['1', '2'],
  fileId: ['0'.repeat(24), 'f'.repeat(24)],
  key: ['major-decision', 'nope'],
  nid: ['x'],
};

function pathArb(r: Route) {
  const names = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  return fc.tuple(...names.map((n) => (n === 'id' ? fc.oneof({ weight: 5, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: text }) : fc.oneof(fc.constantFrom(...(PLAUSIBLE[n] ?? ['x'])), text)))).map((values) => {
    let p = r.path;
    names.forEach((n, i) => {
      let enc: string;
      try {
        enc = encodeURIComponent(values[i]);
      } catch {
        enc = '%ED%A0%80'; // a lone surrogate, as a browser would send its bytes
      }
      p = p.replace(`:${n}`, enc);
    });
    return p;
  });
}

function queryArb(r: Route) {
  const known = fieldsOf(r.schemas.query);
  return fc.array(fc.tuple(key(known), fc.oneof(text, fc.array(text, { maxLength: 3 }))), { maxLength: 5 }).map((pairs) => {
    const q = new URLSearchParams();
    for (const [k, v] of pairs) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one.length > 2000 ? one.slice(0, 2000) : one);
    const s = q.toString();
    return s ? `?${s}` : '';
  });
}

interface Sent {
  headers: Record<string, string>;
  body: Buffer | string | undefined;
}

function bodyArb(r: Route): fc.Arbitrary<Sent> {
  if (r.method === 'get') return fc.constant({ headers: {}, body: undefined });
  if (r.rawBody)
    return fc.record({
      bytes: fc.oneof(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom(Buffer.from('%PDF-1.7\n'), Buffer.from('说明文字'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))),
      name: text,
      type: fc.oneof(fc.constantFrom('application/pdf', 'text/plain', 'image/png', 'application/octet-stream', 'application/json', 'x/y; a="b"', 'garbage'), text),
    }).map(({ bytes, name, type }) => {
      let filename: string;
      try {
        filename = encodeURIComponent(name.slice(0, 300));
      } catch {
        filename = '%ED%A0%80';
      }
      // eslint-disable-next-line no-control-regex -- a header value cannot hold these; fetch would refuse to send it
      return { headers: { 'x-filename': filename, 'content-type': type.replace(/[\r\n\u0000]/g, '').slice(0, 300) }, body: Buffer.from(bytes) };
    });
  const known = fieldsOf(r.schemas.body);
  const json = fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(key(known), value(known), { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
    { weight: 2, arbitrary: value(known).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: text },
  );
  return fc.record({ json, type: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded') }) }).map(({ json: b, type }) => ({ headers: { 'content-type': type }, body: b }));
}

// ——— The property ———

/** One call; undefined when the client itself refuses to send it (an invalid header value). */
async function send(r: Route, path: string, sent: Sent, as: string | null) {
  const headers = { ...(as ? await h.authHeaders(as) : {}), ...sent.headers };
  let res: Response;
  try {
    res = await fetch(h.baseUrl + path, { method: r.method.toUpperCase(), headers, body: sent.body === undefined ? undefined : typeof sent.body === 'string' ? sent.body : new Uint8Array(sent.body) });
  } catch (err) {
    // A header value undici will not put on the wire (its errors come from another realm than Jest's).
    const e = err as Error & { cause?: { name?: string } };
    if (e.name === 'TypeError' && (!/fetch failed/.test(e.message) || e.cause?.name === 'InvalidArgumentError')) return undefined;
    throw err;
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* XML, or nothing */
  }
  return { status: res.status, body: body as { error?: { code?: unknown } } | null, text };
}

const label = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;

// Event streams stay open by design, so a request never completes: their input is fuzzed in live.test.ts's terms
// (a decision out of reach is a 404 before the stream opens), not here.
test.each(routes.filter((r) => !r.eventStream).map((r) => [label(r), r] as const))('%s: arbitrary input is a 2xx or a 4xx with a code, never a 5xx', async (_k, r) => {
  const as = callerOf(r);
  await fc.assert(
    fc.asyncProperty(pathArb(r), queryArb(r), bodyArb(r), async (path, query, sent) => {
      const got = await send(r, path + query, sent, as);
      if (!got) return;
      const where = `${r.method.toUpperCase()} ${(path + query).slice(0, 300)} → ${got.status} ${got.text.slice(0, 300)}`;
      if (got.status >= 500) throw new Error(`server error: ${where}`);
      if (got.status >= 400 && typeof got.body?.error?.code !== 'string') throw new Error(`a refusal without a code: ${where}`);
      if (got.status >= 300 && got.status < 400) throw new Error(`unexpected redirect: ${where}`);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
});

// The case CI's fuzzing once found: PostgreSQL (FerretDB's backend) cannot hold U+0000 in a filter or a
// document, so a NUL reaching the store was a 500. It is refused at the edge, naming the field.
test('a NUL character anywhere — path, query, body, a key — is a 400 naming where, before any store sees it', async () => {
  const refused = async (method: string, path: string, body: unknown, field: string) => {
    const got = await h.api(method, path, body, 'zjj');
    expect(got.status).toBe(400);
    expect(got.body.error.code).toBe('VALIDATION_FAILED');
    expect(got.body.error.details).toEqual([expect.objectContaining({ path: field, message: '不得包含空字符（U+0000）。' })]);
  };
  const before = (await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body.currentDraft.version;
  await refused('POST', '/api/notifications/N%00x/read', undefined, 'params.nid');
  await refused('GET', '/api/decisions?q=%E5%81%9C%00', undefined, 'query.q');
  await refused('POST', `/api/decisions/${id}/drafts`, { title: '计划', content: '第一条\u0000' }, 'body.content');
  await refused('POST', `/api/decisions/${id}/drafts`, { title: '计划', content: 'x', 'no\u0000te': 'y' }, 'body.no\u0000te');
  // Nothing of it was stored: the draft stays at the version it had.
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body.currentDraft.version).toBe(before);
});

test('after all of that, the same decision is driven to its archive', async () => {
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'office')).body;
  expect(view.status).toBe('in-progress');
  if (view.elements.drafting.status !== 'completed') await paths.perform(id, 'drafting', sample.drafting());
  await paths.throughParallel(id);
  // Arbitrary input that happened to be a valid opinion is an adviser's opinion like any other:
  // the review cites every one on the draft under review (Art. 28).
  const version = (await h.api('GET', `/api/decisions/${id}`, undefined, 'sfj')).body.currentDraft.version;
  const given = (await h.api('GET', `/api/decisions/${id}/opinions`, undefined, 'sfj')).body.items as Array<{ id: string; capacity: string; draftVersion: number }>;
  const advisers = given.filter((o) => o.capacity !== 'expert' && o.draftVersion === version).map((o) => o.id);
  await paths.perform(id, 'legality_review', sample['legality-review']('lawful', [...advisers, await paths.adviserOpinion(id)]));
  await paths.meet(id);
  await paths.perform(id, 'party_report', sample['party-report']());
  await paths.perform(id, 'publication', sample.publication());
  const done = await paths.perform(id, 'archive', sample.archive());
  expect(done.elements.archive.status).toBe('completed');
});
