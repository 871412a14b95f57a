/**
 * Live updates by server-sent events across API instances: each instance runs one watcher over
 * the store (not one per tab), and an act taken through any instance reaches the streams open on
 * every other — a decision's new state, a refused attempt, a person's inbox — inside the reader's
 * scope only.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { hubOf } from '../../server/events-routes';
import { healthProbe } from '../../server/health';
import type { AppDeps } from '../../server/route-kit';
import { apiPaths } from '../support/api-paths';
import { notified } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

const INTERVAL_MS = 200;
let h: Harness;
let p: ReturnType<typeof apiPaths>;
const instances: { baseUrl: string; deps: AppDeps; server: Server }[] = [];
const streams: Stream[] = [];

/** Another API instance on the same store and Temporal, with a watcher of its own. */
async function instance() {
  const deps: AppDeps = { ...h.deps, live: { intervalMs: INTERVAL_MS } };
  const app = createApp(deps, healthProbe(h.deps.client, 'default', h.taskQueue, h.deps.store));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const i = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deps, server };
  instances.push(i);
  return i;
}

interface Stream {
  status: number;
  events: { event: string; data: Record<string, unknown> }[];
  /** Resolves with the first event (from now on, or already received) that matches. */
  next(event: string, match?: (d: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  close(): void;
}

/** Open an event stream as `as` and read its events as they come. */
async function stream(baseUrl: string, path: string, as: string): Promise<Stream> {
  const stop = new AbortController();
  const res = await fetch(baseUrl + path, { headers: await h.authHeaders(as), signal: stop.signal });
  const events: Stream['events'] = [];
  const waiting = new Set<() => void>();
  if (res.ok && res.body) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
            for (const w of waiting) w();
          }
        }
      } catch {
        /* closed */
      }
    })();
  }
  const s: Stream = {
    status: res.status,
    events,
    next: (event, match = () => true, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const hit = events.find((e) => e.event === event && match(e.data));
          if (!hit) return false;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(hit.data);
          return true;
        };
        const check = () => void look();
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no ${event} event in ${ms} ms; got ${JSON.stringify(events)}`));
        }, ms);
        if (!look()) waiting.add(check);
      }),
    close: () => stop.abort(),
  };
  streams.push(s);
  return s;
}

beforeAll(async () => {
  h = await startHarness('live');
  p = apiPaths(h);
});
afterAll(async () => {
  for (const s of streams) s.close();
  for (const i of instances) await new Promise((r) => (i.server.close(() => r(undefined)), i.server.closeAllConnections()));
  await h?.close();
});

test('an act through one instance reaches the streams on two others: the decision, a refused attempt, the inbox — and only in scope', async () => {
  const [b, c] = [await instance(), await instance()];
  const id = await p.create({}, '银川市城市供热价格调整方案');
  await notified(h.deps.models, id); // the office was told of the initiation before any stream opened
  const onB = await stream(b.baseUrl, `/api/decisions/${id}/events`, 'zjj');
  const onC = await stream(c.baseUrl, `/api/decisions/${id}/events`, 'office');
  const userStream = await stream(c.baseUrl, '/api/events', 'zjj');
  const stranger = await stream(b.baseUrl, '/api/events', 'szsjt');
  expect([onB.status, onC.status, userStream.status, stranger.status]).toEqual([200, 200, 200, 200]);
  await Promise.all([onB.next('hello'), onC.next('hello'), userStream.next('hello'), stranger.next('hello')]);

  // Through the harness's own instance: the office starts and completes initiation.
  const started = await p.act(id, 'initiation', 'start');
  expect((await onB.next('decision', (d) => d.id === id && (d.seq as number) >= started.seq)).id).toBe(id);
  await onC.next('decision', (d) => (d.seq as number) >= started.seq);
  await userStream.next('work');

  // A refused attempt changes no state, but the audit trail: both pages hear of it.
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {}, 'sfj')).status).toBe(409);
  await onB.next('audit', (d) => d.id === id);
  await onC.next('audit', (d) => d.id === id);

  // Completing initiation opens drafting for the department: its inbox changes, on every stream of its own.
  await p.act(id, 'initiation', 'complete', sample.initiation());
  const inbox = await userStream.next('inbox', (d) => (d.unread as number) > 0);
  expect(inbox.unread).toBe((await h.api('GET', '/api/notifications', undefined, 'zjj')).body.unread);
  await onB.next('inbox');
  expect(onC.events.some((e) => e.event === 'inbox')).toBe(false); // the office was not told anything

  // Another agency's department hears nothing of this decision, and may not follow it.
  expect(stranger.events.filter((e) => e.event !== 'hello')).toEqual([]);
  expect((await stream(b.baseUrl, `/api/decisions/${id}/events`, 'szsjt')).status).toBe(404);
});

test('one watcher per instance: the store is asked once per interval however many streams are open, and not at all when none is', async () => {
  const i = await instance();
  const hub = hubOf(i.deps);
  const pollsOver = async (ms: number) => {
    const before = hub.stats().polls;
    await new Promise((r) => setTimeout(r, ms));
    return hub.stats().polls - before;
  };
  const one = await stream(i.baseUrl, '/api/events', 'zjj');
  await one.next('hello');
  const withOne = await pollsOver(2000);
  const many = await Promise.all(['office', 'sfj', 'lawyer', 'mayor', 'supervisor', 'fgw', 'zjj', 'zjj'].map((u) => stream(i.baseUrl, '/api/events', u)));
  await Promise.all(many.map((s) => s.next('hello')));
  expect(hub.stats().clients).toBe(9);
  const withNine = await pollsOver(2000);
  // About 2000 / INTERVAL_MS rounds either way (each round takes a little time of its own).
  expect(withOne).toBeGreaterThanOrEqual(4);
  expect(withOne).toBeLessThanOrEqual(11);
  expect(withNine).toBeLessThanOrEqual(withOne + 2);
  for (const s of [one, ...many]) s.close();
  await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
  expect(hub.stats()).toMatchObject({ clients: 0, running: false });
  expect(await pollsOver(1000)).toBe(0);
});
