/**
 * Which decisions a reader may see, as read-model filters: one place for the list, the stats and
 * the desks, so a scope is never widened by a query parameter.
 */
import { readFilter, readScope, type Principal, type ReadScope } from '../activities/people';
import type { AppDeps } from './route-kit';

/**
 * A reader's own filter, narrowed to their scope. Never by merging keys: `?agency=` must not
 * replace the scope's own `agency`, so overlapping keys go into an $and beside the scope (whose
 * plain keys stay on top, where FerretDB can use them).
 */
export function withinScope(scope: Record<string, unknown>, wanted: Record<string, unknown>): Record<string, unknown> {
  const overlap = Object.keys(wanted).filter((k) => k in scope || k.startsWith('$'));
  if (!overlap.length) return { ...scope, ...wanted };
  const rest = Object.fromEntries(Object.entries(wanted).filter(([k]) => !overlap.includes(k)));
  return { ...scope, ...rest, $and: [...((scope.$and as unknown[]) ?? []), Object.fromEntries(overlap.map((k) => [k, wanted[k]]))] };
}

/**
 * The decisions a person is attached to. What attaches them follows canRead: an adviser reads
 * what they are attached to for any purpose, an expert only what they were invited to review
 * (Art. 20) — not a meeting they were merely asked to sit in on.
 */
async function attachedTo(deps: AppDeps, p: Principal): Promise<string[]> {
  const adviser = p.roles.includes('legal-adviser');
  const expert = p.roles.includes('expert');
  if (!adviser && !expert) return [];
  return (await deps.models.Participant.distinct('decisionId', { username: p.username, ...(adviser ? {} : { purpose: 'expert-review' }) })) as string[];
}

/** The decisions a person may see, as a filter on the read model. */
export async function scopeFilter(deps: AppDeps, p: Principal): Promise<Record<string, unknown>> {
  return readFilter(p, await attachedTo(deps, p));
}

/** The decisions a person may see, as agencies and single decisions. */
export async function scopeOf(deps: AppDeps, p: Principal): Promise<ReadScope> {
  return readScope(p, await attachedTo(deps, p));
}
