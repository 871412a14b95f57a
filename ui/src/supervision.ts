/**
 * On the decision page, what supervision adds: the annual catalogue item the decision carries out
 * (the office links it; the head exempts steps from the full-procedure policy), the urgings (督办)
 * with the unit's answer and — for supervisors — the form to send one, and the archive: what the
 * dossier lacks, the handover deadline, the printable 决策案卷, the archive package and the
 * numbered 合法性审查意见书.
 */
import { FULL_PROCEDURE_KINDS, KINDS } from '../../definitions/statute';
import { api, ApiFailure, session, upload } from './api';
import type { Workspace } from './context';
import { chinaToday, addDays, clear, fmtTime, h } from './dom';
import { errorNodes } from './errors';
import { lang, tKind, tReason } from './i18n';

/** This module's own words, Chinese first. */
const L = (zh: string, en: string) => (lang === 'zh' ? zh : en);

interface Urging {
  id: string;
  kind: 'overdue' | 'irregular';
  stepId: string | null;
  responsibleUnit: string;
  reason: string;
  expected: string;
  replyBy: string;
  sentByName: string;
  sentAt: string;
  status: 'open' | 'answered';
  replyOverdue: boolean;
  canAnswer: boolean;
  answer: { text: string; attachmentId: string | null; filename: string | null; by: string; at: string } | null;
}

interface DossierState {
  complete: boolean;
  gaps: { zh: string; en: string }[];
  sealed: boolean;
  package: { sha256: string; sm3: string; size: number } | null;
  handover: { decidedOn: string | null; dueOn: string | null; handedOverOn: string | null; overdue: boolean; days: number };
  legalityOpinions: { seq: number; number: string; url: string }[];
}

const field = (label: string, input: HTMLElement, required = false) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label, required ? h('span', { class: 'req' }, ' *') : null), input);

/** A small form whose failure is shown above its button; resolves the submit's work. */
function smallForm(cls: string, fields: HTMLElement[], submitText: string, submit: () => Promise<void>): HTMLFormElement {
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitText);
  const form = h('form', { class: `small-form ${cls}` }, ...fields, errors, button);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    button.disabled = true;
    clear(errors);
    submit()
      .catch((err: unknown) => clear(errors, ...errorNodes(err)))
      .finally(() => (button.disabled = false));
  });
  return form;
}

