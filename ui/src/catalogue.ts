/**
 * The annual decision catalogue (决策事项目录, Decree 713 Art. 3(3)): the catalogues in reach; for
 * one, every published version and how each item stands against its quarter (未启动、已超期
 * flagged), and — for its office — the draft's items, the Party committee's consent and
 * publication, which the server refuses until the consent to the present content is on record.
 */
import { CATEGORY_LABELS } from '../../definitions/labels';
import { api, session } from './api';
import { chinaToday, clear, fmtTime, h } from './dom';
import { errorNodes } from './errors';
import { lang, say } from './i18n';

const L = (zh: string, en: string) => (lang === 'zh' ? zh : en);
const QUARTERS = ['一', '二', '三', '四'];
const quarter = (q: number) => L(`第${QUARTERS[q - 1]}季度`, `Q${q}`);

interface Item {
  id?: string;
  no?: number;
  title: string;
  draftingUnit: string;
  category: string;
  quarter: number;
  basis: string;
  publicParticipation: boolean;
  expertReview: boolean;
  riskAssessment: boolean;
  note?: string;
}

interface CatalogueView {
  id: string;
  agency: string;
  year: number;
  published: number;
  draft: { items: Item[]; reason: string | null; version: number; consent: { committee: string; documentRef: string; consentedOn: string } | null; consentCurrent: boolean } | null;
  versions: { version: number; publishedAt: string; consent: { committee: string; documentRef: string; consentedOn: string }; adjustment: { reason: string } | null; items: Item[] }[];
  standing: { itemId: string; state: string; notStarted: boolean; overdue: boolean; decisions: { id: string; title: string; status: string }[] }[];
  history: { at: string; actor: string; action: string; result: string; summary: string }[];
  publicUrl: string | null;
}

const STATE: Record<string, [string, string]> = {
  planned: ['未到计划季度', 'Planned'],
  'not-started': ['未启动', 'Not started'],
  'in-progress': ['办理中', 'In progress'],
  decided: ['已作出决策', 'Decided'],
  overdue: ['已超期', 'Overdue'],
};

/** The list of catalogues in reach, and (for an office) opening next year's. */
export async function renderCatalogues(root: HTMLElement): Promise<void> {
  const list = await api<{ items: { id: string; agency: string; year: number; published: number; publishedAt: string | null; draftOpen: boolean }[]; canCreate: { id: string; name: string } | null }>('GET', '/api/catalogues');
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const year = h('input', { type: 'number', min: 2000, max: 2100, value: Number(chinaToday().slice(0, 4)) + (Number(chinaToday().slice(5, 7)) >= 10 ? 1 : 0) });
  const create = list.canCreate
    ? h(
        'form',
        { class: 'small-form create-catalogue', onsubmit: (ev: Event) => {
          ev.preventDefault();
          api<{ id: string }>('POST', '/api/catalogues', { year: Number(year.value) })
            .then((c) => (location.hash = `#/catalogues/${c.id}`))
            .catch((err: unknown) => clear(errors, ...errorNodes(err)));
        } },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('年度', 'Year')), year),
        errors,
        h('button', { type: 'submit', class: 'primary' }, L(`编制${list.canCreate.name}年度目录`, `Open the catalogue of ${list.canCreate.name}`)),
      )
    : null;
  clear(
    root,
    h('h1', {}, L('重大行政决策事项目录', 'Decision catalogues')),
    h('p', { class: 'small muted' }, L('依据《重大行政决策程序暂行条例》第三条第三款：决策事项目录经同级党委同意后向社会公布，并根据实际情况调整。', 'Decree 713 Art. 3(3): published with the consent of the Party committee at the same level, and adjusted as needed.')),
    list.items.length
      ? h(
          'table',
          { class: 'decisions catalogues' },
          h('thead', {}, h('tr', {}, h('th', {}, L('决策机关', 'Agency')), h('th', {}, L('年度', 'Year')), h('th', {}, L('状态', 'Status')))),
          h(
            'tbody',
            {},
            list.items.map((c) =>
              h('tr', { 'data-catalogue': c.id }, h('td', {}, h('a', { href: `#/catalogues/${c.id}` }, c.agency)), h('td', {}, String(c.year)), h('td', {}, c.published ? L(`已公布第${c.published}版`, `Version ${c.published} published`) : L('编制中', 'Drafting'), c.draftOpen && c.published ? L('（调整中）', ' (adjusting)') : '')),
            ),
          ),
        )
      : h('p', { class: 'muted' }, L('暂无目录。', 'No catalogue yet.')),
    create,
  );
}

