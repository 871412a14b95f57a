/**
 * The public side of a decision through the real stack (API → Temporal → worker → FerretDB): a
 * consultation opened in the workspace appears on the portal with its draft, explanation, period
 * and shortening reason; citizens submit opinions without signing in, within the period (judged
 * by arrival), past the challenge and the per-address limit; each gets a receipt and later reads
 * the drafting unit's answer; hearings are announced in advance with the 7-day delivery enforced;
 * the participation record is checked against what the portal received; decisions reach the
 * publication page only after the Party committee's consent.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import { isDuplicateKey } from '../../activities/models';
import { insertBatched } from '../../server/portal/batch-insert';
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { daysAgo, sample, today } from '../support/records';
import { publicationOf } from '../../server/portal/publications';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('portal');
  p = apiPaths(h);
  // No waiting on the form in most tests; the challenge and the limit have tests of their own.
  h.deps.portal = { rate: { limit: 1000, windowMs: 600_000 }, minFillMs: 0 };
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;
const daysAhead = (n: number) => daysAgo(-n);
const DRAFT = '银川市城市公园管理办法（征求意见稿）\n第一条 为加强城市公园管理，制定本办法。\n第二条 本办法适用于本市建成区内的城市公园。\n第三条 公园应当免费向公众开放。\n第十二条 在公园内遛狗应当拴绳。';

/** A live decision with public participation in progress and its draft on file. */
async function participating(): Promise<string> {
  const id = await p.create({}, '银川市城市公园管理办法');
  await p.perform(id, 'initiation', sample.initiation());
  await p.draft(id, DRAFT);
  await p.perform(id, 'drafting', sample.drafting());
  await p.act(id, 'public_participation', 'start');
  return id;
}

async function openConsultation(id: string, body: Record<string, unknown> = {}): Promise<string> {
  const view = await p.post(`/api/decisions/${id}/consultations`, { channel: 'government-website', closesOn: daysAhead(40), explanation: '起草说明：为规范公园管理，依据《城市绿化条例》起草。', ...body }, 'zjj');
  return `${id}-${view.consultations.at(-1).id}`;
}

/** What the portal's form does: read the consultation (its token), then submit with a fresh submission key. */
async function submit(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const form = (await h.api('GET', `/api/portal/consultations/${key}`, undefined, null)).body.form;
  const res = await fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ submissionKey: crypto.randomUUID(), formToken: form?.token ?? 'none', ...body }),
  });
  return { status: res.status, body: await res.json() };
}

test('Art. 15: opening a consultation publishes it on the portal with the draft, its explanation, the channel, the period and the shortening reason', async () => {
  const id = await participating();
  const key = await openConsultation(id, { closesOn: daysAhead(15), shorteningReason: '汛期前须出台，缩短征求意见期限。', requires: { name: true, contact: false } });
  const list = (await h.api('GET', '/api/portal/consultations?status=open', undefined, null)).body.items;
  expect(list.find((c: Json) => c.key === key)).toMatchObject({ title: '银川市城市公园管理办法', channel: 'government-website', opensOn: today(), closesOn: daysAhead(15), shortened: true, open: true, daysLeft: 15 });
  const c = (await h.api('GET', `/api/portal/consultations/${key}`, undefined, null)).body;
  expect(c.shorteningReason).toBe('汛期前须出台，缩短征求意见期限。');
  expect(c.explanation).toContain('起草说明');
  expect(c.draft.content).toBe(DRAFT);
  expect(c.draft.clauses.map((x: Json) => x.n)).toEqual([1, 2, 3, 12]);
  expect(c.form).toMatchObject({ requires: { name: true, contact: false }, attachments: { count: 3 } });
  // No sign-in anywhere on the portal; the workspace still needs one.
  expect((await h.api('GET', `/api/decisions/${id}/public-opinions`, undefined, null)).status).toBe(401);
});

