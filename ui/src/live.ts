/**
 * Live updates for the open tab: one server-sent event stream (GET /api/events, with the decision
 * on screen when there is one) tells the page when that decision changed, when its audit trail
 * grew, when the reader's notifications changed and when something in their work changed. Should
 * the stream fail (a proxy that buffers, a browser without EventSource), the tab falls back to
 * asking every SLOW_POLL_MS and tries the stream again later.
 */

export interface DecisionWatcher {
  /** The decision changed (its new seq; undefined when polling, which cannot tell). */
  changed(seq: number | undefined): void | Promise<void>;
  /** Its audit trail has news (a refused attempt, a comment) without a new state. */
  audited(): void;
  /** Whether updates are arriving (false while disconnected). */
  connection(ok: boolean): void;
}

type Listener = () => void;

/** When the stream is down: how often to ask instead, and when to try the stream again. */
export const SLOW_POLL_MS = 15_000;
const RETRY_STREAM_MS = 60_000;
/** Errors in a row (without an open in between) before the stream is given up for polling. */
const MAX_ERRORS = 3;

let source: EventSource | null = null;
let decision: { id: string; w: DecisionWatcher } | null = null;
const inboxListeners = new Set<(unread: number | undefined) => void>();
const workListeners = new Set<Listener>();
let errors = 0;
let pollTimer: ReturnType<typeof setInterval> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let wanted = false;

/** How the tab gets its updates now (the browser tests read it from <html data-live>). */
function mode(m: 'stream' | 'polling' | 'off') {
  document.documentElement.dataset.live = m;
}

function url(): string {
  return decision ? `/api/decisions/${encodeURIComponent(decision.id)}/events` : '/api/events';
}

function parse(e: MessageEvent): Record<string, unknown> {
  try {
    return JSON.parse(e.data as string) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function pollOnce() {
  if (decision) {
    void Promise.resolve(decision.w.changed(undefined)).catch(() => decision?.w.connection(false));
    decision.w.audited();
  }
  for (const f of inboxListeners) f(undefined);
  for (const f of workListeners) f();
}

function startPolling() {
  close();
  mode('polling');
  pollTimer ??= setInterval(pollOnce, SLOW_POLL_MS);
  retryTimer ??= setTimeout(() => {
    retryTimer = undefined;
    if (wanted) open();
  }, RETRY_STREAM_MS);
}

function close() {
  source?.close();
  source = null;
}

function open() {
  close();
  if (typeof EventSource === 'undefined') return startPolling();
  const s = new EventSource(url(), { withCredentials: true });
  source = s;
  s.addEventListener('hello', () => {
    errors = 0;
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = undefined;
    mode('stream');
    decision?.w.connection(true);
    // What changed between loading the page (or losing the stream) and now: asked once.
    if (decision) void Promise.resolve(decision.w.changed(undefined)).catch(() => undefined);
    for (const f of inboxListeners) f(undefined);
  });
  s.addEventListener('decision', (e) => {
    const d = parse(e as MessageEvent);
    if (decision && d.id === decision.id) void Promise.resolve(decision.w.changed(typeof d.seq === 'number' ? d.seq : undefined)).catch(() => undefined);
  });
  s.addEventListener('audit', (e) => {
    if (decision && parse(e as MessageEvent).id === decision.id) decision.w.audited();
  });
  s.addEventListener('inbox', (e) => {
    const d = parse(e as MessageEvent);
    for (const f of inboxListeners) f(typeof d.unread === 'number' ? d.unread : undefined);
  });
  s.addEventListener('work', () => {
    for (const f of workListeners) f();
  });
  s.onerror = () => {
    if (source !== s) return;
    decision?.w.connection(false);
    // The browser reconnects by itself (readyState CONNECTING); a refused stream is CLOSED.
    if (s.readyState === EventSource.CLOSED || ++errors >= MAX_ERRORS) {
      errors = 0;
      startPolling();
    }
  };
}

/** Start live updates for the signed-in person (again after a logout stopped them). */
export function startLive() {
  if (wanted) return;
  wanted = true;
  open();
}

/** Stop everything (logout). */
export function stopLive() {
  wanted = false;
  close();
  if (pollTimer) clearInterval(pollTimer);
  if (retryTimer) clearTimeout(retryTimer);
  pollTimer = retryTimer = undefined;
  decision = null;
  mode('off');
}

/** Follow one decision while its page is open; returns the function that stops following it. */
export function watchDecision(id: string, w: DecisionWatcher): () => void {
  decision = { id, w };
  if (wanted && !pollTimer) open();
  return () => {
    if (decision?.w !== w) return;
    decision = null;
    if (wanted && !pollTimer) open();
  };
}

/** Be told when the reader's notifications change (the unread count, when the stream gives it). */
export function onInbox(f: (unread: number | undefined) => void): () => void {
  inboxListeners.add(f);
  return () => inboxListeners.delete(f);
}

/** Be told when something in the reader's reach changed (their work, the list). */
export function onWork(f: Listener): () => void {
  workListeners.add(f);
  return () => workListeners.delete(f);
}
