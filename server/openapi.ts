/** OpenAPI 3.1 generated from the route table's zod schemas. */
import { z } from 'zod';
import type { Route } from './routes';

const ErrorBody = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
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
    for (const status of r.errors ?? []) responses[String(status)] = { description: 'Error', content: { 'application/json': { schema: ErrorBody } } };
    (paths[p] ??= {})[r.method] = {
      summary: r.summary,
      parameters,
      ...(r.schemas.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.schemas.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Juece (决策) API', version: '0.1.0', description: 'Major administrative decisions under State Council Decree 713.' },
    paths,
  };
}
