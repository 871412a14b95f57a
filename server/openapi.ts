/** OpenAPI 3.1 generated from the route table's zod schemas. */
import { z } from 'zod';
import type { Route } from './routes';

const ErrorBody = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: details name each field',
  401: 'Not signed in',
  403: 'Refused: role, organisation scope or CSRF token (recorded)',
  404: 'Not found (a decision outside your scope is not found either)',
  409: 'Out of order or conflicting: details name the missing prerequisites (recorded)',
  413: 'The body is larger than this route takes',
  415: 'The body is not of a type this route takes (JSON, a charset or encoding, or a file whose bytes disagree with its declared type)',
  422: 'The Idempotency-Key was already used for a different request',
  429: 'Too many failed logins: Retry-After says when to try again',
};

/** Every signed-in change may carry one (server/idempotency.ts). */
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A retry with the same key (from the same person) returns the first answer instead of acting twice.',
  schema: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[!-~]+$' },
};

function jsonSchema(s: z.ZodType) {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
}

export function openApiDocument(routes: Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.schemas.params], ['query', r.schemas.query]] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {}))
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
    }
    const responses: Record<string, unknown> = { [r.method === 'post' && !r.path.includes('/steps/') ? '201' : '200']: { description: 'OK' } };
    const isPublic = 'public' in r.access;
    // Every signed-in route may answer 401 (no session) and 403 (role, scope or CSRF).
    const change = r.method === 'post';
    if (change && !isPublic) parameters.push(IDEMPOTENCY_KEY);
    const statuses = new Set([...(r.errors ?? []), ...(isPublic ? [] : [401, 403]), ...(change ? [413, 415] : []), ...(change && !isPublic ? [422] : [])]);
    for (const status of [...statuses].sort()) responses[String(status)] = { description: ERROR_TEXT[status] ?? 'Error', content: { 'application/json': { schema: ErrorBody } } };
    (paths[p] ??= {})[r.method] = {
      summary: r.summary,
      'x-juece-access': r.access,
      security: isPublic ? [] : r.method === 'post' ? [{ session: [], csrf: [] }] : [{ session: [] }],
      parameters,
      ...(r.schemas.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.schemas.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Juece (决策) API', version: '0.1.0', description: 'Major administrative decisions under State Council Decree 713.' },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'juece_session', description: 'Set by POST /api/session/login (httpOnly, SameSite=Strict).' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The csrfToken of the login response or GET /api/session; required on every change.' },
      },
    },
  };
}
