/**
 * The archive package of a closed decision (Decree 713 Art. 33): one ZIP holding every record
 * and file of its dossier, a manifest listing each with its SM3 (GB/T 32905, what China's
 * electronic-archive and commercial-cryptography rules expect) and SHA-256 hash and the metadata
 * 《电子档案管理办法》(2024) asks for to keep a record authentic, complete, usable and secure
 * (四性), checksum lists a verifier can run (`sha256sum -c SHA256SUMS`, `gmssl sm3`), and the
 * printable 决策案卷.
 *
 * The same dossier always packs to the same bytes (entries in a fixed order, dated at sealing):
 * the package's own hashes are recorded the first time it is built, and every later build is
 * checked against them.
 */
import crypto from 'node:crypto';
import yazl from 'yazl';
import { GROUNDS, type GroundCode } from '../definitions/statute';
import { handoverOf } from '../activities/archive-handover';
import type { Dossier } from './dossier';
import { dossierGaps } from './dossier';
import { dossierHtml, legalityOpinionHtml, type TocEntry } from './dossier-print';
import type { AppDeps } from './route-kit';
import { streamToBuffer } from './xlsx';

export const PACKAGE_FORMAT = 'juece-archive-package/1';
/** 《机关文件材料归档范围和文书档案保管期限规定》: an agency's major decisions are kept permanently. */
export const RETENTION = { zh: '永久', en: 'permanent' } as const;

export const sm3 = (b: Buffer) => crypto.createHash('sm3').update(b).digest('hex');
export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

