/**
 * My work: 待办 (what waits for me), 已办 (what I did), 我发起的 (what my unit started), with their
 * counts in the header. Each row says what is next and who holds it; a task opens the decision at
 * its step. Both the counts and the page follow live changes (live.ts).
 */
import type { MyWork, NextStep, WorkItem, WorkTask } from '../../server/my-work';
import { api, session } from './api';
import { clear, fmtTime, h } from './dom';
import { statusIcon } from './diagram';
import { colon, t, tStatus, tValue } from './i18n';
import { onWork } from './live';
import { holderOf } from './roles';

export const TABS = ['todo', 'done', 'started'] as const;
type Tab = (typeof TABS)[number];

let counts: MyWork['counts'] | null = null;
/** The header's links, redrawn when the counts change (the shell is drawn again on every navigation). */
let mounted: HTMLElement | undefined;
let countsAsked: Promise<void> | null = null;
let following: (() => void) | undefined;

function drawNav() {
  if (!mounted) return;
  const here = location.hash.startsWith('#/work') ? (new URLSearchParams(location.hash.split('?')[1] ?? '').get('tab') ?? 'todo') : null;
  clear(
    mounted,
    TABS.map((tab) =>
      h(
        'a',
        { href: `#/work?tab=${tab}`, class: `nav-work nav-${tab}`, 'data-tab': tab, 'aria-current': here === tab ? 'page' : null },
        t(`work.${tab}`),
        counts ? h('span', { class: `nav-count${tab === 'todo' && counts.todo ? ' has-todo' : ''}`, 'data-count': counts[tab] }, counts[tab] > 99 ? '99+' : counts[tab]) : null,
      ),
    ),
  );
}

/** Ask for the counts again (coalesced: one request at a time). */
export function refreshCounts(): Promise<void> {
  countsAsked ??= api<MyWork['counts']>('GET', '/api/my-work/counts')
    .then((c) => {
      counts = c;
      drawNav();
    })
    .catch(() => undefined)
    .finally(() => (countsAsked = null));
  return countsAsked;
}

/** The header's 待办 · 已办 · 我发起的 links with their counts. */
export function workNav(): HTMLElement {
  mounted = h('span', { class: 'work-nav' });
  drawNav();
  following ??= onWork(() => void refreshCounts());
  void refreshCounts();
  return mounted;
}

/** Forget the counts (logout). */
export function forgetWork() {
  counts = null;
  following?.();
  following = undefined;
}

const dueText = (x: { due: string | null; overdue: boolean }) => (x.overdue ? t('overdue') : x.due ? `${t('due')}${colon()}${x.due}` : '');

function taskLine(i: WorkItem, task: WorkTask): HTMLElement {
  const what =
    task.kind === 'step'
      ? t(task.status === 'active' ? 'work.continue' : 'work.do', task.stepName ?? '')
      : task.kind === 'legal-opinion'
        ? t('recordOpinion')
        : task.kind === 'expert-opinion'
          ? t('recordExpertOpinion')
          : t('myStatement');
  const query = task.stepId ? `?step=${encodeURIComponent(task.stepId)}${task.kind === 'legal-opinion' || task.kind === 'expert-opinion' ? '&focus=opinion' : ''}` : '';
  return h(
    'li',
    { class: `task task-${task.kind}${task.overdue ? ' overdue' : ''}`, 'data-kind': task.kind },
    h('a', { href: `#/decisions/${i.id}${query}`, class: 'task-link' }, what),
    dueText(task) ? h('span', { class: `due small${task.overdue ? ' overdue' : ''}` }, task.overdue ? statusIcon('overdue') : null, dueText(task)) : null,
  );
}

/** What is next on a decision and who holds it: 等待：<who>办理「<step>」, or that it is mine. */
function nextLine(i: WorkItem, n: NextStep): HTMLElement {
  const who = holderOf(n.role, i);
  return h(
    'li',
    { class: `next${n.mine ? ' mine' : ''}`, 'data-step': n.stepId },
    statusIcon(n.status),
    n.mine ? t('work.yourTurn', n.name) : t('waitingFor', who, n.name),
    n.status === 'active' && n.startedBy ? h('span', { class: 'small muted' }, ` · ${tStatus('active')}（${n.startedBy}）`) : null,
    dueText(n) ? h('span', { class: `small${n.overdue ? ' overdue' : ' muted'}` }, ` · ${dueText(n)}`) : null,
  );
}

function row(i: WorkItem, tab: Tab): HTMLElement {
  const next = tab === 'todo' ? i.next.filter((n) => !n.mine) : i.next;
  return h(
    'li',
    { class: `work-item${i.overdue ? ' overdue' : ''}`, 'data-id': i.id },
    h('div', { class: 'work-title' }, h('a', { href: `#/decisions/${i.id}` }, i.title), h('span', { class: `status status-${i.status}` }, tStatus(i.status))),
    h('div', { class: 'small muted' }, `${i.draftingUnit} · ${i.agency}`),
    tab === 'todo' ? h('ul', { class: 'tasks', 'aria-label': t('work.todo') }, i.tasks.map((task) => taskLine(i, task))) : null,
    // On 待办 the reader's own steps are the tasks above; what others hold is said beside them.
    next.length ? h('ul', { class: 'next-steps', 'aria-label': t('work.next') }, next.map((n) => nextLine(i, n))) : tab === 'todo' ? null : h('p', { class: 'small muted' }, i.status === 'completed' ? t('procedureEnded') : t('none')),
    i.lastAct ? h('div', { class: 'small muted last-act' }, t('work.lastAct', tValue(i.lastAct.action), fmtTime(i.lastAct.at))) : null,
  );
}

/** The page; returns the function that stops following live changes. */
export async function renderMyWork(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'todo';
  const draw = (work: MyWork) => {
    counts = work.counts;
    drawNav();
    const items = work[tab];
    clear(
      root,
      h('h1', {}, t('work.title'), h('span', { class: 'small muted who-for' }, ` ${session.user?.name ?? ''} · ${session.user?.org.name ?? ''}`)),
      h(
        'nav',
        { class: 'work-tabs', 'aria-label': t('work.title') },
        TABS.map((x) => h('a', { href: `#/work?tab=${x}`, class: `work-tab${x === tab ? ' active' : ''}`, 'aria-current': x === tab ? 'page' : null, 'data-tab': x }, t(`work.${x}`), h('span', { class: 'n' }, work.counts[x]))),
      ),
      h('p', { class: 'muted small' }, t(`work.${tab}Intro`)),
      items.length ? h('ul', { class: 'work-list', 'data-tab': tab }, items.map((i) => row(i, tab))) : h('p', { class: 'empty muted' }, t(`work.${tab}Empty`)),
      work.counts[tab] > items.length ? h('p', { class: 'small muted' }, t('firstOf', items.length, work.counts[tab])) : null,
    );
    root.dataset.ready = 'true';
  };
  draw(await api<MyWork>('GET', '/api/my-work'));
  const stop = onWork(() => void api<MyWork>('GET', '/api/my-work').then(draw, () => undefined));
  return stop;
}
