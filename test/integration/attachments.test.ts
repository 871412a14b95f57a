/** Attachments: uploaded to the store (GridFS on FerretDB here) and tied to the draft version they concern. */
import crypto from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';
import { storedZip } from '../support/zip';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('attachments');
});
afterAll(async () => {
  await h?.close();
});

/** The drafting department's clerk uploads; the audit trail names them. */
const CLERK = '张明 (zjj)';
const NAME = '银川市老旧小区改造方案（附件一）.png';
/** A PNG by its signature, then bytes 0..255 over and over: every byte value, and more than one 255 KiB GridFS chunk. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BINARY = Buffer.concat([PNG_SIGNATURE, Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => i % 256))]);

/** A minimal zip holding these names: enough for the type sniffer, which reads the directory. */
const zipOf = (names: string[]) => storedZip(names.map((n) => [n, '<x/>']));

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function create(title = '银川市老旧小区改造实施方案') {
  const r = await h.api('POST', '/api/decisions', { title, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy' });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  if (r.status !== 200) throw new Error(`${action} ${step}: ${r.status} ${JSON.stringify(r.body)}`);
}

async function addDraft(id: string, content: string) {
  const r = await h.api('POST', `/api/decisions/${id}/drafts`, { title: '实施方案（草案）', content });
  expect(r.status).toBe(201);
  return r.body as { version: number; hash: string };
}

/** A decision past initiation, so drafts may be recorded; with `drafts` draft versions. */
async function decisionWithDrafts(drafts = 1) {
  const id = await create();
  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  const versions = [];
  for (let i = 1; i <= drafts; i++) versions.push(await addDraft(id, `第${i}稿：改造范围为2000年前建成的小区。`));
  return { id, versions };
}

interface UploadOptions {
  /** The raw X-Filename header; null leaves it out. Default: NAME, URI-encoded. */
  filenameHeader?: string | null;
  query?: string;
  contentType?: string;
  as?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely
async function upload(id: string, bytes: Buffer, o: UploadOptions = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = await h.authHeaders(o.as ?? 'zjj');
  const filenameHeader = o.filenameHeader === undefined ? encodeURIComponent(NAME) : o.filenameHeader;
  if (filenameHeader !== null) headers['x-filename'] = filenameHeader;
  if (o.contentType) headers['content-type'] = o.contentType;
  const res = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments${o.query ? `?${o.query}` : ''}`, { method: 'POST', headers, body: new Uint8Array(bytes) });
  return { status: res.status, body: await res.json() };
}

async function download(id: string, fileId: string) {
  const res = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments/${fileId}`, { headers: await h.authHeaders('zjj') });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The file name a client reads from Content-Disposition's RFC 5987 `filename*`. */
function dispositionName(header: string | null): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(header ?? '');
  if (!m) throw new Error(`no filename* in ${header}`);
  // RFC 5987 value-chars: attr-chars and %XX only (no quotes, parentheses, spaces or raw UTF-8).
  expect(m[1]).toMatch(/^(?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-F]{2})+$/);
  return decodeURIComponent(m[1]);
}

test('a binary file with a Chinese name is stored, listed and downloaded byte for byte, tied to the current draft', async () => {
  const { id, versions } = await decisionWithDrafts(1);
  // Declared as nothing in particular: its bytes say PNG, and that is what is kept.
  const up = await upload(id, BINARY, { query: 'stepId=drafting', contentType: 'application/octet-stream' });
  expect(up.status).toBe(201);
  expect(up.body).toMatchObject({
    filename: NAME,
    size: BINARY.length,
    sha256: sha256(BINARY),
    contentType: 'image/png',
    draftVersion: 1,
    draftHash: versions[0].hash,
    stepId: 'drafting',
    uploadedBy: CLERK,
  });
  expect(up.body.id).toMatch(/^[0-9a-f]{24}$/);
  expect(Math.abs(Date.parse(up.body.uploadedAt) - Date.now())).toBeLessThan(60_000);

  const list = await h.api('GET', `/api/decisions/${id}/attachments`);
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual([up.body]);

  const dl = await download(id, up.body.id);
  expect(dl.status).toBe(200);
  expect(dl.bytes.length).toBe(BINARY.length);
  expect(dl.bytes.equals(BINARY)).toBe(true);
  expect(dl.headers.get('content-type')).toBe('image/png');
  expect(dl.headers.get('content-disposition')).toMatch(/^attachment; /);
  expect(dispositionName(dl.headers.get('content-disposition'))).toBe(NAME);
  expect(dl.headers.get('x-content-type-options')).toBe('nosniff');

  // The store holds it as ordinary GridFS collections, with the metadata the issue asks for.
  const db = h.deps.store.db!;
  const doc = await db.collection('attachments.files').findOne({ filename: NAME });
  expect(doc?.metadata).toEqual({ decisionId: id, draftVersion: 1, draftHash: versions[0].hash, stepId: 'drafting', uploadedBy: CLERK, sha256: sha256(BINARY), contentType: 'image/png' });
  expect(await db.collection('attachments.chunks').countDocuments({ files_id: doc!._id })).toBe(2);
});

test('a text file that looks like JSON is kept as raw bytes, never parsed, with its content type', async () => {
  const { id } = await decisionWithDrafts(1);
  const json = Buffer.from('{ "意见" : "同意",\n  "n": 1 }\n', 'utf8');
  const up = await upload(id, json, { filenameHeader: encodeURIComponent('专家意见.txt'), contentType: 'text/plain' });
  expect(up.status).toBe(201);
  expect(up.body.contentType).toBe('text/plain');
  const dl = await download(id, up.body.id);
  expect(dl.bytes.equals(json)).toBe(true);
  expect(dl.headers.get('content-type')).toBe('text/plain');
  // JSON is not among the dossier's file types.
  const asJson = await upload(id, json, { filenameHeader: encodeURIComponent('专家意见.json'), contentType: 'application/json' });
  expect([asJson.status, asJson.body.error.code, asJson.body.error.details[0].path]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', 'header.content-type']);

  const text = Buffer.from('征求意见汇总', 'utf8');
  const t = await upload(id, text, { filenameHeader: encodeURIComponent("O'Brien (意见) *.txt"), contentType: 'text/plain; charset=utf-8' });
  expect(t.status).toBe(201);
  const dt = await download(id, t.body.id);
  expect(dt.bytes.equals(text)).toBe(true);
  expect(dt.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(dispositionName(dt.headers.get('content-disposition'))).toBe("O'Brien (意见) *.txt");
});

test('a draft version that does not exist is a 400 naming query.draftVersion, stores nothing, and is audited as refused', async () => {
  const { id } = await decisionWithDrafts(1);
  const r = await upload(id, BINARY, { query: 'draftVersion=7' });
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('VALIDATION_FAILED');
  expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.draftVersion']);
  const bad = await upload(id, BINARY, { query: 'draftVersion=abc' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.draftVersion']);
  const step = await upload(id, BINARY, { query: 'stepId=no_such_step' });
  expect(step.status).toBe(400);
  expect(step.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.stepId']);

  expect((await h.api('GET', `/api/decisions/${id}/attachments`)).body.items).toEqual([]);
  const audit = await h.api('GET', `/api/decisions/${id}/audit`);
  const refused = audit.body.items.filter((e: { action: string; result: string }) => e.action === 'attachment' && e.result === 'refused');
  expect(refused.map((e: { summary: string }) => e.summary)).toEqual([`Decision ${id} has no draft version 7.`, `Decision ${id} has no step no_such_step.`]);
  expect(refused.every((e: { actor: string }) => e.actor === CLERK)).toBe(true);
});

test('with no draft yet and no version given, the upload is a 400 saying there is nothing to attach to', async () => {
  const id = await create();
  const r = await upload(id, BINARY);
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('VALIDATION_FAILED');
  expect(r.body.error.message).toMatch(/no draft version to attach/);
  expect((await h.api('GET', `/api/decisions/${id}/attachments`)).body.items).toEqual([]);
});

test('an unknown decision is a 404, and a file is only served under its own decision', async () => {
  expect((await upload('D20990101-deadbeef', BINARY)).status).toBe(404);
  expect((await upload('D20990101-deadbeef', BINARY)).body.error.code).toBe('NOT_FOUND');
  expect((await h.api('GET', '/api/decisions/D20990101-deadbeef/attachments')).status).toBe(404);

  const { id } = await decisionWithDrafts(1);
  const other = await create('另一事项');
  const up = await upload(id, BINARY);
  expect(up.status).toBe(201);
  expect((await download(id, up.body.id)).status).toBe(200);
  expect((await download(other, up.body.id)).status).toBe(404);
  expect((await download(id, '0123456789abcdef01234567')).status).toBe(404);
  expect((await download(id, 'not-an-id')).status).toBe(400);
});

test('files up to 20 MB are accepted whole; a larger body is a 413', async () => {
  const { id } = await decisionWithDrafts(1);
  const head = Buffer.from('%PDF-1.7\n');
  const big = Buffer.concat([head, crypto.randomBytes(20 * 1024 * 1024 - head.length)]);
  const up = await upload(id, big, { filenameHeader: encodeURIComponent('征求意见稿扫描件.pdf'), contentType: 'application/pdf' });
  expect(up.status).toBe(201);
  expect(up.body).toMatchObject({ size: big.length, sha256: sha256(big), contentType: 'application/pdf' });
  const dl = await download(id, up.body.id);
  expect(dl.bytes.equals(big)).toBe(true);
  const over = await upload(id, Buffer.concat([big, Buffer.from([0])]), { filenameHeader: encodeURIComponent('过大.pdf') });
  expect([over.status, over.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  expect(over.body.error.message).toMatch(/too large/);
  expect((await h.api('GET', `/api/decisions/${id}/attachments`)).body.items).toHaveLength(1);
});

test('the file name is required and must be a bare name; an empty body is refused', async () => {
  const { id } = await decisionWithDrafts(1);
  const missing = await upload(id, BINARY, { filenameHeader: null });
  expect(missing.status).toBe(400);
  expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['header.x-filename']);
  // Path separators, controls (C0 and C1), bidirectional overrides that disguise an extension.
  const disguised = ['报告\u202Efdp.exe', 'a\u2066b\u2069.pdf', 'x\u200F.png', 'a\u0085b.txt', 'a\u0007.txt'];
  for (const name of [encodeURIComponent('../etc/passwd'), encodeURIComponent('a\\b.txt'), '', encodeURIComponent('长'.repeat(201)), '%E4%B8', ...disguised.map(encodeURIComponent)]) {
    const r = await upload(id, BINARY, { filenameHeader: name });
    expect({ name, status: r.status, path: r.body.error?.details?.[0]?.path }).toEqual({ name, status: 400, path: 'header.x-filename' });
  }
  expect((await upload(id, BINARY, { filenameHeader: encodeURIComponent('长'.repeat(200)) })).status).toBe(201);
  const empty = await upload(id, Buffer.alloc(0));
  expect(empty.status).toBe(400);
  expect(empty.body.error.details.map((d: { path: string }) => d.path)).toEqual(['(body)']);
  expect((await h.api('GET', `/api/decisions/${id}/attachments`)).body.items).toHaveLength(1);
});

test('the audit trail shows the attachment with its file and draft version, and the decision holds it by hash', async () => {
  const { id } = await decisionWithDrafts(1);
  const up = await upload(id, BINARY, { query: 'draftVersion=1' });
  expect(up.status).toBe(201);
  // The decision's workflow registered the file: its audit event is the workflow's own, in sequence.
  const audit = await h.api('GET', `/api/decisions/${id}/audit`);
  const events = audit.body.items.filter((e: { action: string }) => e.action === 'attachment');
  expect(events).toHaveLength(1);
  const ev = events[0];
  expect(ev).toMatchObject({ decisionId: id, actor: CLERK, result: 'accepted' });
  expect(ev.summary).toContain(NAME);
  expect(ev.summary).toContain('draft version 1');
  expect(ev.summary).toContain(sha256(BINARY).slice(0, 12));
  expect(Math.abs(Date.parse(ev.at) - Date.parse(up.body.uploadedAt))).toBeLessThan(60_000);
  // The timeline names the act in both languages, accepted or refused alike.
  const { values } = (await h.api('GET', '/api/statute/catalogue')).body;
  expect(values.attachment).toEqual({ zh: '上传附件', en: 'Attachment' });
  const view = (await h.api('GET', `/api/decisions/${id}`)).body;
  expect(view.materials).toEqual([expect.objectContaining({ id: up.body.id, sha256: sha256(BINARY), filename: NAME, size: BINARY.length, draftVersion: 1, stepId: null, by: CLERK })]);
});

test('draft material only while drafting is open, step evidence only on an open step: a refusal is a 409, audited, and stores nothing', async () => {
  const { id } = await decisionWithDrafts(1);
  // Evidence of an open step (public participation waits for drafting; drafting is open).
  expect((await upload(id, Buffer.from('起草说明'), { filenameHeader: encodeURIComponent('起草说明.txt'), query: 'stepId=drafting' })).status).toBe(201);
  await act(id, 'drafting', 'start');
  await act(id, 'drafting', 'complete', sample.drafting());

  const late = await upload(id, BINARY, { filenameHeader: encodeURIComponent('补充材料.bin') });
  expect([late.status, late.body.error.code]).toEqual([409, 'DRAFT_LOCKED']);
  const closed = await upload(id, BINARY, { filenameHeader: encodeURIComponent('启动决定.bin'), query: 'stepId=initiation' });
  expect([closed.status, closed.body.error.code, closed.body.error.details[0].code]).toEqual([409, 'STEP_BLOCKED', 'EVIDENCE_STEP_CLOSED']);
  expect(closed.body.error.details[0].zh).toContain('已办结');
  // Evidence of the step now open is still taken.
  const evidence = await upload(id, Buffer.from('座谈会纪要'), { filenameHeader: encodeURIComponent('座谈会纪要.txt'), query: 'stepId=public_participation' });
  expect(evidence.status).toBe(201);
  expect(evidence.body).toMatchObject({ stepId: 'public_participation', draftVersion: 1 });

  const files = (await h.api('GET', `/api/decisions/${id}/attachments`)).body.items.map((a: { filename: string }) => a.filename);
  expect(files).toEqual(['座谈会纪要.txt', '起草说明.txt']);
  expect(await h.deps.store.db!.collection('attachments.files').countDocuments({ 'metadata.decisionId': id })).toBe(2);
  const view = (await h.api('GET', `/api/decisions/${id}`)).body;
  expect(view.materials.map((m: { filename: string; stepId: string }) => [m.filename, m.stepId])).toEqual([
    ['起草说明.txt', 'drafting'],
    ['座谈会纪要.txt', 'public_participation'],
  ]);
  const refused = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items.filter((e: { action: string; result: string }) => e.action === 'attachment' && e.result === 'refused');
  expect(refused.map((e: { code: string; class: string; stepId?: string }) => [e.code, e.class, e.stepId ?? null])).toEqual([
    ['DRAFT_LOCKED', 'statutory', null],
    ['STEP_BLOCKED', 'state', 'initiation'],
  ]);
});

test('after a second draft version, uploads default to it; lists are newest first and filter by version', async () => {
  const { id, versions } = await decisionWithDrafts(1);
  const first = await upload(id, BINARY, { filenameHeader: encodeURIComponent('一稿附件.bin') });
  expect(first.body.draftVersion).toBe(1);
  const v2 = await addDraft(id, '第二稿：改造范围扩大到2005年前建成的小区。');
  expect(v2.version).toBe(2);
  const second = await upload(id, Buffer.from('二稿说明'), { filenameHeader: encodeURIComponent('二稿附件.txt') });
  expect(second.status).toBe(201);
  expect(second.body).toMatchObject({ draftVersion: 2, draftHash: v2.hash, filename: '二稿附件.txt' });
  expect(second.body.draftHash).not.toBe(versions[0].hash);
  // A file is tied to the current draft: an earlier version is refused, naming the parameter, and nothing is stored.
  const late = await upload(id, Buffer.from('补充'), { filenameHeader: encodeURIComponent('一稿补充.txt'), query: 'draftVersion=1' });
  expect([late.status, late.body.error.details.map((d: { path: string }) => d.path)]).toEqual([400, ['query.draftVersion']]);
  const third = await upload(id, Buffer.from('二稿补充'), { filenameHeader: encodeURIComponent('二稿补充.txt'), query: 'draftVersion=2' });
  expect(third.body).toMatchObject({ draftVersion: 2, draftHash: v2.hash });

  const all = await h.api('GET', `/api/decisions/${id}/attachments`);
  expect(all.body.items.map((a: { filename: string }) => a.filename)).toEqual(['二稿补充.txt', '二稿附件.txt', '一稿附件.bin']);
  const v1 = await h.api('GET', `/api/decisions/${id}/attachments?draftVersion=1`);
  expect(v1.body.items.map((a: { filename: string }) => a.filename)).toEqual(['一稿附件.bin']);
  const only2 = await h.api('GET', `/api/decisions/${id}/attachments?draftVersion=2`);
  expect(only2.body.items.map((a: { id: string }) => a.id)).toEqual([third.body.id, second.body.id]);
});

test('the type is read from the bytes: Office files and OFD by their zip directory; a type that disagrees, or one the dossier does not take, is 415', async () => {
  const { id } = await decisionWithDrafts(1);
  const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const docx = zipOf(['[Content_Types].xml', 'word/document.xml']);
  const xlsx = zipOf(['[Content_Types].xml', 'xl/workbook.xml']);
  const ofd = zipOf(['OFD.xml', 'Doc_0/Document.xml']);
  const accepted: Array<[string, Buffer, string | undefined, string]> = [
    ['说明.docx', docx, DOCX, DOCX],
    ['测算表.xlsx', xlsx, undefined, XLSX],
    ['批复.ofd', ofd, 'application/octet-stream', 'application/ofd'],
    ['旧稿.doc', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), 'application/msword', 'application/msword'],
    ['现场.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]), 'image/jpeg', 'image/jpeg'],
    ['扫描件.pdf', Buffer.from('%PDF-1.4\n%…'), 'application/pdf', 'application/pdf'],
  ];
  for (const [name, bytes, declared, stored] of accepted) {
    const r = await upload(id, bytes, { filenameHeader: encodeURIComponent(name), contentType: declared });
    expect({ name, status: r.status, contentType: r.body.contentType }).toEqual({ name, status: 201, contentType: stored });
  }
  const refused: Array<[string, Buffer, string | undefined]> = [
    // A program dressed as a PDF, a PDF declared as an image, a plain zip, raw bytes with no declaration.
    ['报告.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256)]), 'application/pdf'],
    ['照片.png', Buffer.from('%PDF-1.4\n'), 'image/png'],
    ['打包.zip', zipOf(['a.txt']), 'application/zip'],
    ['数据.bin', Buffer.from([0, 1, 2, 3, 255, 254]), undefined],
    ['说明.docx', xlsx, DOCX],
  ];
  for (const [name, bytes, declared] of refused) {
    const r = await upload(id, bytes, { filenameHeader: encodeURIComponent(name), contentType: declared });
    expect({ name, status: r.status, code: r.body.error?.code, path: r.body.error?.details?.[0]?.path }).toEqual({ name, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', path: 'header.content-type' });
  }
  const files = (await h.api('GET', `/api/decisions/${id}/attachments`)).body.items;
  expect(files).toHaveLength(accepted.length);
});

test('the attachment routes are in the OpenAPI document', async () => {
  const r = await h.api('GET', '/api/openapi.json');
  const post = r.body.paths['/api/decisions/{id}/attachments'].post;
  expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'draftVersion', 'stepId', 'occurredOn', 'Idempotency-Key']);
  expect(post.responses['409']).toBeDefined();
  expect(post.responses['413']).toBeDefined();
  expect(post.responses['415']).toBeDefined();
  expect(r.body.paths['/api/decisions/{id}/attachments/{fileId}'].get.responses['404']).toBeDefined();
});