export function supervisionSection(ws: Workspace) {
  const catalogue = h('div', { class: 'catalogue-link' });
  const urgings = h('div', { class: 'urgings' });
  const archive = h('div', { class: 'archive-box' });
  const el = h('section', { class: 'supervision', id: 'supervision' }, h('h2', {}, L('年度目录、督办和归档', 'Catalogue, urging and archive')), catalogue, urgings, archive);

  async function renderCatalogue() {
    const v = ws.view();
    const c = v.catalogue;
    const parts: (HTMLElement | null)[] = [h('h3', {}, L('年度决策事项目录', 'Annual catalogue'))];
    if (c)
      parts.push(
        h('p', { class: 'catalogue-item' }, L(`本事项为${c.year}年度决策事项目录事项：`, `Item of the ${c.year} catalogue: `), h('strong', {}, c.title), ` (${c.itemId})`, c.fullProcedure ? h('span', { class: 'chip full-procedure' }, L('须履行全部五项程序', 'all five procedures')) : null),
      );
    else parts.push(h('p', { class: 'small muted' }, L('未对应年度决策事项目录事项。', 'Not linked to a catalogue item.')));
    for (const x of v.exemptions) parts.push(h('p', { class: 'small exemption' }, L('决策机关豁免：', 'Exempted by the decision body: '), x.kinds.map(tKind).join(L('、', ', ')), ` — ${x.reasons} · ${x.by} · ${fmtTime(x.at)}`));
    if (!c && ws.may(['secretariat'])) parts.push(await linkForm());
    if (c?.fullProcedure && ws.may(['decision-body'])) parts.push(exemptionForm());
    clear(catalogue, ...parts);
  }

  /** The office links the decision to an item of its agency's published catalogue. */
  async function linkForm(): Promise<HTMLElement> {
    const v = ws.view();
    const list = await api<{ items: { id: string; agency: string; published: number }[] }>('GET', '/api/catalogues').catch(() => ({ items: [] }));
    const select = h('select', { name: 'itemId', required: true }, h('option', { value: '' }, L('请选择目录事项', 'Choose an item')));
    for (const c of list.items.filter((x) => x.agency === v.meta.agency && x.published)) {
      const pub = await api<{ year: number; items: { id: string; no: number; title: string }[] }>('GET', `/api/public/catalogues/${c.id}`).catch(() => null);
      for (const i of pub?.items ?? []) select.append(h('option', { value: i.id }, `${pub!.year} · ${i.no}. ${i.title}`));
    }
    return smallForm('link-catalogue', [field(L('目录事项', 'Catalogue item'), select, true)], L('对应目录事项', 'Link'), async () => {
      await ws.settle(await api('POST', `/api/decisions/${ws.id}/catalogue-item`, { itemId: select.value }));
    });
  }

  /** The head exempts some of the five procedures (the server refuses anyone else). */
  function exemptionForm(): HTMLElement {
    const boxes = FULL_PROCEDURE_KINDS.map((k) => h('input', { type: 'checkbox', value: k }));
    const reasons = h('textarea', { rows: 2, required: true, minlength: 5 });
    const basis = h('input', { type: 'text', placeholder: L('如：市政府第12次常务会议纪要', 'e.g. the meeting minutes') });
    return smallForm(
      'exemption',
      [h('fieldset', {}, h('legend', {}, L('豁免的程序', 'Exempt')), boxes.map((b, i) => h('label', { class: 'inline' }, b, KINDS[FULL_PROCEDURE_KINDS[i]][lang]))), field(L('豁免理由', 'Reasons'), reasons, true), field(L('依据', 'Basis'), basis)],
      L('记录豁免（行政首长）', 'Record the exemption (the head)'),
      async () => {
        const kinds = boxes.filter((b) => b.checked).map((b) => b.value);
        await ws.settle(await api('POST', `/api/decisions/${ws.id}/exemptions`, { kinds, reasons: reasons.value, ...(basis.value ? { basis: basis.value } : {}) }));
      },
    );
  }

  async function renderUrgings() {
    const list = await api<{ items: Urging[] }>('GET', `/api/decisions/${ws.id}/urgings`);
    const rows = list.items.map((u) =>
      h(
        'li',
        { class: `urging urging-${u.status}`, 'data-urging': u.id },
        h('div', {}, h('span', { class: `chip ${u.status === 'open' ? 'open' : 'closed'}` }, u.status === 'open' ? L('待回复', 'Open') : L('已回复', 'Answered')), ' ', h('strong', {}, u.kind === 'overdue' ? L('超期督办', 'Overdue') : L('程序不规范督办', 'Irregular')), ` · ${u.sentByName} → ${u.responsibleUnit} · ${fmtTime(u.sentAt)}`),
        h('p', {}, L('事由：', 'Reason: '), u.reason),
        h('p', {}, L('要求：', 'Expected: '), u.expected),
        h('p', { class: u.replyOverdue ? 'overdue-text' : 'small muted' }, L(`回复期限：${u.replyBy}`, `Reply by ${u.replyBy}`), u.replyOverdue ? L('（已逾期）', ' (late)') : ''),
        u.answer
          ? h('div', { class: 'answer' }, h('p', {}, L('回复：', 'Answer: '), u.answer.text), u.answer.attachmentId ? h('a', { href: `/api/decisions/${ws.id}/attachments/${u.answer.attachmentId}` }, u.answer.filename ?? L('附件', 'File')) : null, h('div', { class: 'small muted' }, `${u.answer.by} · ${fmtTime(u.answer.at)}`))
          : u.canAnswer
            ? answerForm(u)
            : null,
      ),
    );
    clear(urgings, h('h3', {}, L('督办', 'Urgings')), rows.length ? h('ul', { class: 'urging-list' }, rows) : h('p', { class: 'small muted' }, L('无督办。', 'None.')), session.user?.roles.includes('supervisor') ? sendForm() : null);
  }

  function answerForm(u: Urging): HTMLElement {
    const text = h('textarea', { rows: 3, required: true, minlength: 5 });
    const file = h('input', { type: 'file' });
    return smallForm('answer-urging', [field(L('办理情况', 'What was done'), text, true), field(L('附件（可选）', 'File (optional)'), file)], L('回复督办', 'Answer'), async () => {
      const f = file.files?.[0];
      const attachment = f ? await upload<{ id: string }>(`/api/decisions/${ws.id}/urgings/${u.id}/attachment`, f) : null;
      await api('POST', `/api/decisions/${ws.id}/urgings/${u.id}/answer`, { text: text.value, ...(attachment ? { attachmentId: attachment.id } : {}) });
      await renderUrgings();
      await ws.audited();
    });
  }

  function sendForm(): HTMLElement {
    const v = ws.view();
    const kind = h('select', { name: 'kind' }, h('option', { value: 'overdue' }, L('超期督办', 'Overdue')), h('option', { value: 'irregular' }, L('程序不规范督办', 'Irregular')));
    const step = h('select', { name: 'stepId' }, h('option', { value: '' }, L('（不指定环节）', '(no step)')), Object.values(v.elements).filter((e) => e.kind && ['department', 'secretariat', 'legality-review-body'].includes(e.role ?? '')).map((e) => h('option', { value: e.id }, e.name)));
    const reason = h('textarea', { rows: 2, required: true, minlength: 5 });
    const expected = h('textarea', { rows: 2, required: true, minlength: 5 });
    const replyBy = h('input', { type: 'date', required: true, value: addDays(chinaToday(), 5), min: chinaToday() });
    return h(
      'details',
      { class: 'send-urging' },
      h('summary', {}, L('发出督办通知', 'Send an urging')),
      smallForm('send-urging', [field(L('督办类型', 'Kind'), kind, true), field(L('涉及环节', 'Step'), step), field(L('督办事由', 'Reason'), reason, true), field(L('督办要求', 'Expected'), expected, true), field(L('回复期限', 'Reply by'), replyBy, true)], L('发出', 'Send'), async () => {
        await api('POST', `/api/decisions/${ws.id}/urgings`, { kind: kind.value, ...(step.value ? { stepId: step.value } : {}), reason: reason.value, expected: expected.value, replyBy: replyBy.value });
        await renderUrgings();
        await ws.audited();
      }),
    );
  }

  async function renderArchive(asked = false) {
    // Checking the dossier reads every file: only once closing is near, or when asked.
    const near = Object.values(ws.view().elements).some((e) => e.kind === 'archive' && e.status !== 'locked') || ws.view().status !== 'in-progress';
    if (!near && !asked)
      return void clear(
        archive,
        h('h3', {}, L('归档', 'Archive')),
        h('p', { class: 'archive-links' }, h('a', { href: `/api/decisions/${ws.id}/dossier.html`, target: '_blank', rel: 'noopener' }, L('决策案卷（打印）', 'Dossier (print)')), ' ', h('button', { type: 'button', class: 'link check-dossier', onclick: () => void guard(archive, () => renderArchive(true)) }, L('检查案卷材料', 'Check the file'))),
      );
    const d = await api<DossierState>('GET', `/api/decisions/${ws.id}/dossier`);
    const ho = d.handover;
    clear(
      archive,
      h('h3', {}, L('归档', 'Archive')),
      h('p', { class: d.complete ? 'dossier-complete' : 'dossier-gaps' }, d.complete ? L('案卷材料齐全。', 'The file is complete.') : L('案卷尚缺：', 'The file lacks:')),
      d.complete ? null : h('ul', { class: 'gaps' }, d.gaps.map((g) => h('li', {}, tReason(g)))),
      ho.decidedOn
        ? h('p', { class: ho.overdue ? 'overdue-text handover' : 'small handover' }, ho.handedOverOn ? L(`${ho.decidedOn}作出决策，${ho.handedOverOn}归档。`, `Decided ${ho.decidedOn}, archived ${ho.handedOverOn}.`) : L(`${ho.decidedOn}作出决策，应于${ho.dueOn}前归档${ho.overdue ? '（已逾期）' : ''}。`, `Decided ${ho.decidedOn}; to be archived by ${ho.dueOn}${ho.overdue ? ' (late)' : ''}.`))
        : null,
      h(
        'p',
        { class: 'archive-links' },
        h('a', { href: `/api/decisions/${ws.id}/dossier.html`, target: '_blank', rel: 'noopener' }, L('决策案卷（打印）', 'Dossier (print)')),
        d.sealed ? [' · ', h('a', { href: `/api/decisions/${ws.id}/archive.zip`, class: 'archive-zip' }, L('下载归档包', 'Archive package'))] : null,
        d.legalityOpinions.map((o) => [' · ', h('a', { href: o.url, target: '_blank', rel: 'noopener' }, L(`合法性审查意见书${o.number}`, `Legality opinion ${o.number}`))]),
      ),
      d.package ? h('p', { class: 'small muted hash' }, `SM3 ${d.package.sm3}`) : null,
    );
  }

  const guard = (part: HTMLElement, f: () => Promise<void>) => f().catch((err: unknown) => (err instanceof ApiFailure && err.status === 401 ? undefined : clear(part, ...errorNodes(err))));
  return {
    el,
    refresh: () => Promise.all([guard(catalogue, renderCatalogue), guard(urgings, renderUrgings), guard(archive, () => renderArchive())]).then(() => undefined),
  };
}
