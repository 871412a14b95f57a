/**
 * The decisions behind one dashboard figure (#/supervision/decisions?fact=…): each opens the
 * decision's own page; the reason or the duration the figure is about stands beside it.
 */
import { api } from './api';
import { clear, fmtTime, h, withQuery } from './dom';
import { t, tStatus } from './i18n';
import { exportLinks, queryOf } from './dashboard';
import { factLabel, w } from './supervision-i18n';

interface Row {
  id: string;
  title: string;
  agency: string;
  draftingUnit: string;
  status: string;
  year: number;
  createdAt: string;
  updatedAt: string;
  note: string | null;
}

const PAGE = 50;

export async function renderDrill(root: HTMLElement, params: URLSearchParams) {
  const q = queryOf(params);
  const fact = params.get('fact') ?? 'started';
  const page = Number(params.get('page') ?? 1);
  const r = await api<{ total: number; items: Row[] }>(
    'GET',
    withQuery('/api/supervision/decisions', { year: q.year && q.year !== 'all' ? q.year : undefined, agency: q.agency || undefined, fact, page, pageSize: PAGE }),
  );
  const days = /\|(done|days\|\d+)$/.test(fact);
  const pages = Math.max(1, Math.ceil(r.total / PAGE));
  const go = (p: number) => (location.hash = withQuery('#/supervision/decisions', { year: q.year, agency: q.agency, fact, page: p }));
  clear(
    root,
    h('p', {}, h('a', { href: withQuery('#/supervision', { year: q.year, agency: q.agency }), class: 'back' }, `← ${w('back')}`)),
    h('h1', { class: 'drill-title', 'data-fact': fact }, w('drillTitle', factLabel(fact))),
    h('p', { class: 'muted' }, w('drillScope', q.year && q.year !== 'all' ? `${q.year}${w('year')}` : w('allYears'), q.agency || w('allAgencies')), ' · ', t('total', r.total)),
    exportLinks(q, fact),
    h(
      'table',
      { class: 'decisions drill' },
      h('thead', {}, h('tr', {}, [t('title'), t('agency'), t('status'), w('started'), t('updated'), w('note')].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        r.items.length
          ? r.items.map((d) =>
              h(
                'tr',
                { 'data-id': d.id },
                h('td', {}, h('a', { href: `#/decisions/${d.id}` }, d.title), h('div', { class: 'muted small' }, d.id)),
                h('td', {}, d.agency, h('div', { class: 'muted small' }, d.draftingUnit)),
                h('td', {}, h('span', { class: `status status-${d.status}` }, tStatus(d.status))),
                h('td', { class: 'small' }, fmtTime(d.createdAt)),
                h('td', { class: 'small' }, fmtTime(d.updatedAt)),
                h('td', { class: 'small note' }, d.note === null ? '' : days ? w('days', d.note) : d.note),
              ),
            )
          : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('none'))),
      ),
    ),
    pages > 1
      ? h('div', { class: 'pager' }, h('button', { disabled: page <= 1, onclick: () => go(page - 1) }, t('prev')), h('span', {}, t('page', page, pages)), h('button', { disabled: page >= pages, onclick: () => go(page + 1) }, t('next')))
      : null,
  );
}
