/**
 * The decision as the read model last recorded it: what the decision page shows, saying so, while
 * the workflow cannot be asked (Temporal or the worker unavailable). Live state is GET
 * /api/decisions/:id; this is the projection's summary at its seq, with when it was written.
 */
import { z } from 'zod';
import type { DecisionSummary } from '../workflows/model';
import { ApiError } from './errors';
import { DecisionId, route, type Route } from './route-kit';

export const readModelRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/decisions/:id/summary',
    summary: 'The decision as the read model last recorded it (its summary at seq N) — the page’s fallback while its workflow cannot be asked',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { deps }) => {
      const doc = await deps.models.Decision.findById(params.id, { seq: 1, updatedAt: 1, notifiedSeq: 1, summary: 1 }).lean();
      if (!doc?.summary) throw new ApiError('NOT_FOUND', `Decision ${params.id} is not in the read model yet.`);
      return { source: 'read-model', seq: doc.seq, updatedAt: doc.updatedAt, summary: doc.summary as DecisionSummary };
    },
  }),
];
