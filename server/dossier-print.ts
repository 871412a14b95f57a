/**
 * The printable 决策案卷 and 合法性审查意见书: the dossier as people read and file it — a cover,
 * the table of contents with every record and file and its hashes, the procedure step by step
 * with each record's fields under their statutory names, the findings, the meeting, the urgings
 * and the audit trail — and each legality opinion as a numbered document.
 */
import { CATEGORY_LABELS, FIELD_LABELS, VALUE_LABELS } from '../definitions/labels';
import { GROUNDS, KINDS, STATUS_LABELS, type GroundCode } from '../definitions/statute';
import type { StepRecord } from '../workflows/model';
import type { Dossier } from './dossier';
import { esc, page, zhDate, zhTime } from './print';

/** What the manifest says of one entry, as the table of contents lists it. */
export interface TocEntry {
  path: string;
  title: string;
  size: number;
  sm3: string;
  sha256: string;
}

const label = (k: string) => FIELD_LABELS[k]?.zh ?? k;
const valueText = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return VALUE_LABELS[v]?.zh ?? v;
  if (typeof v === 'number') return String(v);
  return '';
};

/** A record's fields as a definition table, nested objects and lists as their own rows. */
function fieldsHtml(data: Record<string, unknown>, skip: string[] = []): string {
  const rows: string[] = [];
  const walk = (key: string, v: unknown, depth: number) => {
    if (skip.includes(key) || v === null || v === undefined) return;
    const pad = depth ? `${'　'.repeat(depth)}` : '';
    if (Array.isArray(v)) {
      if (!v.length) return;
      if (v.every((x) => typeof x !== 'object' || x === null)) {
        rows.push(`<tr><th>${pad}${esc(label(key))}</th><td>${v.map((x) => esc(valueText(x))).join('；')}</td></tr>`);
        return;
      }
      v.forEach((x, i) => {
        rows.push(`<tr><th colspan="2">${pad}${esc(label(key))}（${i + 1}）</th></tr>`);
        for (const [k, y] of Object.entries(x as Record<string, unknown>)) walk(k, y, depth + 1);
      });
      return;
    }
    if (typeof v === 'object') {
      rows.push(`<tr><th colspan="2">${pad}${esc(label(key))}</th></tr>`);
      for (const [k, y] of Object.entries(v as Record<string, unknown>)) walk(k, y, depth + 1);
      return;
    }
    rows.push(`<tr><th>${pad}${esc(label(key))}</th><td><pre>${esc(valueText(v))}</pre></td></tr>`);
  };
  for (const [k, v] of Object.entries(data)) walk(k, v, 0);
  return rows.length ? `<table>${rows.join('')}</table>` : '';
}

const ACTIONS: Record<string, string> = { start: '开始办理', complete: '办结', return: '退回', 'not-applicable': '认定不适用' };

function recordHtml(d: Dossier, r: StepRecord | (Omit<StepRecord, 'at' | 'recordedAt'> & { at: Date | number; recordedAt?: Date | number })): string {
  const e = d.view.elements[r.elementId];
  const number = r.kind === 'legality-review' && r.action === 'complete' ? d.numbers.get(r.seq) : undefined;
  const skip = r.kind === 'collective-decision' ? ['statements', 'attendees', 'roster', 'confirmations', 'dossier', 'sittingIn'] : [];
  return `<h3>${esc(e?.name ?? r.elementId)} · ${ACTIONS[r.action] ?? r.action}${r.visit > 1 ? `（第${r.visit}次）` : ''}${number ? ` · 合法性审查意见书${number.text}` : ''}</h3>
<p class="muted">${esc(r.actor)} · ${zhTime(r.at)}${r.imported ? ' · 补录' : ''}${r.draftVersion ? ` · 第${r.draftVersion}稿` : ''} · 记录序号 ${r.seq}</p>
${fieldsHtml(r.data, skip)}`;
}

