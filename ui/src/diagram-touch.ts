/**
 * Touch for the diagram (a diagram-js module): one finger pans, two fingers pinch to zoom around
 * their midpoint. bpmn-js's own navigation answers the mouse and the wheel only; a tap still
 * reaches the element as a click, so selecting a step works as with a mouse.
 */
import type Canvas from 'diagram-js/lib/core/Canvas';

interface Touchpoint {
  x: number;
  y: number;
}

/** Zoom stays between these (bpmn-js's own zoom-scroll range). */
export const ZOOM_RANGE = { min: 0.2, max: 4 };

const clamp = (n: number) => Math.min(ZOOM_RANGE.max, Math.max(ZOOM_RANGE.min, n));

class TouchNavigation {
  static $inject = ['canvas'];
  private points = new Map<number, Touchpoint>();
  private pinch: { distance: number; scale: number } | null = null;

  constructor(private canvas: Canvas) {
    const container = canvas.getContainer();
    container.classList.add('juece-touch');
    container.addEventListener('pointerdown', (e) => this.down(e));
    container.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) container.addEventListener(type, (e) => this.up(e));
  }

  private local(e: PointerEvent): Touchpoint {
    const box = this.canvas.getContainer().getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private down(e: PointerEvent) {
    if (e.pointerType !== 'touch') return;
    this.points.set(e.pointerId, this.local(e));
    if (this.points.size === 2) {
      const [a, b] = [...this.points.values()];
      this.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, scale: this.canvas.zoom() };
    }
  }

  private move(e: PointerEvent) {
    const before = this.points.get(e.pointerId);
    if (e.pointerType !== 'touch' || !before) return;
    const now = this.local(e);
    this.points.set(e.pointerId, now);
    if (this.points.size === 1) {
      this.canvas.scroll({ dx: now.x - before.x, dy: now.y - before.y });
    } else if (this.points.size === 2 && this.pinch) {
      const [a, b] = [...this.points.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      this.canvas.zoom(clamp((this.pinch.scale * distance) / this.pinch.distance), { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    }
  }

  private up(e: PointerEvent) {
    this.points.delete(e.pointerId);
    if (this.points.size < 2) this.pinch = null;
  }
}

/** The diagram-js module. */
export const touchModule = {
  __init__: ['jueceTouch'],
  jueceTouch: ['type', TouchNavigation],
};
