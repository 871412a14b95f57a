/**
 * Sessions, the people directory and expert bank, people attached to a decision (early
 * intervention by legal advisers, invited experts, meeting invitees), comments on draft
 * versions, advisers' and experts' own opinions, and each person's notifications.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { ORG_KINDS } from '../activities/models';
import { markAllRead, markRead, readInbox } from '../activities/inbox';
import { insertNotification } from '../activities/notify';
import { ROLE_LABELS, USER_ROLES, type Principal } from '../activities/people';
import { rosterOf } from './roster';
import { declaredConflict } from './conflicts';
import { BODY_LIMITS } from './body';
import { changeOwnPassword, checkLoginOrigin, login, logout, PASSWORD_RULE, publicPrincipal } from './auth';
import { ApiError } from './errors';
import { readSecurityLog, SecurityFilterSchema } from './security-log';
import { Username } from './directory';
import { DecisionId, queryState, recordAccepted, recordRefusal, refuseIfClosed, route, withId, type AppDeps, type Route } from './route-kit';

const PURPOSES = ['early-intervention', 'expert-review', 'meeting'] as const;
/** Who may be attached for what: advisers intervene early and sit in on the meeting; experts review. */
const PURPOSE_ROLES: Record<(typeof PURPOSES)[number], string[]> = {
  'early-intervention': ['legal-adviser'],
  'expert-review': ['expert'],
  meeting: ['legal-adviser', 'expert'],
};
const Version = z.coerce.number().int().min(1);
const NotificationId = z.string().min(1).max(300);

/** One in-app notification (and, when the person has an address, an e-mail in the outbox). */
async function notifyPerson(deps: AppDeps, to: { _id: string; email?: string | null }, n: { id: string; decisionId: string; kind: string; zh: string; en: string }) {
  await insertNotification(deps.models, { ...n, id: `${n.id}:${to._id}`, to: { username: to._id, email: to.email ?? null } });
}

type OrgDoc = { _id: string; kind: string; name: string; agencyId?: string | null };

/** The organisations a person's directory shows: their agency's, or for supervisors every overseen agency's. */
function orgsInScope<T extends OrgDoc>(p: Principal, orgs: T[]): T[] {
  const agencies = new Set(orgs.filter((o) => o.kind === 'agency' && (p.roles.includes('supervisor') ? p.jurisdiction.includes(o.name) : o._id === p.agency?.id)).map((o) => o._id));
  return orgs.filter((o) => agencies.has(o._id) || (o.agencyId != null && agencies.has(o.agencyId)));
}

const personView = (u: { _id: string; name: string; roles: string[]; orgId: string; lawyerType?: string | null }, orgs: Map<string, string>) => ({
  username: u._id,
  name: u.name,
  roles: u.roles,
  org: orgs.get(u.orgId) ?? u.orgId,
  lawyerType: u.lawyerType ?? null,
});

