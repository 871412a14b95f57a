/**
 * The decision workspace: the decision's own definition version drawn with bpmn-js (diagram.ts),
 * the step list, the selected step's side panel (panel.ts; a sheet from the bottom on a phone),
 * the draft versions, the people, the opinions and the timeline — all drawn from one live view of
 * the decision and redrawn when an act is accepted here or anyone else's act (or refused attempt)
 * arrives (live.ts). After an act that settles a step, the panel moves to the step that opened for
 * the reader, or says whom the decision now waits for.
 */
import type { DecisionView, ElementView } from '../../workflows/model';
import { api, ApiFailure, apiText } from './api';
import { importBanner } from './backfill';
import { reviewBench } from './bench';
import { workspaceOf, type Viewed } from './context';
import { drawDiagram, shownStatus, statusIcon, STATUSES } from './diagram';
import { clear, h } from './dom';
import { draftFormOf, draftsSection } from './drafts';
import { suspensionBanner } from './execution';
import { stepStatusLabel } from './findings';
import type { JsonSchema } from './form';
import { colon, t, tCategory, tField, tStatus } from './i18n';
import { watchDecision } from './live';
import { opinionsSection } from './opinions';
import { focusOpinion, stepPanel } from './panel';
import { participantsSection } from './people';
import { supervisionSection } from './supervision';
import { publicOpinionsSection } from './public-opinions';
import { DESK_ROLES, hasAny, holderOf, NOBODY, type Viewer } from './roles';
import { renderRecorded, workflowUnavailable } from './recorded';
import { timelineSection } from './timeline';

let schemasCache: Record<string, JsonSchema> | undefined;
let statuteCache: { articles: Record<string, string> } | undefined;

const OPEN = new Set(['enabled', 'active']);

/**
 * Render the workspace of one decision; returns a disposer that stops live updates.
 * `?step=` selects a step (the desk opens legality review); `?focus=opinion` goes to the opinion
 * form; `?bench=1` opens the legality review in the reviewer's wide layout.
 */
