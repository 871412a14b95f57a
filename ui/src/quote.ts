/**
 * Quoting a passage of a draft exactly as the draft has it, however the selection was made — by
 * mouse, by keyboard, by touch, forwards or backwards, across line ends and marks. Text shown
 * for quoting sits in elements carrying `data-offset` (where their text starts in the draft); a
 * selection's two ends are turned into draft offsets and the passage is cut from the draft
 * itself, so line ends and the characters between are the draft's own.
 */

/** The last selection made anywhere (pressing a button may clear the live one). */
let last: Range | null = null;
/** Texts that want to hear of a selection inside them (dropped once they leave the page). */
const watchers = new Map<HTMLElement, () => void>();
if (typeof document !== 'undefined')
  document.addEventListener('selectionchange', () => {
    const s = document.getSelection();
    if (!s || s.isCollapsed || !s.rangeCount) return;
    last = s.getRangeAt(0).cloneRange();
    for (const [root, f] of watchers) {
      if (!root.isConnected) watchers.delete(root);
      else if (last.intersectsNode(root)) f();
    }
  });

/** Call `f` whenever a selection is made (or changed) inside `root`. */
export function onSelectionIn(root: HTMLElement, f: () => void) {
  watchers.set(root, f);
}

/** Characters of `el`'s text before (node, offset), or null when the point is outside `el`. */
function charsBefore(el: Element, node: Node, offset: number): number | null {
  if (!el.contains(node)) return null;
  const probe = document.createRange();
  probe.selectNodeContents(el);
  probe.setEnd(node, offset);
  return probe.toString().length;
}

/** The draft offset of a selection boundary; `side` says where a point outside any text goes. */
function draftOffset(root: Element, node: Node, offset: number, side: 'start' | 'end'): number | null {
  const base = (node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element))?.closest<HTMLElement>('[data-offset]');
  if (base && root.contains(base)) return Number(base.dataset.offset) + (charsBefore(base, node, offset) ?? 0);
  // Outside the text (a margin note, the space between lines): the nearest text in the right direction.
  const texts = [...root.querySelectorAll<HTMLElement>('[data-offset]')];
  const point = document.createRange();
  point.setStart(node, offset);
  const after = texts.find((t) => point.comparePoint(t, 0) > 0);
  const before = [...texts].reverse().find((t) => point.comparePoint(t, t.childNodes.length) < 0);
  if (side === 'start') return after ? Number(after.dataset.offset) : null;
  return before ? Number(before.dataset.offset) + (before.textContent ?? '').length : null;
}

/**
 * The passage selected inside `root` (clipped to it), cut from `content` by its offsets; null
 * when nothing there is selected. Without offsets (a diff), the selection's own text.
 */
export function selectedPassage(root: HTMLElement, content: string): string | null {
  const live = document.getSelection();
  const range = live && !live.isCollapsed && live.rangeCount ? live.getRangeAt(0) : last;
  if (!range || !range.intersectsNode(root)) return null;
  const whole = document.createRange();
  whole.selectNodeContents(root);
  const clipped = range.cloneRange();
  if (clipped.compareBoundaryPoints(Range.START_TO_START, whole) < 0) clipped.setStart(whole.startContainer, whole.startOffset);
  if (clipped.compareBoundaryPoints(Range.END_TO_END, whole) > 0) clipped.setEnd(whole.endContainer, whole.endOffset);
  if (root.querySelector('[data-offset]') || root.hasAttribute('data-offset')) {
    const from = draftOffset(root, clipped.startContainer, clipped.startOffset, 'start');
    const to = draftOffset(root, clipped.endContainer, clipped.endOffset, 'end');
    if (from !== null && to !== null && to > from) return content.slice(from, to).trim() || null;
  }
  return live?.toString().trim() || clipped.toString().trim() || null;
}