test('a citizen submits an opinion, gets a receipt, and later reads the drafting unit’s answer by it; the unit sees opinions grouped by article', async () => {
  const id = await participating();
  const key = await openConsultation(id, { requires: { name: true, contact: true } });
  const missing = await submit(key, { text: '建议第十二条明确遛狗时段。' });
  expect([missing.status, missing.body.error.details.map((d: Json) => d.path)]).toEqual([400, ['body.name', 'body.contact']]);
  const badContact = await submit(key, { name: '张三', contact: 'not a phone', text: '建议第十二条明确遛狗时段。' });
  expect([badContact.status, badContact.body.error.details[0].path]).toEqual([400, 'body.contact']);

  const a = await submit(key, { name: '张三', contact: '13900000000', text: '建议第十二条明确遛狗时段，早晚高峰禁止。' });
  expect(a.status).toBe(201);
  expect(a.body.receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const b = await submit(key, { name: '李四', contact: 'lisi@example.com', clause: 3, text: '<script>alert(1)</script>公园不应收费。' });
  const c = await submit(key, { name: '王五', contact: '0951-1234567', text: '总体赞成，建议增加无障碍设施。' });
  expect([b.status, c.status]).toEqual([201, 201]);

  const mine = (await h.api('GET', `/api/portal/opinions/${a.body.receipt.toLowerCase().replace(/-/g, '')}`, undefined, null)).body;
  expect(mine).toMatchObject({ receipt: a.body.receipt, clause: 12, clauseLabel: { zh: '第十二条' }, answer: null, final: false, consultation: { key, open: true } });
  expect(mine.name).toBeUndefined();
  expect((await h.api('GET', '/api/portal/opinions/0000-0000-0000-0000', undefined, null)).status).toBe(404);

  // The drafting unit: every opinion, grouped by article, the whole draft last; names and contacts are the unit's only.
  const seen = (await h.api('GET', `/api/decisions/${id}/public-opinions`, undefined, 'zjj')).body;
  expect(seen.consultations[0]).toMatchObject({ received: 3, answered: 0 });
  expect(seen.consultations[0].groups.map((g: Json) => [g.clause, g.label.zh, g.opinions.length])).toEqual([
    [3, '第三条', 1],
    [12, '第十二条', 1],
    [null, '总体意见', 1],
  ]);
  expect(seen.consultations[0].groups[1].opinions[0]).toMatchObject({ name: '张三', contact: '13900000000' });
  const office = (await h.api('GET', `/api/decisions/${id}/public-opinions`, undefined, 'office')).body;
  expect(office.consultations[0].groups[1].opinions[0].name).toBeUndefined();

  const refusedBlank = await h.api('POST', `/api/decisions/${id}/public-opinions/${a.body.receipt}/answer`, { decision: 'not-adopted' }, 'zjj');
  expect([refusedBlank.status, refusedBlank.body.error.details[0].path]).toEqual([400, 'body.reason']);
  expect((await h.api('POST', `/api/decisions/${id}/public-opinions/${a.body.receipt}/answer`, { decision: 'partly-adopted', reason: '已在第十二条增加早晚高峰时段的规定。' }, 'fgw')).status).toBe(403);
  const answered = await p.post(`/api/decisions/${id}/public-opinions/${a.body.receipt}/answer`, { decision: 'partly-adopted', reason: '已在第十二条增加早晚高峰时段的规定。' }, 'zjj');
  expect(answered.answer).toMatchObject({ decision: 'partly-adopted', label: { zh: '部分采纳' } });
  const later = (await h.api('GET', `/api/portal/opinions/${a.body.receipt}`, undefined, null)).body;
  expect(later.answer).toMatchObject({ decision: 'partly-adopted', label: { zh: '部分采纳' }, reason: '已在第十二条增加早晚高峰时段的规定。' });
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items;
  expect(audit.find((e: Json) => e.action === 'public-opinion-answer')).toMatchObject({ result: 'accepted', actor: expect.stringContaining('zjj') });

  // The record as the system would write it: the count is the portal's, and the adoption report counts the answers.
  const draft = (await h.api('GET', `/api/decisions/${id}/participation`, undefined, 'zjj')).body;
  expect(draft.record.consultations[0]).toMatchObject({ id: 'C1', commentsReceived: 3, answered: 1, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(draft.reports[0].text).toContain('共收到意见3条，采纳0条，部分采纳1条，不予采纳0条，尚未研究2条');

  // Arts. 15, 18: a typed count that disagrees with the portal is refused, and so is an unanswered opinion (besides the open period).
  const typed = await h.api('POST', `/api/decisions/${id}/steps/public_participation/complete`, { ...sample['public-participation'](), consultations: [{ id: 'C1', commentsReceived: 12 }] }, 'zjj');
  expect(typed.status).toBe(409);
  expect(typed.body.error.details.map((r: Json) => r.code).sort()).toEqual(['CONSULTATION_STILL_OPEN', 'OPINIONS_UNANSWERED', 'PARTICIPATION_RECORD_MISMATCH']);
  expect(typed.body.error.details.find((r: Json) => r.code === 'PARTICIPATION_RECORD_MISMATCH').zh).toContain('收到意见3条，记录填写为12条');
  // Left out, the count is the system's: only the period and the answers stand in the way.
  const prefilled = await h.api('POST', `/api/decisions/${id}/steps/public_participation/complete`, { ...sample['public-participation'](), consultations: undefined }, 'zjj');
  expect(prefilled.body.error.details.map((r: Json) => r.code).sort()).toEqual(['CONSULTATION_STILL_OPEN', 'OPINIONS_UNANSWERED']);
});

test('a retried submission gets the same receipt and is stored once; the same key for other content is refused', async () => {
  const id = await participating();
  const key = await openConsultation(id);
  const form = (await h.api('GET', `/api/portal/consultations/${key}`, undefined, null)).body.form;
  const body = { submissionKey: crypto.randomUUID(), formToken: form.token, text: '建议延长开放时间至晚上十点。' };
  const post = (b: unknown) => fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
  const [first, again] = await Promise.all([post(body), post(body)]);
  const answers = [await first.json(), await again.json()];
  expect([first.status, again.status].sort()).toEqual([200, 201]);
  expect(answers[0].receipt).toBe(answers[1].receipt);
  expect(await h.deps.models.PublicOpinion.countDocuments({ consultationKey: key })).toBe(1);
  const other = await post({ ...body, text: '另一条不同的意见。' });
  expect([other.status, (await other.json()).error.code]).toEqual([422, 'IDEMPOTENCY_MISMATCH']);
});

test('abuse resistance: honeypot, a form sent at a robot’s speed, file types read from the bytes, sizes, JSON only', async () => {
  const id = await participating();
  const key = await openConsultation(id);
  const honey = await submit(key, { text: '正常的意见内容。', website: 'http://spam.example' });
  expect([honey.status, honey.body.error.code, honey.body.error.details[0].path]).toEqual([422, 'SUBMISSION_REFUSED', 'website']);
  const forged = await submit(key, { text: '正常的意见内容。', formToken: `${Date.now() - 60_000}.AAAAAAAAAAAAAAAAAAAAAA` });
  expect([forged.status, forged.body.error.details[0].path]).toEqual([422, 'formToken']);
  h.deps.portal = { rate: { limit: 1000, windowMs: 600_000 }, minFillMs: 1500 };
  try {
    const hasty = await submit(key, { text: '提交得太快的意见。' });
    expect([hasty.status, hasty.body.error.details[0].message]).toEqual([422, '提交过快，请稍候再提交。']);
    const form = (await h.api('GET', `/api/portal/consultations/${key}`, undefined, null)).body.form;
    await new Promise((r) => setTimeout(r, 1600));
    const patient = await fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionKey: crypto.randomUUID(), formToken: form.token, text: '等了一会儿再提交的意见。' }) });
    expect(patient.status).toBe(201);
  } finally {
    h.deps.portal = { rate: { limit: 1000, windowMs: 600_000 }, minFillMs: 0 };
  }
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);
  const withPhoto = await submit(key, { text: '附现场照片一张。', attachments: [{ filename: '现场.png', contentType: 'image/png', data: png.toString('base64') }] });
  expect(withPhoto.status).toBe(201);
  const html = await submit(key, { text: '附网页一份，请查看。', attachments: [{ filename: 'a.html', contentType: 'text/html', data: Buffer.from('<html><script>alert(1)</script></html>').toString('base64') }] });
  expect([html.status, html.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  const lying = await submit(key, { text: '声称是PDF的图片。', attachments: [{ filename: 'x.pdf', contentType: 'application/pdf', data: png.toString('base64') }] });
  expect(lying.status).toBe(415);
  const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2 * 1024 * 1024)]);
  const tooBig = await submit(key, { text: '附件过大。', attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', data: big.toString('base64') }] });
  expect(tooBig.status).toBe(400); // the base64 string itself is over the field's limit
  const form = await fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hello' });
  expect(form.status).toBe(415);
  const huge = await fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(7 * 1024 * 1024) }) });
  expect(huge.status).toBe(413);
  // The department downloads the attached photo as a file, never rendered inline.
  const seen = (await h.api('GET', `/api/decisions/${id}/public-opinions`, undefined, 'zjj')).body;
  const photo = seen.consultations[0].groups.flatMap((g: Json) => g.opinions).find((o: Json) => o.attachments.length);
  const dl = await fetch(`${h.baseUrl}/api/decisions/${id}/public-opinions/${photo.receipt}/attachments/0`, { headers: await h.authHeaders('zjj') });
  expect([dl.status, dl.headers.get('content-type'), dl.headers.get('content-disposition')?.startsWith('attachment')]).toEqual([200, 'image/png', true]);
  expect(Buffer.from(await dl.arrayBuffer()).equals(png)).toBe(true);
});

