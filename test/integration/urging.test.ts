/**
 * 督办 through the real stack: a supervisor urges the unit responsible for an overdue or irregular
 * decision; the notice is recorded (audit trail and its own collection) and reaches the unit's
 * inbox; the unit answers in the workspace with a file; open and answered urgings are counted per
 * agency. "Overdue" must be true of the record: otherwise the urging is refused and recorded.
 */
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { importDecided } from '../support/imports';
import { daysAgo } from '../support/records';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('urging');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;
const inFuture = (n: number) => daysAgo(-n);

test('a supervisor urges the drafting unit on an irregular decision; the unit is told and answers with a file, once', async () => {
  const id = await p.create();
  await p.drafted(id);
  const urging = {
    kind: 'irregular',
    stepId: 'public_participation',
    reason: '草案公开征求意见未说明起止时间和反馈渠道',
    expected: '补充公开征求意见的起止时间、反馈渠道，并报送情况说明',
    replyBy: inFuture(5),
  };
  // Only supervisors urge; a department cannot, and the attempt is in the audit trail.
  expect((await h.api('POST', `/api/decisions/${id}/urgings`, urging, 'zjj')).status).toBe(403);
  const past = await h.api('POST', `/api/decisions/${id}/urgings`, { ...urging, replyBy: daysAgo(1) }, 'supervisor');
  expect([past.status, past.body.error.details[0].path]).toEqual([400, 'body.replyBy']);
  const sent = await p.post(`/api/decisions/${id}/urgings`, urging, 'supervisor', 201);
  expect(sent).toMatchObject({ status: 'open', responsibleRole: 'department', responsibleUnit: '银川市住房和城乡建设局', sentByName: '周督察', replyOverdue: false, answer: null });

  // The drafting unit hears of it; the office, which is not addressed, does not.
  const inbox = (await h.api('GET', '/api/notifications', undefined, 'zjj')).body.items as Json[];
  expect(inbox.find((n) => n.kind === 'urging')).toMatchObject({ decisionId: id, message: { zh: expect.stringContaining('补充公开征求意见的起止时间') } });
  expect(((await h.api('GET', '/api/notifications', undefined, 'office')).body.items as Json[]).filter((n) => n.kind === 'urging')).toEqual([]);

  // Only the unit addressed answers: the office may not answer for it.
  const answer = { text: '已在市政府网站补充公布征求意见起止时间（30日）和电子邮箱、信函两种反馈渠道。' };
  expect((await h.api('POST', `/api/decisions/${id}/urgings/${sent.id}/answer`, answer, 'office')).status).toBe(403);
  const upload = await fetch(`${h.baseUrl}/api/decisions/${id}/urgings/${sent.id}/attachment`, {
    method: 'POST',
    headers: { ...(await h.authHeaders('zjj')), 'content-type': 'text/plain', 'x-filename': encodeURIComponent('情况说明.txt') },
    body: '关于补充公开征求意见信息的情况说明',
  });
  expect(upload.status).toBe(201);
  const file = await upload.json();
  const answered = await p.post(`/api/decisions/${id}/urgings/${sent.id}/answer`, { ...answer, attachmentId: file.id }, 'zjj');
  expect(answered).toMatchObject({ status: 'answered', answer: { text: answer.text, attachmentId: file.id, filename: '情况说明.txt', by: '张明 (zjj)' } });
  const twice = await h.api('POST', `/api/decisions/${id}/urgings/${sent.id}/answer`, answer, 'zjj');
  expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_EXISTS']);
  // The answer's file is the decision's, downloadable by its readers.
  const dl = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments/${file.id}`, { headers: await h.authHeaders('supervisor') });
  expect(await dl.text()).toBe('关于补充公开征求意见信息的情况说明');

  // The supervisor is told; the decision shows it; the audit trail keeps both acts and the refusals.
  expect(((await h.api('GET', '/api/notifications', undefined, 'supervisor')).body.items as Json[]).some((n) => n.kind === 'urging-answered' && n.decisionId === id)).toBe(true);
  expect((await h.api('GET', `/api/decisions/${id}/urgings`, undefined, 'zjj')).body.items).toEqual([expect.objectContaining({ id: sent.id, status: 'answered', canAnswer: false })]);
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items as Json[];
  expect(audit.filter((e) => e.action.startsWith('urging') || e.action.includes('urgings')).map((e) => [e.action, e.result, e.class ?? null])).toEqual([
    ['POST /api/decisions/:id/urgings', 'refused', 'authorization'],
    ['urging', 'accepted', null],
    ['urging-answer', 'refused', 'authorization'],
    ['urging-answer', 'accepted', null],
    ['urging-answer', 'refused', 'state'],
  ]);
});

test('"overdue" is urged only when the record is late — here a decided matter whose file was not handed to the archive in time', async () => {
  const fresh = await p.create();
  const notLate = await h.api('POST', `/api/decisions/${fresh}/urgings`, { kind: 'overdue', reason: '决策事项办理超期', expected: '尽快办理超期环节', replyBy: inFuture(3) }, 'supervisor');
  expect([notLate.status, notLate.body.error.details[0].code]).toEqual([409, 'NOT_OVERDUE']);
  expect(((await h.api('GET', `/api/decisions/${fresh}/audit`)).body.items as Json[]).filter((e) => e.action === 'urging').map((e) => e.result)).toEqual(['refused']);

  // Decided 40 days ago, its file still not archived: late against the 30-day handover.
  const late = await importDecided(h, p, 40);
  const sent = await p.post(`/api/decisions/${late}/urgings`, { kind: 'overdue', responsibleRole: 'secretariat', reason: '决策作出已逾30日，材料尚未归档', expected: '完成材料归档并移交档案室', replyBy: inFuture(3) }, 'supervisor', 201);
  expect(sent).toMatchObject({ responsibleRole: 'secretariat', responsibleUnit: '银川市人民政府办公室' });
  expect(((await h.api('GET', '/api/notifications', undefined, 'office')).body.items as Json[]).some((n) => n.kind === 'urging' && n.decisionId === late)).toBe(true);

  // Per agency, for the dashboard: open and answered, and partial agency names match.
  const listed = (await h.api('GET', '/api/urgings?agency=银川', undefined, 'supervisor')).body;
  expect(listed.counts['银川市人民政府']).toEqual({ open: 1, answered: 1, replyOverdue: 0 });
  expect(listed.items.map((u: Json) => u.decisionId)).toContain(late);
  expect((await h.api('GET', '/api/urgings?status=open', undefined, 'office')).body.items.map((u: Json) => u.id)).toEqual([sent.id]);
  expect((await h.api('GET', '/api/urgings', undefined, 'szsjt')).body.items).toEqual([]);
});