export async function renderDecision(root: HTMLElement, id: string, params: URLSearchParams = new URLSearchParams()): Promise<() => void> {
  // Without its workflow (Temporal or the worker unavailable) the page shows what the read model recorded.
  const viewed = api<Viewed>('GET', `/api/decisions/${id}`).catch((err: unknown) => (workflowUnavailable(err) ? (err as ApiFailure) : Promise.reject(err)));
  const [view, xml] = await Promise.all([
    viewed,
    apiText(`/api/decisions/${id}/definition.xml`),
    (async () => (schemasCache ??= await api<Record<string, JsonSchema>>('GET', '/api/schemas/records')))(),
    (async () => (statuteCache ??= await api<{ articles: Record<string, string> }>('GET', '/api/statute/decree-713')))(),
  ]);
  if (view instanceof ApiFailure) {
    let dispose = () => undefined as void;
    dispose = await renderRecorded(root, id, view, () => void renderDecision(root, id, params).then((d) => (dispose = d)));
    return () => dispose();
  }
  let state: DecisionView = view;
  /** What the reader may do here, from the server (a step action's reply does not carry it). */
  let access: Viewer = view.viewer ?? NOBODY;
  const asked = params.get('step');
  /** Asked for, else the first open step the reader may act on, else the first open step. */
  let selected: string | undefined = asked && view.elements[asked]?.kind ? asked : (view.currentSteps.find((s) => access.steps[s]?.allowed) ?? view.currentSteps[0]);

  const ws = workspaceOf(id, () => ({ view: state, viewer: access }), {
    settle: async (next) => {
      panel.hold(false);
      const before = selected ? state.elements[selected]?.status : undefined;
      await refresh(next ?? true);
      if (selected && before && OPEN.has(before) && !OPEN.has(state.elements[selected]?.status ?? '')) moveOn(state.elements[selected]);
    },
    audited: async () => {
      await timeline.refresh();
    },
    hold: (on) => {
      panel.hold(on);
      if (!on) renderPanel();
    },
  });
  const header = h('div', { class: 'decision-head' });
  const banners = h('div', { class: 'banners' });
  const diagramBox = h('div', { class: 'diagram' });
  const outline = h('nav', { class: 'outline', 'aria-labelledby': 'outline-title' });
  const panel = stepPanel(ws, {
    schemas: () => schemasCache!,
    articles: () => statuteCache!.articles,
    draftForm: draftFormOf(ws),
    select: (stepId) => select(stepId, true, true),
  });
  const timeline = timelineSection(ws);
  const drafts = draftsSection(ws);
  const people = participantsSection(ws, () => refresh(true));
  const opinions = opinionsSection(ws);
  const supervision = supervisionSection(ws);
  const publicSide = publicOpinionsSection(ws);
  const live = h('span', { class: 'live', title: t('live') }, '● ', t('live'));
  const sideCol = h('div', { class: 'side-col' }, panel.el);
  /** The textarea of the side column last written in: a quoted passage goes there. */
  let writing: HTMLTextAreaElement | null = null;
  sideCol.addEventListener('focusin', (e) => e.target instanceof HTMLTextAreaElement && (writing = e.target));
  const bench = reviewBench(ws, (passage) => {
    const target = writing?.isConnected ? writing : sideCol.querySelector<HTMLTextAreaElement>('textarea');
    if (!target) return;
    const at = target.selectionStart ?? target.value.length;
    target.setRangeText(`「${passage}」`, at, target.selectionEnd ?? at, 'end');
    target.dispatchEvent(new Event('input', { bubbles: true }));
    target.focus();
  });
  bench.el.hidden = true;
  const mainCol = h('div', { class: 'main-col' }, bench.el, diagramBox, legend(), outline, drafts.el, people.el, opinions.el, publicSide.el, supervision.el, timeline.el);
  const workspace = h('div', { class: 'workspace' }, mainCol, sideCol);
  clear(root, h('a', { href: '#/', class: 'back' }, `← ${t('back')}`), header, banners, workspace);

  /**
   * The reviewer's bench: the legality review, selected by a reviewer (the review body, an
   * adviser, a supervisor) with a draft on file, opens wide — the draft beside the form, and an
   * adviser's or expert's own opinion form in the side column too.
   */
  const applyBench = () => {
    const e = selected ? state.elements[selected] : undefined;
    const on = e?.kind === 'legality-review' && hasAny(DESK_ROLES) && state.drafts.length > 0;
    workspace.classList.toggle('bench-mode', on);
    bench.el.hidden = !on;
    if (on && ws.may(['legal-adviser', 'expert'])) sideCol.append(opinions.el);
    else if (opinions.el.parentElement !== mainCol) mainCol.insertBefore(opinions.el, publicSide.el);
    if (on) void bench.refresh().catch(() => undefined);
  };

  const started = performance.now();
  const diagram = await drawDiagram(diagramBox, xml, { label: t('diagramLabel'), focus: selected });
  root.dataset.importMs = String(Math.round(performance.now() - started));

  const renderPanel = () => {
    diagram.select(selected);
    panel.render(selected ? state.elements[selected] : undefined);
    applyBench();
  };
  /** Select a step; `focus` moves the keyboard to its details (when chosen from a list or by keyboard). */
  const select = (stepId: string, scroll: boolean, focus = false) => {
    selected = stepId;
    panel.hold(false);
    panel.notice('');
    diagram.select(stepId, scroll);
    renderPanel();
    renderOutline();
    panel.open(focus);
  };
  diagram.onSelect((stepId, focus) => state.elements[stepId]?.kind && select(stepId, false, focus));

  /**
   * A step the reader was on has settled: go to the step that opened for them, or say whom the
   * decision waits for now (等待：决策机关办公厅（室）办理「…」).
   */
  const moveOn = (done: ElementView) => {
    const open = state.currentSteps.map((s) => state.elements[s]).filter((e): e is ElementView => Boolean(e?.kind));
    const mine = open.find((e) => access.steps[e.id]?.allowed);
    const said = t('stepSettled', done.name, stepStatusLabel(done));
    if (mine) {
      select(mine.id, true, true);
      panel.notice(`${said}${t('nextForYou', mine.name)}`);
    } else {
      const waits = open.map((e) => t('waitingFor', holderOf(e.role ?? '', state.meta), e.name));
      panel.notice(`${said}${waits.length ? waits.join('；') : t('procedureEnded')}`);
    }
  };

  /** Every step in procedure order with its status: the diagram's plain-language twin, and its keyboard way in. */
  const renderOutline = () =>
    clear(
      outline,
      h('h2', { id: 'outline-title' }, t('steps')),
      h(
        'ol',
        {},
        Object.values(state.elements)
          .filter((e) => e.kind && (e.visits > 0 || e.kind !== 'revision'))
          .map((e) => {
            const status = shownStatus(e);
            return h(
              'li',
              { class: `${selected === e.id ? 'selected' : ''}`, 'data-step': e.id, 'data-status': status },
              h('button', { type: 'button', class: 'link step-link', 'aria-current': selected === e.id ? 'step' : null, onclick: () => select(e.id, true, true) }, e.name),
              h('span', { class: `status juece-badge-${status}` }, statusIcon(status), stepStatusLabel(e)),
              e.imported ? h('span', { class: 'chip imported' }, t('imported')) : null,
              e.reopened ? h('span', { class: 'chip reopened' }, t('reopened')) : null,
              e.overdue ? h('span', { class: 'badge overdue' }, statusIcon('overdue'), t('overdue')) : null,
            );
          }),
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
    await Promise.all([timeline.refresh(), drafts.refresh(), people.refresh().catch(() => undefined), opinions.refresh().catch(() => undefined), supervision.refresh(), publicSide.refresh().catch(() => undefined)]);
  };
  await refresh();
  // Asked for a step (from my work, the desk, a notification): its details are open, on a phone too.
  if (asked && selected === asked) panel.open(false);
  if (params.get('focus') === 'opinion') focusOpinion();
  root.dataset.renderMs = String(Math.round(performance.now() - started));
  root.dataset.ready = 'true';

  // Live: someone else's act (or refused attempt) shows up without a reload.
  const stop = watchDecision(id, {
    changed: async (seq) => {
      // Never step back to a state older than one our own act already returned.
      if (seq !== undefined && seq <= state.seq) return;
      const next = await api<Viewed>('GET', `/api/decisions/${id}`);
      access = next.viewer ?? access;
      if (next.seq > state.seq) await refresh(next);
    },
    audited: () => void timeline.refresh().catch(() => undefined),
    connection: (ok) => live.classList.toggle('offline', !ok),
  });
  return () => {
    stop();
    diagram.destroy();
  };
}

/** The legend: each state's icon and words; the two ways a step is left out are told apart. */
function legend() {
  return h(
    'div',
    { class: 'legend' },
    h('strong', {}, t('legend'), colon()),
    h('ul', { class: 'legend-items' }, STATUSES.map((s) => h('li', { class: `legend-item juece-badge-${s}`, 'data-status': s }, statusIcon(s), tStatus(s)))),
    h('p', { class: 'legend-note small' }, t('legendNotApplicable'), ' ', t('legendBypassed'), ' ', t('legendPath')),
  );
}
