/**
 * A draft version uploaded as a Word document (.docx): its text is the version — what the diff,
 * the comments and the clause scanner read — and the original is kept and downloadable. A file
 * that is not a .docx (an old .doc, a PDF, a declared type its bytes deny) is refused with what to do.
 */
import { apiPaths } from '../support/api-paths';
import { docx } from '../support/docx';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('docx');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PARAGRAPHS = ['银川市民宿经营管理办法（草案）', '第一条 为规范本市民宿经营，制定本办法。', '第二条 违反本办法的，由市文化旅游局处五千元罚款。', '第三条 本办法自发布之日起施行。'];

async function uploadDocx(id: string, bytes: Buffer, o: { as?: string; filename?: string; type?: string; query?: string } = {}) {
  const res = await fetch(`${h.baseUrl}/api/decisions/${id}/drafts/docx${o.query ?? ''}`, {
    method: 'POST',
    headers: { ...(await h.authHeaders(o.as ?? 'zjj')), 'content-type': o.type ?? DOCX, 'x-filename': encodeURIComponent(o.filename ?? '民宿管理办法（送审稿）.docx') },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: await res.json() };
}

async function drafting(): Promise<string> {
  const id = await p.create({}, '银川市民宿经营管理办法');
  await p.perform(id, 'initiation', sample.initiation());
  await p.act(id, 'drafting', 'start');
  return id;
}

test('Art. 12: the department records a draft version from Word; its text is the version, the original is kept', async () => {
  const id = await drafting();
  const bytes = docx(PARAGRAPHS);
  const r = await uploadDocx(id, bytes);
  expect(r.status).toBe(201);
  expect(r.body).toMatchObject({ version: 1, original: { filename: '民宿管理办法（送审稿）.docx', size: bytes.length, contentType: DOCX } });
  expect(r.body.decision.currentDraft).toMatchObject({ version: 1, title: '民宿管理办法（送审稿）' });

  // The version's content is the document's text, one paragraph per line.
  const v1 = (await h.api('GET', `/api/decisions/${id}/drafts/1`, undefined, 'zjj')).body;
  expect(v1.content).toBe(PARAGRAPHS.join('\n'));
  expect(v1.original.fileId).toBe(r.body.original.fileId);
  // The original, byte for byte.
  const download = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments/${v1.original.fileId}`, { headers: await h.authHeaders('lawyer') });
  expect(download.headers.get('content-type')).toBe(DOCX);
  expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  const listed = (await h.api('GET', `/api/decisions/${id}/attachments`, undefined, 'zjj')).body.items;
  expect(listed).toEqual([expect.objectContaining({ id: v1.original.fileId, draftOriginal: true, draftVersion: 1 })]);

  // The scanner reads the Word text, naming the draft's article.
  const scan = (await h.api('GET', `/api/decisions/${id}/drafts/1/scan`, undefined, 'lawyer')).body;
  expect(scan.flags.map((f: { category: string; article: string }) => [f.category, f.article])).toEqual([['penalty', '第二条']]);
  // A comment quotes two of its lines, line end included.
  const quote = `${PARAGRAPHS[1].slice(4)}\n${PARAGRAPHS[2].slice(0, 8)}`;
  expect((await h.api('POST', `/api/decisions/${id}/drafts/1/comments`, { text: '请核实处罚依据。', quote }, 'lawyer')).status).toBe(201);

  // A second version from Word: the diff compares the two texts.
  const r2 = await uploadDocx(id, docx(PARAGRAPHS.map((x) => x.replace('五千元', '三千元'))), { query: '?title=' + encodeURIComponent('办法（修改稿）') });
  expect(r2.status).toBe(201);
  expect(r2.body.decision.currentDraft).toMatchObject({ version: 2, title: '办法（修改稿）' });
  const diff = (await h.api('GET', `/api/decisions/${id}/drafts/1/diff/2`, undefined, 'lawyer')).body.diff;
  expect(diff.segments.filter((s: { op: string }) => s.op !== 'equal')).toEqual([
    { op: 'delete', text: '五' },
    { op: 'insert', text: '三' },
  ]);
});

test('what is not a .docx is refused and says what to do; nothing is left behind', async () => {
  const id = await drafting();
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
  const doc = await uploadDocx(id, ole, { type: 'application/msword', filename: '办法.doc' });
  expect([doc.status, doc.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  expect(doc.body.error.details[0].message).toBe('这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后上传。');
  const pdf = await uploadDocx(id, Buffer.from('%PDF-1.7\n%…'), { type: 'application/pdf', filename: '办法.pdf' });
  expect(pdf.status).toBe(415);
  // Declared as a PDF, but the bytes are a Word document.
  expect((await uploadDocx(id, docx(PARAGRAPHS), { type: 'application/pdf' })).status).toBe(415);
  expect((await uploadDocx(id, docx([]))).body.error.details[0].message).toBe('该 Word 文档中没有可读的文字。');
  // Only the drafting department records drafts.
  expect((await uploadDocx(id, docx(PARAGRAPHS), { as: 'office' })).status).toBe(403);
  expect((await h.api('GET', `/api/decisions/${id}/attachments`, undefined, 'zjj')).body.items).toEqual([]);
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body.drafts).toEqual([]);
  // Each refusal is in the audit trail.
  const refused = (await h.api('GET', `/api/decisions/${id}/audit`, undefined, 'zjj')).body.items.filter((e: { result: string; action: string }) => e.result === 'refused' && e.action === 'draft');
  expect(refused.length).toBeGreaterThanOrEqual(3);
});
