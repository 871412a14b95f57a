/**
 * The reviewer's bench (Decree 713 Arts. 25–28): the draft under legality review beside the
 * opinion form — what changed since the version last reviewed, unchanged text folded, or the
 * whole draft with the clause scanner's flags in its margin, each naming the draft's own article
 * (第三条), one per category and clause. A passage selected in the text, however the selection is
 * made and across line ends, is quoted exactly as the draft has it.
 */
import type { DiffResult, DiffSegment } from '../../server/review/diff';
import type { ReviewFlag } from '../../server/review/articles';
import { api } from './api';
import type { Workspace } from './context';
import { clear, h } from './dom';
import { lang, t } from './i18n';
import { selectedPassage } from './quote';

interface Aids {
  current: { version: number } | null;
  lastReviewed: { version: number } | null;
  diffBase: { version: number; reason: 'last-review' | 'first-draft' } | null;
  diffSinceLastReview: DiffResult | null;
  diffPage?: { total: number };
  diffOmitted?: { reason: 'too-large'; maxChars: number };
  flags: ReviewFlag[];
  flagsPage?: { total: number };
  scanned?: { chars: number; of: number };
}

/** Unchanged runs longer than this many lines are folded to their first and last lines. */
const FOLD_LINES = 4;

const pick = (b: { zh: string; en: string }) => (lang === 'zh' ? b.zh : b.en);

/** The draft line by line, each flag in the margin beside its line; the text keeps its offsets for quoting. */
function draftWithMargin(text: string, flags: ReviewFlag[]): HTMLElement {
  const rows: HTMLElement[] = [];
  const sorted = [...flags].sort((a, b) => a.start - b.start);
  let at = 0;
  let f = 0;
  for (const line of text.split('\n')) {
    const start = at;
    const end = start + line.length;
    at = end + 1;
    const body = h('div', { class: 'line-text', 'data-offset': start });
    let pos = start;
    /** One note per article and category on a line, however many passages it marks. */
    const notes = new Map<string, { flag: ReviewFlag; hits: number }>();
    while (f < sorted.length && sorted[f].start < end + 1) {
      const flag = sorted[f++];
      const from = Math.max(flag.start, pos);
      const to = Math.min(flag.end, end);
      if (from > pos) body.append(text.slice(pos, from));
      if (to > from) body.append(h('mark', { class: `flag-${flag.category}`, 'data-flag': flags.indexOf(flag) }, text.slice(from, to)));
      pos = Math.max(pos, to);
      const key = `${flag.article}:${flag.category}`;
      const note = notes.get(key);
      if (note) note.hits += flag.hits;
      else notes.set(key, { flag, hits: flag.hits });
    }
    if (pos < end) body.append(text.slice(pos, end));
    const margin = [...notes.values()].map(({ flag, hits }) =>
      h(
        'li',
        { class: `margin-note flag-${flag.category}`, 'data-category': flag.category, 'data-article': flag.article ?? '' },
        h('strong', {}, flag.article ?? t('preamble')),
        ' · ',
        pick(flag.label),
        hits > 1 ? h('span', { class: 'small' }, t('hits', hits)) : null,
        h('details', { class: 'basis' }, h('summary', {}, t('basis')), h('p', { class: 'small' }, pick(flag.basis))),
      ),
    );
    rows.push(h('div', { class: `draft-line${margin.length ? ' flagged' : ''}` }, body, h('ul', { class: 'margin' }, margin)));
  }
  return h('div', { class: 'draft-margin', 'data-offset-root': 'true' }, rows);
}

/** The diff with unchanged runs of more than FOLD_LINES lines folded (details to unfold). */
function foldedDiff(segments: DiffSegment[]): HTMLElement {
  const out = h('div', { class: 'diff folded' });
  segments.forEach((s, i) => {
    if (s.op === 'insert') return void out.append(h('ins', {}, s.text));
    if (s.op === 'delete') return void out.append(h('del', {}, s.text));
    const lines = s.text.split('\n');
    if (lines.length <= FOLD_LINES + 2) return void out.append(s.text);
    // Keep the line the change touches on each side; fold the middle.
    const head = i > 0 ? lines[0] + '\n' : '';
    const tail = i < segments.length - 1 ? '\n' + lines[lines.length - 1] : '';
    const middle = lines.slice(i > 0 ? 1 : 0, i < segments.length - 1 ? -1 : undefined);
    out.append(head, h('details', { class: 'fold' }, h('summary', {}, t('unchangedLines', middle.length)), h('span', { class: 'folded-text' }, middle.join('\n'))), tail);
  });
  return out;
}

