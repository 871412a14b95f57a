/**
 * The drafting unit's side of public participation in the workspace (Decree 713 Arts. 15-18):
 * every opinion the portal received, grouped by the article it addresses, each with its answer —
 * adopted, partly adopted or not adopted, with the reason — and the adoption report as it will
 * go to the decision body; the hearings, announced in advance, with the list, the delivery of the
 * materials (7 days before) and the signed record. Texts from the public are shown as text.
 */
import type { DecisionView } from '../../workflows/model';
import { api, upload } from './api';
import type { Workspace } from './context';
import { clear, fmtTime, h } from './dom';
import { errorNodes } from './errors';
import { lang } from './i18n';
import './public-opinions.css';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field
type Json = any;

const W = {
  title: ['公众参与：公众意见与听证会', 'Public participation: opinions and hearings'],
  received: ['收到意见{n}条，已答复{m}条', '{n} received, {m} answered'],
  onPortal: ['在门户查看', 'On the portal'],
  fixed: ['公众参与已办结，处理意见已随记录报送，不能再修改。', 'Public participation is completed; the answers went with its record and are fixed.'],
  pending: ['待研究', 'Not answered yet'],
  save: ['保存处理意见', 'Save the answer'],
  reason: ['理由', 'Reason'],
  report: ['意见采纳情况（将随公众参与记录报送决策机关）', 'Adoption report (goes to the decision body with the record)'],
  hearings: ['听证会', 'Hearings'],
  announce: ['公告听证会', 'Announce a hearing'],
  date: ['听证日期', 'Date'],
  time: ['开始时间', 'Time'],
  place: ['地点', 'Place'],
  selection: ['参加人遴选办法', 'Selection method'],
  participants: ['参加人名单（每行一人，如“张三（居民代表）”）', 'Participants (one per line, e.g. “Zhang San (residents)”)'],
  publishList: ['公布名单', 'Publish the list'],
  delivered: ['材料送达日期', 'Materials delivered on'],
  recordDelivery: ['记录送达', 'Record delivery'],
  signed: ['上传经参加人签字的听证记录', 'File the signed record'],
  cancel: ['取消听证会', 'Cancel'],
  cancelReason: ['取消理由', 'Why'],
  cancelled: ['已取消', 'Cancelled'],
  recordFiled: ['签字记录已存档', 'Signed record on file'],
  listPending: ['名单未公布', 'List not published'],
  none: ['暂无', 'None'],
} as const;
const w = (k: keyof typeof W, p: Record<string, string | number> = {}) => W[k][lang === 'zh' ? 0 : 1].replace(/\{(\w+)\}/g, (m, x: string) => (x in p ? String(p[x]) : m));
const ANSWERS = [
  ['adopted', '采纳', 'Adopted'],
  ['partly-adopted', '部分采纳', 'Partly adopted'],
  ['not-adopted', '不予采纳', 'Not adopted'],
] as const;
const say = (b: { zh: string; en: string } | null | undefined) => (b ? b[lang] : '');

/** Parse "张三（居民代表）" lines into participants. */
function participantsOf(text: string) {
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(.+?)[（(](.+)[）)]$/.exec(l);
      return m ? { name: m[1].trim(), represents: m[2].trim() } : { name: l };
    });
}

