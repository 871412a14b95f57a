/** The workspace shell: sign-in, the signed-in person and their notifications, language switch, and a hash router. */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './style.css';
import { api, ApiFailure, dropPrefetched, loadSession, loginHash, prefetch, session, setSession } from './api';
import { renderDecision } from './decision';
import { renderConflicts } from './account';
import { watchLabels } from './a11y';
import { renderCatalogue, renderCatalogues } from './catalogue';
import { renderDashboard } from './dashboard';
import { renderDesk } from './desk';
import { renderDrill } from './drill';
import { clear, h } from './dom';
import { errorPage } from './errors';
import { lang, setLang, t } from './i18n';
import { renderIndicators } from './indicators';
import { renderList } from './list';
import { renderLogin, renderPasswordChange } from './login';
import { startLive, stopLive } from './live';
import { forgetWork, renderMyWork, workNav } from './mywork';
import { bell, refreshNotifications, startNotifications, stopNotifications } from './notifications';
import { DESK_ROLES, hasAny, roleNames } from './roles';
import { renderSecurityLog } from './security-log';
import { w } from './supervision-i18n';

const app = document.getElementById('app')!;
let dispose: (() => void) | undefined;
let sessionLoaded = false;

function shell() {
  const main = h('main', { id: 'view', tabindex: '-1' });
  const u = session.user;
  clear(
    app,
    h('a', { href: '#view', class: 'skip-link', onclick: (e: Event) => (e.preventDefault(), main.focus()) }, t('skipToMain')),
    h(
      'header',
      { class: 'top' },
      h('a', { href: '#/', class: 'brand' }, '决策 ', h('span', {}, t('appName'))),
      u
        ? h(
            'nav',
            { class: 'nav', 'aria-label': t('mainNav') },
            workNav(),
            h('a', { href: '#/', class: 'nav-decisions' }, t('decisions')),
            hasAny(DESK_ROLES) ? h('a', { href: '#/desk', class: 'nav-desk' }, t('desk')) : null,
            h('a', { href: '#/catalogues', class: 'nav-catalogues' }, lang === 'zh' ? '决策事项目录' : 'Catalogues'),
            hasAny(['expert']) ? h('a', { href: '#/conflicts', class: 'nav-conflicts' }, t('myConflicts')) : null,
            hasAny(['supervisor', 'secretariat']) ? h('a', { href: '#/supervision', class: 'nav-supervision' }, w('supervision')) : null,
            hasAny(['supervisor']) ? h('a', { href: '#/security', class: 'nav-security' }, t('securityEvents')) : null,
          )
        : null,
      u
        ? h(
            'div',
            { class: 'who' },
            bell(),
            h('span', { class: 'user', 'data-username': u.username }, h('strong', { class: 'user-name' }, u.name), h('span', { class: 'user-org muted' }, u.org.name), h('span', { class: 'user-role' }, roleNames(u))),
            h('a', { href: '#/password', class: 'change-password small' }, t('changePassword')),
            h('button', { type: 'button', class: 'logout', onclick: () => void logout() }, t('logout')),
          )
        : h('div', { class: 'who' }),
      h('div', { class: 'lang', role: 'group', 'aria-label': t('language') }, h('button', { class: lang === 'zh' ? 'active' : '', 'data-lang': 'zh', 'aria-pressed': String(lang === 'zh'), lang: 'zh-CN', onclick: () => switchLang('zh') }, '中文'), h('button', { class: lang === 'en' ? 'active' : '', 'data-lang': 'en', 'aria-pressed': String(lang === 'en'), lang: 'en', onclick: () => switchLang('en') }, 'English')),
    ),
    main,
  );
  return main;
}

async function logout() {
  try {
    await api('POST', '/api/session/logout', undefined, { noLoginRedirect: true });
  } catch {
    /* an ended session is as good as signed out */
  }
  setSession({ user: null, csrfToken: null });
  stopNotifications();
  stopLive();
  forgetWork();
  location.hash = '#/login';
}

function switchLang(l: 'zh' | 'en') {
  setLang(l);
  void route();
}

async function route() {
  dispose?.();
  dispose = undefined;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  try {
    if (!sessionLoaded) {
      // A decision opened directly: ask for its data while the session is read.
      const d = /^\/decisions\/([A-Za-z0-9-]+)/.exec(path);
      if (d) prefetch([`/api/decisions/${d[1]}`, `/api/decisions/${d[1]}/definition.xml`, '/api/schemas/records']);
      await loadSession();
      sessionLoaded = true;
    }
  } catch (err) {
    return void clear(app, h('main', { id: 'view' }, errorPage(err)));
  }
  if (path.startsWith('/login')) {
    dropPrefetched();
    return renderLogin(shell(), params);
  }
  if (!session.user) {
    dropPrefetched();
    location.hash = loginHash();
    return;
  }
  startNotifications();
  startLive();
  const main = shell();
  const m = /^\/decisions\/([A-Za-z0-9-]+)/.exec(path);
  try {
    if (path.startsWith('/password')) renderPasswordChange(main);
    else if (path.startsWith('/conflicts')) await renderConflicts(main);
    else if (path.startsWith('/security')) await renderSecurityLog(main, params);
    else if (path.startsWith('/supervision/decisions')) await renderDrill(main, params);
    else if (path.startsWith('/supervision/indicators')) await renderIndicators(main, params);
    else if (path.startsWith('/supervision')) dispose = await renderDashboard(main, params);
    else if (m) dispose = await renderDecision(main, m[1], params);
    else if (path.startsWith('/desk')) await renderDesk(main);
    else if (path.startsWith('/work')) dispose = await renderMyWork(main, params);
    else if (/^\/catalogues\/[A-Za-z0-9-]+$/.test(path)) await renderCatalogue(main, path.split('/')[2]);
    else if (path.startsWith('/catalogues')) await renderCatalogues(main);
    else await renderList(main, params);
  } catch (err) {
    // A 401 has already sent the user to the login screen.
    if (err instanceof ApiFailure && err.status === 401) return;
    clear(main, errorPage(err));
  } finally {
    dropPrefetched();
    // The bell fills in once the page itself is drawn: it never competes with the view's own requests.
    void refreshNotifications();
  }
}

setLang(lang);
watchLabels(app);
window.addEventListener('hashchange', () => void route());
void route();
