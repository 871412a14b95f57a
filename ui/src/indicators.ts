/**
 * The assessment indicators (考核指标) of a year, per decision body: each rate with its formula,
 * its numerator and denominator opening the decisions behind them; the catalogue's publication
 * says yes or no per decision body, opening the catalogue itself.
 */
import { api } from './api';
import { chinaToday, clear, fmtTime, h } from './dom';
import { say } from './i18n';
import { drillHref, queryOf, supervisionHead, type SupervisionQuery } from './dashboard';
import { w } from './supervision-i18n';

type Bi = { zh: string; en: string };
interface Part {
  label: Bi;
  fact: string;
  n: number;
}
interface Indicator {
  id: string;
  name: Bi;
  formula: Bi;
  basis: string;
  numerator?: Part;
  denominator?: Part;
  rate?: number | null;
  catalogue?: { published: number; of: number; agencies: CatalogueStanding[] };
}
interface CatalogueStanding {
  agency: string;
  catalogueId: string | null;
  version: number;
  publishedAt: string | null;
}
interface Report {
  year: number;
  years: number[];
  total: Indicator[];
  agencies: { agency: string; indicators: Indicator[] }[];
}

/** One decision body's catalogue: published (which version, when) or not, opening the catalogue. */
function standing(c: CatalogueStanding) {
  const state = c.version ? w('cataloguePublished') : w('catalogueNotPublished');
  const detail = c.version ? w('catalogueVersion', c.version, fmtTime(c.publishedAt ?? undefined).slice(0, 10)) : c.catalogueId ? w('catalogueDrafting') : w('catalogueNone');
  return h(
    'div',
    { class: `catalogue-standing ${c.version ? 'published' : 'unpublished'}`, 'data-agency': c.agency },
    c.catalogueId ? h('a', { href: `#/catalogues/${c.catalogueId}` }, state) : h('strong', {}, state),
    h('span', { class: 'small muted' }, ` ${detail}`),
  );
}

/** The catalogue row: yes or no for one decision body, how many published for several. */
function catalogueCells(c: NonNullable<Indicator['catalogue']>, agency?: string) {
  const value = agency ? (c.published ? w('cataloguePublished') : w('catalogueNotPublished')) : w('cataloguesPublished', c.of, c.published);
  return [h('td', { class: 'rate' }, value), h('td', { colspan: 2, class: 'catalogues' }, c.agencies.map(standing))];
}

const part = (q: SupervisionQuery, p: Part, agency?: string) =>
  h('div', { class: 'part' }, p.n ? h('a', { href: drillHref(q, p.fact, agency), class: 'fig', 'data-fact': p.fact }, String(p.n)) : h('span', { class: 'fig zero' }, '0'), h('span', { class: 'small muted' }, ` ${say(p.label)}`));

function table(q: SupervisionQuery, title: string, items: Indicator[], agency?: string) {
  return h(
    'section',
    { class: 'supervision-section indicators', 'data-agency': agency ?? '' },
    h('h2', {}, title),
    h(
      'table',
      { class: 'decisions indicator-table' },
      h('thead', {}, h('tr', {}, [w('indicator'), w('rate'), w('numerator'), w('denominator'), w('formula')].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        items.map((i) =>
          h(
            'tr',
            { 'data-indicator': i.id },
            h('td', {}, h('strong', {}, say(i.name)), h('div', { class: 'small muted' }, i.basis)),
            i.catalogue
              ? catalogueCells(i.catalogue, agency)
              : [
                  h('td', { class: 'rate' }, i.rate === null || i.rate === undefined ? w('noDenominator') : `${(i.rate * 100).toFixed(1)}%`),
                  h('td', {}, part(q, i.numerator!, agency)),
                  h('td', {}, part(q, i.denominator!, agency)),
                ],
            h('td', { class: 'small formula' }, say(i.formula)),
          ),
        ),
      ),
    ),
  );
}

export async function renderIndicators(root: HTMLElement, params: URLSearchParams) {
  const q = queryOf(params);
  if (!q.year || q.year === 'all') q.year = chinaToday().slice(0, 4);
  const r = await api<Report>('GET', `/api/supervision/indicators?year=${encodeURIComponent(q.year)}${q.agency ? `&agency=${encodeURIComponent(q.agency)}` : ''}`);
  clear(
    root,
    supervisionHead('indicators', q, r.years, '#/supervision/indicators'),
    h('p', { class: 'muted small' }, w('indicatorsIntro')),
    r.agencies.length > 1 ? table(q, `${w('allTogether')}（${r.year}）`, r.total) : null,
    r.agencies.map((a) => table(q, `${a.agency}（${r.year}）`, a.indicators, a.agency)),
  );
}
