/**
 * The security events page (supervisors): sign-ins, failed and locked logins, password changes and
 * refusals outside any decision, filtered by kind, login name and date, and exported as the same
 * filter gives them (Excel or CSV).
 */
import { api } from './api';
import { clear, fmtTime, h, withQuery } from './dom';
import { lang, say, t } from './i18n';
import { SECURITY_EVENT_KINDS } from '../../definitions/security-events';
import { w } from './supervision-i18n';

interface SecurityEvent {
  id: string;
  at: string;
  kind: string;
  username?: string;
  ip?: string;
  route?: string;
  detail?: string;
  detailEn?: string;
}

const LIMIT = 200;
const FILTERS = ['kind', 'username', 'from', 'to'] as const;

export async function renderSecurityLog(root: HTMLElement, params: URLSearchParams) {
  const f = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const { items } = await api<{ items: SecurityEvent[] }>('GET', withQuery('/api/security-events', { ...f, limit: LIMIT }));
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, w('allKinds')), Object.entries(SECURITY_EVENT_KINDS).map(([k, b]) => h('option', { value: k }, say(b))));
  kind.value = f.kind;
  const username = h('input', { type: 'text', name: 'username', value: f.username, placeholder: t('loginName') });
  const from = h('input', { type: 'date', name: 'from', value: f.from, 'aria-label': w('from') });
  const to = h('input', { type: 'date', name: 'to', value: f.to, 'aria-label': w('to') });
  const exportLink = (label: string, format: string) => h('a', { href: withQuery('/api/security-events/export', { ...f, format, lang }), download: '', class: `button export-${format}` }, label);
  clear(
    root,
    h('h1', {}, t('securityEvents')),
    h('p', { class: 'muted small' }, t('securityIntro')),
    h(
      'form',
      {
        class: 'filters security-filter',
        onsubmit: (e: Event) => (e.preventDefault(), (location.hash = withQuery('#/security', { kind: kind.value, username: username.value.trim(), from: from.value, to: to.value }))),
      },
      kind,
      username,
      h('label', { class: 'inline small' }, w('from'), from),
      h('label', { class: 'inline small' }, w('to'), to),
      h('button', { type: 'submit' }, w('query')),
    ),
    h('div', { class: 'exports' }, exportLink(w('exportXlsx'), 'xlsx'), exportLink(w('exportCsv'), 'csv'), h('span', { class: 'small muted' }, w('showing', LIMIT))),
    h(
      'table',
      { class: 'decisions security-events' },
      h('thead', {}, h('tr', {}, [t('time'), t('eventKind'), t('loginName'), t('where'), t('detail')].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        items.length
          ? items.map((e) =>
              h(
                'tr',
                { class: `security-${e.kind}`, 'data-kind': e.kind },
                h('td', {}, fmtTime(e.at)),
                h('td', {}, say(SECURITY_EVENT_KINDS[e.kind], e.kind)),
                h('td', {}, e.username ?? '—'),
                h('td', { class: 'small' }, e.route ?? e.ip ?? '—'),
                h('td', { class: 'small muted' }, (lang === 'en' && e.detailEn) || e.detail || ''),
              ),
            )
          : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('none'))),
      ),
    ),
  );
}