export function publicOpinionsSection(ws: Workspace) {
  const el = h('section', { class: 'public-side', hidden: true });
  const status = h('div', { class: 'form-errors' });

  /** Post a change, then redraw the workspace from the view it returned (or this section alone). */
  const post = async (path: string, body: unknown, file?: File) => {
    status.replaceChildren();
    try {
      const r = file ? await upload<DecisionView>(path, file) : await api<Json>('POST', path, body);
      if (r && typeof r === 'object' && 'decisionId' in r) await ws.settle(r as DecisionView);
      else await refresh(true);
    } catch (err) {
      status.replaceChildren(...errorNodes(err));
      await ws.audited();
    }
  };

  const answerForm = (id: string, o: Json) => {
    const select = h('select', { name: 'decision' }, ANSWERS.map(([v, zh, en]) => h('option', { value: v, selected: o.answer?.decision === v }, lang === 'zh' ? zh : en)));
    const reason = h('input', { name: 'reason', value: o.answer?.reason ?? '', placeholder: w('reason'), maxlength: 2000 });
    const form = h('form', { class: 'answer-form' }, select, reason, h('button', { type: 'submit' }, w('save')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void post(`/api/decisions/${id}/public-opinions/${o.receipt}/answer`, { decision: select.value, reason: reason.value });
    });
    return form;
  };

  const opinionItem = (id: string, o: Json, mayAnswer: boolean) =>
    h(
      'li',
      { class: 'public-opinion', 'data-receipt': o.receipt },
      h('div', { class: 'small muted' }, `${o.receipt} · ${fmtTime(o.receivedAt)}`, o.name ? ` · ${o.name}` : '', o.contact ? ` · ${o.contact}` : ''),
      h('p', { class: 'opinion-text' }, o.text),
      o.attachments.length ? h('div', { class: 'small' }, o.attachments.map((a: Json) => h('a', { href: `/api/decisions/${id}/public-opinions/${o.receipt}/attachments/${a.n}`, download: a.filename }, `📎 ${a.filename}`))) : null,
      o.answer ? h('div', { class: `answer ${o.answer.decision}` }, h('strong', {}, say(o.answer.label)), `：${o.answer.reason}`) : h('div', { class: 'answer pending small muted' }, w('pending')),
      mayAnswer ? answerForm(id, o) : null,
    );

  const hearingItem = (id: string, x: DecisionView['hearings'][number], mayAct: boolean) => {
    const list = h('textarea', { name: 'participants', rows: 3, placeholder: w('participants') });
    const day = h('input', { type: 'date', name: 'deliveredOn' });
    const file = h('input', { type: 'file', name: 'record', accept: '.pdf,.ofd,.doc,.docx,.jpg,.jpeg,.png' });
    const why = h('input', { name: 'reasons', placeholder: w('cancelReason') });
    const open = !x.cancelled && !x.signedRecord;
    return h(
      'li',
      { class: 'hearing', 'data-id': x.id },
      h('strong', {}, `${x.id} · ${x.scheduledOn} ${x.startsAt} · ${x.place}`),
      x.cancelled ? h('span', { class: 'chip' }, `${w('cancelled')}：${x.cancelled.reasons}`) : null,
      x.signedRecord ? h('a', { class: 'chip', href: `/api/decisions/${id}/hearings/${x.id}/record` }, w('recordFiled')) : null,
      h('div', { class: 'small' }, `${w('selection')}：${x.selectionMethod}`),
      h('div', { class: 'small' }, x.participants.length ? x.participants.map((p) => (p.represents ? `${p.name}（${p.represents}）` : p.name)).join('、') : w('listPending')),
      x.materialsDeliveredOn ? h('div', { class: 'small' }, `${w('delivered')}：${x.materialsDeliveredOn}`) : null,
      mayAct && open
        ? h(
            'div',
            { class: 'hearing-actions' },
            !x.materialsDeliveredOn ? [list, h('button', { type: 'button', class: 'publish-list', onclick: () => void post(`/api/decisions/${id}/hearings/${x.id}/participants`, { participants: participantsOf(list.value) }) }, w('publishList'))] : null,
            !x.materialsDeliveredOn ? [h('label', {}, w('delivered'), day), h('button', { type: 'button', class: 'record-delivery', onclick: () => void post(`/api/decisions/${id}/hearings/${x.id}/delivered`, { deliveredOn: day.value }) }, w('recordDelivery'))] : null,
            h('label', {}, w('signed'), file),
            h('button', { type: 'button', class: 'file-record', onclick: () => file.files?.[0] && void post(`/api/decisions/${id}/hearings/${x.id}/record`, null, file.files[0]) }, w('signed')),
            why,
            h('button', { type: 'button', class: 'cancel-hearing', onclick: () => void post(`/api/decisions/${id}/hearings/${x.id}/cancel`, { reasons: why.value }) }, w('cancel')),
          )
        : null,
    );
  };

  const announceForm = (id: string) => {
    const f = {
      scheduledOn: h('input', { type: 'date', name: 'scheduledOn', required: true }),
      startsAt: h('input', { type: 'time', name: 'startsAt', value: '09:00', required: true }),
      place: h('input', { name: 'place', required: true }),
      selectionMethod: h('textarea', { name: 'selectionMethod', rows: 2, required: true }),
      participants: h('textarea', { name: 'participants', rows: 3 }),
    };
    const form = h(
      'form',
      { class: 'announce-hearing' },
      h('h4', {}, w('announce')),
      h('label', {}, w('date'), f.scheduledOn),
      h('label', {}, w('time'), f.startsAt),
      h('label', {}, w('place'), f.place),
      h('label', {}, w('selection'), f.selectionMethod),
      h('label', {}, w('participants'), f.participants),
      h('button', { type: 'submit' }, w('announce')),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const participants = participantsOf(f.participants.value);
      void post(`/api/decisions/${id}/hearings`, { scheduledOn: f.scheduledOn.value, startsAt: f.startsAt.value, place: f.place.value, selectionMethod: f.selectionMethod.value, ...(participants.length ? { participants } : {}) });
    });
    return form;
  };

  /** Redraw from the server; a form being typed into is left alone unless `force`. */
  async function refresh(force = false) {
    if (!force && el.contains(document.activeElement) && document.activeElement !== document.body) return;
    const view = ws.view();
    const pp = Object.values(view.elements).find((e) => e.kind === 'public-participation');
    if (!pp || (!view.consultations.length && !(view.hearings ?? []).length && pp.status !== 'active')) {
      el.hidden = true;
      return;
    }
    const [opinions, draft] = await Promise.all([api<Json>('GET', `/api/decisions/${ws.id}/public-opinions`).catch(() => null), api<Json>('GET', `/api/decisions/${ws.id}/participation`).catch(() => null)]);
    const mayAnswer = Boolean(opinions && !opinions.fixed && ws.may(['department']));
    const mayAct = pp.status === 'active' && ws.may(['department']);
    el.hidden = false;
    clear(
      el,
      h('h2', {}, w('title')),
      status,
      (opinions?.consultations ?? []).map((c: Json) =>
        h(
          'div',
          { class: 'public-consultation', 'data-id': c.id },
          h('h3', {}, `${c.id} · ${c.opensOn} — ${c.closesOn} · ${w('received', { n: c.received, m: c.answered })} `, h('a', { href: `/portal/#/c/${encodeURIComponent(c.key)}`, target: '_blank', rel: 'noopener' }, w('onPortal'))),
          opinions.fixed ? h('p', { class: 'small muted' }, w('fixed')) : null,
          c.groups.map((g: Json) => h('div', { class: 'clause-group', 'data-clause': String(g.clause ?? 'whole') }, h('h4', {}, say(g.label)), h('ul', { class: 'plain' }, g.opinions.map((o: Json) => opinionItem(ws.id, o, mayAnswer))))),
        ),
      ),
      draft?.reports?.length ? h('details', { class: 'adoption-report' }, h('summary', {}, w('report')), draft.reports.map((r: Json) => h('pre', { class: 'small' }, r.text))) : null,
      h('h3', {}, w('hearings')),
      (view.hearings ?? []).length ? h('ul', { class: 'plain hearings' }, view.hearings.map((x) => hearingItem(ws.id, x, mayAct))) : h('p', { class: 'muted' }, w('none')),
      mayAct ? announceForm(ws.id) : null,
    );
  }

  return { el, refresh: () => refresh(false) };
}