test('Art. 15: a submission after the deadline is refused with the reason; one that arrived before it is taken in however slowly its body comes', async () => {
  // An import (补录) carries a consultation that closed ten days ago.
  const id = (await p.post('/api/decisions', { title: '银川市停车收费管理办法', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy', import: { reason: '系统上线前已公开征求意见，按纸质案卷补录。', startedOn: daysAgo(80) } }, 'office', 201)).id;
  const on = (n: number) => `?occurredOn=${daysAgo(n)}`;
  await p.post(`/api/decisions/${id}/steps/initiation/start${on(70)}`, {}, 'office');
  await p.post(`/api/decisions/${id}/steps/initiation/complete${on(70)}`, { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: daysAgo(70) } }, 'office');
  await p.post(`/api/decisions/${id}/drafts${on(65)}`, { title: '办法（草案）', content: '第一条 为规范停车收费，制定本办法。' }, 'zjj', 201);
  await p.post(`/api/decisions/${id}/steps/drafting/start${on(65)}`, {}, 'zjj');
  await p.post(`/api/decisions/${id}/steps/drafting/complete${on(60)}`, sample.drafting(), 'zjj');
  await p.post(`/api/decisions/${id}/steps/public_participation/start${on(50)}`, {}, 'zjj');
  const view = await p.post(`/api/decisions/${id}/consultations${on(50)}`, { channel: 'government-website', closesOn: daysAgo(10), explanation: '停车收费标准说明。' }, 'zjj');
  expect(view.consultations[0]).toMatchObject({ opensOn: daysAgo(50), closesOn: daysAgo(10), imported: true });
  const key = `${id}-C1`;
  const listed = (await h.api('GET', '/api/portal/consultations?status=closed', undefined, null)).body.items.find((c: Json) => c.key === key);
  expect(listed).toMatchObject({ open: false, closesOn: daysAgo(10) });
  const late = await submit(key, { text: '截止后才提交的意见。' });
  expect([late.status, late.body.error.code, late.body.error.details[0].code, late.body.error.details[0].article]).toEqual([409, 'CONSULTATION_CLOSED', 'CONSULTATION_CLOSED', 'Decree 713 Art. 15']);
  expect(late.body.error.details[0].zh).toContain(`公开征求意见已于${daysAgo(10)}截止`);

  // A live consultation whose deadline is moved to a moment from now (the statute's days cannot be waited out in a test):
  // the request arrives before it and its body after it — accepted, dated by its arrival; the next one is late.
  const live = await participating();
  const liveKey = await openConsultation(live);
  const form = (await h.api('GET', `/api/portal/consultations/${liveKey}`, undefined, null)).body.form;
  // Nothing was submitted to it yet, so no API process holds its facts in memory.
  const deadline = Date.now() + 1000;
  await h.deps.models.PublicConsultation.updateOne({ _id: liveKey }, { $set: { closesAt: new Date(deadline) } });
  const payload = JSON.stringify({ submissionKey: crypto.randomUUID(), formToken: form.token, text: '网络很慢时提交的意见，在截止前送达。' });
  const slow = await new Promise<{ status: number; body: Json }>((resolve, reject) => {
    const req = http.request(`${h.baseUrl}/api/portal/consultations/${liveKey}/opinions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.write(payload.slice(0, 10));
    setTimeout(() => req.end(payload.slice(10)), Math.max(0, deadline - Date.now()) + 700);
  });
  expect(Date.now()).toBeGreaterThan(deadline);
  expect(slow.status).toBe(201);
  expect(Date.parse(slow.body.receivedAt)).toBeLessThan(deadline);
  const after = await submit(liveKey, { text: '截止之后送达的意见。' });
  expect([after.status, after.body.error.code]).toEqual([409, 'CONSULTATION_CLOSED']);
});

test('the per-address limit: concurrent submissions from one address get exactly the limit through, counted in the store, and the rest 429 with Retry-After', async () => {
  const id = await participating();
  const key = await openConsultation(id);
  const forms = await Promise.all(Array.from({ length: 8 }, () => h.api('GET', `/api/portal/consultations/${key}`, undefined, null)));
  // A window of its own, so the slots of earlier tests do not count.
  h.deps.portal = { rate: { limit: 3, windowMs: 3_600_000 + 1 }, minFillMs: 0 };
  try {
    const results = await Promise.all(
      forms.map((f, i) =>
        fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionKey: crypto.randomUUID(), formToken: f.body.form.token, text: `同时提交的第${i + 1}条意见。` }) }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: [{ message: expect.stringContaining('提交过于频繁') }] });
    expect(await h.deps.models.PublicOpinion.countDocuments({ consultationKey: key })).toBe(3);
    // A refused address is refused before its body is read: a large body gets the same 429.
    const big = await fetch(`${h.baseUrl}/api/portal/consultations/${key}/opinions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(100_000) }) });
    expect(big.status).toBe(429);
  } finally {
    h.deps.portal = { rate: { limit: 1000, windowMs: 600_000 }, minFillMs: 0 };
  }
});

