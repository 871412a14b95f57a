/**
 * The compliance dashboard (合规看板): for supervisors over their jurisdiction, for an agency's
 * secretariat over its own agency, per year. Every number is a link to the decisions behind it
 * (#/supervision/decisions); the charts open the same lists when a bar is clicked.
 */
import './supervision.css';
import { api } from './api';
import { chinaToday, clear, h, withQuery } from './dom';
import { lang, say, tKind } from './i18n';
import { groundName, refusalClassName, w } from './supervision-i18n';

interface Figure {
  n: number;
  fact: string;
}

interface KindRow {
  kind: string;
  performed: Figure;
  notApplicable: Figure;
  grounds: { ground: string; n: number; fact: string }[];
  overdue: Figure;
  late: Figure;
  days: { count: number; median: number; max: number; medianFact: string; maxFact: string } | null;
}

interface AgencyRow {
  agency: string;
  started: Figure;
  completed: Figure;
  inProgress: Figure;
  overdue: Figure;
  dueSoon: Figure;
  late: Figure;
  statutoryRefusals: Figure;
}

export interface Dashboard {
  year: number | null;
  years: number[];
  today: string;
  dueSoonUntil: string;
  dueSoonDays: number;
  agencies: AgencyRow[];
  totals: Record<'started' | 'completed' | 'inProgress' | 'incident' | 'overdue' | 'dueSoon' | 'late' | 'decided' | 'against' | 'shortConsultation' | 'shortReview', Figure>;
  kinds: KindRow[];
  refusals: { class: string; attempts: number; decisions: Figure }[];
  extensions: { id: string; title: { zh: string; en: string }; figures: { label: { zh: string; en: string }; n: number; href?: string }[] }[];
}

/** The filter the supervision pages share: year ('' = all years) and part of an agency's name. */
export interface SupervisionQuery {
  year: string;
  agency: string;
}

export function queryOf(params: URLSearchParams): SupervisionQuery {
  return { year: params.get('year') ?? chinaToday().slice(0, 4), agency: params.get('agency') ?? '' };
}

const apiQuery = (q: SupervisionQuery) => ({ year: q.year || undefined, agency: q.agency || undefined });

/** The decisions behind a fact, for the filter (an agency of the chart narrows it to that agency). */
export const drillHref = (q: SupervisionQuery, fact: string, agency?: string) => withQuery('#/supervision/decisions', { year: q.year || 'all', agency: agency ?? q.agency, fact });

/** A number that opens its decisions; a zero is plain text. */
export function figure(q: SupervisionQuery, f: Figure, agency?: string) {
  return f.n ? h('a', { href: drillHref(q, f.fact, agency), class: 'fig', 'data-fact': f.fact }, String(f.n)) : h('span', { class: 'fig zero', 'data-fact': f.fact }, '0');
}

/** The tabs and the filter form above every supervision page. */
export function supervisionHead(active: 'dashboard' | 'indicators', q: SupervisionQuery, years: number[], path: string) {
  const thisYear = Number(chinaToday().slice(0, 4));
  const options = [...new Set([thisYear, ...years])].sort((a, b) => b - a);
  const year = h('select', { name: 'year' }, active === 'dashboard' ? h('option', { value: 'all' }, w('allYears')) : null, options.map((y) => h('option', { value: String(y) }, String(y))));
  year.value = q.year || 'all';
  const agency = h('input', { type: 'text', name: 'agency', value: q.agency, placeholder: w('agencyPart') });
  return h(
    'div',
    { class: 'supervision-head' },
    h('h1', {}, w('supervision')),
    h(
      'nav',
      { class: 'tabs' },
      h('a', { href: withQuery('#/supervision', { year: q.year || 'all', agency: q.agency }), class: active === 'dashboard' ? 'active' : '' }, w('dashboardTab')),
      h('a', { href: withQuery('#/supervision/indicators', { year: q.year && q.year !== 'all' ? q.year : String(thisYear), agency: q.agency }), class: active === 'indicators' ? 'active' : '' }, w('indicatorsTab')),
    ),
    h(
      'form',
      { class: 'filters supervision-filter', onsubmit: (e: Event) => (e.preventDefault(), (location.hash = withQuery(path, { year: year.value, agency: agency.value.trim() }))) },
      h('label', { class: 'inline' }, w('year'), year),
      agency,
      h('button', { type: 'submit' }, w('query')),
    ),
  );
}

