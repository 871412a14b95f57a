/**
 * The legality reviewer's aids in the side panel: what changed since the version last reviewed,
 * and the passages that may create licensing, penalties, coercive measures or fees — each flag
 * jumping to its passage in the draft text.
 */
import type { DiffResult } from '../../server/review/diff';
import type { Flag } from '../../server/review/scanner';
import { api } from './api';
import { h } from './dom';
import { lang, t } from './i18n';

interface Aids {
  current: { version: number } | null;
  lastReviewed: { version: number } | null;
  diffSinceLastReview: DiffResult | null;
  /** The first page of the diff's segments (of `total`). */
  diffPage?: { total: number };
  diffOmitted?: { reason: 'too-large'; maxChars: number };
  flags: Flag[];
  flagsPage?: { total: number };
  scanned?: { chars: number; of: number };
}

export async function renderReviewAids(decisionId: string): Promise<HTMLElement> {
  const aids = await api<Aids>('GET', `/api/decisions/${decisionId}/review-aids`);
  const box = h('section', { class: 'review-aids' }, h('h3', {}, t('reviewAids')));
  if (!aids.current) return (box.append(h('p', { class: 'muted' }, t('none'))), box);
  const draft = await api<{ content: string | null }>('GET', `/api/decisions/${decisionId}/drafts/${aids.current.version}`);
  const text = draft.content ?? '';

  // Flags, each linking to its passage.
  const pick = (b: { zh: string; en: string }) => (lang === 'zh' ? b.zh : b.en);
  const flagsTotal = aids.flagsPage?.total ?? aids.flags.length;
  box.append(
    h('h4', {}, t('flags', flagsTotal)),
    ...(flagsTotal > aids.flags.length ? [h('p', { class: 'small muted' }, t('firstOf', aids.flags.length, flagsTotal))] : []),
    ...(aids.scanned && aids.scanned.chars < aids.scanned.of ? [h('p', { class: 'small muted' }, t('scannedPart', aids.scanned.chars, aids.scanned.of))] : []),
    aids.flags.length
      ? h(
          'ol',
          { class: 'flags' },
          aids.flags.map((f, i) =>
            h(
              'li',
              { class: `flag flag-${f.category}`, 'data-category': f.category },
              h('a', { href: `#flag-${i}`, onclick: (e: Event) => (e.preventDefault(), box.querySelector(`#flag-${i}`)?.scrollIntoView({ block: 'center' }), box.querySelector(`#flag-${i}`)?.classList.add('focus')) }, pick(f.label)),
              '：',
              h('q', {}, f.excerpt),
              h('div', { class: 'small muted' }, pick(f.basis)),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('none')),
  );

  // The draft with flagged passages marked.
  const body = h('div', { class: 'draft-text' });
  let at = 0;
  [...aids.flags]
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.start - b.f.start)
    .forEach(({ f, i }) => {
      if (f.start < at) return;
      body.append(text.slice(at, f.start), h('mark', { id: `flag-${i}`, class: `flag-${f.category}`, title: pick(f.label) }, text.slice(f.start, f.end)));
      at = f.end;
    });
  body.append(text.slice(at));
  box.append(h('details', {}, h('summary', {}, t('draftText', aids.current.version)), body));

  // What changed since the version last reviewed.
  if (aids.diffSinceLastReview && aids.lastReviewed) {
    const d = aids.diffSinceLastReview;
    box.append(
      h('h4', {}, t('changedSince', aids.lastReviewed.version, aids.current.version), h('span', { class: 'small muted' }, ` +${d.stats.inserted} −${d.stats.deleted}`)),
      h('div', { class: 'diff' }, d.segments.map((s) => (s.op === 'insert' ? h('ins', {}, s.text) : s.op === 'delete' ? h('del', {}, s.text) : s.text))),
      ...(aids.diffPage && aids.diffPage.total > d.segments.length ? [h('p', { class: 'small muted' }, t('firstOf', d.segments.length, aids.diffPage.total))] : []),
    );
  } else if (aids.diffOmitted) {
    box.append(h('p', { class: 'muted' }, t('diffTooLarge', aids.diffOmitted.maxChars)));
  } else if (aids.lastReviewed) {
    box.append(h('p', { class: 'muted' }, t('unchangedSince', aids.lastReviewed.version)));
  }
  return box;
}
