/**
 * The side panel of the selected step: its status, due date and lock reasons; the part its kind
 * needs (the office's finding, consultations, the meeting, execution); the actions the statute
 * allows now — offered only to the role the step names, inside the decision's organisation, with
 * the reason when not — through forms generated from the record schemas, with designed parts
 * where a choice must come from what is on file; its records; and the articles it rests on.
 */
import { GROUNDS } from '../../definitions/statute';
import type { ElementView, StepRecord } from '../../workflows/model';
import { postAct } from './acts';
import { datedField } from './backfill';
import { consultationRows, consultationsBox, fixConsultationIds } from './consultations';
import type { Workspace } from './context';
import { clear, fmtTime, h } from './dom';
import { executionBox } from './execution';
import { applicabilityField, findingBox, findingsOverview, matterField, stepStatusLabel } from './findings';
import { generateForm, type Field, type JsonSchema } from './form';
import { lang, say, t, tArticle, tField, tKind, tRole, tValue } from './i18n';
import { dossierField, meetingBox } from './meeting';
import { opinionPicker } from './opinions';
import { canAct, holderOf, type Permission } from './roles';
import { lockReasonList } from './locks';

export interface PanelSources {
  schemas: () => Record<string, JsonSchema>;
  articles: () => Record<string, string>;
  draftForm: (step: string) => HTMLElement;
  /** Go to another step (a missing prerequisite named in a lock reason). */
  select: (step: string) => void;
}

/** What the completion form of a kind takes from what is on file rather than from typing. */
function completionParts(ws: Workspace, kind: string): { custom: Record<string, Field>; initial?: Record<string, unknown>; note?: string } {
  switch (kind) {
    case 'initiation':
      // The drafting unit is on file from the proposal: offered, for the office to confirm (Art. 11).
      return { custom: { applicability: applicabilityField(ws), matter: matterField(ws) }, initial: { draftingUnit: ws.view().meta.draftingUnit } };
    case 'legality-review':
      return { custom: { adviserOpinions: opinionPicker(ws, 'adviserOpinions') } };
    case 'expert-review':
      return { custom: { opinions: opinionPicker(ws, 'opinions') } };
    case 'collective-decision':
      return { custom: { draftVersion: dossierField(ws) } };
    case 'public-participation': {
      const rows = consultationRows(ws);
      return { custom: {}, initial: rows.length ? { consultations: rows } : undefined, note: rows.length ? t('prefilledConsultations') : undefined };
    }
    default:
      return { custom: {} };
  }
}

