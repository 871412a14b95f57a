/**
 * The decision drawn with bpmn-js: a NavigatedViewer with small diagram modules —
 * `jueceMarkers` paints each element's status (colour, line style and an icon, so no state is
 * told by colour alone), the executed path and the badges (who and when, the office's finding on
 * a conditional step, 补录); a locked step's lock is a button naming every reason; `jueceSelection`
 * turns a click on a step into a `juece.select` event; touch pans and pinches (diagram-touch.ts).
 * The diagram opens fitted to its box once the box has a size, and refits when the box changes
 * until the reader zooms or pans; zoom, fit and full-screen controls sit on it.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { DecisionView, ElementView } from '../../workflows/model';
import { touchModule, ZOOM_RANGE } from './diagram-touch';
import { fmtTime, h } from './dom';
import { findingTip } from './findings';
import { t, tArticle, tReason, tStatus } from './i18n';

/** Every status the engine gives an element (one marker class each). */
export const STATUSES = ['completed', 'active', 'enabled', 'locked', 'not-applicable', 'rework', 'bypassed', 'overdue'];

/**
 * The icon of each status (also in the legend and the step list): a shape that reads without
 * colour. Paths on a 16×16 box, drawn in currentColor.
 */
export const STATUS_ICONS: Record<string, string> = {
  completed: '<circle cx="8" cy="8" r="7.5"/><path d="M4.2 8.3l2.5 2.5 5-5.2" fill="none" stroke="#fff" stroke-width="2"/>',
  active: '<circle cx="8" cy="8" r="7.5"/><path d="M6 4.5v7l5.5-3.5z" fill="#fff"/>',
  enabled: '<circle cx="8" cy="8" r="6.5" fill="#fff" stroke="currentColor" stroke-width="2"/><path d="M5 8h5M8 5.5L10.5 8 8 10.5" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  locked: '<rect x="2" y="7" width="12" height="8.5" rx="1.5"/><path d="M4.8 7V4.8a3.2 3.2 0 0 1 6.4 0V7" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  'not-applicable': '<circle cx="8" cy="8" r="6.5" fill="#fff" stroke="currentColor" stroke-width="2"/><path d="M3.6 12.4l8.8-8.8" stroke="currentColor" stroke-width="2"/>',
  bypassed: '<circle cx="8" cy="8" r="6.5" fill="#fff" stroke="currentColor" stroke-width="1.6" stroke-dasharray="2.5 2"/><path d="M4.5 8h7" stroke="currentColor" stroke-width="2"/>',
  rework: '<circle cx="8" cy="8" r="7.5"/><path d="M11.2 9.5A3.6 3.6 0 1 1 10.4 5.4" fill="none" stroke="#fff" stroke-width="1.8"/><path d="M9 3.6l2.6 1.6-1.8 2.4z" fill="#fff"/>',
  overdue: '<path d="M8 .8l7.4 13.6H.6z"/><path d="M8 5.5v4.2M8 11.2v1.6" stroke="#fff" stroke-width="1.8"/>',
};

/** An icon element for a status (decorative: the text beside it says the status). */
export function statusIcon(status: string, cls = ''): HTMLElement {
  const i = h('span', { class: `juece-icon juece-icon-${status} ${cls}`.trim(), 'aria-hidden': 'true' });
  i.innerHTML = `<svg width="16" height="16" viewBox="0 0 16 16" fill="currentColor" focusable="false">${STATUS_ICONS[status] ?? ''}</svg>`;
  return i;
}

/** The status a reader should see: a step skipped on the office's finding is "found not applicable", not merely bypassed. */
export function shownStatus(e: Pick<ElementView, 'status' | 'finding'>): string {
  return (e.status === 'bypassed' || e.status === 'not-applicable') && e.finding && !e.finding.applies ? 'not-applicable' : e.status;
}

/** Every reason a step is locked, one line each, with the article. */
export function lockText(e: ElementView): string {
  return e.lockReasons.map((r) => `${tReason(r)}（${tArticle(r.article)}）`).join('\n');
}