function meetingHtml(d: Dossier): string {
  const done = d.view.records.filter((r) => r.kind === 'collective-decision' && r.action === 'complete');
  return done
    .map((r) => {
      const data = r.data as { meetingType?: string; meetingDate?: string; session?: string; attendees?: string[]; statements?: { speaker: string; position: string; text: string }[]; decision?: string; reasons?: string; confirmations?: Record<string, { confirm: boolean; at: number }>; roster?: { head: { username: string; name: string } | null; members: { username: string; name: string }[] } };
      const names = new Map([...(data.roster?.members ?? []), ...(data.roster?.head ? [data.roster.head] : [])].map((x) => [x.username, x.name]));
      const who = (u: string) => `${esc(names.get(u) ?? u)}`;
      return `<h3>${esc(data.session ?? '')}${esc(VALUE_LABELS[data.meetingType ?? '']?.zh ?? '')}（${zhDate(data.meetingDate)}）</h3>
<p>出席：${(data.attendees ?? []).map(who).join('、')}</p>
<table><thead><tr><th>发言人</th><th>意见</th><th>发言</th><th>本人确认</th></tr></thead><tbody>${(data.statements ?? [])
        .map((s) => `<tr><td>${who(s.speaker)}</td><td>${esc(VALUE_LABELS[s.position]?.zh ?? s.position)}</td><td>${esc(s.text)}</td><td>${data.confirmations?.[s.speaker]?.confirm ? `已确认（${zhTime(data.confirmations[s.speaker].at)}）` : '未确认'}</td></tr>`)
        .join('')}</tbody></table>
<p>决定：${esc(VALUE_LABELS[data.decision ?? '']?.zh ?? data.decision ?? '')}${data.reasons ? `；理由：${esc(data.reasons)}` : ''}</p>`;
    })
    .join('');
}

function findingsHtml(d: Dossier): string {
  const rows = Object.entries(d.view.findings).map(([kind, f]) => {
    const g = f?.ground && f.ground in GROUNDS ? GROUNDS[f.ground as GroundCode] : null;
    return `<tr><td>${esc(KINDS[kind as keyof typeof KINDS]?.zh ?? kind)}</td><td>${f?.applies ? '适用' : '不适用'}</td><td>${esc(g ? `${g.zh}（${g.basis.zh}）` : '')}</td><td>${esc(f?.reasons ?? '')}${f?.basis ? `；依据：${esc(f.basis)}` : ''}</td><td>${esc(f?.by ?? '')} ${zhTime(f?.at)}</td></tr>`;
  });
  const ex = d.view.exemptions.map((e) => `<p>决策机关豁免：${e.kinds.map((k) => KINDS[k].zh).join('、')}，理由：${esc(e.reasons)}${e.basis ? `（${esc(e.basis)}）` : ''}，${esc(e.by)}，${zhTime(e.at)}</p>`).join('');
  return `<table><thead><tr><th>环节</th><th>认定</th><th>法定情形</th><th>理由</th><th>认定人、时间</th></tr></thead><tbody>${rows.join('')}</tbody></table>${ex}`;
}

