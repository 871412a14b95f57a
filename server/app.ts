/** The express app, exported without listening (server/main.ts and the tests start it). */
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import { parseBilingual } from '../workflows/records';
import { authorize } from './access';
import { ApiError, errorHandler } from './errors';
import { openApiDocument } from './openapi';
import { routes, type AppDeps } from './routes';

export interface HealthProbe {
  (): Promise<Record<string, { ok: boolean; detail?: string }>>;
}

export function createApp(deps: AppDeps, health: HealthProbe) {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', /^\d+$/.test(deps.trustProxy) ? Number(deps.trustProxy) : deps.trustProxy === 'true' ? true : deps.trustProxy);
  // Raw-body routes read their bytes before the JSON parser, which then leaves them alone.
  for (const r of routes) if (r.rawBody) app[r.method](r.path, express.raw({ type: () => true, limit: r.rawBody.limit }));
  app.use(express.json({ limit: '2mb' }));

  app.get('/healthz', async (_req, res) => {
    const checks = await health();
    const ok = Object.values(checks).every((c) => c.ok);
    res.status(ok ? 200 : 503).json({ ok, checks });
  });

  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument(routes));
  });

  for (const r of routes) {
    app[r.method](r.path, async (req, res) => {
      const parse = (schema: z.ZodType | undefined, value: unknown, where: string) => {
        if (!schema) return {};
        const out = parseBilingual(schema, value ?? {});
        if (!out.success) throw new ApiError('VALIDATION_FAILED', `Invalid ${where}.`, out.issues.map((i) => ({ ...i, path: [where, i.path].filter(Boolean).join('.') })));
        return out.data;
      };
      const params = parse(r.schemas.params, req.params, 'params') as Record<string, unknown>;
      // Who may ask is settled before what they asked is judged: a stranger learns nothing from a 400.
      const { session, principal, actor, actingRole } = await authorize(r, req, params, deps);
      const input = {
        params,
        query: parse(r.schemas.query, req.query, 'query'),
        body: r.schemas.body ? parse(r.schemas.body, req.body, 'body') : req.body,
      };
      const result = await r.handler(input as never, { req, res, actor, principal, session, actingRole, deps });
      if (result !== undefined) res.json(result);
    });
  }

  app.use('/api', (req) => {
    throw new ApiError('NOT_FOUND', `No route ${req.method} ${req.originalUrl}.`);
  });
  const uiDir = path.resolve(__dirname, '..', 'ui', 'dist');
  app.use(express.static(uiDir));
  app.use(errorHandler);
  return app;
}
