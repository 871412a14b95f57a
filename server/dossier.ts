/**
 * A decision's dossier (决策案卷, Decree 713 Art. 33): everything the procedure produced — the
 * live state, the step records and audit trail as stored, every draft's text, the people's
 * opinions, every file's bytes, the urgings, the legality opinions' numbers, the definition it
 * ran — gathered from the workflow and the store, and checked complete before the file closes.
 */
import crypto from 'node:crypto';
import { CONDITIONAL_KINDS, GROUNDS, KINDS, reasonOf, type Bilingual, type GroundCode, type StatuteReason } from '../definitions/statute';
import { numberOpinion, type OpinionNumber } from '../activities/opinion-numbers';
import { urgingsOf } from '../activities/urging';
import type { DecisionView } from '../workflows/model';
import { bucketOf, toView, type AttachmentView } from './files';
import { queryState, type AppDeps } from './route-kit';

export interface DossierFile extends AttachmentView {
  urgingId: string | null;
  /** The stored bytes; null when the store has lost them. */
  bytes: Buffer | null;
}

export async function loadDossier(deps: AppDeps, id: string) {
  const m = deps.models;
  const view = await queryState(deps, id);
  const [records, audit, opinions, urgings, archive, definition, files] = await Promise.all([
    m.StepRecord.find({ decisionId: id }).sort({ seq: 1 }).lean(),
    m.AuditEvent.find({ decisionId: id }).sort({ at: 1, seq: 1 }).lean(),
    m.Opinion.find({ decisionId: id }).sort({ createdAt: 1 }).lean(),
    urgingsOf(m, id),
    m.Archive.findById(id).lean(),
    m.Definition.findById(view.procedure.hash).lean(),
    filesOf(deps, id),
  ]);
  const drafts = await Promise.all(
    view.drafts.map(async (d) => {
      const doc = await m.Draft.findById(`${id}:${d.hash}`).lean();
      return { ...d, content: doc?.content ?? null };
    }),
  );
  // Every completed legality review has its 意见书 number (numbered when given; older ones now).
  const numbers = new Map<number, OpinionNumber>();
  for (const r of view.records.filter((x) => x.kind === 'legality-review' && x.action === 'complete')) numbers.set(r.seq, await numberOpinion(m, id, r.seq, view.meta.agency, new Date(r.at)));
  return { view, records, audit, drafts, opinions, urgings, archive, definitionXml: definition?.xml ?? null, files, numbers };
}
export type Dossier = Awaited<ReturnType<typeof loadDossier>>;

/** Every file stored for the decision, with its bytes, oldest first. */
async function filesOf(deps: AppDeps, id: string): Promise<DossierFile[]> {
  const bucket = await bucketOf(deps);
  const found = await bucket.find({ 'metadata.decisionId': id }, { sort: { uploadDate: 1, _id: 1 } }).toArray();
  return Promise.all(
    found.map(async (f) => {
      const chunks: Buffer[] = [];
      try {
        for await (const c of bucket.openDownloadStream(f._id)) chunks.push(c as Buffer);
      } catch {
        return { ...toView(f), urgingId: (f.metadata as { urgingId?: string } | undefined)?.urgingId ?? null, bytes: null };
      }
      return { ...toView(f), urgingId: (f.metadata as { urgingId?: string } | undefined)?.urgingId ?? null, bytes: Buffer.concat(chunks) };
    }),
  );
}

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
const missing = (zh: string, en: string): StatuteReason => reasonOf('DOSSIER_ITEM_MISSING', { item: { zh, en } });
const stepName = (view: DecisionView, id: string): Bilingual => ({ zh: view.elements[id]?.name ?? id, en: view.elements[id]?.kind ? KINDS[view.elements[id].kind as keyof typeof KINDS].en : id });

/** Was the matter adopted and cleared for issue (so publication, or its lawful exemption, must be on file)? */
function adopted(view: DecisionView): boolean {
  const last = (kind: string) => [...view.records].reverse().find((r) => r.kind === kind && r.action === 'complete');
  const meeting = last('collective-decision');
  const party = last('party-report');
  return Boolean(meeting && meeting.data.decision !== 'rejected' && party && ['agreed', 'agreed-with-changes'].includes(party.data.outcome as string));
}

