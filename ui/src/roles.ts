/**
 * What the signed-in person may do, mirrored from activities/people.ts so the workspace offers
 * only what will be accepted and says why the rest is not. The API stays the authority: every
 * refusal it gives (403) is shown as it comes.
 */
import { session, type SessionUser } from './api';
import { t, tRole } from './i18n';

/** A decision's scope fields. */
export interface Scope {
  agency: string;
  draftingUnit: string;
}

export type Permission = { ok: true } | { ok: false; reason: string };

const yes: Permission = { ok: true };

/** Roles whose work the legality-review desk is. */
export const DESK_ROLES = ['legality-review-body', 'legal-adviser', 'supervisor'];

export const has = (role: string, u: SessionUser | null = session.user) => Boolean(u?.roles.includes(role));
export const hasAny = (roles: readonly string[], u: SessionUser | null = session.user) => roles.some((r) => has(r, u));

const inAgency = (u: SessionUser, s: Scope) => u.agency !== null && u.agency.name === s.agency;

/** Whether the user, in `role`, is inside the decision's scope (given how they are attached to it). */
function inScope(u: SessionUser, role: string, s: Scope, attached: boolean): boolean {
  switch (role) {
    case 'supervisor':
      return false;
    case 'department':
      return inAgency(u, s) && u.org.name === s.draftingUnit;
    case 'expert':
      return attached;
    case 'legal-adviser':
      return inAgency(u, s) || attached;
    default:
      return inAgency(u, s);
  }
}

/**
 * May the user change the decision acting in one of `roles`? Otherwise the reason, in the
 * user's language: supervisors read only; a missing role is named; a role held outside the
 * decision's organisation names whose decision it is.
 */
export function canAct(roles: readonly string[], s: Scope, attached = false, u: SessionUser | null = session.user): Permission {
  if (!u) return { ok: false, reason: t('signInFirst') };
  if (roles.some((r) => has(r, u) && inScope(u, r, s, attached))) return yes;
  const held = roles.filter((r) => has(r, u));
  if (held.length) return { ok: false, reason: held.includes('department') ? t('notYourUnit', s.draftingUnit) : t('notYourAgency', s.agency) };
  if (has('supervisor', u)) return { ok: false, reason: t('supervisorReadOnly') };
  return { ok: false, reason: t('needsRole', roles.map(tRole).join(t('or'))) };
}

/** The roles of the signed-in person as the server labels them. */
export function roleNames(u: SessionUser): string {
  return u.roles.map(tRole).join('、');
}
