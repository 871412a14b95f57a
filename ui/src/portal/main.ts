/**
 * The public portal (/portal/): no sign-in, Chinese first, a phone's width first. Hash routes:
 * #/ consultations, #/c/<key> one consultation and its form, #/r/<receipt> what became of an
 * opinion, #/hearings, #/decisions and #/d/<id> a published decision.
 */
import './portal.css';
import { clear, h } from '../dom';
import { PortalError } from './api';
import { consultationPage, decisionPage, decisionsPage, hearingsPage, homePage, receiptPage } from './pages';
import { currentLang, setLang, t } from './text';

const app = document.getElementById('portal')!;

function layout(): HTMLElement {
  const main = h('main', { id: 'main' });
  const other = currentLang() === 'zh' ? 'en' : 'zh';
  const langButton = h('button', { type: 'button', class: 'lang', onclick: () => (setLang(other), void route()) }, other === 'en' ? 'English' : '中文');
  clear(
    app,
    h(
      'header',
      {},
      h('a', { href: '#/', class: 'site' }, t('site')),
      langButton,
      h(
        'nav',
        {},
        h('a', { href: '#/' }, t('navConsultations')),
        h('a', { href: '#/hearings' }, t('navHearings')),
        h('a', { href: '#/decisions' }, t('navDecisions')),
        h('a', { href: '#/r/' }, t('navReceipt')),
      ),
    ),
    main,
  );
  return main;
}

async function route() {
  const main = layout();
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  main.dataset.ready = 'false';
  try {
    if (parts[0] === 'c' && parts[1]) await consultationPage(main, parts[1]);
    else if (parts[0] === 'r') await receiptPage(main, parts[1] ?? '', new URLSearchParams(query).has('new'));
    else if (parts[0] === 'hearings') await hearingsPage(main);
    else if (parts[0] === 'decisions') await decisionsPage(main);
    else if (parts[0] === 'd' && parts[1]) await decisionPage(main, parts[1]);
    else await homePage(main);
  } catch (err) {
    clear(main, h('p', { class: 'errors' }, err instanceof PortalError && err.status === 404 ? `${t('notFound')}：${err.message}` : String((err as Error).message ?? err)), h('a', { href: '#/' }, t('back')));
  }
  main.dataset.ready = 'true';
  window.scrollTo(0, 0);
}

setLang(currentLang());
window.addEventListener('hashchange', () => void route());
void route();