interface Entry {
  path: string;
  title: string;
  kind: 'dossier' | 'opinion-document' | 'record' | 'draft' | 'opinion' | 'file' | 'definition';
  mediaType: string;
  bytes: Buffer;
  createdAt: string;
  creator: string;
  /** Where the content comes from in the system. */
  source: string;
}

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');
const iso = (d: Date | number | string | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());
/** A file name safe in any unzip tool: no separators or controls, at most 80 characters. */
// eslint-disable-next-line no-control-regex
const safeName = (s: string) => s.replace(/[/\\\u0000-\u001f\u007f:*?"<>|]/g, '_').slice(0, 80);

/** 密级／开放: what the office's findings say about disclosure (Arts. 14, 32). */
export function classificationOf(d: Dossier): { zh: string; en: string; open: boolean } {
  const grounds = [d.view.findings.publication, d.view.findings['public-participation']].filter((f) => f && !f.applies).map((f) => f!.ground as GroundCode);
  if (grounds.includes('state-secret')) return { zh: '涉密（国家秘密，按保密规定管理）', en: 'State secret (handled under the secrecy rules)', open: false };
  if (grounds.some((g) => g in GROUNDS)) return { zh: '不予公开（控制使用）', en: 'Not for disclosure (restricted)', open: false };
  return { zh: '公开（可开放利用）', en: 'Public (open to use)', open: true };
}

/** Every entry of the package except the printable dossier and the manifest, in a fixed order. */
function contentEntries(d: Dossier, reviewBody: string): Entry[] {
  const v = d.view;
  const made = iso(d.archive?.sealedAt ?? v.updatedAt)!;
  const out: Entry[] = [];
  for (const r of v.records.filter((x) => x.kind === 'legality-review' && x.action === 'complete')) {
    const html = legalityOpinionHtml(d, r.seq, reviewBody);
    const n = d.numbers.get(r.seq);
    if (html && n) out.push({ path: `opinion-documents/合法性审查意见书-${n.year}-${n.number}.html`, title: `合法性审查意见书${n.text}`, kind: 'opinion-document', mediaType: 'text/html; charset=utf-8', bytes: Buffer.from(html, 'utf8'), createdAt: iso(r.at)!, creator: reviewBody, source: `step record ${r.seq}` });
  }
  const rec = (name: string, title: string, value: unknown, creator: string) => out.push({ path: `records/${name}.json`, title, kind: 'record', mediaType: 'application/json', bytes: json(value), createdAt: made, creator, source: 'read model' });
  rec('decision', '决策事项基本情况', { decisionId: v.decisionId, meta: v.meta, procedure: v.procedure, status: v.status, createdAt: iso(v.createdAt), catalogue: v.catalogue, exemptions: v.exemptions, import: v.import, adjustedBy: v.adjustedBy, execution: v.execution }, v.meta.agency);
  rec('findings', '适用性认定和决策事项情况', { findings: v.findings, matter: v.matter }, v.meta.agency);
  rec('step-records', '各环节办理记录', d.records.map(({ _id, ...r }) => (void _id, r)), v.meta.agency);
  rec('meeting', '集体讨论决定会议记录', v.records.filter((r) => r.kind === 'collective-decision' && r.action === 'complete').map((r) => ({ seq: r.seq, at: iso(r.at), ...r.data })), v.meta.agency);
  rec('consultations', '公开征求意见', v.consultations, v.meta.draftingUnit);
  rec('urgings', '督办通知和回复', d.urgings.map(({ _id, ...u }) => ({ id: _id, ...u })), '监督机关');
  rec('audit-trail', '全过程记录（办理和被拒绝的操作）', d.audit.map(({ _id, ...a }) => ({ id: _id, ...a })), 'Juece');
  for (const dr of d.drafts)
    if (dr.content !== null) out.push({ path: `drafts/v${dr.version}-${dr.hash.slice(0, 12)}.txt`, title: `第${dr.version}稿 ${dr.title}`, kind: 'draft', mediaType: 'text/plain; charset=utf-8', bytes: Buffer.from(dr.content, 'utf8'), createdAt: iso(dr.addedAt)!, creator: dr.addedBy, source: `draft ${dr.hash}` });
  for (const o of d.opinions)
    out.push({ path: `opinions/${safeName(o._id)}.json`, title: `${o.authorName}的意见（第${o.draftVersion}稿）`, kind: 'opinion', mediaType: 'application/json', bytes: json({ id: o._id, author: o.author, authorName: o.authorName, capacity: o.capacity, draftVersion: o.draftVersion, opinion: o.opinion, legalBases: o.legalBases, source: o.source, recordedBy: o.recordedBy, documentId: o.documentId, noDirectInterest: o.noDirectInterest, createdAt: iso(o.createdAt) }), createdAt: iso(o.createdAt)!, creator: o.authorName, source: 'opinions' });
  for (const f of d.files)
    if (f.bytes) out.push({ path: `files/${f.id}-${safeName(f.filename)}`, title: f.urgingId ? `督办回复附件 ${f.filename}` : f.opinionOf ? `签署的意见 ${f.filename}` : f.stepId ? `${v.elements[f.stepId]?.name ?? f.stepId}材料 ${f.filename}` : `第${f.draftVersion}稿材料 ${f.filename}`, kind: 'file', mediaType: f.contentType, bytes: f.bytes, createdAt: f.uploadedAt, creator: f.uploadedBy, source: `attachment ${f.id}` });
  if (d.definitionXml) out.push({ path: `definition/${safeName(v.procedure.key)}-${safeName(v.procedure.version)}.bpmn`, title: `流程定义 ${v.procedure.name} ${v.procedure.version}`, kind: 'definition', mediaType: 'application/xml', bytes: Buffer.from(d.definitionXml, 'utf8'), createdAt: made, creator: 'Juece', source: `definition ${v.procedure.hash}` });
  return out;
}

/** The archive package of a sealed decision: the ZIP and its manifest. */
export async function buildPackage(deps: AppDeps, d: Dossier): Promise<{ zip: Buffer; manifest: Record<string, unknown>; sha256: string; sm3: string }> {
  const v = d.view;
  const sealedAt = d.archive?.sealedAt ?? null;
  const archiveRecord = archiveRecordOf(v);
  const archiveNumber = (archiveRecord?.data.archiveNumber as string | undefined) ?? null;
  const reviewBody = await reviewBodyOf(deps, v.meta.agency);
  const classification = classificationOf(d);
  const entries = contentEntries(d, reviewBody);
  const html = dossierHtml(d, tocOf(entries), { archiveNumber, retention: RETENTION.zh, classification: classification.zh, sealedAt });
  entries.unshift({ path: '决策案卷.html', title: `${v.meta.title}决策案卷（可打印）`, kind: 'dossier', mediaType: 'text/html; charset=utf-8', bytes: Buffer.from(html, 'utf8'), createdAt: iso(sealedAt ?? v.updatedAt)!, creator: v.meta.agency, source: 'generated from the records below' });

  const handover = await handoverOf(deps.models, v.decisionId, deps.supervision?.archiveHandoverDays ?? 30);
  const gaps = dossierGaps(d);
  const formats = [...new Set(entries.map((e) => e.mediaType))].map((t) => ({ mediaType: t, entries: entries.filter((e) => e.mediaType === t).length }));
  const manifest = {
    format: PACKAGE_FORMAT,
    title: `${v.meta.title}决策案卷`,
    decision: { id: v.decisionId, title: v.meta.title, agency: v.meta.agency, draftingUnit: v.meta.draftingUnit, category: v.meta.category, status: v.status, createdAt: iso(v.createdAt), procedure: v.procedure, catalogueItem: v.catalogue?.itemId ?? null },
    archive: { archiveNumber, custodian: archiveRecord?.data.custodian ?? null, archivedOn: archiveRecord?.data.archivedOn ?? null, sealedAt: iso(sealedAt), handover: { decidedOn: handover.decidedOn, dueOn: handover.dueOn, handedOverOn: handover.handedOverOn, days: handover.days, overdue: handover.overdue } },
    // 《电子档案管理办法》(2024): 真实性、完整性、可用性、安全性.
    metadata: {
      authenticity: {
        zh: '真实性：形成者、形成时间、来源系统和全过程记录，各文件的固定性哈希',
        creator: v.meta.agency,
        producer: v.meta.draftingUnit,
        sourceSystem: 'Juece 决策 — 重大行政决策程序系统',
        createdAt: iso(sealedAt ?? v.updatedAt),
        auditTrail: 'records/audit-trail.json',
        fixity: ['SM3 (GB/T 32905-2016)', 'SHA-256 (FIPS 180-4)'],
      },
      integrity: {
        zh: '完整性：卷内文件数量、总字节数、归档前完整性检查结果',
        entries: entries.length,
        totalBytes: entries.reduce((n, e) => n + e.bytes.length, 0),
        dossierComplete: gaps.length === 0,
        gaps: gaps.map((g) => g.zh),
        checksums: ['SHA256SUMS', 'SM3SUMS'],
      },
      usability: {
        zh: '可用性：开放格式（HTML、JSON、纯文本、BPMN XML）和UTF-8编码，可打印的决策案卷',
        formats,
        encoding: 'UTF-8',
        printable: '决策案卷.html',
      },
      security: {
        zh: '安全性：密级与开放范围、保管期限',
        classification: classification.zh,
        open: classification.open,
        retention: RETENTION.zh,
        retentionEn: RETENTION.en,
      },
    },
    entries: entries.map((e) => ({ path: e.path, title: e.title, kind: e.kind, mediaType: e.mediaType, size: e.bytes.length, sm3: sm3(e.bytes), sha256: sha256(e.bytes), createdAt: e.createdAt, creator: e.creator, source: e.source })),
  };
  const manifestBytes = json(manifest);
  const lines = (hash: (b: Buffer) => string) => [...entries.map((e) => `${hash(e.bytes)}  ${e.path}`), `${hash(manifestBytes)}  manifest.json`].join('\n') + '\n';

  const zip = new yazl.ZipFile();
  const mtime = sealedAt ?? new Date(v.updatedAt);
  zip.addBuffer(manifestBytes, 'manifest.json', { mtime });
  zip.addBuffer(Buffer.from(lines(sha256), 'utf8'), 'SHA256SUMS', { mtime });
  zip.addBuffer(Buffer.from(lines(sm3), 'utf8'), 'SM3SUMS', { mtime });
  for (const e of entries) zip.addBuffer(e.bytes, e.path, { mtime, compress: !/^(image|application\/(pdf|zip|vnd\.openxmlformats))/.test(e.mediaType) });
  zip.end();
  const bytes = await streamToBuffer(zip.outputStream);
  return { zip: bytes, manifest, sha256: sha256(bytes), sm3: sm3(bytes) };
}

/** The legality review body serving the agency, by name (the 意见书's issuer). */
export async function reviewBodyOf(deps: AppDeps, agency: string): Promise<string> {
  const a = await deps.models.Organisation.findOne({ kind: 'agency', name: agency }, { _id: 1 }).lean();
  const body = a ? await deps.models.Organisation.findOne({ kind: 'legality-review-body', agencyId: a._id }, { name: 1 }).lean() : null;
  // An agency without its review body in the directory: the body named after it, as documents do.
  return body?.name ?? `${agency}合法性审查机构`;
}

/** The decision's archiving record (the last completion of its archive step), if it has one. */
export const archiveRecordOf = (v: Dossier['view']) => [...v.records].reverse().find((r) => r.kind === 'archive' && r.action === 'complete');

/** The contents of the printable dossier: each entry's size and both digests. */
export const tocOf = (list: { path: string; title: string; bytes: Buffer }[]): TocEntry[] => list.map((e) => ({ path: e.path, title: e.title, size: e.bytes.length, sm3: sm3(e.bytes), sha256: sha256(e.bytes) }));