function itemRow(item: Item, onRemove: () => void) {
  const text = (name: keyof Item, label: string, long = false) => {
    const el = long ? h('textarea', { rows: 2, name }) : h('input', { type: 'text', name });
    el.value = String(item[name] ?? '');
    return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), el);
  };
  const category = h('select', { name: 'category' }, Object.entries(CATEGORY_LABELS).map(([k, v]) => h('option', { value: k, selected: k === item.category }, say(v))));
  const q = h('select', { name: 'quarter' }, [1, 2, 3, 4].map((n) => h('option', { value: n, selected: n === item.quarter }, quarter(n))));
  const box = (name: keyof Item, label: string) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name, checked: item[name] !== false }), label);
  const el = h(
    'fieldset',
    { class: 'catalogue-item-edit', 'data-item': item.id ?? '' },
    h('legend', {}, item.id ?? L('新事项', 'New item')),
    text('title', L('决策事项名称', 'Title')),
    text('draftingUnit', L('承办单位', 'Drafting unit')),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('事项类别', 'Category')), category),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('计划完成时间', 'Planned quarter')), q),
    text('basis', L('决策依据', 'Basis'), true),
    h('div', { class: 'checks' }, box('publicParticipation', L('拟公众参与', 'Public participation')), box('expertReview', L('拟专家论证', 'Expert review')), box('riskAssessment', L('拟风险评估', 'Risk assessment'))),
    text('note', L('备注', 'Note')),
    h('button', { type: 'button', class: 'link remove-item', onclick: onRemove }, L('删除此事项', 'Remove')),
  );
  const read = (): Item => {
    const v = (n: string) => (el.querySelector(`[name="${n}"]`) as HTMLInputElement).value.trim();
    const c = (n: string) => (el.querySelector(`[name="${n}"]`) as HTMLInputElement).checked;
    return { ...(item.id ? { id: item.id } : {}), title: v('title'), draftingUnit: v('draftingUnit'), category: v('category'), quarter: Number(v('quarter')), basis: v('basis'), publicParticipation: c('publicParticipation'), expertReview: c('expertReview'), riskAssessment: c('riskAssessment'), ...(v('note') ? { note: v('note') } : {}) };
  };
  return { el, read };
}

/** One catalogue: versions, standing, and the office's draft, consent and publication. */
export async function renderCatalogue(root: HTMLElement, cid: string): Promise<void> {
  const c = await api<CatalogueView>('GET', `/api/catalogues/${cid}`);
  const mine = session.user?.roles.includes('secretariat') && session.user.agency?.name === c.agency;
  const latest = c.versions.at(-1);
  const standing = new Map(c.standing.map((s) => [s.itemId, s]));
  const yes = (b: boolean) => (b ? L('是', 'yes') : L('否', 'no'));
  const published = latest
    ? h(
        'section',
        { class: 'published' },
        h('h2', {}, L(`已公布：第${latest.version}版（${fmtTime(latest.publishedAt)}）`, `Published: version ${latest.version} (${fmtTime(latest.publishedAt)})`)),
        h('p', { class: 'small' }, L(`经${latest.consent.committee}同意（${latest.consent.documentRef}，${latest.consent.consentedOn}）`, `With the consent of ${latest.consent.committee} (${latest.consent.documentRef}, ${latest.consent.consentedOn})`), latest.adjustment ? L(`；调整理由：${latest.adjustment.reason}`, `; adjusted: ${latest.adjustment.reason}`) : ''),
        c.publicUrl ? h('p', { class: 'small' }, h('a', { href: c.publicUrl, target: '_blank', rel: 'noopener' }, L('公开页面', 'Public page')), ' · ', h('a', { href: `/api/public/catalogues/${cid}/export.xlsx` }, 'Excel'), ' · ', h('a', { href: `/api/public/catalogues/${cid}/export.csv` }, 'CSV')) : null,
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'decisions catalogue-items' },
            h('thead', {}, h('tr', {}, [L('序号', 'No.'), L('决策事项', 'Item'), L('承办单位', 'Unit'), L('计划', 'Quarter'), L('五项程序', 'Procedures'), L('办理情况', 'Standing')].map((x) => h('th', {}, x)))),
            h(
              'tbody',
              {},
              latest.items.map((i) => {
                const s = standing.get(i.id!);
                const flagged = s && (s.notStarted || s.overdue);
                return h(
                  'tr',
                  { class: flagged ? 'overdue' : '', 'data-item': i.id! },
                  h('td', {}, String(i.no)),
                  h('td', {}, i.title, h('div', { class: 'small muted' }, i.basis)),
                  h('td', {}, i.draftingUnit),
                  h('td', {}, quarter(i.quarter)),
                  h('td', { class: 'small' }, h('div', {}, `${L('公众参与：', 'Participation: ')}${yes(i.publicParticipation)}`), h('div', {}, `${L('专家论证：', 'Experts: ')}${yes(i.expertReview)}`), h('div', {}, `${L('风险评估：', 'Risk: ')}${yes(i.riskAssessment)}`)),
                  h(
                    'td',
                    {},
                    s ? h('span', { class: `badge state-${s.state}${flagged ? ' overdue' : ''}` }, L(...STATE[s.state])) : null,
                    s?.notStarted && s.state !== 'not-started' ? h('span', { class: 'badge overdue' }, L('未启动', 'Not started')) : null,
                    (s?.decisions ?? []).map((d) => h('div', { class: 'small' }, h('a', { href: `#/decisions/${d.id}` }, d.title))),
                  ),
                );
              }),
            ),
          ),
        ),
      )
    : null;
  clear(
    root,
    h('a', { href: '#/catalogues', class: 'back' }, L('← 目录列表', '← Catalogues')),
    h('h1', {}, L(`${c.agency}${c.year}年度重大行政决策事项目录`, `${c.agency}: decision catalogue ${c.year}`)),
    published,
    mine ? draftEditor(root, c) : c.draft ? h('p', { class: 'muted' }, L(`第${c.draft.version}版编制中。`, `Version ${c.draft.version} is being drafted.`)) : null,
    h('details', { class: 'catalogue-history' }, h('summary', {}, L('办理记录', 'Record')), h('ul', { class: 'small' }, c.history.map((e) => h('li', { class: e.result }, `${fmtTime(e.at)} · ${e.actor} · ${e.action} · ${e.result === 'refused' ? L('被拒绝：', 'refused: ') : ''}${e.summary}`)))),
  );
}

