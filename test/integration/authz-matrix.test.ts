/**
 * The authorisation matrix, generated from the route table: every route is called by every
 * persona (a role in or out of the decision's organisation scope, and nobody at all) and must be
 * allowed or refused exactly as EXPECTED says. A route added without an entry here fails.
 *
 * "Allowed" means the gate let the call through: anything but 401/403 (bodies are deliberately
 * empty, so most allowed changes stop at validation and change nothing). "Refused" means 403
 * FORBIDDEN for a signed-in person and 401 for nobody — and, for someone who may not even read
 * the decision, the 404 of a decision that does not exist. No call, allowed or refused, may end
 * in a 5xx: an empty body or a missing parameter is the caller's error, never the server's.
 */
import { routes } from '../../server/routes';
import { startHarness, TEST_PASSWORD, UNIT_OF, type Harness } from '../support/harness';
import { signIn } from '../support/sign-in';
import { sample } from '../support/records';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('authz');
});
afterAll(async () => {
  await h?.close();
});

/** Demo-world people; the decision under test is 银川市住房和城乡建设局's, in 银川市人民政府. */
const PERSONAS = {
  zjj: 'department that drafts the decision',
  fgw: 'another department of the same agency',
  office: 'secretariat of the agency',
  sfj: 'legality review body of the agency',
  lawyer: "the agency's legal adviser",
  mayor: 'head of the decision body',
  vicemayor: 'a member of the decision body, not its head',
  supervisor: "the region's rule-of-law supervisor",
  expert: 'an expert invited to review this decision',
  szsjt: 'a department of another agency',
} as const;
type Persona = keyof typeof PERSONAS;
const ALL = Object.keys(PERSONAS) as Persona[];

const PUBLIC = 'public' as const;
const SIGNED_IN: Persona[] = ALL;
/** Everyone in the decision's scope: its agency, the supervisors, the invited expert. */
const READERS: Persona[] = ['zjj', 'fgw', 'office', 'sfj', 'lawyer', 'mayor', 'vicemayor', 'supervisor', 'expert'];
const REVIEWERS: Persona[] = ['sfj', 'lawyer', 'supervisor'];
/** Who may not read the decision under test at all: for them it does not exist. */
const STRANGERS: Persona[] = ALL.filter((p) => !READERS.includes(p));

