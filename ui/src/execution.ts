/**
 * Execution (Decree 713 Arts. 34-37): the implementing department reports problems, a material
 * change of circumstances or force majeure; the head of the decision body — and only the head —
 * suspends execution in an emergency and resumes it. A suspension is shown above everything else.
 */
import type { ElementView } from '../../workflows/model';
import { api } from './api';
import { postAct } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import { clear, fmtTime, h } from './dom';
import { generateForm, textField, type Field, type JsonSchema } from './form';
import { lang, t, tField, tKind, tValue } from './i18n';

const PROBLEM_SCHEMA: JsonSchema = { type: 'object', properties: { kind: { enum: ['problem', 'circumstances-changed', 'force-majeure'] }, description: { type: 'string' } }, required: ['kind', 'description'] };
const REASONS_SCHEMA: JsonSchema = { type: 'object', properties: { reasons: { type: 'string' } }, required: ['reasons'] };

/** The head of each decision's body on file, asked once per decision. */
const heads = new Map<string, Promise<string | null>>();
const headOf = (id: string) => {
  if (!heads.has(id)) heads.set(id, api<{ head: { username: string } | null }>('GET', `/api/decisions/${id}/meeting`).then((r) => r.head?.username ?? null, () => null));
  return heads.get(id)!;
};

/** The suspension, prominently, while it lasts. */
export function suspensionBanner(ws: Workspace): HTMLElement | null {
  const s = ws.view().execution.suspended;
  if (!s) return null;
  return h('section', { class: 'suspension-banner', role: 'alert' }, h('strong', {}, t('suspendedBanner')), h('span', {}, `${tField('reasons')}${lang === 'zh' ? '：' : ': '}${s.reasons}`), h('span', { class: 'small' }, `${s.by} · ${fmtTime(s.at)}`));
}

/** The execution steps' panel part: problems reported, the department's report, the head's suspend and resume. */
export function executionBox(ws: Workspace, e: ElementView): HTMLElement | null {
  if (e.kind !== 'implementation' && e.kind !== 'post-evaluation') return null;
  const x = ws.view().execution;
  const running = e.status === 'enabled' || e.status === 'active';
  if (!running && !x.problems.length && !x.history.length) return null;
  const slot = h('div', { class: 'execution-form' });
  const show = (title: string, schema: JsonSchema, path: string) => {
    ws.hold(true);
    const dated = datedField(ws);
    const custom: Record<string, Field> = schema === PROBLEM_SCHEMA ? { description: textField('description', t('problemDescription'), { required: true, long: true }) } : {};
    const form = generateForm(schema, title, async (value) => void (await postAct(ws, path, value, form, dated)), { lead: [dated], custom, onCancel: () => ws.hold(false) });
    clear(slot, h('h4', {}, title), form.el);
  };
  const headControls = h('div', { class: 'head-controls' });
  if (running && ws.may(['decision-body'])) {
    void headOf(ws.id).then((head) => {
      if (head !== ws.viewer().username) return void headControls.append(h('p', { class: 'small muted' }, t('headDecides')));
      headControls.append(
        x.suspended
          ? h('button', { type: 'button', class: 'resume', onclick: () => show(t('resumeExecution'), REASONS_SCHEMA, `/api/decisions/${ws.id}/execution/resume`) }, t('resumeExecution'))
          : h('button', { type: 'button', class: 'suspend danger', onclick: () => show(t('suspendExecution'), REASONS_SCHEMA, `/api/decisions/${ws.id}/execution/suspend`) }, t('suspendExecution')),
      );
    });
  }
  return h(
    'section',
    { class: 'execution-box' },
    h('h3', {}, tKind('implementation')),
    x.problems.length
      ? h('div', {}, h('h4', {}, t('problemsReported')), h('ul', { class: 'problems' }, x.problems.map((p) => h('li', {}, h('strong', {}, tValue(p.kind)), `：${p.description}`, h('div', { class: 'small muted' }, `${p.by} · ${fmtTime(p.at)}`)))))
      : null,
    x.history.length ? h('ul', { class: 'suspension-history small' }, x.history.map((s) => h('li', {}, `${tValue(s.event)} · ${s.reasons} · ${s.by} · ${fmtTime(s.at)}`))) : null,
    running && ws.may(['department']) ? h('button', { type: 'button', class: 'report-problem', onclick: () => show(t('reportProblem'), PROBLEM_SCHEMA, `/api/decisions/${ws.id}/execution/problems`) }, t('reportProblem')) : null,
    headControls,
    slot,
  );
}
