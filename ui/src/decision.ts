/**
 * The decision workspace: the decision's own definition version drawn with bpmn-js (diagram.ts),
 * the step list, the selected step's side panel (panel.ts), the draft versions, the people, the
 * opinions and the timeline — all drawn from one live view of the decision and redrawn when an
 * act is accepted here or anyone else's act (or refused attempt) arrives.
 */
import type { DecisionView } from '../../workflows/model';
import { api, apiText } from './api';
import { importBanner } from './backfill';
import { workspaceOf, type Viewed } from './context';
import { drawDiagram, STATUSES } from './diagram';
import { clear, h } from './dom';
import { draftFormOf, draftsSection } from './drafts';
import { suspensionBanner } from './execution';
import { stepStatusLabel } from './findings';
import type { JsonSchema } from './form';
import { colon, t, tCategory, tField, tStatus } from './i18n';
import { opinionsSection } from './opinions';
import { focusOpinion, stepPanel } from './panel';
import { participantsSection } from './people';
import { NOBODY, type Viewer } from './roles';
import { timelineSection } from './timeline';

let schemasCache: Record<string, JsonSchema> | undefined;
let statuteCache: { articles: Record<string, string> } | undefined;

/**
 * Render the workspace of one decision; returns a disposer that stops live updates.
 * `?step=` selects a step (the desk opens legality review); `?focus=opinion` goes to the opinion form.
 */
