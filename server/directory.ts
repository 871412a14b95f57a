/**
 * The organisation directory: organisations and user accounts, validated once here for the
 * command-line tool, the embedded demo and the tests alike.
 */
import { z } from 'zod';
import { ORG_KINDS, type Models } from '../activities/models';
import { USER_ROLES } from '../activities/people';
import { USERNAME_PATTERN } from '../workflows/records';
import { hashPassword, PASSWORD_RULE } from './auth';

export const OrgId = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'an organisation id: lower-case letters, digits and -');
export const Username = z.string().trim().regex(USERNAME_PATTERN, 'a login name: 2–64 lower-case letters, digits, . _ -');

export const OrganisationInput = z
  .object({
    id: OrgId,
    kind: z.enum(ORG_KINDS),
    name: z.string().trim().min(2).max(200),
    agencyId: OrgId.optional().describe('the agency a department, secretariat, review body or adviser pool serves'),
    head: Username.optional(),
    meetingMembers: z.array(Username).default([]),
    jurisdiction: z.array(OrgId).default([]).describe('supervisor offices: the agencies they oversee'),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (['department', 'secretariat', 'legality-review-body', 'adviser-pool'].includes(o.kind) && !o.agencyId)
      ctx.addIssue({ code: 'custom', path: ['agencyId'], message: `a ${o.kind} serves an agency: give agencyId` });
    if (o.kind === 'supervisor-office' && o.jurisdiction.length === 0) ctx.addIssue({ code: 'custom', path: ['jurisdiction'], message: 'a supervisor office oversees at least one agency' });
  });
export type OrganisationInput = z.input<typeof OrganisationInput>;

export const UserInput = z
  .object({
    username: Username,
    name: z.string().trim().min(1).max(100),
    roles: z.array(z.enum(USER_ROLES)).min(1),
    orgId: OrgId,
    email: z.email().optional(),
    password: z.string().min(PASSWORD_RULE.min, `at least ${PASSWORD_RULE.min} characters`).max(PASSWORD_RULE.max),
    lawyerType: z.enum(['legal-adviser', 'government-lawyer']).optional(),
    expert: z.object({ field: z.string().trim().min(1).max(100), affiliation: z.string().trim().min(1).max(200) }).optional(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if (u.roles.includes('expert') && !u.expert) ctx.addIssue({ code: 'custom', path: ['expert'], message: 'an expert needs a field and an affiliation' });
  });
export type UserInput = z.input<typeof UserInput>;

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** Which organisation kinds a role belongs in: a department user sits in a department, and so on. */
const ROLE_ORG: Record<string, string[]> = {
  department: ['department'],
  secretariat: ['secretariat', 'agency'],
  'legality-review-body': ['legality-review-body'],
  'legal-adviser': ['adviser-pool', 'legality-review-body'],
  'decision-body': ['agency'],
  supervisor: ['supervisor-office'],
  expert: ['expert-bank'],
};

export async function saveOrganisation(models: Models, input: OrganisationInput) {
  const o = OrganisationInput.parse(input);
  for (const ref of [o.agencyId, ...o.jurisdiction].filter(Boolean) as string[]) {
    const a = await models.Organisation.findById(ref).lean();
    if (!a || a.kind !== 'agency') throw new DirectoryError(`${ref} is not an agency on file; add it first.`);
  }
  await models.Organisation.updateOne(
    { _id: o.id },
    { $set: { kind: o.kind, name: o.name, agencyId: o.agencyId ?? null, head: o.head ?? null, meetingMembers: o.meetingMembers, jurisdiction: o.jurisdiction }, $setOnInsert: { createdAt: new Date() } },
    { upsert: true },
  );
}

export async function addUser(models: Models, input: UserInput) {
  const u = UserInput.parse(input);
  if (await models.User.exists({ _id: u.username })) throw new DirectoryError(`The login name ${u.username} is taken.`);
  const org = await models.Organisation.findById(u.orgId).lean();
  if (!org) throw new DirectoryError(`No organisation ${u.orgId}; add it first (juece org add).`);
  for (const r of u.roles) if (!ROLE_ORG[r].includes(org.kind)) throw new DirectoryError(`The role ${r} belongs in a ${ROLE_ORG[r].join(' or ')}, not in ${org.name} (${org.kind}).`);
  const now = new Date();
  await models.User.create({
    _id: u.username,
    name: u.name,
    roles: u.roles,
    orgId: u.orgId,
    email: u.email ?? null,
    passwordHash: await hashPassword(u.password),
    disabled: false,
    lawyerType: u.roles.includes('legal-adviser') ? (u.lawyerType ?? 'legal-adviser') : null,
    expert: u.expert ? { ...u.expert, conflicts: [] } : undefined,
    createdAt: now,
    passwordChangedAt: now,
  });
}

/** Disable (or re-enable) an account; disabling also ends its sessions. */
export async function setDisabled(models: Models, username: string, disabled: boolean) {
  const r = await models.User.updateOne({ _id: username }, { $set: { disabled } });
  if (!r.matchedCount) throw new DirectoryError(`No user ${username}.`);
  if (disabled) await models.Session.deleteMany({ username });
}

export async function setPassword(models: Models, username: string, password: string) {
  const pw = UserInput.shape.password.parse(password);
  const r = await models.User.updateOne({ _id: username }, { $set: { passwordHash: await hashPassword(pw), passwordChangedAt: new Date() } });
  if (!r.matchedCount) throw new DirectoryError(`No user ${username}.`);
  await models.Session.deleteMany({ username });
}

export async function listUsers(models: Models) {
  const [users, orgs] = await Promise.all([models.User.find({}).sort({ _id: 1 }).lean(), models.Organisation.find({}).lean()]);
  const names = new Map(orgs.map((o) => [o._id, o.name]));
  return users.map((u) => ({ username: u._id, name: u.name, roles: u.roles, org: names.get(u.orgId) ?? u.orgId, email: u.email ?? null, disabled: u.disabled }));
}

export interface World {
  organisations: OrganisationInput[];
  users: Omit<UserInput, 'password'>[];
}

/** Save a whole organisation and its people; users that exist already are left as they are. */
export async function seedWorld(models: Models, world: World, passwordOf: (username: string) => string): Promise<string[]> {
  // Agencies first: the others refer to them.
  const ordered = [...world.organisations].sort((a, b) => Number(b.kind === 'agency') - Number(a.kind === 'agency'));
  for (const o of ordered) await saveOrganisation(models, o);
  const created: string[] = [];
  for (const u of world.users) {
    if (await models.User.exists({ _id: u.username })) continue;
    await addUser(models, { ...u, password: passwordOf(u.username) });
    created.push(u.username);
  }
  return created;
}
