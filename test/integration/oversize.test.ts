/**
 * Bounded input, on every route that takes fields: a string past its maximum, a list past its
 * maximum, a body past its route's size cap — each answered 400 or 413 naming the field, with
 * nothing recorded — and every step record likewise while the decision is driven, through those
 * very refusals, to its archive.
 */
import { z } from 'zod';
import { BODY_LIMITS } from '../../server/body';
import type { Route } from '../../server/route-kit';
import { routes } from '../../server/routes';
import { RECORD_SCHEMAS, type RecordName } from '../../workflows/records';
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let paths: ReturnType<typeof apiPaths>;
let id: string;

beforeAll(async () => {
  h = await startHarness('oversize');
  paths = apiPaths(h);
  id = await paths.create({}, '银川市老旧小区改造三年行动计划（超长输入）');
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一条 为改造老旧小区，制定本计划。');
});
afterAll(async () => {
  await h?.close();
});

const HOLDER: Record<string, string> = { department: 'zjj', secretariat: 'office', 'legality-review-body': 'sfj', 'legal-adviser': 'lawyer', 'decision-body': 'mayor', supervisor: 'supervisor', expert: 'expert' };

/** Someone the gate lets through, so the refusal is the input's. */
function callerOf(r: Route): string | null {
  const a = r.access;
  if (r.path === '/api/session/login') return null;
  if ('roles' in a && a.roles) return HOLDER[a.roles[0]];
  return 'zjj';
}

/** Field and body checks over the route table as it stands; fewer means fields lost their maxima. */
const CHECKS_AT_LEAST = 50;

function concrete(path: string): string {
  const values: Record<string, string> = { id, stepId: 'drafting', action: 'complete', version: '1', from: '1', to: '1', fileId: '0'.repeat(24), key: 'major-decision', nid: 'x', cid: 'yinchuan-2026', uid: 'U20260101-00000000', seq: '1', hearingId: 'H1', receipt: '0000-0000-0000-0000', n: '0', decisionId: id };
  return path.replace(/:([A-Za-z]+)/g, (_m, n: string) => values[n]);
}

interface JsonSchema {
  type?: string;
  maxLength?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}