export async function renderDecision(root: HTMLElement, id: string, params: URLSearchParams = new URLSearchParams()): Promise<() => void> {
  const [view, xml] = await Promise.all([
    api<Viewed>('GET', `/api/decisions/${id}`),
    apiText(`/api/decisions/${id}/definition.xml`),
    (async () => (schemasCache ??= await api<Record<string, JsonSchema>>('GET', '/api/schemas/records')))(),
    (async () => (statuteCache ??= await api<{ articles: Record<string, string> }>('GET', '/api/statute/decree-713')))(),
  ]);
  let state: DecisionView = view;
  /** What the reader may do here, from the server (a step action's reply does not carry it). */
  let access: Viewer = view.viewer ?? NOBODY;
  const asked = params.get('step');
  let selected: string | undefined = asked && view.elements[asked]?.kind ? asked : view.currentSteps[0];
  let lastAudit = 0;

  const ws = workspaceOf(id, () => ({ view: state, viewer: access }), {
    settle: async (next) => {
      panel.hold(false);
      await refresh(next ?? true);
    },
    audited: async () => {
      lastAudit = await timeline.refresh();
    },
    hold: (on) => {
      panel.hold(on);
      if (!on) renderPanel();
    },
  });
  const header = h('div', { class: 'decision-head' });
  const banners = h('div', { class: 'banners' });
  const canvas = h('div', { class: 'canvas', id: 'canvas' });
  const outline = h('nav', { class: 'outline', 'aria-label': 'steps' });
  const panel = stepPanel(ws, { schemas: () => schemasCache!, articles: () => statuteCache!.articles, draftForm: draftFormOf(ws) });
  const timeline = timelineSection(ws);
  const drafts = draftsSection(ws);
  const people = participantsSection(ws, () => refresh(true));
  const opinions = opinionsSection(ws);
  const live = h('span', { class: 'live', title: t('live') }, '● ', t('live'));
  clear(
    root,
    h('a', { href: '#/', class: 'back' }, `← ${t('back')}`),
    header,
    banners,
    h('div', { class: 'workspace' }, h('div', { class: 'main-col' }, canvas, legend(), outline, drafts.el, people.el, opinions.el, timeline.el), panel.el),
  );

  const started = performance.now();
  const diagram = await drawDiagram(canvas, xml, selected);
  root.dataset.importMs = String(Math.round(performance.now() - started));

  const renderPanel = () => {
    diagram.select(selected);
    panel.render(selected ? state.elements[selected] : undefined);
  };
  const select = (stepId: string, scroll: boolean) => {
    selected = stepId;
    panel.hold(false);
    diagram.select(stepId, scroll);
    renderPanel();
    renderOutline();
  };
  diagram.onSelect((stepId) => state.elements[stepId]?.kind && select(stepId, false));

  /** Every step in procedure order with its status: the diagram's plain-language twin. */
  const renderOutline = () =>
    clear(
      outline,
      h('h2', {}, t('steps')),
      h(
        'ol',
        {},
        Object.values(state.elements)
          .filter((e) => e.kind && (e.visits > 0 || e.kind !== 'revision'))
          .map((e) =>
            h(
              'li',
              { class: `${selected === e.id ? 'selected' : ''}`, 'data-step': e.id },
              h('button', { type: 'button', class: `link step-link juece-badge-${e.status}`, onclick: () => select(e.id, true) }, e.name),
              h('span', { class: `status juece-badge-${e.status}` }, stepStatusLabel(e)),
              e.imported ? h('span', { class: 'chip imported' }, t('imported')) : null,
              e.reopened ? h('span', { class: 'chip reopened' }, t('reopened')) : null,
              e.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
            ),
          ),
      ),
    );

  const renderHeader = () => {
    const facts = Object.entries(state.facts).filter(([, v]) => v);
    const matter = Object.entries(state.matter).filter(([, m]) => m?.value);
    clear(
      header,
      h('h1', {}, state.meta.title),
      h(
        'div',
        { class: 'meta' },
        h('span', { class: `status status-${state.status}` }, tStatus(state.status)),
        h('span', {}, `${tField('agency')}${colon()}${state.meta.agency}`),
        h('span', {}, `${tField('draftingUnit')}${colon()}${state.meta.draftingUnit}`),
        h('span', {}, `${tField('category')}${colon()}${tCategory(state.meta.category)}`),
        h('span', { class: 'muted' }, `${state.procedure.name} v${state.procedure.version}`),
        live,
      ),
      h('div', { class: 'facts proposal' }, h('span', { class: 'facts-label small muted' }, `${t('proposal')}${colon()}`), facts.length ? facts.map(([k]) => h('span', { class: 'fact' }, tField(k))) : h('span', { class: 'small muted' }, t('none'))),
      matter.length ? h('div', { class: 'facts matter' }, h('span', { class: 'facts-label small muted' }, `${tField('matter')}${colon()}`), matter.map(([k]) => h('span', { class: 'fact found' }, tField(k)))) : null,
      state.meta.adjusts ? h('p', { class: 'small' }, `${tField('adjusts')}${colon()}`, h('a', { href: `#/decisions/${state.meta.adjusts}` }, state.meta.adjusts)) : null,
      state.adjustedBy.length ? h('p', { class: 'small' }, `${tField('linkedDecisionId')}${colon()}`, state.adjustedBy.map((a) => h('a', { href: `#/decisions/${a.decisionId}` }, a.title))) : null,
    );
    clear(banners, suspensionBanner(ws), importBanner(ws));
  };

  /** Redraw everything from the state (`true`: fetch it first; a view: take it). */
  const refresh = async (next?: DecisionView | true) => {
    if (next === true) {
      const fresh = await api<Viewed>('GET', `/api/decisions/${id}`);
      state = fresh;
      access = fresh.viewer ?? access;
    } else if (next) state = next;
    renderHeader();
    diagram.show(state);
    if (!panel.busy()) renderPanel();
    else diagram.select(selected);
    renderOutline();
    if (!root.dataset.diagramMs) root.dataset.diagramMs = String(Math.round(performance.now())); // since navigation began
    // What the reader may do comes with the view (viewer), so the sections load side by side.
    const [audits] = await Promise.all([timeline.refresh(), drafts.refresh(), people.refresh().catch(() => undefined), opinions.refresh().catch(() => undefined)]);
    lastAudit = audits;
  };
  await refresh();
  if (params.get('focus') === 'opinion') focusOpinion();
  root.dataset.renderMs = String(Math.round(performance.now() - started));
  root.dataset.ready = 'true';

  // Live: someone else's action (or refused attempt) shows up without a reload.
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 1500));
      if (stopped) break;
      try {
        const next = await api<Viewed>('GET', `/api/decisions/${id}`);
        const audit = await api<{ items: unknown[] }>('GET', `/api/decisions/${id}/audit`);
        live.classList.remove('offline');
        access = next.viewer ?? access;
        // Never step back to a state older than one our own action already returned.
        if (next.seq > state.seq || (next.seq === state.seq && audit.items.length !== lastAudit)) await refresh(next);
      } catch {
        live.classList.add('offline');
      }
    }
  };
  void poll();
  return () => {
    stopped = true;
    diagram.destroy();
  };
}

function legend() {
  return h('div', { class: 'legend' }, h('strong', {}, t('legend'), colon()), STATUSES.map((s) => h('span', { class: `legend-item juece-badge-${s}` }, tStatus(s))));
}