function draftEditor(root: HTMLElement, c: CatalogueView): HTMLElement {
  const base: Item[] = c.draft?.items.length ? c.draft.items : (c.versions.at(-1)?.items ?? []);
  const rows = h('div', { class: 'item-rows' });
  const editors: ReturnType<typeof itemRow>[] = [];
  const add = (item: Item) => {
    const r = itemRow(item, () => {
      editors.splice(editors.indexOf(r), 1);
      r.el.remove();
    });
    editors.push(r);
    rows.append(r.el);
  };
  base.forEach(add);
  const blank: Item = { title: '', draftingUnit: '', category: 'public-policy', quarter: 1, basis: '', publicParticipation: true, expertReview: true, riskAssessment: true };
  const reason = h('textarea', { rows: 2, name: 'reason' });
  reason.value = c.draft?.reason ?? '';
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const reload = () => renderCatalogue(root, c.id).catch((err: unknown) => clear(errors, ...errorNodes(err)));
  const act = (f: () => Promise<unknown>) => () => {
    clear(errors);
    f().then(reload, (err: unknown) => clear(errors, ...errorNodes(err)));
  };
  const save = act(() => api('POST', `/api/catalogues/${c.id}/draft`, { items: editors.map((e) => e.read()), ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) }));
  const committee = h('input', { type: 'text', name: 'committee', value: c.draft?.consent?.committee ?? '' });
  const documentRef = h('input', { type: 'text', name: 'documentRef', value: c.draft?.consent?.documentRef ?? '' });
  const consentedOn = h('input', { type: 'date', name: 'consentedOn', max: chinaToday(), value: c.draft?.consent?.consentedOn ?? chinaToday() });
  const consent = act(() => api('POST', `/api/catalogues/${c.id}/consent`, { committee: committee.value.trim(), documentRef: documentRef.value.trim(), consentedOn: consentedOn.value }));
  const publish = act(() => api('POST', `/api/catalogues/${c.id}/publish`, {}));
  const version = c.draft?.version ?? c.published + 1;
  return h(
    'section',
    { class: 'draft-editor' },
    h('h2', {}, c.published ? L(`调整目录（第${version}版）`, `Adjust (version ${version})`) : L(`编制目录（第${version}版）`, `Draft (version ${version})`)),
    rows,
    h('button', { type: 'button', class: 'add-item', onclick: () => add({ ...blank }) }, L('＋ 增加事项', '+ Add an item')),
    c.published ? h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('调整理由', 'Reason for the adjustment'), h('span', { class: 'req' }, ' *')), reason) : null,
    h('button', { type: 'button', class: 'primary save-draft', onclick: save }, L('保存目录草案', 'Save the draft')),
    h(
      'fieldset',
      { class: 'consent' },
      h('legend', {}, L('同级党委同意', "The Party committee's consent")),
      h('p', { class: 'small' }, c.draft?.consentCurrent ? L('已记录党委对当前内容的同意。', 'Consent to the present content is on record.') : L('尚未记录党委对当前内容的同意；内容修改后须重新记录。', 'No consent to the present content yet; a change needs consent again.')),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('党委', 'Committee')), committee),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('文号或会议纪要', 'Document')), documentRef),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, L('同意日期', 'Date')), consentedOn),
      h('button', { type: 'button', class: 'record-consent', onclick: consent }, L('记录党委同意', 'Record the consent')),
    ),
    errors,
    h('button', { type: 'button', class: 'primary publish', onclick: publish }, L('向社会公布', 'Publish')),
  );
}
