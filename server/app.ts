/** The express app, exported without listening (server/main.ts and the tests start it). */
import path from 'node:path';
import express, { type Request } from 'express';
import { z } from 'zod';
import { parseBilingual } from '../workflows/records';
import { authorize } from './access';
import { readBody } from './body';
import { jsonClientErrors } from './client-errors';
import { ApiError, errorHandler } from './errors';
import { fingerprintOf, idempotencyKeyOf, once } from './idempotency';
import { refuseNul } from './nul-chars';
import { openApiDocument } from './openapi';
import { routes, type AppDeps, type Route } from './routes';
import { securityHeaders } from './security-headers';
import type { ProcessStatus } from './supervisor';

export interface HealthProbe {
  (): Promise<Record<string, { ok: boolean; detail?: string }>>;
  /** The supervised child servers of `npm start` (server/supervisor.ts), when there are any. */
  processes?: () => ProcessStatus[];
}

const parse = (schema: z.ZodType | undefined, value: unknown, where: string) => {
  if (!schema) return {};
  refuseNul(value, where);
  const out = parseBilingual(schema, value ?? {});
  if (!out.success) throw new ApiError('VALIDATION_FAILED', `Invalid ${where}.`, out.issues.map((i) => ({ ...i, path: [where, i.path].filter(Boolean).join('.') })));
  return out.data;
};

/** Only changes by a signed-in person are made idempotent: an anonymous key would be anyone's. */
const idempotencyKey = (r: Route, req: Request, signedIn: boolean) => (r.method === 'post' && signedIn && !('public' in r.access) ? idempotencyKeyOf(req) : undefined);

export function createApp(deps: AppDeps, health: HealthProbe) {
  const app = express();
  app.disable('x-powered-by');
  jsonClientErrors(app);
  if (deps.trustProxy) app.set('trust proxy', /^\d+$/.test(deps.trustProxy) ? Number(deps.trustProxy) : deps.trustProxy === 'true' ? true : deps.trustProxy);
  app.use(securityHeaders());

  app.get('/healthz', async (_req, res) => {
    const checks = await health();
    const ok = Object.values(checks).every((c) => c.ok);
    res.status(ok ? 200 : 503).json({ ok, checks, ...(health.processes ? { processes: health.processes() } : {}) });
  });

  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument(routes));
  });

  for (const r of routes) {
    app[r.method](r.path, async (req, res) => {
      const arrivedAt = Date.now();
      const params = parse(r.schemas.params, req.params, 'params') as Record<string, unknown>;
      // Who may ask is settled before what they asked is read or judged: a stranger's body is
      // never read, and a stranger learns nothing from a 400.
      const { session, principal, actor, actingRole } = await authorize(r, req, params, deps);
      if (r.admit) await r.admit(req, res, deps);
      if (r.method === 'post') await readBody(r, req, res);
      const input = {
        params,
        query: parse(r.schemas.query, req.query, 'query'),
        body: r.schemas.body ? parse(r.schemas.body, req.body, 'body') : req.body,
      };
      const run = () => r.handler(input as never, { req, res, actor, principal, session, actingRole, deps, arrivedAt });
      const key = idempotencyKey(r, req, principal !== null);
      if (key) {
        await once(deps, { username: principal!.username, key, fingerprint: fingerprintOf(req) }, res, async () => {
          const body = await run();
          return { status: res.statusCode, body };
        });
        return;
      }
      const result = await run();
      if (result !== undefined) res.json(result);
    });
  }

  app.use('/api', (req) => {
    throw new ApiError('NOT_FOUND', `No route ${req.method} ${req.originalUrl}.`);
  });
  const uiDir = path.resolve(__dirname, '..', 'ui', 'dist');
  app.use(express.static(uiDir));
  // Anything else (a page address with a part missing, say /catalogues/): a 404 with a code, like the API's.
  app.use((req) => {
    throw new ApiError('NOT_FOUND', `No page ${req.method} ${req.path}.`);
  });
  app.use(errorHandler);
  return app;
}
