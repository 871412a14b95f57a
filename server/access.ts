/**
 * The authorisation gate every route passes before its handler: sign-in, CSRF on changes, the
 * route's declared Access, and the decision's organisation scope. A refusal is 403 and is
 * recorded — in the decision's audit trail when a decision is named, else as a security event.
 */
import type { Request } from 'express';
import { actorLabel, canActAs, canRead, participationOf, ROLE_LABELS, type Principal, type ScopeMeta, type UserRole } from '../activities/people';
import { checkCsrf, readSession, recordSecurityEvent, type SessionContext } from './auth';
import { ApiError } from './errors';
import { queryState, recordRefusal, type AppDeps, type Route } from './route-kit';

/** Decisions' scope fields never change after start, so they are cached once read. */
const metaCache = new Map<string, ScopeMeta>();
const META_CACHE_LIMIT = 10_000;

export async function scopeMeta(deps: AppDeps, id: string): Promise<ScopeMeta> {
  const key = `${deps.namespace}/${deps.models.Decision.db.name}/${id}`;
  const hit = metaCache.get(key);
  if (hit) return hit;
  // The read model usually has it; a decision started a moment ago may not be projected yet.
  const doc = await deps.models.Decision.findById(id, { agency: 1, draftingUnit: 1 }).lean();
  const meta = doc ? { agency: doc.agency, draftingUnit: doc.draftingUnit } : (await queryState(deps, id)).meta;
  if (metaCache.size >= META_CACHE_LIMIT) metaCache.delete(metaCache.keys().next().value!);
  metaCache.set(key, { agency: meta.agency, draftingUnit: meta.draftingUnit });
  return metaCache.get(key)!;
}

export interface Granted {
  session: SessionContext | null;
  principal: Principal | null;
  actor: string;
  actingRole?: UserRole;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function authorize(route: Route, req: Request, params: Record<string, unknown>, deps: AppDeps): Promise<Granted> {
  const access = route.access;
  const session = await readSession(deps.models, req);
  if ('public' in access) return { session, principal: session?.principal ?? null, actor: session ? actorLabel(session.principal) : 'anonymous' };
  if (!session) throw new ApiError('UNAUTHENTICATED', 'Sign in first (POST /api/session/login).');
  if (CHANGES.has(req.method)) checkCsrf(req, session);
  const p = session.principal;
  const actor = actorLabel(p);
  const granted = (actingRole?: UserRole): Granted => ({ session, principal: p, actor, actingRole });
  const decisionId = typeof params.id === 'string' ? params.id : undefined;

  const deny = async (message: string, required: readonly string[], zh: string) => {
    const e = new ApiError('FORBIDDEN', message, { required: [...required], roles: p.roles, org: p.org.name, zh });
    if (decisionId && ('decision' in access || 'step' in access)) {
      const action = 'step' in access ? String(params.action) : `${req.method} ${route.path}`;
      await recordRefusal(deps, decisionId, actor, action, typeof params.stepId === 'string' ? params.stepId : undefined, e);
    } else await recordSecurityEvent(deps.models, 'forbidden', { username: p.username, route: `${req.method} ${route.path}`, detail: zh, detailEn: message });
    return e;
  };

  if ('user' in access) return granted();
  if ('roles' in access && !('decision' in access)) {
    const role = access.roles.find((r) => p.roles.includes(r));
    if (!role) throw await deny(`This needs one of the roles: ${access.roles.join(', ')}.`, access.roles, `需要以下角色之一：${rolesZh(access.roles)}。`);
    return granted(role);
  }

  // Decision-scoped: the decision's agency and drafting unit decide.
  if (!decisionId) throw new Error(`route ${route.path} is decision-scoped but has no :id`);
  const meta = await scopeMeta(deps, decisionId);
  const part = await participationOf(deps.models, p.username, decisionId);
  if ('decision' in access && access.decision === 'read') {
    if (!canRead(p, meta, part)) throw await deny(`Decision ${decisionId} (${meta.agency}) is outside your organisation's scope.`, ['read scope'], `决策${decisionId}（${meta.agency}）不在您单位的查阅范围内。`);
    if (access.roles && !access.roles.some((r) => p.roles.includes(r))) throw await deny(`This needs one of the roles: ${access.roles.join(', ')}.`, access.roles, `需要以下角色之一：${rolesZh(access.roles)}。`);
    return granted();
  }
  const roles: readonly UserRole[] = 'step' in access ? [await stepRole(deps, decisionId, String(params.stepId))].filter((r): r is UserRole => r !== null) : (access as { roles: readonly UserRole[] }).roles;
  if ('step' in access && roles.length === 0) {
    // No such step: any role that may change this decision at all gets the workflow's own answer.
    if (!p.roles.some((r) => canActAs(p, r, meta, part))) throw await deny(`You may not change decision ${decisionId}.`, ['write scope'], `您不能办理决策${decisionId}。`);
    return granted();
  }
  const role = roles.find((r) => canActAs(p, r, meta, part));
  if (!role) {
    const held = roles.some((r) => p.roles.includes(r));
    const why = held
      ? `Decision ${decisionId} belongs to ${meta.draftingUnit} (${meta.agency}); your organisation ${p.org.name} may not act on it.`
      : `This needs the role ${roles.join(' or ')}; you hold ${p.roles.join(', ') || 'none'}.`;
    const zh = held ? `本决策由${meta.draftingUnit}（${meta.agency}）承办，${p.org.name}不能办理。` : `需要角色：${rolesZh(roles)}；您的角色：${rolesZh(p.roles) || '无'}。`;
    throw await deny(why, roles, zh);
  }
  return granted(role);
}

const rolesZh = (roles: readonly string[]) => roles.map((r) => ROLE_LABELS[r as UserRole]?.zh ?? r).join('、');

/** The role the decision's own definition version names for a step, or null if no such step. */
async function stepRole(deps: AppDeps, id: string, stepId: string): Promise<UserRole | null> {
  const view = await queryState(deps, id);
  return (view.elements[stepId]?.role as UserRole | undefined) ?? null;
}
