/**
 * Server-sent events for open pages (server/live.ts): one stream per tab, for the signed-in person
 * (their inbox, their work) and, on a decision's page, for that decision. A stream ends after
 * `maxStreamMs`; the browser reconnects by itself, so every stream is authorised afresh and a
 * session that has ended stops receiving.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../activities/people';
import { LiveHub } from './live';
import { DecisionId, route, type AppDeps, type Route } from './route-kit';
import { scopeOf } from './scope';

const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_MAX_STREAM_MS = 5 * 60_000;
const KEEP_ALIVE_MS = 25_000;

/** One watcher per API instance (per set of dependencies), however many streams it serves. */
const hubs = new WeakMap<AppDeps, LiveHub>();
export function hubOf(deps: AppDeps): LiveHub {
  let hub = hubs.get(deps);
  if (!hub) hubs.set(deps, (hub = new LiveHub(deps.models, deps.live?.intervalMs ?? DEFAULT_INTERVAL_MS)));
  return hub;
}

async function stream(deps: AppDeps, req: Request, res: Response, p: Principal, decisionId?: string): Promise<void> {
  const scope = await scopeOf(deps, p);
  res.status(200);
  res.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  const send = (event: string, data: unknown) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.write('retry: 3000\n\n');
  let closed = false;
  req.on('close', () => (closed = true));
  const remove = await hubOf(deps).add({ username: p.username, scope, decisionId, send });
  if (closed) return remove();
  // From here on nothing is missed: a page that loaded before now checks once (on hello) for what came between.
  send('hello', { decisionId: decisionId ?? null });
  const beat = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  const end = setTimeout(() => res.end(), deps.live?.maxStreamMs ?? DEFAULT_MAX_STREAM_MS);
  req.on('close', () => {
    remove();
    clearInterval(beat);
    clearTimeout(end);
  });
}

export const eventsRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/events',
    summary: 'Server-sent events for the signed-in person: `inbox` (their notifications changed, with the unread count) and `work` (a decision in their reach changed)',
    access: { user: true },
    schemas: {},
    eventStream: true,
    handler: async (_i, { req, res, principal, deps }) => {
      await stream(deps, req, res, principal!);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/events',
    summary: 'Server-sent events for one decision’s page: `decision` (a new state, with its seq), `audit` (a refused attempt or another recorded act), and the person’s `inbox` and `work`',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    eventStream: true,
    handler: async ({ params }, { req, res, principal, deps }) => {
      await stream(deps, req, res, principal!, params.id);
      return undefined;
    },
  }),
];