const OVERLAY = 'juece';
/** Badges with words are shown from this zoom on; below it the icons carry the state. */
const WORDS_FROM_ZOOM = 0.55;
/** Icons grow and shrink with the diagram, but stay legible when the whole procedure is fitted. */
const ICON_SCALE = { min: 0.75, max: 1.25 };
/**
 * The labels' font: a Chinese one first, as each system names it (macOS, Windows, Noto/Source Han,
 * Debian's WenQuanYi). bpmn-js measures every label to wrap it; under its default (Arial) each
 * Chinese character fell back to another font while being measured, which cost 260–400 ms of a
 * decision page's first render here against 60 ms with a font that has the characters.
 */
const LABEL_FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", sans-serif';
/** Fitting the whole procedure below this zoom would leave nothing legible (a phone): fit its height instead. */
const LEGIBLE_FIT = 0.25;

/** Status markers, the executed path and the badges, redrawn from each view. */
class JueceMarkers {
  static $inject = ['canvas', 'overlays', 'elementRegistry', 'eventBus'];
  constructor(
    private canvas: Canvas,
    private overlays: Overlays,
    private registry: ElementRegistry,
    private eventBus: EventBus,
  ) {}

  show(view: DecisionView) {
    for (const { id } of this.registry.getAll()) {
      for (const s of STATUSES) this.canvas.removeMarker(id, `juece-${s}`);
      this.canvas.removeMarker(id, 'juece-taken');
    }
    this.overlays.remove({ type: OVERLAY });
    for (const e of Object.values(view.elements)) {
      if (!this.registry.get(e.id)) continue;
      this.canvas.addMarker(e.id, `juece-${shownStatus(e)}`);
      if (e.overdue) this.canvas.addMarker(e.id, 'juece-overdue');
      if (e.type === 'userTask') this.badges(e);
    }
    for (const f of view.takenFlows) if (this.registry.get(f)) this.canvas.addMarker(f, 'juece-taken');
  }

  private add(id: string, position: Record<string, number>, html: HTMLElement, o: { words?: boolean } = {}) {
    // Icons keep their size when the diagram is zoomed out; words appear only where they fit.
    this.overlays.add(id, OVERLAY, { position, html, ...(o.words ? { show: { minZoom: WORDS_FROM_ZOOM } } : { scale: { min: ICON_SCALE.min, max: ICON_SCALE.max } }) });
  }

  private badges(e: ElementView) {
    const status = shownStatus(e);
    if (status === 'locked' && e.lockReasons.length) {
      // A button: reachable by keyboard, its name says every reason; pressing it opens the step with them listed.
      const badge = h(
        'button',
        { type: 'button', class: 'juece-lock juece-status-badge', 'aria-label': `${e.name}：${t('lockedBecause')}：${lockText(e)}`, title: lockText(e), 'data-step': e.id, onclick: () => this.eventBus.fire('juece.select', { id: e.id, focus: true }) },
        statusIcon('locked'),
      );
      this.add(e.id, { top: -9, right: 9 }, badge);
    } else if (STATUS_ICONS[status]) {
      this.add(e.id, { top: -9, right: 9 }, h('div', { class: `juece-status-badge juece-badge-icon-${status}`, 'data-step': e.id, title: tStatus(status) }, statusIcon(status)));
    }
    if (e.overdue) this.add(e.id, { top: -9, right: 29 }, h('div', { class: 'juece-status-badge juece-badge-icon-overdue', title: tStatus('overdue') }, statusIcon('overdue')));
    // The office's finding on a conditional step (Art. 10), with its ground in the tooltip.
    if (e.finding) {
      const na = !e.finding.applies;
      this.add(e.id, { top: -11, left: 0 }, h('div', { class: `juece-finding ${na ? 'na' : 'applies'}${e.reopened ? ' reopened' : ''}`, 'data-step': e.id, title: findingTip(e.finding) }, na ? tStatus('not-applicable') : e.reopened ? t('reopened') : t('foundApplicable')), { words: true });
    }
    // 补录 is short and matters at any zoom: shown like the icons.
    if (e.imported) this.add(e.id, { bottom: 18, right: 2 }, h('div', { class: 'juece-imported', 'data-step': e.id, title: t('importBanner') }, t('imported')));
    const who = e.status === 'active' ? e.startedBy : ['completed', 'rework', 'not-applicable'].includes(e.status) ? e.completedBy : undefined;
    const when = e.status === 'active' ? e.startedAt : e.completedAt;
    if (who) this.add(e.id, { bottom: 4, left: 0 }, h('div', { class: 'juece-who' }, `${who} ${fmtTime(when).slice(5, 10)}`), { words: true });
  }
}