test('Arts. 16-17: a hearing is announced in advance with its place, selection method and list; materials go out 7 days before; the signed record comes after', async () => {
  const id = await participating();
  const past = await h.api('POST', `/api/decisions/${id}/hearings`, { scheduledOn: today(), startsAt: '09:30', place: '市民大厅三楼', selectionMethod: '自愿报名，随机抽取。' }, 'zjj');
  expect([past.status, past.body.error.details[0].code]).toEqual([409, 'HEARING_NOT_IN_ADVANCE']);
  const soon = await p.post(`/api/decisions/${id}/hearings`, { scheduledOn: daysAhead(5), startsAt: '09:30', place: '市民大厅三楼', selectionMethod: '自愿报名，按居民、商户、专家各三名随机抽取。' }, 'zjj');
  expect(soon.hearings[0]).toMatchObject({ id: 'H1', scheduledOn: daysAhead(5), participants: [] });
  const noList = await h.api('POST', `/api/decisions/${id}/hearings/H1/delivered`, { deliveredOn: today() }, 'zjj');
  expect([noList.status, noList.body.error.details[0].code]).toEqual([409, 'HEARING_PARTICIPANTS_NOT_PUBLISHED']);
  await p.post(`/api/decisions/${id}/hearings/H1/participants`, { participants: [{ name: '张三', represents: '居民代表' }, { name: '某商户', represents: '商户代表' }] }, 'zjj');
  const short = await h.api('POST', `/api/decisions/${id}/hearings/H1/delivered`, { deliveredOn: today() }, 'zjj');
  expect([short.status, short.body.error.details[0].code, short.body.error.details[0].article]).toEqual([409, 'HEARING_NOTICE_TOO_SHORT', 'Decree 713 Art. 16']);
  const future = await h.api('POST', `/api/decisions/${id}/hearings/H1/delivered`, { deliveredOn: daysAhead(1) }, 'zjj');
  expect(future.status).toBe(400);
  await p.post(`/api/decisions/${id}/hearings/H1/cancel`, { reasons: '材料无法提前7日送达，改期举行。' }, 'zjj');

  const view = await p.post(`/api/decisions/${id}/hearings`, { scheduledOn: daysAhead(10), startsAt: '14:00', place: '市民大厅三楼', selectionMethod: '自愿报名，随机抽取。', participants: [{ name: '张三', represents: '居民代表' }] }, 'zjj');
  expect(view.hearings[1]).toMatchObject({ id: 'H2', participantsPublishedOn: today() });
  await p.post(`/api/decisions/${id}/hearings/H2/delivered`, { deliveredOn: today() }, 'zjj');
  const early = await fetch(`${h.baseUrl}/api/decisions/${id}/hearings/H2/record`, { method: 'POST', headers: { ...(await h.authHeaders('zjj')), 'x-filename': encodeURIComponent('听证记录.pdf'), 'content-type': 'application/pdf' }, body: '%PDF-1.7 signed' });
  expect([early.status, (await early.json()).error.details[0].code]).toEqual([409, 'HEARING_NOT_HELD']);
  expect(await h.deps.models.PublicHearing.db.collection('portal_files.files').countDocuments({ 'metadata.hearingId': 'H2', 'metadata.decisionId': id })).toBe(0);

  const portal = (await h.api('GET', '/api/portal/hearings', undefined, null)).body.items.filter((x: Json) => x.decisionId === id);
  expect(portal.find((x: Json) => x.hearingId === 'H2')).toMatchObject({ upcoming: true, place: '市民大厅三楼', startsAt: '14:00', selectionMethod: '自愿报名，随机抽取。', participants: [{ name: '张三', represents: '居民代表' }], materialsDeliveredOn: today() });
  expect(portal.find((x: Json) => x.hearingId === 'H1')).toMatchObject({ upcoming: false, cancelled: '材料无法提前7日送达，改期举行。' });
  // The hearing has not been held: public participation cannot complete with it.
  const done = await h.api('POST', `/api/decisions/${id}/steps/public_participation/complete`, sample['public-participation'](), 'zjj');
  expect(done.body.error.details.map((r: Json) => r.code)).toContain('HEARING_RECORD_MISSING');
});