/**
 * What the file lacks (Art. 33): every performed step's record as stored, every "not applicable"
 * with its ground and reasons, the meeting's minutes, the publication record (or its lawful
 * exemption), every draft's text, every file's bytes matching the hash the decision holds, every
 * opinion cited, and the definition it ran. Each missing piece is one reason, named.
 */
export function dossierGaps(d: Dossier): StatuteReason[] {
  const { view } = d;
  const out: StatuteReason[] = [];
  const stored = new Set(d.records.map((r) => r.seq));
  for (const e of Object.values(view.elements)) {
    if (!e.kind || e.type !== 'userTask') continue;
    const name = stepName(view, e.id);
    if (e.status === 'completed' && !d.records.some((r) => r.elementId === e.id && r.action === 'complete'))
      out.push(missing(`“${name.zh}”的办理记录`, `the record of “${name.en}”`));
    if ((e.status === 'not-applicable' || e.status === 'bypassed') && (CONDITIONAL_KINDS as readonly string[]).includes(e.kind)) {
      const f = e.finding;
      const g = f?.ground && f.ground in GROUNDS ? GROUNDS[f.ground as GroundCode] : null;
      if (!f || f.applies || !g || !f.reasons || (g.needsBasis && !f.basis)) out.push(missing(`“${name.zh}”不适用的认定（法定情形、理由${g?.needsBasis ? '、依据' : ''}）`, `the finding that “${name.en}” does not apply, with its ground and reasons`));
    }
  }
  const unstored = view.records.filter((r) => !stored.has(r.seq));
  if (unstored.length) out.push(missing(`已办理但未写入案卷的记录（第${unstored.map((r) => r.seq).join('、')}项）`, `records not written to the file (seq ${unstored.map((r) => r.seq).join(', ')})`));

  const meetings = view.records.filter((r) => r.kind === 'collective-decision' && r.action === 'complete');
  for (const r of meetings)
    if (!Array.isArray(r.data.statements) || !r.data.statements.length || !r.data.meetingDate) out.push(missing(`${r.data.meetingDate ?? ''}集体讨论的会议记录（出席、发言、决定）`, 'the minutes of the collective decision (attendees, statements, decision)'));
  if (!meetings.length && Object.values(view.elements).some((e) => e.kind === 'collective-decision')) out.push(missing('集体讨论决定的会议记录', 'the minutes of the collective decision'));

  if (adopted(view)) {
    const pubs = Object.values(view.elements).filter((e) => e.kind === 'publication');
    const done = pubs.some((e) => e.status === 'completed') && view.records.some((r) => r.kind === 'publication' && r.action === 'complete');
    const exempt = pubs.length > 0 && pubs.every((e) => e.status === 'not-applicable' || e.status === 'bypassed') && view.findings.publication?.applies === false;
    if (!done && !exempt) out.push(missing('决策公布记录（或依法不予公布的认定）', 'the publication record (or the finding that it is not published)'));
  }

  for (const dr of d.drafts)
    if (dr.content === null || sha256(Buffer.from(dr.content, 'utf8')) !== dr.hash) out.push(missing(`第${dr.version}稿草案文本（缺失或与登记的哈希不符）`, `the text of draft version ${dr.version} (missing, or not matching its recorded hash)`));
  for (const mat of view.materials) {
    const f = d.files.find((x) => x.id === mat.id);
    if (!f?.bytes || sha256(f.bytes) !== mat.sha256) out.push(missing(`附件“${mat.filename}”（缺失或与登记的哈希不符）`, `the file “${mat.filename}” (missing, or not matching its recorded hash)`));
  }
  for (const o of view.opinions) {
    const doc = d.opinions.find((x) => x._id === o.id);
    const signed = doc?.documentId ? d.files.find((x) => x.id === doc.documentId) : null;
    const ok = doc && (o.source === 'signed-document' ? Boolean(signed?.bytes && sha256(signed.bytes) === o.hash) : sha256(Buffer.from(doc.opinion, 'utf8')) === o.hash);
    if (!ok) out.push(missing(`${o.authorName}对第${o.draftVersion}稿出具的意见（缺失或与登记的哈希不符）`, `${o.authorName}'s opinion on draft version ${o.draftVersion} (missing, or not matching its recorded hash)`));
  }
  if (!d.definitionXml) out.push(missing('所执行的流程定义', 'the procedure definition it ran'));
  return out;
}
