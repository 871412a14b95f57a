/** The workspace shell: language switch, acting person, and a hash router. */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './style.css';
import { actor } from './api';
import { renderDecision } from './decision';
import { renderDesk } from './desk';
import { clear, h } from './dom';
import { lang, setLang, t } from './i18n';
import { renderList } from './list';

const app = document.getElementById('app')!;
let dispose: (() => void) | undefined;

function shell() {
  const who = h('input', { type: 'text', value: actor.get(), class: 'actor', name: 'actor', onchange: (e: Event) => actor.set((e.target as HTMLInputElement).value.trim() || '经办人') });
  const main = h('main', { id: 'view' });
  clear(
    app,
    h(
      'header',
      { class: 'top' },
      h('a', { href: '#/', class: 'brand' }, '决策 ', h('span', {}, t('appName'))),
      h('nav', { class: 'nav' }, h('a', { href: '#/' }, t('decisions')), h('a', { href: '#/desk' }, t('desk'))),
      h('label', { class: 'who' }, t('actor'), who),
      h('div', { class: 'lang' }, h('button', { class: lang === 'zh' ? 'active' : '', 'data-lang': 'zh', onclick: () => switchLang('zh') }, '中文'), h('button', { class: lang === 'en' ? 'active' : '', 'data-lang': 'en', onclick: () => switchLang('en') }, 'English')),
    ),
    main,
  );
  return main;
}

function switchLang(l: 'zh' | 'en') {
  setLang(l);
  void route();
}

async function route() {
  dispose?.();
  dispose = undefined;
  const main = shell();
  const hash = location.hash.replace(/^#/, '') || '/';
  const m = /^\/decisions\/([A-Za-z0-9-]+)/.exec(hash);
  try {
    if (m) dispose = await renderDecision(main, m[1]);
    else if (hash.startsWith('/desk')) await renderDesk(main);
    else await renderList(main, new URLSearchParams(hash.split('?')[1] ?? ''));
  } catch (err) {
    clear(main, h('div', { class: 'error' }, h('h2', {}, t('errorNetwork')), h('pre', {}, String((err as Error).message))));
  }
}

setLang(lang);
window.addEventListener('hashchange', () => void route());
void route();
