/**
 * Evidence: the hash chains checked on request, and a decision's proof bundle. A decision's readers
 * check its own chain and export its bundle; supervisors and the legality review body check the
 * whole system's chain (every audit event, security event and definition deployment).
 */
import { z } from 'zod';
import { verifyDecisionChain, verifySystemChain } from '../activities/audit-verify';
import { buildProofBundle } from './proof';
import { DecisionId, route, type Route } from './route-kit';

const Anchor = z
  .string()
  .regex(/^\d+:[0-9a-fA-F]{64}$/, 'an anchor is <position>:<64 hex digits of its SM3 or SHA-256 hash>')
  .optional()
  .describe('a head written down earlier: the chain must still pass through it');

export const auditRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/decisions/:id/audit/verify',
    summary: "Recompute the decision's audit chain (SM3 and SHA-256): verified, or the first broken link named",
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { deps }) => verifyDecisionChain(deps.models, params.id),
  }),
  route({
    method: 'get',
    path: '/api/audit/verify',
    summary: "Recompute the system's audit chain — every audit event, security event and definition deployment — and name the first broken link",
    access: { roles: ['supervisor', 'legality-review-body'] },
    schemas: { query: z.object({ anchor: Anchor }) },
    errors: [400],
    handler: async ({ query }, { deps }) => verifySystemChain(deps.models, { anchor: query.anchor }),
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/proof',
    summary: 'The proof bundle: the Temporal event history, the audit chain and the definition version, for `npm run juece -- verify-decision` (offline)',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [404],
    handler: async ({ params }, { res, actor, deps }) => {
      const bundle = await buildProofBundle(deps, params.id, actor);
      res.set('Content-Disposition', `attachment; filename="proof-${params.id}.json"`);
      return bundle;
    },
  }),
];