const EXPECTED: Record<string, Persona[] | typeof PUBLIC> = {
  'GET /api/session': PUBLIC,
  'POST /api/session/login': PUBLIC,
  'POST /api/session/logout': SIGNED_IN,
  'GET /api/statute/decree-713': PUBLIC,
  'GET /api/statute/catalogue': PUBLIC,
  'GET /api/definitions': SIGNED_IN,
  'GET /api/definitions/:key/xml': SIGNED_IN,
  'GET /api/schemas/records': SIGNED_IN,
  'GET /api/notifications': SIGNED_IN,
  'POST /api/notifications/:nid/read': SIGNED_IN,
  'POST /api/notifications/read-all': SIGNED_IN,
  'GET /api/decisions': SIGNED_IN,
  'GET /api/decisions/stats': SIGNED_IN,
  'POST /api/decisions': ['zjj', 'fgw', 'office', 'szsjt'],
  'GET /api/people': ['zjj', 'fgw', 'office', 'sfj', 'lawyer', 'mayor', 'vicemayor', 'supervisor', 'szsjt'],
  'GET /api/experts': ['zjj', 'fgw', 'office', 'sfj', 'supervisor', 'szsjt'],
  'GET /api/organisations': ['zjj', 'fgw', 'office', 'sfj', 'lawyer', 'mayor', 'vicemayor', 'supervisor', 'szsjt'],
  'POST /api/me/conflicts': ['expert'],
  'POST /api/me/password': SIGNED_IN,
  'GET /api/me': SIGNED_IN,
  'GET /api/security-events': ['supervisor'],
  'GET /api/security-events/export': ['supervisor'],
  'GET /api/supervision/dashboard': ['office', 'supervisor'],
  'GET /api/supervision/decisions': ['office', 'supervisor'],
  'GET /api/supervision/indicators': ['office', 'supervisor'],
  'GET /api/supervision/export': ['office', 'supervisor'],
  'GET /api/desk/legality-review': REVIEWERS,
  'GET /api/my-work': SIGNED_IN,
  'GET /api/my-work/counts': SIGNED_IN,
  'GET /api/events': SIGNED_IN,
  'GET /api/decisions/:id/events': READERS,
  'GET /api/decisions/:id': READERS,
  'GET /api/decisions/:id/audit': READERS,
  'GET /api/decisions/:id/summary': READERS,
  // The audit trail proves itself (SM3/SHA-256 chains): a decision's readers check its chain and export its proof; the system's chain is for supervisors and the review body.
  'GET /api/decisions/:id/audit/verify': READERS,
  'GET /api/decisions/:id/proof': READERS,
  'GET /api/audit/verify': ['sfj', 'supervisor'],
  'GET /api/decisions/:id/definition.xml': READERS,
  'GET /api/decisions/:id/drafts/:version': READERS,
  'POST /api/decisions/:id/drafts': ['zjj'],
  'POST /api/decisions/:id/drafts/docx': ['zjj'],
  // Step actions: the matrix calls drafting/complete, a department step (other steps below).
  'POST /api/decisions/:id/steps/:stepId/:action': ['zjj'],
  'GET /api/decisions/:id/attachments': READERS,
  'GET /api/decisions/:id/attachments/:fileId': READERS,
  'POST /api/decisions/:id/attachments': ['zjj', 'office', 'sfj', 'lawyer'],
  'GET /api/decisions/:id/drafts/:from/diff/:to': REVIEWERS,
  'GET /api/decisions/:id/drafts/:version/scan': REVIEWERS,
  'GET /api/decisions/:id/review-aids': REVIEWERS,
  'GET /api/decisions/:id/participants': READERS,
  'GET /api/decisions/:id/meeting': READERS,
  'POST /api/decisions/:id/participants': ['zjj', 'office', 'sfj'],
  'GET /api/decisions/:id/drafts/:version/comments': READERS,
  'POST /api/decisions/:id/drafts/:version/comments': ['zjj', 'office', 'sfj', 'lawyer'],
  'GET /api/decisions/:id/opinions': READERS,
  'POST /api/decisions/:id/opinions': ['lawyer', 'expert'],
  // A signed opinion document is put on file by the review body (an adviser's) or the drafting side (an expert's).
  'POST /api/decisions/:id/opinions/signed': ['zjj', 'office', 'sfj'],
  // The office finds applicability (Art. 10) and keeps the meeting record (Art. 30); it also ends an import (补录).
  'POST /api/decisions/:id/findings': ['office'],
  'POST /api/decisions/:id/meeting/minutes': ['office'],
  'POST /api/decisions/:id/import/end': ['office'],
  // The review body reopens a wrongly skipped step (Art. 27(2)).
  'POST /api/decisions/:id/reopen': ['sfj'],
  // The drafting department opens consultations (Art. 15) and reports problems in execution (Art. 35).
  'POST /api/decisions/:id/consultations': ['zjj'],
  'POST /api/decisions/:id/execution/problems': ['zjj'],
  // Each member confirms their own statement; only the head suspends or resumes execution (Arts. 30, 37).
  'POST /api/decisions/:id/meeting/confirm': ['mayor', 'vicemayor'],
  'POST /api/decisions/:id/execution/suspend': ['mayor'],
  'POST /api/decisions/:id/execution/resume': ['mayor'],
  // The annual catalogue (Art. 3(3)): every signed-in person reads what is in their reach; the office drafts, records consent, publishes, links.
  'GET /api/catalogues': SIGNED_IN,
  'GET /api/catalogues/:cid': SIGNED_IN,
  'POST /api/catalogues': ['office'],
  'POST /api/catalogues/:cid/draft': ['office'],
  'POST /api/catalogues/:cid/consent': ['office'],
  'POST /api/catalogues/:cid/publish': ['office'],
  'GET /api/public/catalogues': PUBLIC,
  'GET /api/public/catalogues/:cid': PUBLIC,
  'GET /api/public/catalogues/:cid/export.csv': PUBLIC,
  'GET /api/public/catalogues/:cid/export.xlsx': PUBLIC,
  'GET /catalogues/:cid': PUBLIC,
  'POST /api/decisions/:id/catalogue-item': ['office'],
  // The head alone records an exemption from the full-procedure policy; members pass the gate and are refused once the body is read.
  'POST /api/decisions/:id/exemptions': ['mayor', 'vicemayor'],
  // 督办: supervisors urge; the units that act on the decision answer.
  'POST /api/decisions/:id/urgings': ['supervisor'],
  'GET /api/decisions/:id/urgings': READERS,
  'POST /api/decisions/:id/urgings/:uid/attachment': ['zjj', 'office', 'sfj'],
  'POST /api/decisions/:id/urgings/:uid/answer': ['zjj', 'office', 'sfj'],
  'GET /api/urgings': SIGNED_IN,
  // The archive (Art. 33).
  'GET /api/decisions/:id/dossier': READERS,
  'GET /api/decisions/:id/dossier.html': READERS,
  'GET /api/decisions/:id/archive.zip': READERS,
  'GET /api/decisions/:id/legality-opinions/:seq': READERS,
  'GET /api/archive/handovers': SIGNED_IN,
  // Public participation (Arts. 14-18): the drafting department runs hearings and answers the public's opinions;
  // the office, the review body and supervisors read the opinions (names and contacts only the department).
  'POST /api/decisions/:id/hearings': ['zjj'],
  'POST /api/decisions/:id/hearings/:hearingId/participants': ['zjj'],
  'POST /api/decisions/:id/hearings/:hearingId/delivered': ['zjj'],
  'POST /api/decisions/:id/hearings/:hearingId/cancel': ['zjj'],
  'POST /api/decisions/:id/hearings/:hearingId/record': ['zjj'],
  'GET /api/decisions/:id/hearings/:hearingId/record': READERS,
  'GET /api/decisions/:id/public-opinions': ['zjj', 'fgw', 'office', 'sfj', 'supervisor'],
  'GET /api/decisions/:id/public-opinions/:receipt/attachments/:n': ['zjj', 'fgw', 'office', 'sfj', 'supervisor'],
  'POST /api/decisions/:id/public-opinions/:receipt/answer': ['zjj'],
  'GET /api/decisions/:id/participation': READERS,
  // The public portal: no sign-in.
  'GET /api/portal/consultations': PUBLIC,
  'GET /api/portal/consultations/:key': PUBLIC,
  'POST /api/portal/consultations/:key/opinions': PUBLIC,
  'GET /api/portal/opinions/:receipt': PUBLIC,
  'GET /api/portal/hearings': PUBLIC,
  'GET /api/portal/decisions': PUBLIC,
  'GET /api/portal/decisions/:decisionId': PUBLIC,
};