export function stepPanel(ws: Workspace, src: PanelSources) {
  let held = false;
  /** Set when the user types in the panel: live updates must not wipe what they are writing. */
  let dirty = false;
  /** On a phone the panel is a sheet over the page's foot: folded to its title bar, or open. */
  const content = h('div', { class: 'panel-content' });
  const notice = h('div', { class: 'next-notice', role: 'status', 'aria-live': 'polite' });
  const title = h('span', { class: 'sheet-title' });
  const toggle = h('button', { type: 'button', class: 'sheet-toggle', 'aria-expanded': 'false', 'aria-controls': 'step-panel-content', onclick: () => setOpen(!el.classList.contains('open')) }, title, h('span', { class: 'sheet-chevron', 'aria-hidden': 'true' }));
  content.id = 'step-panel-content';
  const el = h('aside', { class: 'side-panel', 'aria-label': t('stepDetails'), oninput: () => (dirty = true) }, toggle, notice, content);
  const setOpen = (on: boolean) => {
    el.classList.toggle('open', on);
    toggle.setAttribute('aria-expanded', String(on));
  };

  const render = (e: ElementView | undefined) => {
    dirty = false;
    title.textContent = e?.kind ? e.name : t('stepDetails');
    if (!e || !e.kind) return clear(content, h('p', { class: 'muted' }, t('selectStep')));
    const v = ws.view();
    const records = v.records.filter((r) => r.elementId === e.id);
    const body = h('div', { class: 'actions' });
    const showErrors = (d: { path: string; message: string }[]) => (clear(body, d.map((x) => h('div', { class: 'field-error' }, x.message))), []);
    // The step's role, inside the decision's organisation; the server decides in the end.
    const verdict = ws.viewer().steps[e.id];
    const may: Permission = !e.role || !verdict ? canAct(e.role ? [e.role] : [], ws.actAs(), v.meta) : verdict.allowed ? { ok: true } : { ok: false, reason: (lang === 'en' ? verdict.en : verdict.zh) ?? '' };
    const path = (action: string) => `/api/decisions/${ws.id}/steps/${e.id}/${action}`;

    const showForm = (action: string) => {
      ws.hold(true);
      const dated = datedField(ws);
      const parts = action === 'complete' ? completionParts(ws, e.kind!) : { custom: {} };
      const schema: JsonSchema =
        action === 'complete' ? src.schemas()[e.record!] : action === 'return' ? { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] } : { type: 'object', properties: {} };
      const form = generateForm(schema, t(action), async (value) => void (await postAct(ws, path(action), value, form, dated)), {
        initial: parts.initial,
        custom: parts.custom,
        lead: [dated],
        onCancel: () => ws.hold(false),
      });
      if (e.kind === 'public-participation') fixConsultationIds(form.el);
      clear(body, h('h3', {}, t(action)), parts.note ? h('p', { class: 'form-note small' }, parts.note) : null, form.el);
    };
    // Starting needs no record: it happens at once, unless an import needs the date it happened.
    const start = () => (v.import?.open ? showForm('start') : void postAct(ws, path('start'), {}, { showErrors }));
    // Only what the reader may do is offered; otherwise the step says who does it (and why not the reader).
    const buttons = may.ok
      ? e.allowedActions.map((a) => h('button', { class: a === 'complete' || a === 'start' ? 'primary' : '', 'data-action': a, onclick: () => (a === 'start' ? start() : showForm(a)) }, t(a)))
      : [];
    const holder = e.role ? holderOf(e.role, v.meta) : '';
    if (buttons.length) body.append(h('div', { class: 'buttons' }, buttons));
    else if (e.allowedActions.length && !may.ok && !ws.closed())
      body.append(h('p', { class: 'who-acts', 'data-step': e.id }, h('strong', {}, t('actedBy', holder)), h('span', { class: 'why-not small' }, may.reason)));
    else body.append(h('p', { class: 'muted' }, t('noActions')));
    const draftStep = (e.kind === 'drafting' || e.kind === 'revision') && (e.status === 'enabled' || e.status === 'active') && ws.may(['department']);
    // Advisers and experts give their opinion in the opinions section (on a phone, far below): one tap there.
    const giveOpinion =
      (e.kind === 'expert-review' || e.kind === 'legality-review') && ws.may(['legal-adviser', 'expert'])
        ? h('button', { type: 'button', class: 'goto-opinion', onclick: () => focusOpinion() }, ws.actAs().includes('legal-adviser') ? t('recordOpinion') : t('recordExpertOpinion'))
        : null;
    const articles = src.articles();
    clear(
      content,
      h('h2', { tabindex: '-1', class: 'step-title' }, e.name, e.imported ? h('span', { class: 'chip imported' }, t('imported')) : null, e.reopened ? h('span', { class: 'chip reopened' }, t('reopened')) : null),
      h(
        'div',
        { class: 'step-meta' },
        h('span', { class: `status juece-badge-${e.status}` }, stepStatusLabel(e)),
        e.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
        h('span', {}, tKind(e.kind)),
        h('span', {}, tRole(e.role ?? '')),
        h('span', {}, tArticle(`Decree 713 Art. ${e.article}`)),
      ),
      e.due ? h('p', { class: e.overdue ? 'due overdue' : 'due' }, `${t('due')}：${e.due.date}`, e.due.approximate ? t('approximate') : '') : null,
      e.lockReasons.length ? lockReasonList(e, v, src.select) : null,
      findingBox(ws, e),
      e.kind === 'initiation' ? findingsOverview(ws) : null,
      consultationsBox(ws, e),
      meetingBox(ws, e),
      executionBox(ws, e),
      body,
      giveOpinion,
      draftStep ? src.draftForm(e.id) : null,
      records.length ? h('div', { class: 'records' }, h('h3', {}, t('records')), records.map(renderRecord)) : null,
      h('details', { class: 'statute', open: e.status === 'locked' }, h('summary', {}, `${t('statute')}：《重大行政决策程序暂行条例》第${e.article}条`), articlesOf(articles, e.article!).map((a) => h('p', {}, a))),
    );
  };

  return {
    el,
    render,
    /** Unfold the sheet (on a phone); `focus` moves the keyboard to the step's title. */
    open: (focus: boolean) => {
      setOpen(true);
      if (focus) content.querySelector<HTMLElement>('.step-title')?.focus();
    },
    /** Say what just happened and what comes next, above the step (read out by screen readers). */
    notice: (text: string) => {
      notice.textContent = text;
    },
    /** Is a form open or being typed in (so a live update must not redraw the panel)? */
    busy: () => held || dirty,
    hold: (on: boolean) => {
      held = on;
      if (!on) dirty = false;
    },
  };
}

/** Scroll to the opinion form and put the cursor in it. */
export function focusOpinion() {
  const section = document.getElementById('opinions');
  section?.scrollIntoView({ block: 'start' });
  section?.querySelector<HTMLTextAreaElement>('textarea[name="opinion"]')?.focus();
}

function articlesOf(all: Record<string, string>, spec: string): string[] {
  const [a, b] = spec.split('-').map((x) => parseInt(x, 10));
  const out: string[] = [];
  for (let n = a; n <= (b || a); n++) if (all[String(n)]) out.push(all[String(n)]);
  return out;
}

function renderRecord(r: StepRecord) {
  return h(
    'div',
    { class: `record${r.imported ? ' imported' : ''}` },
    h('div', { class: 'record-head' }, `${tValue(r.action)} · ${r.actor} · ${fmtTime(r.at)}${r.draftVersion ? ` · ${t('version', r.draftVersion)}` : ''}`, r.imported ? h('span', { class: 'chip imported' }, t('imported')) : null),
    Object.keys(r.data).length ? renderValue(r.data) : null,
  );
}

function renderValue(v: unknown, key = ''): HTMLElement | string {
  if (Array.isArray(v)) return h('ol', {}, v.map((x) => h('li', {}, renderValue(x))));
  if (v && typeof v === 'object') return h('dl', {}, Object.entries(v).map(([k, x]) => [h('dt', {}, tField(k)), h('dd', {}, renderValue(x, k))]));
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (key === 'ground' && typeof v === 'string' && v in GROUNDS) return say(GROUNDS[v as keyof typeof GROUNDS]);
  return typeof v === 'string' ? tValue(v) : String(v);
}
