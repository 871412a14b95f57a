/**
 * What the signed-in person may do, from the server's own answer, so the workspace offers only
 * what will be accepted and says why the rest is not. The API stays the authority: every
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

/**
 * What the reader may do on one decision, as the server computes it with the rules it enforces
 * (GET /api/decisions/:id → `viewer`): the UI never re-derives organisation scope.
 */
export interface Viewer {
  username?: string;
  actAs: string[];
  participation: string[];
  steps: Record<string, { allowed: boolean; zh?: string; en?: string }>;
}

export const NOBODY: Viewer = { actAs: [], participation: [], steps: {} };

/**
 * May the user change the decision acting in one of `roles` (given the roles the server says
 * they may act in here)? Otherwise the reason, in the user's language: supervisors read only; a
 * missing role is named; a role held outside the decision's organisation names whose it is.
 */
export function canAct(roles: readonly string[], actAs: readonly string[], s: Scope, u: SessionUser | null = session.user): Permission {
  if (!u) return { ok: false, reason: t('signInFirst') };
  if (roles.some((r) => actAs.includes(r))) return yes;
  const held = roles.filter((r) => has(r, u));
  if (held.length) return { ok: false, reason: held.includes('department') ? t('notYourUnit', s.draftingUnit) : t('notYourAgency', s.agency) };
  if (has('supervisor', u)) return { ok: false, reason: t('supervisorReadOnly') };
  return { ok: false, reason: t('needsRole', roles.map(tRole).join(t('or'))) };
}

/** The roles of the signed-in person as the server labels them. */
export function roleNames(u: SessionUser): string {
  return u.roles.map(tRole).join('、');
}

/**
 * Who holds a step, as the reader should be told: the drafting department by its name, any other
 * role by what the statute calls it (决策机关办公厅（室）, 合法性审查机构, …).
 */
export function holderOf(role: string, s: Scope): string {
  return role === 'department' ? s.draftingUnit : tRole(role);
}
