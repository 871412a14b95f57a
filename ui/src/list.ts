/** The decision list: search and filter by agency, status, current step and overdue; counts; pages. */
import { api, session } from './api';
import { chinaToday, clear, fmtTime, h } from './dom';
import { errorLines } from './errors';
import { errorsBesideFields, type FieldError } from './form';
import { t, tCategory, tField, tKind, tStatus } from './i18n';
import { has } from './roles';

interface ListItem {
  id: string;
  title: string;
  agency: string;
  draftingUnit: string;
  category: string;
  status: string;
  currentSteps: string[];
  overdue: boolean;
  updatedAt: string;
}

interface DefinitionStep {
  id: string;
  name: string;
  kind: string;
}

const PAGE = 20;

export async function renderList(root: HTMLElement, params: URLSearchParams) {
  const [stats, list, defs] = await Promise.all([
    api<{ total: number; overdue: number; byStatus: Record<string, number> }>('GET', `/api/decisions/stats${params.get('agency') ? `?agency=${encodeURIComponent(params.get('agency')!)}` : ''}`),
    api<{ total: number; more?: true; page: number; items: ListItem[] }>('GET', `/api/decisions?${listQuery(params)}`),
    api<{ items: { key: string; steps: DefinitionStep[] }[] }>('GET', '/api/definitions'),
  ]);
  const steps = new Map(defs.items.flatMap((d) => d.steps.map((s) => [s.id, s] as const)));
  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    location.hash = `#/?${next}`;
  };
  const page = Number(params.get('page') ?? 1);
  // A title search that matched more than the server counts (list.more): pages go on while they are full.
  const pages = list.more ? (list.items.length === PAGE ? page + 1 : page) : Math.max(1, Math.ceil(list.total / PAGE));

  const counts = h(
    'div',
    { class: 'counts' },
    countChip(t('all'), stats.total, !params.get('status') && !params.get('overdue'), () => go({ status: null, overdue: null })),
    Object.entries(stats.byStatus).map(([s, n]) => countChip(tStatus(s), n, params.get('status') === s, () => go({ status: s, overdue: null }), `status-${s}`)),
    countChip(t('overdue'), stats.overdue, params.get('overdue') === 'true', () => go({ overdue: 'true', status: null }), 'status-overdue'),
  );

  const search = h('input', { type: 'search', placeholder: t('search'), 'aria-label': t('search'), value: params.get('q') ?? '', name: 'q' });
  const agency = h('input', { type: 'text', placeholder: t('agency'), 'aria-label': t('agency'), value: params.get('agency') ?? '', name: 'agency' });
  const step = h('select', { name: 'step', 'aria-label': t('currentStep') }, h('option', { value: '' }, `${t('currentStep')}: ${t('all')}`), [...steps.values()].map((s) => h('option', { value: s.id }, s.name)));
  step.value = params.get('step') ?? '';
  const filters = h(
    'form',
    { class: 'filters', onsubmit: (e: Event) => (e.preventDefault(), go({ q: search.value.trim(), agency: agency.value.trim(), step: step.value })) },
    search,
    agency,
    step,
    h('button', { type: 'submit' }, t('find')),
  );

  const rows = list.items.map((d) =>
    h(
      'tr',
      { class: d.overdue ? 'overdue' : '', 'data-id': d.id },
      h('td', {}, h('a', { href: `#/decisions/${d.id}` }, d.title), h('div', { class: 'muted small' }, d.id)),
      h('td', { 'data-label': t('agency') }, d.agency, h('div', { class: 'muted small' }, d.draftingUnit)),
      h('td', { 'data-label': t('category') }, tCategory(d.category)),
      h('td', { 'data-label': t('currentStep') }, d.currentSteps.map((s) => h('span', { class: 'step-chip' }, steps.get(s)?.name ?? tKind(s))), d.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null),
      h('td', { 'data-label': t('status') }, h('span', { class: `status status-${d.status}` }, tStatus(d.status))),
      h('td', { class: 'small', 'data-label': t('updated') }, fmtTime(d.updatedAt)),
    ),
  );

  clear(
    root,
    h('div', { class: 'list-head' }, h('h1', {}, t('decisions')), has('department') || has('secretariat') ? h('button', { class: 'primary new-decision-button', onclick: () => void newDecisionDialog(root) }, `+ ${t('newDecision')}`) : null),
    counts,
    filters,
    h(
      'table',
      { class: 'decisions' },
      h('thead', {}, h('tr', {}, [t('title'), t('agency'), t('category'), t('currentStep'), t('status'), t('updated')].map((c) => h('th', {}, c)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('none')))),
    ),
    h(
      'div',
      { class: 'pager' },
      h('button', { disabled: page <= 1, onclick: () => go({ page: String(page - 1) }) }, t('prev')),
      h('span', {}, list.more ? t('pageOpen', page) : t('page', page, pages), ' · ', list.more ? t('totalMore', list.total) : t('total', list.total)),
      h('button', { disabled: page >= pages, onclick: () => go({ page: String(page + 1) }) }, t('next')),
    ),
  );
}