test('Arts. 16-17 in an import: a hearing held, its materials delivered 9 days before, its signed record filed — and the record built from it', async () => {
  const id = (await p.post('/api/decisions', { title: '银川市供热价格调整方案', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy', import: { reason: '系统上线前已举行听证会，按纸质案卷补录。', startedOn: daysAgo(90) } }, 'office', 201)).id;
  const on = (n: number) => `?occurredOn=${daysAgo(n)}`;
  await p.post(`/api/decisions/${id}/steps/initiation/start${on(80)}`, {}, 'office');
  await p.post(`/api/decisions/${id}/steps/initiation/complete${on(80)}`, { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: daysAgo(80) } }, 'office');
  await p.post(`/api/decisions/${id}/drafts${on(75)}`, { title: '方案（草案）', content: '第一条 居民供热价格每平方米调整为……' }, 'zjj', 201);
  await p.post(`/api/decisions/${id}/steps/drafting/start${on(75)}`, {}, 'zjj');
  await p.post(`/api/decisions/${id}/steps/drafting/complete${on(70)}`, sample.drafting(), 'zjj');
  await p.post(`/api/decisions/${id}/steps/public_participation/start${on(60)}`, {}, 'zjj');
  await p.post(`/api/decisions/${id}/hearings${on(50)}`, { scheduledOn: daysAgo(30), startsAt: '09:00', place: '市政府第一会议室', selectionMethod: '社区推荐与随机抽取相结合。', participants: [{ name: '王五', represents: '居民代表' }] }, 'zjj');
  await p.post(`/api/decisions/${id}/hearings/H1/delivered${on(39)}`, { deliveredOn: daysAgo(39) }, 'zjj');
  const pdf = Buffer.from('%PDF-1.7\n听证会记录（经参加人签字）');
  const filed = await fetch(`${h.baseUrl}/api/decisions/${id}/hearings/H1/record${on(29)}`, { method: 'POST', headers: { ...(await h.authHeaders('zjj')), 'x-filename': encodeURIComponent('听证会记录.pdf'), 'content-type': 'application/pdf' }, body: pdf });
  expect(filed.status).toBe(201);
  expect((await filed.json()).hearings[0].signedRecord).toMatchObject({ filename: '听证会记录.pdf', sha256: crypto.createHash('sha256').update(pdf).digest('hex') });
  const record = { ...sample['public-participation'](), otherForms: [], hearings: undefined, adoptionReport: '听证会意见已研究采纳。' };
  const done = await p.post(`/api/decisions/${id}/steps/public_participation/complete${on(25)}`, record, 'zjj');
  const pp = done.records.find((r: Json) => r.kind === 'public-participation' && r.action === 'complete');
  expect(pp.data.hearings).toEqual([{ id: 'H1', hearingDate: daysAgo(30), materialsDeliveredOn: daysAgo(39), participants: ['王五（居民代表）'], selectionMethod: '社区推荐与随机抽取相结合。', recordSignedByParticipants: true }]);
  const dl = await fetch(`${h.baseUrl}/api/decisions/${id}/hearings/H1/record`, { headers: await h.authHeaders('office') });
  expect(Buffer.from(await dl.arrayBuffer()).equals(pdf)).toBe(true);
});

test('Arts. 31-32: a decision reaches the publication page only after the Party committee’s consent, with how opinions were adopted', async () => {
  const id = await p.create({ technical: true }, '银川市城市供水价格调整方案');
  await p.drafted(id, { technical: true }, '第一条 居民生活用水价格调整为每立方米3.2元。');
  await p.throughParallel(id, { technical: true });
  await p.reviewed(id);
  await p.meet(id);
  expect((await h.api('GET', `/api/portal/decisions/${id}`, undefined, null)).status).toBe(404);
  await p.perform(id, 'party_report', sample['party-report']('agreed'));
  expect((await h.api('GET', `/api/portal/decisions/${id}`, undefined, null)).status).toBe(404);
  // What a receipt's page says of the decision, read from its own records.
  expect(await publicationOf(h.deps, id)).toBeNull();
  await p.perform(id, 'publication', sample.publication({ adoptionExplanation: '采纳公众关于分档计价的意见；采纳专家加强管网改造的意见。' }));
  const page = await waitForPublished(id);
  expect(page).toMatchObject({ title: '银川市城市供水价格调整方案', publication: { publishedOn: today(), adoptionExplanation: '采纳公众关于分档计价的意见；采纳专家加强管网改造的意见。' }, text: { content: '第一条 居民生活用水价格调整为每立方米3.2元。' } });
  expect(page.publicAdoption.report).toBe(sample['public-participation']().adoptionReport);
  expect(page.expertAdoption.report).toBe('采纳加强抗震评估的意见。');
  const list = (await h.api('GET', '/api/portal/decisions', undefined, null)).body.items;
  expect(list.map((d: Json) => d.decisionId)).toContain(id);
  expect(await publicationOf(h.deps, id)).toEqual({ decisionId: id, publishedOn: today() });
});

async function waitForPublished(id: string, ms = 20_000): Promise<Json> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await h.api('GET', `/api/portal/decisions/${id}`, undefined, null);
    if (r.status === 200) return r.body;
    if (Date.now() > deadline) throw new Error(`not published: ${r.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

test('group commit: concurrent inserts go out together, and a duplicate key fails only its own insert', async () => {
  const coll = h.deps.models.PortalSlot.collection;
  const ids = Array.from({ length: 60 }, (_, i) => `batch-test:${i % 40}`); // 20 of them twice
  const results = await Promise.allSettled(ids.map((_id) => insertBatched(coll, { _id, window: -1 })));
  const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  expect(failed).toHaveLength(20);
  expect(failed.every((r) => isDuplicateKey(r.reason))).toBe(true);
  expect(await coll.countDocuments({ window: -1 })).toBe(40);
});