/** A click on a step selects it: the event `juece.select` names it, and the marker follows. */
class JueceSelection {
  static $inject = ['canvas', 'elementRegistry', 'eventBus'];
  private selected: string | undefined;
  constructor(
    private canvas: Canvas,
    private registry: ElementRegistry,
    private eventBus: EventBus,
  ) {
    eventBus.on('element.click', (ev: { element: { id: string; type: string } }) => {
      if (ev.element.type === 'bpmn:UserTask') this.eventBus.fire('juece.select', { id: ev.element.id });
    });
  }

  mark(id: string | undefined, scroll = false) {
    if (this.selected && this.registry.get(this.selected)) this.canvas.removeMarker(this.selected, 'juece-selected');
    this.selected = id;
    if (!id || !this.registry.get(id)) return;
    this.canvas.addMarker(id, 'juece-selected');
    if (scroll && this.canvas.getContainer().clientWidth > 0) this.canvas.scrollToElement(id, 150);
  }
}

const jueceModule = {
  __init__: ['jueceMarkers', 'jueceSelection'],
  jueceMarkers: ['type', JueceMarkers],
  jueceSelection: ['type', JueceSelection],
};

export interface Diagram {
  /** Paint the view; keep the selection. */
  show(view: DecisionView): void;
  select(id: string | undefined, scroll?: boolean): void;
  /** A step was chosen in the diagram; `focus` when by keyboard (its details should take the focus). */
  onSelect(f: (id: string, focus: boolean) => void): void;
  /** Fit the whole procedure into the box. */
  fit(): void;
  destroy(): void;
}

const hasSize = (el: HTMLElement) => el.clientWidth > 0 && el.clientHeight > 0;

const ICON_BUTTONS: Record<string, string> = {
  zoomIn: '<path d="M7 2v10M2 7h10" stroke="currentColor" stroke-width="2"/>',
  zoomOut: '<path d="M2 7h10" stroke="currentColor" stroke-width="2"/>',
  fit: '<rect x="1" y="2.5" width="12" height="9" rx="1" fill="none" stroke="currentColor" stroke-width="1.6"/><rect x="4" y="5" width="6" height="4"/>',
  fullScreen: '<path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9" fill="none" stroke="currentColor" stroke-width="1.8"/>',
};

function controlButton(key: string, onclick: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: `diagram-control ${key}`, 'data-control': key, 'aria-label': t(key), title: t(key), onclick });
  b.innerHTML = `<svg width="14" height="14" viewBox="0 0 14 14" fill="currentColor" aria-hidden="true" focusable="false">${ICON_BUTTONS[key]}</svg>`;
  return b;
}

/**
 * Draw the definition XML in `el` (the page's diagram box). The first fit waits until the box has
 * a size, so a hidden or not yet laid out box never yields a zero or infinite zoom.
 */
