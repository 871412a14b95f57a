/**
 * The authorisation gate every route passes before its handler: sign-in, CSRF on changes, the
 * route's declared Access, and the decision's organisation scope. A decision outside the
 * person's scope answers 404 like a missing one (a rate-limited security event); any other refusal
 * is 403, recorded in the decision's audit trail when a decision is named, else as a security event.
 */
import type { Request } from 'express';
import { isDuplicateKey } from '../activities/models';
import { actorLabel, canActAs, canRead, participationOf, ROLE_LABELS, type Participation, type Principal, type ScopeMeta, type UserRole } from '../activities/people';
import { checkCsrf, readSession, recordSecurityEvent, type SessionContext } from './auth';
import { nextSeq, pageOf, SECURITY_LOG } from '../activities/paged-log';
import { ApiError } from './errors';
import { queryState, recordRefusal, type AppDeps, type Route } from './route-kit';

/** What a decision's access depends on: its scope and its definition version, fixed at start. */
interface DecisionFacts extends ScopeMeta {
  procedureHash: string;
}

/** Decisions' scope fields and definition never change after start, so they are cached once read. */
const factsCache = new Map<string, DecisionFacts>();
const FACTS_CACHE_LIMIT = 10_000;

async function decisionFacts(deps: AppDeps, id: string): Promise<DecisionFacts> {
  const key = `${deps.namespace}/${deps.models.Decision.db.name}/${id}`;
  const hit = factsCache.get(key);
  if (hit) return hit;
  // The read model usually has them; a decision started a moment ago may not be projected yet.
  const doc = await deps.models.Decision.findById(id, { agency: 1, draftingUnit: 1, procedure: 1 }).lean();
  const facts: DecisionFacts = doc?.procedure?.hash
    ? { agency: doc.agency, draftingUnit: doc.draftingUnit, procedureHash: doc.procedure.hash }
    : await queryState(deps, id).then((v) => ({ agency: v.meta.agency, draftingUnit: v.meta.draftingUnit, procedureHash: v.procedure.hash }));
  if (factsCache.size >= FACTS_CACHE_LIMIT) factsCache.delete(factsCache.keys().next().value!);
  factsCache.set(key, facts);
  return facts;
}

/** The hash of the definition version a decision runs (fixed at start): read-model first, so it needs no Temporal. */
export async function procedureHashOf(deps: AppDeps, id: string): Promise<string> {
  return (await decisionFacts(deps, id)).procedureHash;
}

export async function scopeMeta(deps: AppDeps, id: string): Promise<ScopeMeta> {
  const { agency, draftingUnit } = await decisionFacts(deps, id);
  return { agency, draftingUnit };
}

/**
 * A step's role and kind in the definition version the decision runs — from the compiled
 * definitions in memory when that version is loaded (no workflow query), else from the decision.
 */
export async function stepMeta(deps: AppDeps, id: string, stepId: string): Promise<{ role: UserRole; kind: string } | null> {
  const { procedureHash } = await decisionFacts(deps, id);
  const loaded = [...deps.definitions.values()].find((d) => d.procedure.hash === procedureHash);
  if (loaded) {
    const step = loaded.procedure.elements[stepId]?.step;
    return step ? { role: step.role as UserRole, kind: step.kind } : null;
  }
  const e = (await queryState(deps, id)).elements[stepId];
  return e?.role && e.kind ? { role: e.role as UserRole, kind: e.kind } : null;
}

/** Attachment to a decision matters only to advisers and experts: nobody else pays the query. */
async function participation(deps: AppDeps, p: Principal, decisionId: string): Promise<Participation> {
  return p.roles.some((r) => r === 'expert' || r === 'legal-adviser') ? participationOf(deps.models, p.username, decisionId) : [];
}

/** The answer for a decision that does not exist, or not for this reader (route-kit's queryState says the same). */
const noSuchDecision = (id: string) => new ApiError('NOT_FOUND', `No decision ${id}.`);

/** One security event per person, decision and ten minutes, however often they knock. */
const OUT_OF_SCOPE_WINDOW_MS = 10 * 60_000;

async function outOfScope(deps: AppDeps, username: string, decisionId: string, route: string, agency: string): Promise<void> {
  const window = Math.floor(Date.now() / OUT_OF_SCOPE_WINDOW_MS);
  const _id = `out-of-scope:${username}:${decisionId}:${window}`;
  // Already recorded in this window: no new place in the log (the read is by _id, the cheap path).
  if (await deps.models.SecurityEvent.exists({ _id })) return;
  try {
    await deps.models.SecurityEvent.create({
      _id,
      at: new Date(),
      kind: 'out-of-scope',
      // On the security log's pages like every event, or its reader never finds it.
      page: pageOf(await nextSeq(deps.models, SECURITY_LOG.key), SECURITY_LOG.pageSize),
      username,
      route,
      detail: `决策${decisionId}（${agency}）不在其查阅范围内（十分钟内仅记录一次）。`,
      detailEn: `Decision ${decisionId} (${agency}) is outside their scope (recorded once per ten minutes).`,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
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
  if ('public' in access && access.public === 'static') return { session: null, principal: null, actor: 'anonymous' };
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
  const part = await participation(deps, p, decisionId);
  // Outside the reader's scope a decision does not exist for them: the same 404 as a missing one,
  // and the attempt is a security event, never an entry in another agency's audit trail.
  if (!canRead(p, meta, part)) {
    await outOfScope(deps, p.username, decisionId, `${req.method} ${route.path}`, meta.agency);
    throw noSuchDecision(decisionId);
  }
  if ('decision' in access && access.decision === 'read') {
    if (access.roles && !access.roles.some((r) => p.roles.includes(r))) throw await deny(`This needs one of the roles: ${access.roles.join(', ')}.`, access.roles, `需要以下角色之一：${rolesZh(access.roles)}。`);
    return granted();
  }
  const roles: readonly UserRole[] = 'step' in access ? [(await stepMeta(deps, decisionId, String(params.stepId)))?.role].filter((r): r is UserRole => r !== undefined) : (access as { roles: readonly UserRole[] }).roles;
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