/** Each top-level field with a maximum, and a value one past it. */
function oversized(schema: z.ZodType | undefined): Array<[string, unknown]> {
  if (!schema) return [];
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: Array<[string, unknown]> = [];
  for (const [field, p] of Object.entries(js.properties ?? {})) {
    if (p.type === 'string' && p.maxLength !== undefined) out.push([field, '长'.repeat(p.maxLength + 1)]);
    if (p.type === 'array' && p.maxItems !== undefined) out.push([field, Array.from({ length: p.maxItems + 1 }, () => (p.items?.type === 'string' ? '第一条依据' : {}))]);
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read loosely
const detailPaths = (details: any): string[] => (Array.isArray(details) ? details.map((d: { path?: string }) => String(d.path)) : []);

/** What the decision holds: nothing refused may add to it. */
async function holdings() {
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body;
  const count = async (path: string, as = 'zjj') => (await h.api('GET', path, undefined, as)).body.items.length as number;
  return {
    records: view.records.length,
    drafts: view.drafts.length,
    materials: view.materials.length,
    opinions: await count(`/api/decisions/${id}/opinions`),
    comments: await count(`/api/decisions/${id}/drafts/1/comments`),
    participants: await count(`/api/decisions/${id}/participants`),
    decisions: (await h.api('GET', '/api/decisions', undefined, 'zjj')).body.total,
  };
}

test('every field past its maximum, and every body past its cap, is refused naming the field; nothing is recorded', async () => {
  const before = await holdings();
  let checked = 0;
  for (const r of routes) {
    const as = callerOf(r);
    const path = concrete(r.path);
    const label = `${r.method.toUpperCase()} ${r.path}`;
    for (const [field, value] of oversized(r.schemas.query)) {
      // ASCII in the URL: 5,000 CJK characters, percent-encoded, would pass Node's 16 KB header limit first (431).
      const ascii = typeof value === 'string' ? 'x'.repeat(value.length) : String(value);
      const res = await h.api(r.method.toUpperCase(), `${path}?${new URLSearchParams({ [field]: ascii })}`, r.method === 'post' ? {} : undefined, as);
      expect({ label, field, status: res.status, named: detailPaths(res.body.error?.details).includes(`query.${field}`) }).toEqual({ label, field, status: 400, named: true });
      checked++;
    }
    if (r.method !== 'post' || r.rawBody) continue;
    for (const [field, value] of oversized(r.schemas.body)) {
      const res = await h.api('POST', path, { [field]: value }, as);
      expect({ label, field, status: res.status, named: detailPaths(res.body.error?.details).includes(`body.${field}`) }).toEqual({ label, field, status: 400, named: true });
      checked++;
    }
    // The whole body past the route's cap: 413, before any field is looked at.
    const cap = r.jsonLimit ?? BODY_LIMITS.json;
    const res = await h.api('POST', path, { padding: 'x'.repeat(cap + 1024) }, as);
    expect({ label, status: res.status, code: res.body.error?.code, path: detailPaths(res.body.error?.details)[0] }).toEqual({ label, status: 413, code: 'PAYLOAD_TOO_LARGE', path: '(body)' });
    checked++;
  }
  expect(checked).toBeGreaterThan(CHECKS_AT_LEAST);
  // File routes: a name past 200 characters (a file past 20 MB: http-hardening.test.ts, attachments.test.ts).
  for (const r of routes.filter((x) => x.rawBody)) {
    const headers = { ...(await h.authHeaders(callerOf(r)!)), 'x-filename': encodeURIComponent('长'.repeat(201)), 'content-type': 'text/plain' };
    const q = r.path.endsWith('/signed') ? `?author=lawyer&summary=${encodeURIComponent('法律意见书')}` : '';
    const named = await fetch(h.baseUrl + concrete(r.path) + q, { method: 'POST', headers, body: '意见' });
    expect([named.status, ((await named.json()) as { error: { details: { path: string }[] } }).error.details[0].path]).toEqual([400, 'header.x-filename']);
  }
  expect(await holdings()).toEqual(before);
});

/** Start a step, have every oversized version of its record refused, then complete it properly. */
async function performThroughRefusals(stepId: string, record: Record<string, unknown>) {
  await paths.act(id, stepId, 'start');
  const name = h.deps.definitions.get('major-decision')!.procedure.elements[stepId].step!.record as RecordName;
  const before = (await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body.records.length;
  for (const [field, value] of oversized(RECORD_SCHEMAS[name])) {
    const r = await h.api('POST', `/api/decisions/${id}/steps/${stepId}/complete`, { ...record, [field]: value });
    expect({ stepId, field, status: r.status, named: detailPaths(r.body.error?.details).some((p) => p.split('.').includes(field)) }).toEqual({ stepId, field, status: 400, named: true });
  }
  const tooBig = await h.api('POST', `/api/decisions/${id}/steps/${stepId}/complete`, { ...record, padding: 'x'.repeat(BODY_LIMITS.json) });
  expect([tooBig.status, tooBig.body.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body.records.length).toBe(before);
  return paths.act(id, stepId, 'complete', record);
}

test('the same decision, refused at every step on the way, is driven to its archive', async () => {
  await performThroughRefusals('drafting', sample.drafting());
  await performThroughRefusals('public_participation', sample['public-participation']());
  await performThroughRefusals('legality_review', sample['legality-review']('lawful', [await paths.adviserOpinion(id)]));
  await paths.meet(id);
  await performThroughRefusals('party_report', sample['party-report']());
  await performThroughRefusals('publication', sample.publication());
  const done = await performThroughRefusals('archive', sample.archive());
  expect(done.elements.archive.status).toBe('completed');
});
