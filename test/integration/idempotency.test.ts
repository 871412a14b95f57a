/**
 * Idempotent acts on the real stack: an act sent again with the same Idempotency-Key — after a
 * lost answer, or twice at once — is performed once and answered with its first answer.
 */
import http from 'node:http';
import { apiPaths } from '../support/api-paths';
import { eventually } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let paths: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('idempotency');
  paths = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read loosely
type Answer = { status: number; body: any; replayed: boolean };

async function post(path: string, body: unknown, as: string, key?: string): Promise<Answer> {
  const res = await fetch(h.baseUrl + path, {
    method: 'POST',
    headers: { ...(await h.authHeaders(as)), 'content-type': 'application/json', ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed') === 'true' };
}

/**
 * Send a request whose answer never reaches the client: the connection drops as the answer starts
 * to arrive, before a byte of it is read (a proxy timing out, a laptop closing). Resolves then.
 */
async function lostAnswer(path: string, body: unknown, as: string, key: string): Promise<void> {
  const url = new URL(h.baseUrl + path);
  const payload = JSON.stringify(body);
  const headers = { ...(await h.authHeaders(as)), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), 'idempotency-key': key };
  await new Promise<void>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, () => {
      req.destroy();
      resolve();
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const audit = async (id: string) => (await h.api('GET', `/api/decisions/${id}/audit`, undefined, 'zjj')).body.items as Array<{ action: string; stepId?: string; result: string; actor: string }>;

test('a step action retried after its answer was lost acts once: one audit event, the first answer again', async () => {
  const id = await paths.create();
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一稿');
  await paths.act(id, 'drafting', 'start');
  const path = `/api/decisions/${id}/steps/drafting/complete`;
  await lostAnswer(path, sample.drafting(), 'zjj', 'complete-drafting-1');
  // The client retries the same act under the same key and gets the first answer.
  const retry = await post(path, sample.drafting(), 'zjj', 'complete-drafting-1');
  expect(retry.status).toBe(200);
  expect(retry.replayed).toBe(true);
  expect(retry.body.elements.drafting.status).toBe('completed');
  const again = await post(path, sample.drafting(), 'zjj', 'complete-drafting-1');
  expect(again).toEqual(retry);
  const events = await eventually(
    () => audit(id),
    (items) => items.some((e) => e.action === 'complete' && e.stepId === 'drafting'),
  );
  expect(events.filter((e) => e.stepId === 'drafting' && e.action === 'complete')).toHaveLength(1);
  // Not even a "step already done" refusal: the retry never reached the workflow.
  expect(events.filter((e) => e.result === 'refused')).toEqual([]);

});

test('a retry sent while the first is still at work waits for it and gets its answer', async () => {
  const id = await paths.create();
  const path = `/api/decisions/${id}/steps/initiation/complete`;
  await paths.act(id, 'initiation', 'start');
  const first = post(path, sample.initiation(), 'office', 'initiation-1');
  const retry = post(path, sample.initiation(), 'office', 'initiation-1');
  const [a, b] = await Promise.all([first, retry]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(a.body).toEqual(b.body);
  const events = await eventually(
    () => audit(id),
    (items) => items.some((e) => e.action === 'complete' && e.stepId === 'initiation'),
  );
  expect(events.filter((e) => e.stepId === 'initiation' && e.action === 'complete')).toHaveLength(1);
  expect(events.filter((e) => e.result === 'refused')).toEqual([]);
});

test('a comment submitted twice at once is one comment; both answers are the same', async () => {
  const id = await paths.create();
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一条 为改造老旧小区，制定本计划。');
  const path = `/api/decisions/${id}/drafts/1/comments`;
  const body = { text: '建议补充改造资金来源。' };
  const [a, b] = await Promise.all([post(path, body, 'lawyer', 'comment-click-1'), post(path, body, 'lawyer', 'comment-click-1')]);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(a.body).toEqual(b.body);
  expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
  const comments = (await h.api('GET', path, undefined, 'lawyer')).body.items;
  expect(comments.map((c: { text: string }) => c.text)).toEqual([body.text]);
  expect((await audit(id)).filter((e) => e.action === 'comment')).toHaveLength(1);

  // The key is the person's: someone else's request under the same key is their own act.
  const other = await post(path, body, 'sfj', 'comment-click-1');
  expect([other.status, other.replayed]).toEqual([201, false]);
  expect((await h.api('GET', path, undefined, 'lawyer')).body.items).toHaveLength(2);
});

test('the same key with another request is 422; a malformed key is 400; a refusal is replayed, not recorded again', async () => {
  const id = await paths.create();
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一稿');
  const path = `/api/decisions/${id}/drafts/1/comments`;
  expect((await post(path, { text: '第一条意见。' }, 'zjj', 'k-1')).status).toBe(201);
  const mismatch = await post(path, { text: '另一条意见。' }, 'zjj', 'k-1');
  expect([mismatch.status, mismatch.body.error.code, mismatch.body.error.details[0].path]).toEqual([422, 'IDEMPOTENCY_MISMATCH', 'header.idempotency-key']);
  const elsewhere = await post(`/api/decisions/${id}/drafts`, { title: '草案', content: '第二稿' }, 'zjj', 'k-1');
  expect(elsewhere.status).toBe(422);
  for (const key of ['x'.repeat(101), 'has space', 'caf\u00e9']) {
    const r = await post(path, { text: '意见。' }, 'zjj', key);
    expect({ key, status: r.status, path: r.body.error?.details?.[0]?.path }).toEqual({ key, status: 400, path: 'header.idempotency-key' });
  }
  // A step out of order is refused once (and recorded once); the retry gets the same refusal back.
  const early = `/api/decisions/${id}/steps/legality_review/start`;
  const first = await post(early, {}, 'sfj', 'early-review');
  const second = await post(early, {}, 'sfj', 'early-review');
  expect(first.status).toBe(409);
  expect([second.status, second.replayed, second.body]).toEqual([409, true, first.body]);
  expect((await audit(id)).filter((e) => e.stepId === 'legality_review' && e.result === 'refused')).toHaveLength(1);
});

test('an upload retried under its key stores one file', async () => {
  const id = await paths.create();
  await paths.perform(id, 'initiation', sample.initiation());
  await paths.draft(id, '第一稿');
  const send = async () => {
    const res = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments`, {
      method: 'POST',
      headers: { ...(await h.authHeaders('zjj')), 'x-filename': encodeURIComponent('说明.txt'), 'content-type': 'text/plain', 'idempotency-key': 'upload-1' },
      body: '起草说明',
    });
    return { status: res.status, body: await res.json() };
  };
  const [a, b] = await Promise.all([send(), send()]);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(a.body.id).toBe(b.body.id);
  expect((await h.api('GET', `/api/decisions/${id}/attachments`, undefined, 'zjj')).body.items).toHaveLength(1);
});