/** Download links for the decisions behind a fact and their step records. */
export function exportLinks(q: SupervisionQuery, fact: string) {
  const base = { year: q.year && q.year !== 'all' ? q.year : undefined, agency: q.agency || undefined, fact, lang };
  const link = (label: string, extra: Record<string, string>, cls: string) => h('a', { href: withQuery('/api/supervision/export', { ...base, ...extra }), download: '', class: `button ${cls}` }, label);
  return h(
    'div',
    { class: 'exports' },
    link(w('exportXlsx'), { format: 'xlsx' }, 'export-xlsx'),
    link(w('exportCsv'), { format: 'csv', what: 'decisions' }, 'export-csv'),
    link(w('exportRecordsCsv'), { format: 'csv', what: 'records' }, 'export-records-csv'),
    h('span', { class: 'small muted' }, w('exportHint')),
  );
}

function card(q: SupervisionQuery, label: string, f: Figure, cls = '') {
  return h('div', { class: `card ${cls}` }, h('div', { class: 'card-n' }, figure(q, f)), h('div', { class: 'card-label' }, label));
}

function kindTable(q: SupervisionQuery, kinds: KindRow[]) {
  const head = [w('kind'), w('performed'), w('notApplicable'), w('overdueNow'), w('late'), w('median'), w('slowest')];
  return h(
    'table',
    { class: 'decisions supervision-kinds' },
    h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      kinds.map((k) =>
        h(
          'tr',
          { 'data-kind': k.kind },
          h('td', {}, tKind(k.kind)),
          h('td', {}, figure(q, k.performed)),
          h(
            'td',
            {},
            figure(q, k.notApplicable),
            k.grounds.length ? h('ul', { class: 'grounds small' }, k.grounds.map((g) => h('li', {}, groundName(g.ground), '：', figure(q, { n: g.n, fact: g.fact })))) : null,
          ),
          h('td', {}, figure(q, k.overdue)),
          h('td', {}, figure(q, k.late)),
          h('td', {}, k.days ? h('a', { href: drillHref(q, k.days.medianFact), class: 'fig' }, String(k.days.median)) : '—'),
          h('td', {}, k.days ? h('a', { href: drillHref(q, k.days.maxFact), class: 'fig' }, String(k.days.max)) : '—'),
        ),
      ),
    ),
  );
}