export const peopleRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/session',
    summary: 'Who is signed in, with the CSRF token every change must carry (X-CSRF-Token)',
    access: { public: true },
    schemas: {},
    handler: async (_i, { session: s }) => ({ user: s ? publicPrincipal(s.principal) : null, csrfToken: s?.csrfToken ?? null, roleLabels: ROLE_LABELS }),
  }),
  route({
    method: 'post',
    path: '/api/session/login',
    summary: 'Sign in with login name and password; sets an httpOnly SameSite=Strict session cookie (repeated failures are throttled)',
    access: { public: true },
    schemas: { body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }).strict() },
    // Read before anyone is known: a small limit.
    jsonLimit: BODY_LIMITS.login,
    errors: [400, 401, 403, 413, 415, 429],
    handler: async ({ body }, { req, res, deps }) => {
      checkLoginOrigin(req);
      return { ...(await login(deps.models, req, res, body.username, body.password, deps.cookieSecure ?? 'auto')), roleLabels: ROLE_LABELS };
    },
  }),
  route({
    method: 'post',
    path: '/api/session/logout',
    summary: 'Sign out: the session ends on the server and the cookie is cleared',
    access: { user: true },
    schemas: {},
    handler: async (_i, { req, res, session, deps }) => {
      await logout(deps.models, req, res, session, deps.cookieSecure ?? 'auto');
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: '/api/me/password',
    summary: 'Change your own password: the current one is required, and your other sessions end',
    access: { user: true },
    schemas: {
      body: z
        .object({ currentPassword: z.string().min(1).max(PASSWORD_RULE.max), newPassword: z.string().min(PASSWORD_RULE.min, `at least ${PASSWORD_RULE.min} characters`).max(PASSWORD_RULE.max) })
        .strict(),
    },
    errors: [400, 429],
    handler: async ({ body }, { req, res, session, deps }) => {
      return changeOwnPassword(deps.models, req, res, session!, body.currentPassword, body.newPassword);
    },
  }),
  route({
    method: 'get',
    path: '/api/people',
    summary: 'The people of your agency and its legal advisers, for inviting and attaching (optionally one role)',
    access: { roles: ['department', 'secretariat', 'legality-review-body', 'legal-adviser', 'decision-body', 'supervisor'] },
    schemas: { query: z.object({ role: z.enum(USER_ROLES).optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const orgs = await deps.models.Organisation.find({}).lean();
      const inScope = new Set(orgsInScope(principal!, orgs).map((o) => o._id));
      const users = await deps.models.User.find({ disabled: { $ne: true }, orgId: { $in: [...inScope] }, ...(query.role ? { roles: query.role } : {}) }).sort({ _id: 1 }).lean();
      const names = new Map(orgs.map((o) => [o._id, o.name]));
      return { items: users.filter((u) => !u.roles.includes('expert')).map((u) => personView(u, names)) };
    },
  }),
  route({
    method: 'get',
    path: '/api/organisations',
    summary: 'The organisations of your agency (or, for supervisors, of the agencies you oversee), optionally of one kind — e.g. the departments a decision may be drafted by',
    access: { roles: ['department', 'secretariat', 'legality-review-body', 'legal-adviser', 'decision-body', 'supervisor'] },
    schemas: { query: z.object({ kind: z.enum(ORG_KINDS).optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const all = await deps.models.Organisation.find({}).sort({ kind: 1, _id: 1 }).lean();
      const items = orgsInScope(principal!, all).filter((o) => !query.kind || o.kind === query.kind);
      return { items: items.map((o) => ({ id: o._id, kind: o.kind, name: o.name, agencyId: o.agencyId })) };
    },
  }),
  route({
    method: 'get',
    path: '/api/experts',
    summary: 'The expert bank: field, affiliation and declared conflicts of interest',
    access: { roles: ['department', 'secretariat', 'legality-review-body', 'supervisor'] },
    schemas: { query: z.object({ field: z.string().max(100).optional() }) },
    handler: async ({ query }, { deps }) => {
      const experts = await deps.models.User.find({ roles: 'expert', disabled: { $ne: true } }).sort({ _id: 1 }).lean();
      return {
        items: experts
          .filter((e) => !query.field || (e.expert?.field ?? '').includes(query.field))
          .map((e) => ({ username: e._id, name: e.name, field: e.expert?.field ?? null, affiliation: e.expert?.affiliation ?? null, conflicts: e.expert?.conflicts ?? [] })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/me',
    summary: 'Your own account: roles, organisation, and for experts the field, affiliation and declared conflicts of interest',
    access: { user: true },
    schemas: {},
    handler: async (_i, { principal, deps }) => {
      const u = await deps.models.User.findById(principal!.username, { email: 1, expert: 1, passwordChangedAt: 1 }).lean();
      return { ...publicPrincipal(principal!), email: u?.email ?? null, passwordChangedAt: u?.passwordChangedAt ?? null, expert: u?.expert ? { field: u.expert.field, affiliation: u.expert.affiliation, conflicts: u.expert.conflicts ?? [] } : null };
    },
  }),
  route({
    method: 'post',
    path: '/api/me/conflicts',
    summary: 'An expert declares a conflict of interest (an organisation or party); invitations to matching decisions are then refused',
    access: { roles: ['expert'] },
    schemas: { body: z.object({ party: z.string().trim().min(2).max(200).describe('利害关系方'), note: z.string().trim().max(1000).default('') }).strict() },
    handler: async ({ body }, { res, principal, deps }) => {
      await deps.models.User.updateOne({ _id: principal!.username }, { $push: { 'expert.conflicts': { party: body.party, note: body.note, declaredAt: new Date() } } });
      res.status(201);
      const u = await deps.models.User.findById(principal!.username).lean();
      return { conflicts: u?.expert?.conflicts ?? [] };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/participants',
    summary: 'People attached to the decision: advisers intervening early, invited experts, meeting invitees',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    handler: async ({ params }, { deps }) => {
      const rows = await deps.models.Participant.find({ decisionId: params.id }).sort({ invitedAt: 1 }).lean();
      return { items: rows.map(withId) };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/participants',
    summary: 'Attach a legal adviser from initiation (提前介入), invite an expert to review, or invite someone to the meeting',
    access: { decision: 'write', roles: ['department', 'secretariat', 'legality-review-body'] },
    schemas: { params: z.object({ id: DecisionId }), body: z.object({ username: Username, purpose: z.enum(PURPOSES), note: z.string().trim().max(500).optional() }).strict() },
    errors: [400, 403, 404, 409],
    handler: async ({ params, body }, { res, actor, deps }) => {
      const view = await queryState(deps, params.id);
      await refuseIfClosed(deps, view, actor, 'invite');
      const refuse = async (e: ApiError) => {
        await recordRefusal(deps, params.id, actor, 'invite', undefined, e);
        return e;
      };
      const user = await deps.models.User.findById(body.username).lean();
      if (!user || user.disabled) throw await refuse(new ApiError('VALIDATION_FAILED', `No active user ${body.username}.`, [{ path: 'body.username', message: 'unknown or disabled' }]));
      const fits = PURPOSE_ROLES[body.purpose];
      if (!user.roles.some((r) => fits.includes(r)))
        throw await refuse(new ApiError('VALIDATION_FAILED', `${user.name} cannot be attached for ${body.purpose}: that needs the role ${fits.join(' or ')}.`, [{ path: 'body.purpose', message: `needs ${fits.join('/')}` }]));
      // Experts with a declared interest in the agency or the drafting unit are not invited (Art. 20).
      const conflict = declaredConflict(user, view.meta);
      if (conflict)
        throw await refuse(new ApiError('CONFLICT_OF_INTEREST', `${user.name} has declared a conflict of interest with ${conflict.party}.`, [{ path: 'body.username', message: `conflict: ${conflict.party}${conflict.note ? ` — ${conflict.note}` : ''}` }]));
      const id = `${params.id}:${user._id}:${body.purpose}`;
      const existing = await deps.models.Participant.findById(id).lean();
      if (existing) return { id, ...existing };
      const doc = { _id: id, decisionId: params.id, username: user._id, name: user.name, role: fits.find((r) => user.roles.includes(r))!, purpose: body.purpose, invitedBy: actor, invitedAt: new Date(), note: body.note };
      await deps.models.Participant.create(doc);
      await recordAccepted(deps, params.id, actor, 'invite', `invited ${user.name} (${user._id}) for ${body.purpose}`);
      const what = { 'early-intervention': ['提前介入', 'early intervention'], 'expert-review': ['专家论证', 'expert review'], meeting: ['列席决策会议', 'attending the decision meeting'] }[body.purpose];
      await notifyPerson(deps, user, {
        id: `${params.id}:invited:${body.purpose}`,
        decisionId: params.id,
        kind: 'invited',
        zh: `您被邀请参与"${view.meta.title}"（${what[0]}）。`,
        en: `You are invited to "${view.meta.title}" (${what[1]}).`,
      });
      res.status(201);
      return { id, ...doc };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/meeting',
    summary: "The collective decision's roster: the agency's head and meeting members on file (Art. 30: the head speaks last), and those invited to sit in",
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId }) },
    handler: async ({ params }, { deps }) => {
      const view = await queryState(deps, params.id);
      const roster = await rosterOf(deps.models, view.meta.agency);
      const sitting = await deps.models.Participant.find({ decisionId: params.id, purpose: { $in: ['early-intervention', 'meeting'] } }).sort({ invitedAt: 1 }).lean();
      const sittingIn = [...new Map(sitting.map((p) => [p.username, { username: p.username, name: p.name, role: p.role }])).values()];
      return {
        agency: view.meta.agency,
        onFile: roster.onFile,
        head: roster.head,
        members: roster.members,
        sittingIn,
        // The minutes form's starting point: members first, the head last (Art. 30), by login name.
        attendees: [...roster.members.map((m) => m.username), ...(roster.head ? [roster.head.username] : [])],
        sittingInNames: sittingIn.map((p) => p.name),
        speakers: [...roster.members.map((m) => ({ speaker: m.username, name: m.name, capacity: 'member' })), ...(roster.head ? [{ speaker: roster.head.username, name: roster.head.name, capacity: 'head' }] : [])],
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/decisions/:id/drafts/:version/comments',
    summary: 'Comments on one draft version, oldest first',
    access: { decision: 'read' },
    schemas: { params: z.object({ id: DecisionId, version: Version }) },
    handler: async ({ params }, { deps }) => {
      const rows = await deps.models.Comment.find({ decisionId: params.id, draftVersion: params.version }).sort({ createdAt: 1 }).lean();
      return { items: rows.map(withId) };
    },
  }),
  route({
    method: 'post',
    path: '/api/decisions/:id/drafts/:version/comments',
    summary: 'Comment on a draft version at any step (early intervention), optionally quoting the passage',
    access: { decision: 'write', roles: ['legal-adviser', 'legality-review-body', 'department', 'secretariat'] },
    schemas: { params: z.object({ id: DecisionId, version: Version }), body: z.object({ text: z.string().trim().min(2).max(5000), quote: z.string().trim().min(1).max(2000).optional() }).strict() },
    errors: [400, 403, 404, 409],
    handler: async ({ params, body }, { res, actor, principal, actingRole, deps }) => {
      const view = await queryState(deps, params.id);
      await refuseIfClosed(deps, view, actor, 'comment');
      const draft = view.drafts.find((d) => d.version === params.version);
      if (!draft) throw new ApiError('NOT_FOUND', `Decision ${params.id} has no draft version ${params.version}.`);
      if (body.quote) {
        const doc = await deps.models.Draft.findById(`${params.id}:${draft.hash}`, { content: 1 }).lean();
        // Line ends and spacing as a browser's selection gives them (\r\n, runs of spaces) do not make a quote another passage.
        const plain = (x: string) => x.replace(/\s+/g, ' ');
        if (!doc || !plain(doc.content).includes(plain(body.quote)))
          throw new ApiError('VALIDATION_FAILED', 'The quoted passage is not in this draft version.', [{ path: 'body.quote', message: '引用的文字不在该稿中，请在全文中重新选择。', en: 'not found in the draft' }]);
      }
      const doc = {
        _id: crypto.randomUUID(),
        decisionId: params.id,
        draftVersion: params.version,
        author: principal!.username,
        authorName: principal!.name,
        role: actingRole!,
        text: body.text,
        quote: body.quote ?? null,
        stepIds: view.currentSteps,
        createdAt: new Date(),
      };
      await deps.models.Comment.create(doc);
      await recordAccepted(deps, params.id, actor, 'comment', `commented on draft version ${params.version}`);
      res.status(201);
      return withId(doc);
    },
  }),
  route({
    method: 'get',
    path: '/api/notifications',
    summary: 'Your notifications, newest first, with the unread count',
    access: { user: true },
    schemas: { query: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    handler: async ({ query }, { principal, deps }) => {
      const { unread, items } = await readInbox(deps.models, principal!.username, { unreadOnly: query.unread === 'true', limit: query.limit });
      // page, unread and outbox are the inbox's own bookkeeping; readAt says whether it was read.
      return { unread, items: items.map(({ _id, email, page: _p, unread: _u, outbox: _o, ...r }) => ({ id: _id, ...r, email: email?.status ?? 'none' })) };
    },
  }),
  route({
    method: 'post',
    path: '/api/notifications/:nid/read',
    summary: 'Mark one of your notifications read',
    access: { user: true },
    schemas: { params: z.object({ nid: NotificationId }) },
    errors: [404],
    handler: async ({ params }, { principal, deps }) => {
      if (!(await markRead(deps.models, principal!.username, params.nid))) throw new ApiError('NOT_FOUND', `You have no notification ${params.nid}.`);
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: '/api/notifications/read-all',
    summary: 'Mark all your notifications read',
    access: { user: true },
    schemas: {},
    handler: async (_i, { principal, deps }) => {
      return { marked: await markAllRead(deps.models, principal!.username) };
    },
  }),
  route({
    method: 'get',
    path: '/api/security-events',
    summary: 'For supervisors: sign-ins, failed and throttled logins, and refused requests outside any decision, newest first, filtered by kind, login name and date',
    access: { roles: ['supervisor'] },
    schemas: { query: SecurityFilterSchema.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
    handler: async ({ query }, { deps }) => readSecurityLog(deps.models, query, query.limit),
  }),
];
