/**
 * The decision drawn with bpmn-js: a NavigatedViewer with two small diagram modules —
 * `jueceMarkers` paints each element's status, the executed path and the badges (lock reasons,
 * who and when, the office's finding on a conditional step, 补录), and `jueceSelection` turns a
 * click on a step into a `juece.select` event and marks the selected step.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { DecisionView, ElementView } from '../../workflows/model';
import { fmtTime, h } from './dom';
import { findingTip } from './findings';
import { t, tArticle, tReason, tStatus } from './i18n';

/** Every status the engine gives an element (one marker class each). */
export const STATUSES = ['completed', 'active', 'enabled', 'locked', 'not-applicable', 'rework', 'bypassed', 'overdue'];

const LOCK_SVG =
  '<svg width="16" height="18" viewBox="0 0 16 18" aria-hidden="true"><rect x="1" y="8" width="14" height="9" rx="2" fill="#616e7c"/><path d="M4 8V5a4 4 0 0 1 8 0v3" fill="none" stroke="#616e7c" stroke-width="2"/></svg>';
const OVERLAY = 'juece';

/** Status markers, the executed path and the badges, redrawn from each view. */
class JueceMarkers {
  static $inject = ['canvas', 'overlays', 'elementRegistry'];
  constructor(
    private canvas: Canvas,
    private overlays: Overlays,
    private registry: ElementRegistry,
  ) {}

  show(view: DecisionView) {
    for (const { id } of this.registry.getAll()) {
      for (const s of STATUSES) this.canvas.removeMarker(id, `juece-${s}`);
      this.canvas.removeMarker(id, 'juece-taken');
    }
    this.overlays.remove({ type: OVERLAY });
    for (const e of Object.values(view.elements)) {
      if (!this.registry.get(e.id)) continue;
      this.canvas.addMarker(e.id, `juece-${e.status}`);
      if (e.overdue) this.canvas.addMarker(e.id, 'juece-overdue');
      if (e.type === 'userTask') this.badges(e);
    }
    for (const f of view.takenFlows) if (this.registry.get(f)) this.canvas.addMarker(f, 'juece-taken');
  }

  private add(id: string, position: Record<string, number>, html: HTMLElement) {
    this.overlays.add(id, OVERLAY, { position, html });
  }

  private badges(e: ElementView) {
    if (e.status === 'locked' && e.lockReasons.length) {
      const badge = h('div', { class: 'juece-lock', title: e.lockReasons.map((r) => `${tReason(r)}（${tArticle(r.article)}）`).join('\n'), 'data-step': e.id });
      badge.innerHTML = LOCK_SVG;
      this.add(e.id, { top: -10, right: 10 }, badge);
    }
    // The office's finding on a conditional step (Art. 10), with its ground in the tooltip.
    if (e.finding) {
      const na = !e.finding.applies;
      this.add(e.id, { top: -11, left: 0 }, h('div', { class: `juece-finding ${na ? 'na' : 'applies'}${e.reopened ? ' reopened' : ''}`, 'data-step': e.id, title: findingTip(e.finding) }, na ? tStatus('not-applicable') : e.reopened ? t('reopened') : t('foundApplicable')));
    }
    if (e.imported) this.add(e.id, { bottom: 18, right: 2 }, h('div', { class: 'juece-imported', 'data-step': e.id, title: t('importBanner') }, t('imported')));
    const who = e.status === 'active' ? e.startedBy : ['completed', 'rework', 'not-applicable'].includes(e.status) ? e.completedBy : undefined;
    const when = e.status === 'active' ? e.startedAt : e.completedAt;
    if (who) this.add(e.id, { bottom: 4, left: 0 }, h('div', { class: 'juece-who' }, `${who} ${fmtTime(when).slice(5, 10)}`));
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
    if (scroll) this.canvas.scrollToElement(id, 150);
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
  onSelect(f: (id: string) => void): void;
  destroy(): void;
}

/** Draw the definition XML in `container`, fitted when legible, else around `focus`. */
export async function drawDiagram(container: HTMLElement, xml: string, focus: string | undefined): Promise<Diagram> {
  const viewer = new NavigatedViewer({ container, additionalModules: [jueceModule] });
  await viewer.importXML(xml);
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<ElementRegistry>('elementRegistry');
  const markers = viewer.get<JueceMarkers>('jueceMarkers');
  const selection = viewer.get<JueceSelection>('jueceSelection');
  // The whole procedure is wide: fit it when that stays legible (and on a phone's width), otherwise show the current step.
  if (canvas.zoom('fit-viewport') < 0.6 && focus && registry.get(focus)) {
    canvas.zoom(container.clientWidth < 600 ? 0.5 : 0.75);
    canvas.scrollToElement(focus, 200);
  }
  return {
    show: (view) => markers.show(view),
    select: (id, scroll) => selection.mark(id, scroll),
    onSelect: (f) => viewer.get<EventBus>('eventBus').on('juece.select', (e: { id: string }) => f(e.id)),
    destroy: () => viewer.destroy(),
  };
}