/** Supervisory acts: the one kind of change a supervisor makes, on any decision in the jurisdiction. */
const SUPERVISORY = new Set(['POST /api/decisions/:id/urgings']);

const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

/** Fill a route's path parameters for a decision. */
function concrete(path: string, decisionId: string, stepId = 'drafting'): string {
  return path
    .replace(':id', decisionId)
    .replace(':stepId', stepId)
    .replace(':action', 'complete')
    .replace(':version', '1')
    .replace(':from', '1')
    .replace(':to', '1')
    .replace(':fileId', '0'.repeat(24))
    .replace(':key', 'major-decision')
    .replace(':nid', 'no-such-notification')
    .replace(':cid', 'yinchuan-2026')
    .replace(':uid', 'U20260101-00000000')
    .replace(':seq', '1')
    .replace(':hearingId', 'H1')
    .replace(':receipt', '0000-0000-0000-0000')
    .replace(':n', '0')
    .replace(':decisionId', decisionId);
}

/**
 * Routes that decide who may beyond role and scope (only the head of the decision body suspends or
 * resumes, Art. 37) do so once the body is read: they get a well-formed body, which the workflow
 * then refuses here (nothing is being executed), so the call changes nothing.
 */
const BODIES: Record<string, unknown> = {
  'POST /api/decisions/:id/execution/suspend': { reasons: '发生突发情况，先行中止。' },
  'POST /api/decisions/:id/execution/resume': { reasons: '突发情况已消除，恢复执行。' },
};

/** Event streams never end by themselves: the gate's answer is their status, and their body is not read. */
const STREAMS = /^\/api\/(events|decisions\/[^/]+\/events)$/;