/** The 决策案卷: cover, table of contents (with hashes), the procedure, and the trail. */
export function dossierHtml(d: Dossier, toc: TocEntry[], meta: { archiveNumber: string | null; retention: string; classification: string; sealedAt: Date | null }): string {
  const v = d.view;
  const title = `${v.meta.title}决策案卷`;
  const steps = d.records.map((r) => recordHtml(d, r as never)).join('');
  const urgings = d.urgings.length
    ? `<table><thead><tr><th>督办</th><th>事由与要求</th><th>回复期限</th><th>回复</th></tr></thead><tbody>${d.urgings
        .map((u) => `<tr><td>${esc(u.sentByName)} → ${esc(u.responsibleUnit)}<br>${zhTime(u.sentAt)}</td><td>${esc(u.reason)}；${esc(u.expected)}</td><td>${zhDate(u.replyBy)}</td><td>${u.answer ? `${esc(u.answer.text)}（${esc(u.answer.by)}，${zhTime(u.answer.at)}）` : '未回复'}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>无。</p>';
  const audit = `<table><thead><tr><th>时间</th><th>人员</th><th>行为</th><th>结果</th><th>内容</th></tr></thead><tbody>${d.audit
    .map((a) => `<tr><td>${zhTime(a.at)}${a.occurredOn ? `<br>（实际${zhDate(a.occurredOn)}）` : ''}</td><td>${esc(a.actor)}</td><td>${esc(a.action)}${a.stepId ? `<br>${esc(a.stepId)}` : ''}</td><td>${a.result === 'accepted' ? '已办理' : `已拒绝（${esc(a.class ?? '')}）`}</td><td>${esc(a.summary)}</td></tr>`)
    .join('')}</tbody></table>`;
  const contents = `<table><thead><tr><th>序号</th><th>文件</th><th>大小（字节）</th><th>SM3 / SHA-256</th></tr></thead><tbody>${toc
    .map((t, i) => `<tr><td>${i + 1}</td><td>${esc(t.title)}<br><span class="muted">${esc(t.path)}</span></td><td>${t.size}</td><td><code>${t.sm3}</code><br><code>${t.sha256}</code></td></tr>`)
    .join('')}</tbody></table>`;
  return page(
    title,
    `<h1>${esc(title)}</h1>
<p class="meta">${esc(v.meta.agency)} · 承办单位 ${esc(v.meta.draftingUnit)}</p>
<table>
<tr><th>档号</th><td>${esc(meta.archiveNumber ?? '（未归档）')}</td><th>保管期限</th><td>${esc(meta.retention)}</td></tr>
<tr><th>决策事项</th><td>${esc(v.meta.title)}</td><th>密级／开放</th><td>${esc(meta.classification)}</td></tr>
<tr><th>事项类别</th><td>${esc(CATEGORY_LABELS[v.meta.category]?.zh ?? v.meta.category)}</td><th>状态</th><td>${esc(STATUS_LABELS[v.status]?.zh ?? v.status)}</td></tr>
<tr><th>立项</th><td>${zhTime(v.createdAt)}</td><th>封存</th><td>${zhTime(meta.sealedAt)}</td></tr>
<tr><th>流程定义</th><td>${esc(v.procedure.name)} ${esc(v.procedure.version)}</td><th>决策编号</th><td>${esc(v.decisionId)}</td></tr>
${v.catalogue ? `<tr><th>年度目录事项</th><td colspan="3">${v.catalogue.year}年度目录 ${esc(v.catalogue.itemId)}：${esc(v.catalogue.title)}${v.catalogue.fullProcedure ? '（须履行全部五项程序）' : ''}</td></tr>` : ''}
</table>
<p class="en">Dossier of a major administrative decision (Decree 713 Art. 33). Every record and file of the package is listed below with its SM3 (GB/T 32905) and SHA-256 hash.</p>
<h2>卷内目录</h2>${contents}
<h2>一、适用性认定</h2>${findingsHtml(d)}
<h2>二、办理记录</h2>${steps}
<h2>三、集体讨论决定</h2>${meetingHtml(d) || '<p>无。</p>'}
<h2>四、草案版本</h2><table><thead><tr><th>版本</th><th>标题</th><th>提交人、时间</th><th>SHA-256</th></tr></thead><tbody>${d.drafts.map((x) => `<tr><td>第${x.version}稿</td><td>${esc(x.title)}</td><td>${esc(x.addedBy)} ${zhTime(x.addedAt)}</td><td><code>${x.hash}</code></td></tr>`).join('')}</tbody></table>
<h2>五、法律顾问、公职律师和专家意见</h2><table><thead><tr><th>出具人</th><th>身份</th><th>草案</th><th>意见</th></tr></thead><tbody>${d.opinions.map((o) => `<tr><td>${esc(o.authorName)}</td><td>${esc(VALUE_LABELS[o.capacity]?.zh ?? o.capacity)}</td><td>第${o.draftVersion}稿</td><td>${esc(o.opinion)}</td></tr>`).join('')}</tbody></table>
<h2>六、督办</h2>${urgings}
<h2>七、全过程记录</h2>${audit}
<footer>本案卷由决策程序系统依据《重大行政决策程序暂行条例》第三十三条生成；各文件的SM3、SHA-256哈希见卷内目录和 manifest.json。</footer>`,
  );
}