function agencyTable(q: SupervisionQuery, rows: AgencyRow[]) {
  const cols: [string, keyof Omit<AgencyRow, 'agency'>][] = [
    [w('started'), 'started'],
    [w('completed'), 'completed'],
    [w('inProgress'), 'inProgress'],
    [w('overdueNow'), 'overdue'],
    [w('dueSoon'), 'dueSoon'],
    [w('late'), 'late'],
    [w('statutoryRefusals'), 'statutoryRefusals'],
  ];
  return h(
    'table',
    { class: 'decisions supervision-agencies' },
    h('thead', {}, h('tr', {}, h('th', {}, say({ zh: '决策机关', en: 'Decision body' })), cols.map(([c]) => h('th', {}, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-agency': r.agency }, h('td', {}, r.agency), cols.map(([, k]) => h('td', {}, figure(q, r[k], r.agency)))))),
  );
}

/** Draw the charts once the chart chunk has loaded; a failure leaves the tables, which say the same. */
async function drawCharts(q: SupervisionQuery, d: Dashboard, byAgency: HTMLElement, byKind: HTMLElement): Promise<() => void> {
  const { barChart } = await import('./charts.js');
  const open = (fact: string, agency?: string) => (location.hash = drillHref(q, fact, agency));
  const agencyFacts: (keyof AgencyRow)[] = ['started', 'completed', 'overdue'];
  const disposeAgencies = barChart(byAgency, {
    categories: d.agencies.map((a) => a.agency),
    series: [
      { name: w('started'), color: '#1565c0', values: d.agencies.map((a) => a.started.n) },
      { name: w('completed'), color: '#2e7d32', values: d.agencies.map((a) => a.completed.n) },
      { name: w('overdueNow'), color: '#d32f2f', values: d.agencies.map((a) => a.overdue.n) },
    ],
    onPick: (s, c) => open((d.agencies[c][agencyFacts[s]] as Figure).fact, d.agencies[c].agency),
  });
  const kindFacts: ('performed' | 'notApplicable' | 'late')[] = ['performed', 'notApplicable', 'late'];
  const disposeKinds = barChart(byKind, {
    categories: d.kinds.map((k) => tKind(k.kind)),
    series: [
      { name: w('performed'), color: '#2e7d32', values: d.kinds.map((k) => k.performed.n) },
      { name: w('notApplicable'), color: '#607d8b', values: d.kinds.map((k) => k.notApplicable.n) },
      { name: w('late'), color: '#d32f2f', values: d.kinds.map((k) => k.late.n) },
    ],
    onPick: (s, c) => open(d.kinds[c][kindFacts[s]].fact),
  });
  byAgency.dataset.ready = 'true';
  byKind.dataset.ready = 'true';
  return () => {
    disposeAgencies();
    disposeKinds();
  };
}

export async function renderDashboard(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const q = queryOf(params);
  const d = await api<Dashboard>('GET', withQuery('/api/supervision/dashboard', apiQuery({ ...q, year: q.year === 'all' ? '' : q.year })));
  const t = d.totals;
  const byAgency = h('div', { class: 'chart chart-agencies', role: 'img', 'aria-label': w('chartAgencies') });
  const byKind = h('div', { class: 'chart chart-kinds', role: 'img', 'aria-label': w('chartKinds') });
  clear(
    root,
    supervisionHead('dashboard', q, d.years, '#/supervision'),
    h('p', { class: 'muted small' }, w('countedBy', d.today, d.dueSoonDays, d.dueSoonUntil)),
    h(
      'section',
      { class: 'cards' },
      card(q, w('started'), t.started),
      card(q, w('completed'), t.completed),
      card(q, w('inProgress'), t.inProgress),
      card(q, w('overdueNow'), t.overdue, 'alert'),
      card(q, w('dueSoon'), t.dueSoon, 'warn'),
      card(q, w('late'), t.late),
      card(q, w('statutoryRefusals'), d.refusals.find((r) => r.class === 'statutory')!.decisions, 'alert'),
      card(q, w('decided'), t.decided),
    ),
    exportLinks(q, 'started'),
    h('section', { class: 'supervision-section' }, h('h2', {}, w('byAgency')), byAgency, agencyTable(q, d.agencies)),
    h('section', { class: 'supervision-section' }, h('h2', {}, w('byKind')), byKind, kindTable(q, d.kinds), h('p', { class: 'small muted' }, w('durationNote'))),
    h(
      'section',
      { class: 'supervision-section periods' },
      h('h2', {}, w('periods')),
      h(
        'ul',
        { class: 'figures' },
        [
          [w('shortConsultation'), t.shortConsultation],
          [w('shortReview'), t.shortReview],
          [w('against'), t.against],
        ].map(([label, f]) => h('li', {}, h('span', {}, label as string), figure(q, f as Figure))),
      ),
    ),
    h(
      'section',
      { class: 'supervision-section' },
      h('h2', {}, w('refusals')),
      h(
        'table',
        { class: 'decisions supervision-refusals' },
        h('thead', {}, h('tr', {}, [w('refusalClass'), w('attempts'), w('decisionsWith')].map((c) => h('th', {}, c)))),
        h('tbody', {}, d.refusals.map((r) => h('tr', { 'data-class': r.class }, h('td', {}, refusalClassName(r.class)), h('td', {}, figure(q, { n: r.attempts, fact: r.decisions.fact })), h('td', {}, figure(q, r.decisions))))),
      ),
    ),
    // Sections other parts of supervision add (urgings, the annual catalogue): server/supervision.ts dashboardExtensions.
    d.extensions.map((x) =>
      h('section', { class: `supervision-section extension-${x.id}` }, h('h2', {}, say(x.title)), h('ul', { class: 'figures' }, x.figures.map((f) => h('li', {}, h('span', {}, say(f.label)), f.href ? h('a', { href: f.href, class: 'fig' }, String(f.n)) : String(f.n))))),
    ),
  );
  root.dataset.ready = 'false';
  let dispose = () => {};
  try {
    dispose = await drawCharts(q, d, byAgency, byKind);
  } finally {
    root.dataset.ready = 'true';
  }
  return () => dispose();
}

