/**
 * The bell in the header: unread count, and a list of the person's notifications with a link to
 * each decision, mark read and mark all read. Refreshed when the live stream says the inbox
 * changed (live.ts; or its slow poll when the stream is down) and on navigation.
 */
import { api, session } from './api';
import { clear, fmtTime, h } from './dom';
import { lang, t } from './i18n';
import { onInbox } from './live';

interface Notification {
  id: string;
  decisionId: string;
  stepId?: string;
  kind: string;
  message: { zh: string; en: string };
  createdAt: string;
  readAt: string | null;
}

let unread = 0;
let items: Notification[] = [];
let open = false;
let loaded = false;
/** The bell currently in the header (the shell is redrawn on every navigation). */
let mounted: HTMLElement | undefined;
let stopInbox: (() => void) | undefined;
let listening = false;

/** A fresh bell for the header, drawn from what is already known. */
export function bell(): HTMLElement {
  mounted = h('div', { class: 'bell-wrap' });
  draw();
  return mounted;
}

export async function refreshNotifications(): Promise<void> {
  if (!session.user) return;
  try {
    const r = await api<{ unread: number; items: Notification[] }>('GET', '/api/notifications?limit=30');
    unread = r.unread;
    items = r.items;
    loaded = true;
  } catch {
    /* the bell keeps its last count; a 401 has already gone to the login screen */
  }
  draw();
}

/** Follow the inbox while someone is signed in (again after a logout stopped it). */
export function startNotifications() {
  stopInbox ??= onInbox(() => void refreshNotifications());
  if (listening) return;
  listening = true;
  document.addEventListener('click', (e) => {
    // The path was fixed when the click began: a redraw during it does not make it an outside click.
    if (open && mounted && !e.composedPath().includes(mounted)) {
      open = false;
      draw();
    }
  });
}

export function stopNotifications() {
  stopInbox?.();
  stopInbox = undefined;
  unread = 0;
  items = [];
  loaded = false;
  open = false;
}

async function markRead(n: Notification) {
  if (n.readAt) return;
  await api('POST', `/api/notifications/${encodeURIComponent(n.id)}/read`);
  await refreshNotifications();
}

async function markAll() {
  await api('POST', '/api/notifications/read-all');
  await refreshNotifications();
}

const BELL_SVG =
  '<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" fill="currentColor"/></svg>';

function bellIcon() {
  const i = h('span', { class: 'bell-icon' });
  i.innerHTML = BELL_SVG;
  return i;
}

function draw() {
  if (!mounted) return;
  const button = h(
    'button',
    { type: 'button', class: `bell ${unread ? 'has-unread' : ''}`, title: t('notifications'), 'aria-label': `${t('notifications')} ${t('unreadN', unread)}`, 'aria-expanded': String(open), onclick: () => ((open = !open), draw(), open ? void refreshNotifications() : undefined) },
    bellIcon(),
    unread ? h('span', { class: 'bell-count', 'data-count': unread }, unread > 99 ? '99+' : unread) : null,
  );
  const panel = open
    ? h(
        'div',
        { class: 'notifications', role: 'dialog', 'aria-label': t('notifications') },
        h('div', { class: 'notifications-head' }, h('strong', {}, t('notifications')), h('span', { class: 'muted small' }, t('unreadN', unread)), h('button', { type: 'button', class: 'link mark-all', disabled: !unread, onclick: () => void markAll() }, t('markAllRead'))),
        items.length
          ? h(
              'ul',
              {},
              items.map((n) =>
                h(
                  'li',
                  { class: `notification ${n.readAt ? 'read' : 'unread'}`, 'data-id': n.id, 'data-kind': n.kind },
                  h('div', { class: 'message' }, n.message[lang] || n.message.zh),
                  h(
                    'div',
                    { class: 'small muted' },
                    fmtTime(n.createdAt),
                    ' · ',
                    h('a', { href: `#/decisions/${n.decisionId}${n.stepId ? `?step=${encodeURIComponent(n.stepId)}` : ''}`, onclick: () => ((open = false), void markRead(n)) }, t('openDecision')),
                    n.readAt ? null : [' · ', h('button', { type: 'button', class: 'link mark-read', onclick: () => void markRead(n) }, t('markRead'))],
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, loaded ? t('noNotifications') : '…'),
      )
    : null;
  clear(mounted, button, panel);
}
