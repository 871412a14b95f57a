/**
 * The legality reviewer's aids (Decree 713 Arts. 25–28): what changed between two draft versions,
 * which passages may create licensing, penalties, coercive measures or fees, and — for a draft
 * coming back after rework — exactly what changed since the reviewer last looked. Read-only.
 */
import { z } from 'zod';
import type { DecisionView, DraftVersion as Draft } from '../workflows/model';
import { ApiError } from './errors';
import { diffDrafts } from './review/diff';
import { scanClauses } from './review/scanner';
import { DecisionId, queryState, route, type AppDeps, type Route } from './route-kit';


/** Reviewer's aids are for the legality review side and those who supervise it. */
const REVIEWERS = ['legality-review-body', 'legal-adviser', 'supervisor'] as const;

const Version = z.coerce.number().int().min(1);

/** A draft version as the aids name it. */
export interface DraftRef {
  version: number;
  hash: string;
  title: string;
}


function draftOf(view: DecisionView, version: number): Draft {
  const d = view.drafts.find((x) => x.version === version);
  if (!d) throw new ApiError('NOT_FOUND', `Decision ${view.decisionId} has no draft version ${version}.`, [{ path: 'params', message: `versions: ${view.drafts.map((x) => x.version).join(', ') || 'none'}` }]);
  return d;
}

async function contentOf(deps: AppDeps, id: string, d: Draft): Promise<string> {
  const doc = await deps.models.Draft.findById(`${id}:${d.hash}`).lean();
  if (!doc) throw new ApiError('NOT_FOUND', `The content of draft version ${d.version} of decision ${id} is not stored.`);
  return doc.content;
}

const ref = (d: Draft): DraftRef => ({ version: d.version, hash: d.hash, title: d.title });

export const reviewRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/decisions/:id/drafts/:from/diff/:to',
    summary: 'What changed between two draft versions: clause-level diff refined to characters, with stats and the changed clauses to jump to',
    access: { decision: 'read', roles: REVIEWERS },
    schemas: { params: z.object({ id: DecisionId, from: Version, to: Version }) },
    errors: [400, 404],
    handler: async ({ params }, { deps }) => {
      const view = await queryState(deps, params.id);
      const from = draftOf(view, params.from);
      const to = draftOf(view, params.to);
      const [before, after] = await Promise.all([contentOf(deps, params.id, from), contentOf(deps, params.id, to)]);
      return { from: ref(from), to: ref(to), diff: diffDrafts(before, after) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/drafts/:version/scan',
    summary:
      'Passages of a draft version that may create administrative licensing, penalties, coercive measures or fees — prompts for the legality review (需重点审查), not verdicts',
    access: { decision: 'read', roles: REVIEWERS },
    schemas: { params: z.object({ id: DecisionId, version: Version }) },
    errors: [400, 404],
    handler: async ({ params }, { deps }) => {
      const view = await queryState(deps, params.id);
      const d = draftOf(view, params.version);
      return { ...ref(d), flags: scanClauses(await contentOf(deps, params.id, d)) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/review-aids',
    summary:
      "For the legality reviewer: the current draft, the version the last legality review covered, the diff since then (or since version 1 if never reviewed) and the current draft's flagged passages",
    access: { decision: 'read', roles: REVIEWERS },
    schemas: { params: z.object({ id: DecisionId }) },
    errors: [400, 404],
    handler: async ({ params }, { deps }) => {
      const view = await queryState(deps, params.id);
      const current = view.currentDraft ?? view.drafts.at(-1) ?? null;
      if (!current) return { current: null, lastReviewed: null, diffBase: null, diffSinceLastReview: null, flags: [] };

      const review = view.records
        .filter((r) => r.kind === 'legality-review' && (r.action === 'complete' || r.action === 'return') && r.draftVersion !== null)
        .sort((a, b) => a.seq - b.seq)
        .at(-1);
      const reviewed = review ? (view.drafts.find((d) => d.version === review.draftVersion) ?? null) : null;
      const lastReviewed =
        review && reviewed
          ? {
              ...ref(reviewed),
              action: review.action,
              outcome: typeof review.data.outcome === 'string' ? review.data.outcome : null,
              reviewedAt: new Date(review.at).toISOString(),
              reviewedBy: review.actor,
              round: review.visit,
            }
          : null;
      // Compare with what the reviewer last saw; never reviewed: with the first draft.
      const base = reviewed ?? (current.version > 1 ? (view.drafts.find((d) => d.version === 1) ?? null) : null);
      const currentContent = await contentOf(deps, params.id, current);
      const diffSinceLastReview = base ? diffDrafts(await contentOf(deps, params.id, base), currentContent) : null;
      return {
        current: { ...ref(current), addedAt: new Date(current.addedAt).toISOString(), addedBy: current.addedBy },
        lastReviewed,
        diffBase: base ? { ...ref(base), reason: reviewed ? 'last-review' : 'first-draft' } : null,
        diffSinceLastReview,
        flags: scanClauses(currentContent),
      };
    },
  }),
];