export interface Bench {
  el: HTMLElement;
  /** Load (again, when the current draft changed) and draw. */
  refresh(): Promise<void>;
}

/** The bench for one decision; `quoteInto` receives a selected passage (the side column's form takes it). */
export function reviewBench(ws: Workspace, quoteInto: (passage: string) => void): Bench {
  const el = h('section', { class: 'review-bench', 'aria-labelledby': 'bench-title' });
  let shown: number | null = null;
  let view: 'diff' | 'text' = 'diff';
  let content = '';
  const refresh = async () => {
    const current = ws.view().currentDraft?.version ?? ws.view().drafts.at(-1)?.version ?? null;
    if (current === null) return void clear(el, h('h2', { id: 'bench-title' }, t('reviewBench')), h('p', { class: 'muted' }, t('none')));
    if (current === shown) return;
    const [aids, draft] = await Promise.all([
      api<Aids>('GET', `/api/decisions/${ws.id}/review-aids`),
      api<{ content: string | null }>('GET', `/api/decisions/${ws.id}/drafts/${current}`),
    ]);
    content = draft.content ?? '';
    shown = current;
    if (!aids.diffSinceLastReview) view = 'text';
    draw(aids);
  };

  const draw = (aids: Aids) => {
    const flagsTotal = aids.flagsPage?.total ?? aids.flags.length;
    const body = h('div', { class: 'bench-body' });
    const show = () => {
      for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
      if (view === 'text') {
        clear(
          body,
          aids.scanned && aids.scanned.chars < aids.scanned.of ? h('p', { class: 'small muted' }, t('scannedPart', aids.scanned.chars, aids.scanned.of)) : null,
          flagsTotal > aids.flags.length ? h('p', { class: 'small muted' }, t('firstOf', aids.flags.length, flagsTotal)) : null,
          draftWithMargin(content, aids.flags),
        );
      } else if (aids.diffSinceLastReview && aids.diffBase) {
        const d = aids.diffSinceLastReview;
        clear(
          body,
          h('p', { class: 'diff-head' }, t(aids.diffBase.reason === 'last-review' ? 'changedSince' : 'changedSinceFirst', aids.diffBase.version, aids.current!.version), h('span', { class: 'small muted' }, ` +${d.stats.inserted} −${d.stats.deleted}`)),
          foldedDiff(d.segments),
          aids.diffPage && aids.diffPage.total > d.segments.length ? h('p', { class: 'small muted' }, t('firstOf', d.segments.length, aids.diffPage.total)) : null,
        );
      } else {
        clear(body, h('p', { class: 'muted' }, aids.diffOmitted ? t('diffTooLarge', aids.diffOmitted.maxChars) : aids.lastReviewed ? t('unchangedSince', aids.lastReviewed.version) : t('none')));
      }
    };
    const tab = (key: 'diff' | 'text', label: string) => h('button', { type: 'button', 'data-view': key, 'aria-pressed': String(view === key), onclick: () => ((view = key), show()) }, label);
    const tabs = h('div', { class: 'bench-tabs', role: 'group', 'aria-label': t('reviewBench') }, tab('diff', t('benchDiff')), tab('text', t('benchText', flagsTotal)));
    const quote = h('button', { type: 'button', class: 'quote-selection', onclick: () => {
      const passage = selectedPassage(el, content);
      if (passage) quoteInto(passage);
      else quote.nextElementSibling!.textContent = t('selectToQuote');
    } }, t('quoteSelection'));
    clear(
      el,
      h('div', { class: 'bench-head' }, h('h2', { id: 'bench-title' }, t('reviewBench'), h('span', { class: 'small muted' }, ` · ${t('version', aids.current!.version)}`)), tabs, h('span', { class: 'bench-quote' }, quote, h('span', { class: 'small muted', role: 'status' }))),
      body,
    );
    show();
  };
  return { el, refresh };
}