/** One legality review's opinion as the numbered 合法性审查意见书. */
export function legalityOpinionHtml(d: Dossier, seq: number, reviewBody: string): string | null {
  const r = d.view.records.find((x) => x.seq === seq && x.kind === 'legality-review' && x.action === 'complete');
  const number = d.numbers.get(seq);
  if (!r || !number) return null;
  const data = r.data as { outcome: string; powersOk: boolean; procedureOk: boolean; contentOk: boolean; legalBases: string[]; adviserOpinions: string[]; requiredChanges: string[]; legalRisk?: string; shortenedReviewReason?: string; opinion: string };
  const e = d.view.elements[r.elementId];
  const advisers = data.adviserOpinions.map((id) => d.opinions.find((o) => o._id === id)).filter((o) => o !== undefined);
  const ok = (b: boolean) => (b ? '符合' : '不符合');
  const submitted = e?.enabledAt && r.visit === e.visits ? zhDate(e.enabledAt) : '';
  const title = `合法性审查意见书 ${number.text}`;
  return page(
    title,
    `<h1>合法性审查意见书</h1>
<p class="number">${esc(reviewBody)}${number.text}</p>
<p>${esc(d.view.meta.agency)}：</p>
<p class="body">${esc(d.view.meta.draftingUnit)}报送的《${esc(d.view.meta.title)}》（第${r.draftVersion ?? ''}稿${submitted ? `，${submitted}送审` : ''}）收悉。根据《重大行政决策程序暂行条例》第二十五条至第二十八条，经审查，提出意见如下：</p>
<table>
<tr><th>决策机关法定权限</th><td>${ok(data.powersOk)}</td></tr>
<tr><th>法定程序</th><td>${ok(data.procedureOk)}</td></tr>
<tr><th>内容合法性</th><td>${ok(data.contentOk)}</td></tr>
<tr><th>审查结论</th><td><strong>${esc(VALUE_LABELS[data.outcome]?.zh ?? data.outcome)}</strong></td></tr>
</table>
<h2>审查意见</h2><p><pre>${esc(data.opinion)}</pre></p>
${data.requiredChanges.length ? `<h2>须修改的内容</h2><ol>${data.requiredChanges.map((c) => `<li>${esc(c)}</li>`).join('')}</ol>` : ''}
${data.legalRisk ? `<h2>法律风险</h2><p>${esc(data.legalRisk)}</p>` : ''}
<h2>法律依据</h2><ol>${data.legalBases.map((b) => `<li>${esc(b)}</li>`).join('')}</ol>
<h2>法律顾问、公职律师意见</h2>${advisers.length ? `<ol>${advisers.map((o) => `<li>${esc(o.authorName)}（${esc(VALUE_LABELS[o.capacity]?.zh ?? o.capacity)}）：${esc(o.opinion)}</li>`).join('')}</ol>` : '<p>无。</p>'}
${data.shortenedReviewReason ? `<p class="muted">审查时间少于7个工作日的理由：${esc(data.shortenedReviewReason)}</p>` : ''}
<p class="sign">${esc(reviewBody)}<br>${zhDate(r.at)}</p>
<p class="muted">审查人：${esc(r.actor)} · 记录序号 ${r.seq}</p>`,
  );
}
