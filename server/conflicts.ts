/**
 * Experts' declared conflicts of interest (Decree 713 Art. 20): an expert with a direct interest
 * in the matter may not take part. Declarations name a party; a decision matches when the party
 * is its agency or its drafting unit (by name, as decisions name them).
 */
import type { ScopeMeta } from '../activities/people';

export interface Declarant {
  expert?: { conflicts?: { party?: string | null; note?: string | null }[] | null } | null;
}

/** The first declared conflict that touches this decision, if any. */
export function declaredConflict(user: Declarant, meta: ScopeMeta) {
  return (user.expert?.conflicts ?? []).find((c) => c.party && (meta.agency.includes(c.party) || meta.draftingUnit.includes(c.party) || c.party.includes(meta.draftingUnit)));
}