export async function drawDiagram(el: HTMLElement, xml: string, o: { label: string; focus?: string }): Promise<Diagram> {
  const container = h('div', { class: 'canvas', id: 'canvas', role: 'group', 'aria-label': o.label });
  el.classList.add('diagram');
  el.append(container);
  const viewer = new NavigatedViewer({ container, additionalModules: [jueceModule, touchModule], textRenderer: { defaultStyle: { fontFamily: LABEL_FONT }, externalStyle: { fontFamily: LABEL_FONT } } });
  await viewer.importXML(xml);
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<ElementRegistry>('elementRegistry');
  const eventBus = viewer.get<EventBus>('eventBus');
  const markers = viewer.get<JueceMarkers>('jueceMarkers');
  const selection = viewer.get<JueceSelection>('jueceSelection');

  /** Fitted and untouched by the reader: then a change of size refits. */
  let fitted = false;
  let fitting = false;
  /** The step to keep in view when the box is too small for the whole procedure. */
  let focus = o.focus;
  const fit = () => {
    if (!hasSize(container)) return void (fitted = true); // fit as soon as the box has a size
    fitting = true;
    canvas.resized();
    const scale = canvas.zoom('fit-viewport', 'auto' as never); // 'auto': centred
    const { inner, outer } = canvas.viewbox();
    if (scale < LEGIBLE_FIT && inner.height > 0) {
      // A narrow box (a phone): the procedure's full height, scrolled to the step in hand.
      canvas.zoom(Math.min(1, outer.height / (inner.height + 40)));
      const at = focus ? registry.get(focus) : undefined;
      if (at) canvas.scrollToElement(at as never, { top: 40, bottom: 40, left: outer.width / 3, right: outer.width / 3 });
      else canvas.scroll({ dx: -canvas.viewbox().x + inner.x - 20, dy: 0 });
    }
    fitting = false;
    fitted = true;
  };
  eventBus.on('canvas.viewbox.changed', () => {
    if (!fitting) fitted = false;
  });
  const resize = new ResizeObserver(() => {
    if (!hasSize(container)) return;
    if (fitted) fit();
    else canvas.resized();
  });
  resize.observe(container);

  const zoomBy = (factor: number) => {
    if (!hasSize(container)) return;
    canvas.zoom(Math.min(ZOOM_RANGE.max, Math.max(ZOOM_RANGE.min, canvas.zoom() * factor)));
  };
  const fullScreen = controlButton('fullScreen', () => setMaximised(!el.classList.contains('maximised')));
  fullScreen.setAttribute('aria-pressed', 'false');
  const setMaximised = (on: boolean) => {
    el.classList.toggle('maximised', on);
    document.body.classList.toggle('diagram-maximised', on);
    fullScreen.setAttribute('aria-pressed', String(on));
    fullScreen.setAttribute('aria-label', t(on ? 'exitFullScreen' : 'fullScreen'));
    fullScreen.title = t(on ? 'exitFullScreen' : 'fullScreen');
    fit();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && el.classList.contains('maximised')) setMaximised(false);
  };
  document.addEventListener('keydown', onKey);
  el.append(
    h('div', { class: 'diagram-controls', role: 'toolbar', 'aria-label': t('diagramControls') }, controlButton('zoomIn', () => zoomBy(1.25)), controlButton('zoomOut', () => zoomBy(0.8)), controlButton('fit', fit), fullScreen),
  );
  // A wide box (a desk) is as tall as the fitted procedure needs, so no screen height is spent on white.
  if (container.clientWidth >= 600) {
    const { inner } = canvas.viewbox();
    if (inner.width > 0) container.style.height = `${Math.round(Math.min(560, Math.max(300, (container.clientWidth * inner.height) / inner.width + 64)))}px`;
  }
  fitted = true;
  if (hasSize(container)) fit();

  return {
    show: (view) => markers.show(view),
    select: (id, scroll) => {
      focus ??= id;
      selection.mark(id, scroll && !fitted);
    },
    onSelect: (f) => eventBus.on('juece.select', (e: { id: string; focus?: boolean }) => f(e.id, Boolean(e.focus))),
    fit,
    destroy: () => {
      resize.disconnect();
      document.removeEventListener('keydown', onKey);
      document.body.classList.remove('diagram-maximised');
      viewer.destroy();
    },
  };
}
