/**
 * The legality reviewer's aids (Decree 713 Arts. 25–28): what changed between two draft versions,
 * which passages may create licensing, penalties, coercive measures or fees, and — for a draft
 * coming back after rework — exactly what changed since the reviewer last looked. Read-only.
 */
import { z } from 'zod';
import type { DecisionView, DraftVersion as Draft } from '../workflows/model';
import { ApiError } from './errors';
import { annotateFlags } from './review/articles';
import { diffDrafts, type DiffResult } from './review/diff';
import { scanClauses } from './review/scanner';
import { DecisionId, queryState, route, type AppDeps, type Route } from './route-kit';


/** Reviewer's aids are for the legality review side and those who supervise it. */
const REVIEWERS = ['legality-review-body', 'legal-adviser', 'supervisor'] as const;

const Version = z.coerce.number().int().min(1);

/**
 * The aids read at most this many characters of a draft (drafts may hold 2,000,000): the scanner
 * flags what lies within it and says the rest was not read; the diff refuses larger drafts rather
 * than compare parts of them and show a change that is not there.
 */
export const AID_MAX_CHARS = 500_000;
/** Output comes in pages: flags, and the diff's segments. */
const FLAGS_PAGE = { default: 200, max: 1000 };
const SEGMENTS_PAGE = { default: 1000, max: 5000 };

const pageQuery = (p: { default: number; max: number }) =>
  z.object({
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('the first item of the page'),
    limit: z.coerce.number().int().min(1).max(p.max).default(p.default).describe(`items per page (at most ${p.max})`),
  });
type Page = { offset: number; limit: number };

/** One page of the diff's segments, and the changed clauses that start on it. */
function diffPage(d: DiffResult, { offset, limit }: Page) {
  const end = offset + limit;
  return {
    diff: { ...d, segments: d.segments.slice(offset, end), changedClauses: d.changedClauses.filter((c) => c.segment >= offset && c.segment < end) },
    page: { offset, limit, total: d.segments.length },
  };
}

/** The flags of a draft's text, read up to AID_MAX_CHARS — each with its article (第三条), one per category and clause — one page of them. */
function scanPage(content: string, { offset, limit }: Page) {
  const scanned = content.length > AID_MAX_CHARS ? content.slice(0, AID_MAX_CHARS) : content;
  const flags = annotateFlags(scanned, scanClauses(scanned));
  return {
    flags: flags.slice(offset, offset + limit),
    flagsPage: { offset, limit, total: flags.length },
    scanned: { chars: Math.min(content.length, AID_MAX_CHARS), of: content.length },
  };
}

/** A draft too long to compare, as the diff route's 413 names it. */
function tooLongToCompare(d: Draft, content: string, param: string): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `Draft version ${d.version} has ${content.length} characters; the comparison aid compares drafts of up to ${AID_MAX_CHARS}.`, [
    { path: param, message: `第${d.version}稿超过${AID_MAX_CHARS}字，无法比较。`, en: `more than ${AID_MAX_CHARS} characters` },
  ]);
}

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
    summary: 'What changed between two draft versions: clause-level diff refined to characters, with stats and the changed clauses to jump to; segments come in pages',
    access: { decision: 'read', roles: REVIEWERS },
    schemas: { params: z.object({ id: DecisionId, from: Version, to: Version }), query: pageQuery(SEGMENTS_PAGE) },
    errors: [400, 404, 413],
    handler: async ({ params, query }, { deps }) => {
      const view = await queryState(deps, params.id);
      const from = draftOf(view, params.from);
      const to = draftOf(view, params.to);
      const [before, after] = await Promise.all([contentOf(deps, params.id, from), contentOf(deps, params.id, to)]);
      if (before.length > AID_MAX_CHARS) throw tooLongToCompare(from, before, 'params.from');
      if (after.length > AID_MAX_CHARS) throw tooLongToCompare(to, after, 'params.to');
      return { from: ref(from), to: ref(to), ...diffPage(diffDrafts(before, after), query) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/drafts/:version/scan',
    summary:
      'Passages of a draft version that may create administrative licensing, penalties, coercive measures or fees — prompts for the legality review (需重点审查), not verdicts; in pages, over the first 500,000 characters',
    access: { decision: 'read', roles: REVIEWERS },
    schemas: { params: z.object({ id: DecisionId, version: Version }), query: pageQuery(FLAGS_PAGE) },
    errors: [400, 404],
    handler: async ({ params, query }, { deps }) => {
      const view = await queryState(deps, params.id);
      const d = draftOf(view, params.version);
      return { ...ref(d), ...scanPage(await contentOf(deps, params.id, d), query) };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/review-aids',
    summary:
      "For the legality reviewer: the current draft, the version the last legality review covered, the diff since then (or since version 1 if never reviewed) and the current draft's flagged passages — the first page of each",
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
      const baseContent = base ? await contentOf(deps, params.id, base) : null;
      const comparable = baseContent !== null && baseContent.length <= AID_MAX_CHARS && currentContent.length <= AID_MAX_CHARS;
      const diff = comparable ? diffPage(diffDrafts(baseContent, currentContent), { offset: 0, limit: SEGMENTS_PAGE.default }) : null;
      return {
        current: { ...ref(current), addedAt: new Date(current.addedAt).toISOString(), addedBy: current.addedBy },
        lastReviewed,
        diffBase: base ? { ...ref(base), reason: reviewed ? 'last-review' : 'first-draft' } : null,
        diffSinceLastReview: diff?.diff ?? null,
        ...(diff ? { diffPage: diff.page } : {}),
        ...(baseContent !== null && !comparable ? { diffOmitted: { reason: 'too-large', maxChars: AID_MAX_CHARS } } : {}),
        ...scanPage(currentContent, { offset: 0, limit: FLAGS_PAGE.default }),
      };
    },
  }),
];