async function streamStatus(path: string, as: Persona | null): Promise<{ status: number; body: null }> {
  const stop = new AbortController();
  const res = await fetch(h.baseUrl + path, { headers: as ? await h.authHeaders(as) : {}, signal: stop.signal });
  const body = res.ok ? null : await res.json();
  stop.abort();
  return { status: res.status, body };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read loosely
async function call(method: string, path: string, as: Persona | null, body: unknown = method === 'POST' ? {} : undefined): Promise<{ status: number; body: any }> {
  if (STREAMS.test(path)) return streamStatus(path, as);
  if (path === '/api/session/logout' && as) {
    // Logging out ends the session: use a fresh one, not the one the other calls share.
    const { cookie, csrf } = await signIn(h.baseUrl, as, TEST_PASSWORD);
    return { status: (await fetch(h.baseUrl + path, { method, headers: { cookie, 'x-csrf-token': csrf } })).status, body: null };
  }
  return h.api(method, path, body, as);
}

/** What the gate did: 401, 403, 404 as for a missing decision ("hidden"), or let the call through. */
function outcome(r: { status: number; body: { error?: { message?: string } } | null }, decisionId: string): 401 | 403 | 'hidden' | 'allowed' {
  if (r.status === 401 || r.status === 403) return r.status;
  if (r.status === 404 && r.body?.error?.message === `No decision ${decisionId}.`) return 'hidden';
  return 'allowed';
}

let yinchuan: string;
let shizuishan: string;

beforeAll(async () => {
  const a = await h.api('POST', '/api/decisions', { title: '银川市老旧小区改造三年行动计划', ...UNIT_OF.zjj, category: 'plan' }, 'zjj');
  yinchuan = a.body.id;
  await h.api('POST', `/api/decisions/${yinchuan}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${yinchuan}/steps/initiation/complete`, sample.initiation());
  expect((await h.api('POST', `/api/decisions/${yinchuan}/drafts`, { title: '行动计划（草案）', content: '第一条 为改造老旧小区，制定本计划。' })).status).toBe(201);
  expect((await h.api('POST', `/api/decisions/${yinchuan}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj')).status).toBe(201);
  const b = await h.api('POST', '/api/decisions', { title: '石嘴山市出租汽车运力调整办法', ...UNIT_OF.szsjt, category: 'public-policy' }, 'szsjt');
  shizuishan = b.body.id;
  await h.api('POST', `/api/decisions/${shizuishan}/drafts`, { title: '办法（草案）', content: '第一条 为规范出租汽车经营，制定本办法。' }, 'szsjt');
});

test('every route in the route table has an expectation, and every expectation a route', () => {
  const table = routes.map(key);
  expect(table.filter((k) => !(k in EXPECTED))).toEqual([]);
  expect(Object.keys(EXPECTED).filter((k) => !table.includes(k))).toEqual([]);
});

test.each(routes.map((r) => [key(r), r] as const))('%s: allowed and refused as expected, for every persona', async (_k, r) => {
  const expected = EXPECTED[key(r)];
  const path = concrete(r.path, yinchuan);
  const got: Record<string, Awaited<ReturnType<typeof call>>> = {};
  for (const as of [null, ...ALL]) got[as ?? 'nobody'] = await call(r.method.toUpperCase(), path, as, BODIES[key(r)]);
  const want = Object.fromEntries(
    Object.keys(got).map((who) => {
      const allowed = expected === PUBLIC || (who !== 'nobody' && expected.includes(who as Persona));
      return [who, allowed ? 'allowed' : who === 'nobody' ? 401 : r.path.includes(':id') && STRANGERS.includes(who as Persona) ? 'hidden' : 403];
    }),
  );
  const seen = Object.fromEntries(Object.entries(got).map(([who, res]) => [who, outcome(res, yinchuan)]));
  expect(seen).toEqual(want);
  expect(Object.entries(got).filter(([, res]) => res.status >= 500)).toEqual([]);
});

test('outside its scope a decision does not exist, except for the supervisors, who read and urge', async () => {
  const scoped = routes.filter((r) => r.path.includes(':id'));
  for (const r of scoped) {
    const expected = EXPECTED[key(r)] as Persona[];
    const path = concrete(r.path, shizuishan);
    for (const as of ['zjj', 'fgw', 'office', 'sfj', 'lawyer', 'mayor', 'vicemayor', 'expert', 'supervisor'] as Persona[]) {
      const res = await call(r.method.toUpperCase(), path, as, BODIES[key(r)]);
      const want = as !== 'supervisor' ? 'hidden' : (r.method === 'get' || SUPERVISORY.has(key(r))) && expected.includes('supervisor') ? 'allowed' : 403;
      expect({ route: key(r), as, outcome: outcome(res, shizuishan), serverError: res.status >= 500 }).toEqual({ route: key(r), as, outcome: want, serverError: false });
    }
  }
});

test('a decision outside the scope answers exactly as a missing one; the attempts are one security event, not entries in its audit trail', async () => {
  const missing = 'D20990101-deadbeef';
  for (const path of ['', '/audit', '/steps/drafting/complete', '/drafts']) {
    const method = path && path !== '/audit' ? 'POST' : 'GET';
    const other = await h.api(method, `/api/decisions/${shizuishan}${path}`, method === 'POST' ? {} : undefined, 'zjj');
    const none = await h.api(method, `/api/decisions/${missing}${path}`, method === 'POST' ? {} : undefined, 'zjj');
    expect({ path, status: other.status, body: JSON.stringify(other.body).replaceAll(shizuishan, '…') }).toEqual({ path, status: 404, body: JSON.stringify(none.body).replaceAll(missing, '…') });
  }
  const audit = (await h.api('GET', `/api/decisions/${shizuishan}/audit`, undefined, 'szsjt')).body.items;
  // The supervisors may read it, so their refused writes are its own business; nobody else's are.
  const strangers = ['zjj', 'fgw', 'office', 'sfj', 'lawyer', 'mayor', 'vicemayor', 'expert'];
  expect(audit.filter((e: { actor: string }) => strangers.some((u) => e.actor.endsWith(`(${u})`)))).toEqual([]);
  // The matrix above leaves hundreds of refusals in the log: read far enough back to see this one.
  const events = (await h.api('GET', '/api/security-events?limit=500', undefined, 'supervisor')).body.items.filter(
    (e: { kind: string; username: string; detailEn?: string }) => e.kind === 'out-of-scope' && e.username === 'zjj' && e.detailEn?.includes(shizuishan),
  );
  // One per ten-minute window (server/access.ts). The matrix and this test take minutes, so they may
  // straddle a window's end: then two events, of consecutive windows — never one per request.
  const windows = events.map((e: { id: string }) => Number(e.id.split(':').at(-1))).sort((a: number, b: number) => a - b);
  expect(new Set(windows).size).toBe(events.length);
  expect(windows.length === 1 || (windows.length === 2 && windows[1] === windows[0] + 1)).toBe(true);
});

test('experts list only the decisions they were invited to review, not a meeting they were asked to sit in on', async () => {
  const c = await h.api('POST', '/api/decisions', { title: '银川市公共停车场建设规划', ...UNIT_OF.zjj, category: 'plan' }, 'zjj');
  expect((await h.api('POST', `/api/decisions/${c.body.id}/participants`, { username: 'expert', purpose: 'meeting' }, 'zjj')).status).toBe(201);
  const listed = (await h.api('GET', '/api/decisions?pageSize=100', undefined, 'expert')).body.items.map((d: { id: string }) => d.id);
  expect(listed).toContain(yinchuan);
  expect(listed).not.toContain(c.body.id);
  expect((await h.api('GET', `/api/decisions/${c.body.id}`, undefined, 'expert')).status).toBe(404);
});

test('each step is performed only in the role its definition names, inside the scope', async () => {
  const steps = h.deps.definitions.get('major-decision')!.procedure.elements;
  const byRole = new Map<string, string>();
  for (const e of Object.values(steps)) if (e.step && !byRole.has(e.step.role)) byRole.set(e.step.role, e.id);
  const holders: Record<string, Persona[]> = { department: ['zjj'], secretariat: ['office'], 'legality-review-body': ['sfj'], 'legal-adviser': ['lawyer'], 'decision-body': ['mayor', 'vicemayor'] };
  expect([...byRole.keys()].sort()).toEqual(['department', 'legality-review-body', 'secretariat']);
  for (const [role, stepId] of byRole) {
    for (const as of ALL) {
      const status = (await h.api('POST', concrete('/api/decisions/:id/steps/:stepId/:action', yinchuan, stepId), {}, as)).status;
      // A stranger to the decision is refused as if it did not exist.
      const refusal = STRANGERS.includes(as) ? 404 : 403;
      expect({ stepId, as, refused: status === refusal }).toEqual({ stepId, as, refused: !holders[role].includes(as) });
    }
  }
});

test('refusals are recorded: in the decision audit trail, or as security events', async () => {
  expect((await h.api('POST', `/api/decisions/${yinchuan}/steps/legality_review/start`, {}, 'zjj')).status).toBe(403);
  const audit = (await h.api('GET', `/api/decisions/${yinchuan}/audit`, undefined, 'supervisor')).body.items;
  const refusal = audit.find((e: { actor: string; stepId?: string; action: string }) => e.actor === '张明 (zjj)' && e.stepId === 'legality_review' && e.action === 'start');
  expect(refusal).toMatchObject({ result: 'refused', code: 'FORBIDDEN' });
  expect(refusal.summary).toMatch(/legality-review-body/);

  expect((await h.api('GET', '/api/desk/legality-review', undefined, 'zjj')).status).toBe(403);
  const events = (await h.api('GET', '/api/security-events', undefined, 'supervisor')).body.items;
  expect(events.find((e: { kind: string; username: string; route: string }) => e.kind === 'forbidden' && e.username === 'zjj' && e.route === 'GET /api/desk/legality-review')).toBeDefined();
});

test('a department starts decisions only for itself, a secretariat only for its agency', async () => {
  const forbidden = await h.api('POST', '/api/decisions', { title: '银川市供水价格调整方案', ...UNIT_OF.fgw, category: 'public-policy' }, 'zjj');
  expect(forbidden.status).toBe(403);
  expect(forbidden.body.error.details[0].path).toBe('body.draftingUnit');
  const otherAgency = await h.api('POST', '/api/decisions', { title: '石嘴山市供水价格调整方案', ...UNIT_OF.szsjt, category: 'public-policy' }, 'office');
  expect(otherAgency.status).toBe(403);
  expect(otherAgency.body.error.details[0].path).toBe('body.agency');
  const unknownUnit = await h.api('POST', '/api/decisions', { title: '银川市供水价格调整方案', agency: '银川市人民政府', draftingUnit: '银川市不存在局', category: 'public-policy' }, 'office');
  expect(unknownUnit.status).toBe(400);
  expect(unknownUnit.body.error.details[0].message).toContain('银川市住房和城乡建设局');
  expect((await h.api('POST', '/api/decisions', { title: '银川市供水价格调整方案', ...UNIT_OF.fgw, category: 'public-policy' }, 'office')).status).toBe(201);
});

test("the decision view tells each reader what they may do, and it agrees with the gate", async () => {
  const steps = h.deps.definitions.get('major-decision')!.procedure.elements;
  const roleSteps = Object.values(steps).filter((e) => e.step).map((e) => e.id);
  for (const as of READERS) {
    const view = (await h.api('GET', `/api/decisions/${yinchuan}`, undefined, as)).body;
    expect(Object.keys(view.viewer.steps).sort()).toEqual([...roleSteps].sort());
    for (const stepId of ['initiation', 'drafting', 'legality_review']) {
      const status = (await h.api('POST', concrete('/api/decisions/:id/steps/:stepId/:action', yinchuan, stepId), {}, as)).status;
      expect({ as, stepId, allowed: view.viewer.steps[stepId].allowed }).toEqual({ as, stepId, allowed: status !== 403 });
    }
  }
  const zjj = (await h.api('GET', `/api/decisions/${yinchuan}`, undefined, 'zjj')).body.viewer;
  expect(zjj.actAs).toEqual(['department']);
  expect(zjj.steps.legality_review).toEqual({ allowed: false, zh: '需要角色：合法性审查机构', en: 'Needs the role: Legality review body' });
  const fgw = (await h.api('GET', `/api/decisions/${yinchuan}`, undefined, 'fgw')).body.viewer;
  expect(fgw.actAs).toEqual([]);
  expect(fgw.steps.drafting.zh).toContain('银川市住房和城乡建设局承办');
  const supervisor = (await h.api('GET', `/api/decisions/${yinchuan}`, undefined, 'supervisor')).body.viewer;
  expect(Object.values(supervisor.steps).every((s) => (s as { allowed: boolean; zh: string }).zh === '监督人员只读')).toBe(true);
  const expert = (await h.api('GET', `/api/decisions/${yinchuan}`, undefined, 'expert')).body.viewer;
  expect(expert).toMatchObject({ actAs: ['expert'], participation: ['expert-review'] });
});