function listQuery(p: URLSearchParams): string {
  const q = new URLSearchParams({ pageSize: String(PAGE), page: p.get('page') ?? '1' });
  for (const k of ['q', 'agency', 'status', 'step', 'overdue']) if (p.get(k)) q.set(k, p.get(k)!);
  return q.toString();
}

function countChip(label: string, n: number, active: boolean, onclick: () => void, cls = '') {
  return h('button', { class: `count ${cls} ${active ? 'active' : ''}`, onclick }, h('span', { class: 'n' }, n), h('span', {}, label));
}

const FACTS = ['technical', 'stabilityRisk', 'affectsMarketEntities', 'affectsSpecificGroups', 'nonDisclosable', 'congressRequired', 'otherAgencies', 'publicConcern', 'catalogueItem'];
const CATEGORIES = ['public-policy', 'plan', 'resources-environment', 'major-project', 'vital-interests', 'other'];

/**
 * Only departments and secretariats start decisions, in their own agency: a department for
 * itself (both fixed), a secretariat for one of its agency's departments (suggested). The facts
 * are the drafting unit's proposal; which steps apply is the office's finding at initiation.
 * Only the office enters a procedure carried out before the system (补录).
 */
async function newDecisionDialog(root: HTMLElement) {
  const u = session.user!;
  const department = has('department');
  const office = has('secretariat');
  const title = h('input', { type: 'text', name: 'title', required: true });
  const agency = h('input', { type: 'text', name: 'agency', required: true, value: u.agency?.name ?? '', readonly: Boolean(u.agency) });
  const unit = h('input', { type: 'text', name: 'draftingUnit', required: true, value: department ? u.org.name : '', readonly: department, list: department ? null : 'drafting-units' });
  let units: string[] = [];
  if (!department) {
    try {
      units = (await api<{ items: { name: string }[] }>('GET', '/api/organisations?kind=department')).items.map((o) => o.name);
    } catch {
      /* suggestions only */
    }
  }
  const category = h('select', { name: 'category' }, CATEGORIES.map((c) => h('option', { value: c }, tCategory(c))));
  const facts = FACTS.map((f) => [f, h('input', { type: 'checkbox', name: `facts.${f}` })] as const);
  const importing = h('input', { type: 'checkbox', name: 'import' });
  const reason = h('textarea', { name: 'import.reason', rows: 2 });
  const startedOn = h('input', { type: 'date', name: 'import.startedOn', max: chinaToday() });
  const importDetail = h('div', { class: 'import-detail', hidden: true }, h('label', {}, t('importReason'), reason), h('label', {}, tField('startedOn'), startedOn), h('p', { class: 'small muted' }, t('importIntro')));
  importing.addEventListener('change', () => (importDetail.hidden = !importing.checked));
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const dialog = h(
    'dialog',
    { class: 'new-decision' },
    h(
      'form',
      {
        method: 'dialog',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            const r = await api<{ id: string }>('POST', '/api/decisions', {
              title: title.value,
              agency: agency.value,
              draftingUnit: unit.value,
              category: category.value,
              facts: Object.fromEntries(facts.map(([f, cb]) => [f, cb.checked])),
              ...(office && importing.checked ? { import: { reason: reason.value.trim(), startedOn: startedOn.value } } : {}),
            });
            dialog.close();
            location.hash = `#/decisions/${r.id}`;
          } catch (err) {
            // Each problem beside its field, as a sentence; anything else (a refusal) above the buttons.
            const details = ((err as { body?: { details?: FieldError[] } }).body?.details ?? []) as FieldError[];
            if (Array.isArray(details) && details.length) errorsBesideFields(dialog, errors, details);
            else errors.replaceChildren(...errorLines(err).map((l) => h('div', { class: 'field-error' }, l)));
          }
        },
      },
      h('h2', {}, t('newDecision')),
      h('label', {}, t('title'), title),
      h('label', {}, tField('agency'), agency),
      h('label', {}, tField('draftingUnit'), unit),
      department ? null : h('datalist', { id: 'drafting-units' }, units.map((n) => h('option', { value: n }))),
      h('label', {}, tField('category'), category),
      h('fieldset', { class: 'proposal' }, h('legend', {}, tField('facts')), h('p', { class: 'small muted' }, t('proposalHint')), facts.map(([f, cb]) => h('label', { class: 'inline' }, cb, tField(f)))),
      office ? h('fieldset', { class: 'import-option' }, h('legend', {}, t('imported')), h('label', { class: 'inline' }, importing, t('importOption')), importDetail) : null,
      errors,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('create')), h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))),
    ),
  );
  root.append(dialog);
  dialog.showModal();
}
