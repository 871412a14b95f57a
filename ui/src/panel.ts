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
import { lang, say, t, tArticle, tField, tKind, tReason, tRole, tValue } from './i18n';
import { dossierField, meetingBox } from './meeting';
import { opinionPicker } from './opinions';
import { renderReviewAids } from './review';
import { canAct, DESK_ROLES, hasAny, type Permission } from './roles';

export interface PanelSources {
  schemas: () => Record<string, JsonSchema>;
  articles: () => Record<string, string>;
  draftForm: (step: string) => HTMLElement;
}

/** What the completion form of a kind takes from what is on file rather than from typing. */
function completionParts(ws: Workspace, kind: string): { custom: Record<string, Field>; initial?: Record<string, unknown>; note?: string } {
  switch (kind) {
    case 'initiation':
      return { custom: { applicability: applicabilityField(ws), matter: matterField(ws) } };
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
  const el = h('aside', { class: 'side-panel', oninput: () => (dirty = true) });

  const render = (e: ElementView | undefined) => {
    dirty = false;
    if (!e || !e.kind) return clear(el, h('p', { class: 'muted' }, t('selectStep')));
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
    const buttons = e.allowedActions.map((a) =>
      h(
        'button',
        {
          class: a === 'complete' || a === 'start' ? 'primary' : '',
          'data-action': a,
          disabled: !may.ok,
          title: may.ok ? null : may.reason,
          onclick: () => (a === 'start' ? start() : showForm(a)),
        },
        t(a),
      ),
    );
    if (buttons.length) {
      body.append(h('div', { class: 'buttons' }, buttons));
      if (!may.ok) body.append(h('p', { class: 'why-disabled', 'data-step': e.id }, may.reason));
    } else body.append(h('p', { class: 'muted' }, t('noActions')));
    const draftStep = (e.kind === 'drafting' || e.kind === 'revision') && (e.status === 'enabled' || e.status === 'active') && ws.may(['department']);
    // The reviewer's aids belong to legality review; loaded after the panel so it never waits on them.
    const aidsBox = e.kind === 'legality-review' && v.drafts.length && hasAny(DESK_ROLES) ? h('div', { class: 'aids-slot' }) : null;
    if (aidsBox) void renderReviewAids(ws.id).then((box) => aidsBox.replaceChildren(box), () => aidsBox.replaceChildren());
    // Advisers and experts give their opinion in the opinions section (on a phone, far below): one tap there.
    const giveOpinion =
      (e.kind === 'expert-review' || e.kind === 'legality-review') && ws.may(['legal-adviser', 'expert'])
        ? h('button', { type: 'button', class: 'goto-opinion', onclick: () => focusOpinion() }, ws.actAs().includes('legal-adviser') ? t('recordOpinion') : t('recordExpertOpinion'))
        : null;
    const articles = src.articles();
    clear(
      el,
      h('h2', {}, e.name, e.imported ? h('span', { class: 'chip imported' }, t('imported')) : null, e.reopened ? h('span', { class: 'chip reopened' }, t('reopened')) : null),
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
      e.lockReasons.length
        ? h('div', { class: 'lock-reasons' }, h('h3', {}, t('lockedBecause')), h('ul', {}, e.lockReasons.map((r) => h('li', { 'data-code': r.code }, tReason(r), h('span', { class: 'article' }, ` ${tArticle(r.article)}`)))))
        : null,
      findingBox(ws, e),
      e.kind === 'initiation' ? findingsOverview(ws) : null,
      consultationsBox(ws, e),
      meetingBox(ws, e),
      executionBox(ws, e),
      body,
      giveOpinion,
      aidsBox,
      draftStep ? src.draftForm(e.id) : null,
      records.length ? h('div', { class: 'records' }, h('h3', {}, t('records')), records.map(renderRecord)) : null,
      h('details', { class: 'statute', open: e.status === 'locked' }, h('summary', {}, `${t('statute')}：《重大行政决策程序暂行条例》第${e.article}条`), articlesOf(articles, e.article!).map((a) => h('p', {}, a))),
    );
  };

  return {
    el,
    render,
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
