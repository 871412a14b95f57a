/**
 * Why a step is locked, as a list the keyboard can walk: every reason with its article, and every
 * missing prerequisite named as a button that opens that step — not only the next one.
 */
import type { DecisionView, ElementView } from '../../workflows/model';
import { h } from './dom';
import { stepStatusLabel } from './findings';
import { t, tArticle, tReason } from './i18n';

export function lockReasonList(e: ElementView, view: DecisionView, select: (step: string) => void): HTMLElement {
  return h(
    'div',
    { class: 'lock-reasons' },
    h('h3', {}, t('lockedBecause')),
    h(
      'ul',
      {},
      e.lockReasons.map((r) =>
        h(
          'li',
          { 'data-code': r.code },
          tReason(r),
          h('span', { class: 'article' }, ` ${tArticle(r.article)}`),
          r.missing?.length
            ? h(
                'ul',
                { class: 'missing-steps', 'aria-label': t('mustFirst') },
                r.missing.map((id) => h('li', { 'data-step': id }, h('button', { type: 'button', class: 'link missing-step', onclick: () => select(id) }, view.elements[id]?.name ?? id), h('span', { class: 'small muted' }, ` · ${view.elements[id] ? stepStatusLabel(view.elements[id]) : ''}`))),
              )
            : null,
        ),
      ),
    ),
  );
}
