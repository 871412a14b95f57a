/**
 * The legality review desk: what awaits review or is under review, soonest due first. Each row
 * opens the decision at its legality review step, where the reviewer's aids are; a legal
 * adviser can go straight to recording their opinion.
 */
import { api } from './api';
import { clear, fmtTime, h } from './dom';
import { t, tStatus } from './i18n';
import { has } from './roles';

interface DeskItem {
  id: string;
  title: string;
  agency: string;
  draftingUnit: string;
  stepId: string;
  status: string;
  round: number;
  openedAt?: number;
  startedBy: string | null;
  due: { date: string } | null;
  remainingWorkingDays: number | null;
  approximate: boolean;
  overdue: boolean;
  currentDraftVersion: number | null;
  lastReviewedDraftVersion: number | null;
}

interface AttachedItem {
  id: string;
  title: string;
  agency: string;
  draftingUnit: string;
  status: string;
  currentSteps: string[];
  updatedAt: string;
}

/** Decisions the adviser is attached to from initiation (提前介入), whatever step they are at. */
function attachedSection(items: AttachedItem[]) {
  return h(
    'section',
    { class: 'attached' },
    h('h2', {}, t('attachedDecisions')),
    h('p', { class: 'muted small' }, t('attachedIntro')),
    h(
      'ul',
      { class: 'attached-list' },
      items.length
        ? items.map((i) => h('li', { 'data-id': i.id }, h('a', { href: `#/decisions/${i.id}` }, i.title), h('span', { class: 'muted small' }, ` · ${i.draftingUnit} · ${tStatus(i.status)} · ${fmtTime(i.updatedAt)}`)))
        : h('li', { class: 'muted' }, t('none')),
    ),
  );
}

export async function renderDesk(root: HTMLElement) {
  const [desk, attached] = await Promise.all([
    api<{ today: string; items: DeskItem[] }>('GET', '/api/desk/legality-review'),
    has('legal-adviser') ? api<{ items: AttachedItem[] }>('GET', '/api/decisions?attached=true&pageSize=100') : Promise.resolve(null),
  ]);
  const remaining = (i: DeskItem) =>
    i.remainingWorkingDays === null ? '' : i.remainingWorkingDays >= 0 ? t('daysLeft', i.remainingWorkingDays) : t('daysOverdue', -i.remainingWorkingDays);
  clear(
    root,
    h('h1', {}, t('desk')),
    h('p', { class: 'muted' }, t('deskIntro', desk.today)),
    h(
      'table',
      { class: 'decisions desk' },
      h('thead', {}, h('tr', {}, [t('title'), t('agency'), t('status'), t('round'), t('due'), t('drafts')].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        desk.items.length
          ? desk.items.map((i) =>
              h(
                'tr',
                { class: i.overdue ? 'overdue' : '', 'data-id': i.id },
                h(
                  'td',
                  {},
                  h('a', { href: `#/decisions/${i.id}?step=${encodeURIComponent(i.stepId)}`, class: 'review-link' }, i.title),
                  h('div', { class: 'muted small' }, i.draftingUnit),
                  h(
                    'div',
                    { class: 'small row-actions' },
                    h('a', { href: `#/decisions/${i.id}?step=${encodeURIComponent(i.stepId)}`, class: 'open-review' }, t('openReview')),
                    has('legal-adviser') ? [' · ', h('a', { href: `#/decisions/${i.id}?step=${encodeURIComponent(i.stepId)}&focus=opinion`, class: 'record-opinion' }, t('recordOpinion'))] : null,
                  ),
                ),
                h('td', { 'data-label': t('agency') }, i.agency),
                h('td', { 'data-label': t('status') }, h('span', { class: `status juece-badge-${i.status}` }, i.status === 'enabled' ? t('awaitingReview') : tStatus(i.status)), i.startedBy ? h('div', { class: 'small muted' }, i.startedBy) : null),
                h('td', { 'data-label': t('round') }, t('roundN', i.round)),
                h('td', { class: i.overdue ? 'due overdue' : 'due', 'data-label': t('due') }, i.due?.date ?? '—', h('div', { class: 'small' }, remaining(i), i.approximate ? t('approximate') : ''), i.openedAt ? h('div', { class: 'small muted' }, fmtTime(i.openedAt)) : null),
                h(
                  'td',
                  { 'data-label': t('drafts') },
                  i.currentDraftVersion ? t('version', i.currentDraftVersion) : '—',
                  i.lastReviewedDraftVersion ? h('div', { class: 'small muted' }, t('lastReviewed', i.lastReviewedDraftVersion)) : null,
                ),
              ),
            )
          : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('none'))),
      ),
    ),
    attached ? attachedSection(attached.items) : null,
  );
}
