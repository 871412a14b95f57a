/**
 * People and their reach: who a signed-in user is (their roles, organisation, agency and
 * jurisdiction), which decisions they may read, and for which they may act in a role. The API
 * enforces these rules on every route; the notification activities use the same rules to find
 * whom to tell, so "may act" and "is told" never disagree.
 */
import { USER_ROLES, type Role, type UserRole } from '../definitions/statute';
import type { Models } from './models';

export { ROLE_LABELS, USER_ROLES, type UserRole } from '../definitions/statute';

export interface Principal {
  username: string;
  name: string;
  roles: UserRole[];
  org: { id: string; kind: string; name: string };
  /** The agency whose decisions this person works on (none for experts and supervisors' offices). */
  agency: { id: string; name: string } | null;
  /** Supervisors: names of the agencies they oversee. */
  jurisdiction: string[];
  lawyerType: 'legal-adviser' | 'government-lawyer' | null;
  email: string | null;
}

/** The parts of a decision scope depends on; they never change after the decision starts. */
export interface ScopeMeta {
  agency: string;
  draftingUnit: string;
}

/** How this person is attached to one decision (participants collection). */
export type Participation = ('early-intervention' | 'expert-review' | 'meeting')[];

/** Load an enabled user with their organisation; null when unknown or disabled. */
export async function loadPrincipal(models: Models, username: string): Promise<Principal | null> {
  const user = await models.User.findById(username).lean();
  if (!user || user.disabled) return null;
  return principalOf(models, user);
}

interface UserFields {
  _id: string;
  name: string;
  roles: string[];
  orgId: string;
  lawyerType?: string | null;
  email?: string | null;
}

/**
 * Organisations change rarely (the CLI), but every request resolves its person's organisation,
 * agency and jurisdiction: they are cached for ORG_TTL_MS per database. Accounts and sessions are
 * never cached — disabling someone takes effect on their next request.
 */
const ORG_TTL_MS = 30_000;
type OrgDoc = NonNullable<Awaited<ReturnType<typeof findOrg>>>;
const orgCache = new Map<string, { at: number; doc: Promise<OrgDoc | null> }>();

function findOrg(models: Models, id: string) {
  return models.Organisation.findById(id).lean().exec();
}

function cachedOrg(models: Models, id: string): Promise<OrgDoc | null> {
  const key = `${models.Organisation.db.name}/${id}`;
  const hit = orgCache.get(key);
  if (hit && Date.now() - hit.at < ORG_TTL_MS) return hit.doc;
  const doc = findOrg(models, id);
  if (orgCache.size > 5000) orgCache.clear();
  orgCache.set(key, { at: Date.now(), doc });
  doc.catch(() => orgCache.delete(key));
  return doc;
}

export async function principalOf(models: Models, user: UserFields): Promise<Principal> {
  const org = await cachedOrg(models, user.orgId);
  const agencyOrg = org?.kind === 'agency' ? org : org?.agencyId ? await cachedOrg(models, org.agencyId) : null;
  const overseen = org?.kind === 'supervisor-office' ? await Promise.all(org.jurisdiction.map((id) => cachedOrg(models, id))) : [];
  const jurisdiction = overseen.filter((a): a is OrgDoc => a !== null).map((a) => a.name);
  return {
    username: user._id,
    name: user.name,
    roles: user.roles.filter((r): r is UserRole => (USER_ROLES as readonly string[]).includes(r)),
    org: { id: user.orgId, kind: org?.kind ?? 'unknown', name: org?.name ?? user.orgId },
    agency: agencyOrg ? { id: agencyOrg._id, name: agencyOrg.name } : null,
    jurisdiction,
    lawyerType: (user.lawyerType as Principal['lawyerType']) ?? null,
    email: user.email ?? null,
  };
}

/** The actor string recorded in the audit trail and step records: 姓名 (login). */
export function actorLabel(p: Pick<Principal, 'name' | 'username'>): string {
  return `${p.name} (${p.username})`;
}

const inAgency = (p: Principal, meta: ScopeMeta) => p.agency !== null && p.agency.name === meta.agency;

/** Whether this person, in this role, may read the decision. */
function readsAs(p: Principal, role: UserRole, meta: ScopeMeta, part: Participation): boolean {
  switch (role) {
    case 'supervisor':
      return p.jurisdiction.includes(meta.agency);
    case 'expert':
      return part.includes('expert-review');
    case 'legal-adviser':
      return inAgency(p, meta) || part.length > 0;
    default:
      return inAgency(p, meta);
  }
}

export function canRead(p: Principal, meta: ScopeMeta, part: Participation): boolean {
  return p.roles.some((r) => readsAs(p, r, meta, part));
}

/**
 * Whether this person may change the decision acting in `role`: a department only its own
 * decisions, agency staff their agency's, advisers their agency's or those they are attached to,
 * experts those they were invited to review; supervisors never.
 */
export function canActAs(p: Principal, role: UserRole, meta: ScopeMeta, part: Participation): boolean {
  if (!p.roles.includes(role) || role === 'supervisor') return false;
  // A department changes only the decisions it drafts; every other role acts where it reads.
  if (role === 'department') return inAgency(p, meta) && p.org.name === meta.draftingUnit;
  return readsAs(p, role, meta, part);
}

/** What a person may read: every decision of some agencies, and single decisions they are attached to. */
export interface ReadScope {
  agencies: string[];
  ids: string[];
}

export function readScope(p: Principal, attachedIds: string[]): ReadScope {
  const agencies = new Set<string>();
  const ids = new Set<string>();
  for (const role of p.roles) {
    if (role === 'supervisor') for (const a of p.jurisdiction) agencies.add(a);
    else if (role === 'expert' || role === 'legal-adviser') {
      for (const id of attachedIds) ids.add(id);
      if (role === 'legal-adviser' && p.agency) agencies.add(p.agency.name);
    } else if (p.agency) agencies.add(p.agency.name);
  }
  return { agencies: [...agencies], ids: [...ids] };
}

/** A mongo filter on the decisions selecting what this person may read. */
export function readFilter(p: Principal, attachedIds: string[]): Record<string, unknown> {
  const { agencies, ids } = readScope(p, attachedIds);
  const ors: Record<string, unknown>[] = [];
  // A single agency as plain equality: FerretDB pushes that down to SQL, never $in.
  if (agencies.length) ors.push({ agency: agencies.length === 1 ? agencies[0] : { $in: agencies } });
  if (ids.length) ors.push({ _id: { $in: ids } });
  // Nobody: match nothing (an _id can never be an empty array). One clause goes bare: FerretDB
  // plans a plain filter better than a one-armed $or.
  if (!ors.length) return { _id: { $in: [] } };
  return ors.length === 1 ? ors[0] : { $or: ors };
}

/** Decisions this person is attached to, with how. */
export async function participationOf(models: Models, username: string, decisionId: string): Promise<Participation> {
  const rows = await models.Participant.find({ decisionId, username }, { purpose: 1 }).lean();
  return rows.map((r) => r.purpose as Participation[number]);
}

/** Everyone who may act on the decision in `role` (for notifications): enabled users only. */
export async function holdersOf(models: Models, role: Role | UserRole, meta: ScopeMeta, decisionId: string): Promise<Principal[]> {
  const users = await models.User.find({ roles: role, disabled: { $ne: true } }).lean();
  const out: Principal[] = [];
  const attachable = role === 'expert' || role === 'legal-adviser';
  for (const u of users) {
    const p = await principalOf(models, u);
    if (canActAs(p, role as UserRole, meta, attachable ? await participationOf(models, u._id, decisionId) : [])) out.push(p);
  }
  return out;
}
