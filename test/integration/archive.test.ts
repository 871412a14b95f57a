/**
 * The archive through the real stack (Decree 713 Art. 33): closing names every piece the file
 * lacks; once complete it closes and produces the archive package, whose manifest lists every
 * record and file with SM3 and SHA-256 hashes that match the bytes in the ZIP; the legality
 * opinion prints as a numbered 合法性审查意见书; a decided matter not archived within the handover
 * period is flagged.
 */
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { importDecided } from '../support/imports';
import { sample, today } from '../support/records';
import { readZip } from '../support/zip';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('archive');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;
const hash = (alg: 'sm3' | 'sha256', b: Buffer) => crypto.createHash(alg).update(b).digest('hex');
const bucket = () => new mongoose.mongo.GridFSBucket(h.deps.models.Archive.db.db!, { bucketName: 'attachments' });

async function download(path: string, as = 'supervisor') {
  const res = await fetch(h.baseUrl + path, { headers: await h.authHeaders(as) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

test('Art. 33: closing names what the file lacks; complete, it closes and its package’s manifest hashes match every file', async () => {
  const id = await p.create();
  await p.drafted(id, {}, '第一条 为推进老旧小区改造，制定本计划。');
  await p.act(id, 'public_participation', 'start');
  const evidence = Buffer.from('座谈会签到表和会议纪要', 'utf8');
  const up = await fetch(`${h.baseUrl}/api/decisions/${id}/attachments?stepId=public_participation`, { method: 'POST', headers: { ...(await h.authHeaders('zjj')), 'content-type': 'text/plain', 'x-filename': encodeURIComponent('座谈会纪要.txt') }, body: evidence });
  expect(up.status).toBe(201);
  const fileId = (await up.json()).id as string;
  await p.act(id, 'public_participation', 'complete', sample['public-participation']());
  await p.reviewed(id);
  await p.meet(id);
  await p.perform(id, 'party_report', sample['party-report']());
  await p.perform(id, 'publication', sample.publication());
  const before = (await h.api('GET', `/api/decisions/${id}/dossier`, undefined, 'office')).body;
  expect([before.complete, before.gaps, before.sealed]).toEqual([true, [], false]);
  const early = await h.api('GET', `/api/decisions/${id}/archive.zip`, undefined, 'supervisor');
  expect([early.status, early.body.error.details[0].code]).toEqual([409, 'NOT_ARCHIVED']);

  // The store loses the first draft's text and the meeting evidence: closing names both.
  const draft = await h.deps.models.Draft.findOne({ decisionId: id }).lean();
  await h.deps.models.Draft.deleteOne({ _id: draft!._id });
  const [meta] = await bucket().find({ _id: new mongoose.mongo.ObjectId(fileId) }).toArray();
  await bucket().delete(meta._id);
  await p.act(id, 'archive', 'start');
  const refused = await h.api('POST', `/api/decisions/${id}/steps/archive/complete`, sample.archive());
  expect([refused.status, refused.body.error.code]).toEqual([409, 'STEP_BLOCKED']);
  expect(refused.body.error.details.map((r: Json) => [r.code, r.class, r.article])).toEqual([
    ['DOSSIER_ITEM_MISSING', 'statutory', 'Decree 713 Art. 33'],
    ['DOSSIER_ITEM_MISSING', 'statutory', 'Decree 713 Art. 33'],
  ]);
  expect(refused.body.error.details.map((r: Json) => r.zh)).toEqual([expect.stringContaining('第1稿草案文本'), expect.stringContaining('附件“座谈会纪要.txt”')]);
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items as Json[];
  expect(audit.filter((e) => e.result === 'refused' && e.stepId === 'archive').map((e) => e.class)).toEqual(['statutory']);

  // Restored, the file closes, and closing produces the package.
  await h.deps.models.Draft.create(draft!);
  await new Promise<void>((resolve, reject) => bucket().openUploadStreamWithId(meta._id, meta.filename, { metadata: meta.metadata }).on('finish', resolve).on('error', reject).end(evidence));
  await p.act(id, 'archive', 'complete', sample.archive());
  const sealed = await h.deps.models.Archive.findById(id).lean();
  expect(sealed?.package).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), sm3: expect.stringMatching(/^[0-9a-f]{64}$/) });

  const { res, bytes } = await download(`/api/decisions/${id}/archive.zip`);
  expect(res.status).toBe(200);
  expect([res.headers.get('x-package-sha256'), res.headers.get('x-package-sm3')]).toEqual([hash('sha256', bytes), hash('sm3', bytes)]);
  expect(hash('sha256', bytes)).toBe(sealed!.package.sha256);
  const entries = await readZip(bytes);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const manifest = JSON.parse(byName.get('manifest.json')!.data.toString('utf8'));
  // Every listed record and file is in the ZIP with exactly the hashes and size the manifest gives, and nothing unlisted is.
  for (const m of manifest.entries as Json[]) {
    const e = byName.get(m.path);
    expect({ path: m.path, size: e?.data.length, sm3: e && hash('sm3', e.data), sha256: e && hash('sha256', e.data) }).toEqual({ path: m.path, size: m.size, sm3: m.sm3, sha256: m.sha256 });
  }
  expect(entries.map((e) => e.name).filter((n) => !['manifest.json', 'SHA256SUMS', 'SM3SUMS'].includes(n)).sort()).toEqual((manifest.entries as Json[]).map((m) => m.path).sort());
  for (const [file, alg] of [['SHA256SUMS', 'sha256'], ['SM3SUMS', 'sm3']] as const)
    for (const line of byName.get(file)!.data.toString('utf8').trim().split('\n')) {
      const [sum, name] = line.split('  ');
      expect([name, hash(alg, byName.get(name)!.data)]).toEqual([name, sum]);
    }
  expect(entries.filter((e) => /[^\x20-\x7e]/.test(e.name)).every((e) => e.utf8)).toBe(true);

  // What is in it: the dossier to print, the draft's text, the evidence, the records, the numbered opinion, the definition.
  const kinds = (manifest.entries as Json[]).map((m) => m.kind);
  expect(new Set(kinds)).toEqual(new Set(['dossier', 'opinion-document', 'record', 'draft', 'opinion', 'file', 'definition']));
  expect(byName.get(`files/${fileId}-座谈会纪要.txt`)!.data.equals(evidence)).toBe(true);
  expect([...byName.keys()].find((n) => n.startsWith('drafts/v1-'))).toBeDefined();
  expect(byName.get('决策案卷.html')!.data.toString('utf8')).toContain('决策案卷</h1>');
  const steps = JSON.parse(byName.get('records/step-records.json')!.data.toString('utf8')) as Json[];
  expect(steps.filter((r) => r.action === 'complete').map((r) => r.kind)).toEqual(expect.arrayContaining(['initiation', 'drafting', 'public-participation', 'legality-review', 'collective-decision', 'party-report', 'publication']));
  expect(manifest.metadata).toMatchObject({
    authenticity: { creator: '银川市人民政府', producer: '银川市住房和城乡建设局', fixity: ['SM3 (GB/T 32905-2016)', 'SHA-256 (FIPS 180-4)'], auditTrail: 'records/audit-trail.json' },
    integrity: { dossierComplete: true, gaps: [], entries: manifest.entries.length },
    usability: { encoding: 'UTF-8', printable: '决策案卷.html' },
    security: { retention: '永久', open: true },
  });
  expect(manifest.archive).toMatchObject({ archiveNumber: 'YC-2026-ZD-017', custodian: '市政府办公室档案室', handover: { overdue: false, handedOverOn: today() } });

  // Kept as produced: a second download is the same bytes.
  expect((await download(`/api/decisions/${id}/archive.zip`, 'office')).bytes.equals(bytes)).toBe(true);

  // The legality opinion as a numbered 意见书; the printable dossier is a page without script.
  const dossier = (await h.api('GET', `/api/decisions/${id}/dossier`, undefined, 'supervisor')).body;
  const year = today().slice(0, 4);
  expect(dossier.legalityOpinions).toEqual([expect.objectContaining({ number: `〔${year}〕第1号` })]);
  const opinion = await download(dossier.legalityOpinions[0].url);
  const text = opinion.bytes.toString('utf8');
  expect(text).toContain('<h1>合法性审查意见书</h1>');
  expect(text).toContain(`银川市司法局〔${year}〕第1号`);
  expect(text).toContain('草案未发现违法情形。');
  const page = await download(`/api/decisions/${id}/dossier.html`);
  expect(page.res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
  expect(page.bytes.toString('utf8')).not.toContain('<script');
});

test('a decided matter not handed to the archive within the period is flagged; legality opinions are numbered once, in order, per agency and year', async () => {
  const late = await importDecided(h, p, 40, '银川市城市道路桥梁养护管理办法');
  const recent = await importDecided(h, p, 5, '银川市户外广告设施设置管理办法');
  const { days, items } = (await h.api('GET', '/api/archive/handovers?agency=银川', undefined, 'supervisor')).body;
  expect(days).toBe(30);
  const of = (id: string) => items.find((i: Json) => i.decisionId === id);
  expect(of(late)).toMatchObject({ overdue: true, handedOverOn: null });
  expect(of(late).dueOn > of(late).decidedOn).toBe(true);
  expect(of(recent)).toMatchObject({ overdue: false });
  expect(items[0].decisionId).toBe(late);
  expect((await h.api('GET', '/api/archive/handovers', undefined, 'szsjt')).body.items).toEqual([]);

  // Numbered when given, once: reading the dossier again assigns nothing new.
  const numbers = async (id: string) => (await h.api('GET', `/api/decisions/${id}/dossier`, undefined, 'office')).body.legalityOpinions.map((o: Json) => o.number);
  const first = [...(await numbers(late)), ...(await numbers(recent))];
  expect([...(await numbers(late)), ...(await numbers(recent))]).toEqual(first);
  expect(new Set(first).size).toBe(2);
});
