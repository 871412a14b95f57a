/**
 * 督办 (urging): a supervisor's notice on an overdue or irregular decision to the unit that must
 * act — the reason, what is expected and by when — and that unit's answer. Kept in its own
 * collection beside the decision's audit trail; the unit is told in its inbox, the supervisor
 * when it answers. The counts and lists here are what the dashboard shows.
 */
import crypto from 'node:crypto';
import { ROLE_LABELS } from '../definitions/statute';
import { chinaDate } from '../workflows/time';
import type { Models } from './models';
import { insertNotification } from './notify';
import { holdersOf, type ScopeMeta, type UserRole } from './people';

/** The roles an urging may be addressed to: the units that act on a decision. */
export const RESPONSIBLE_ROLES = ['department', 'secretariat', 'legality-review-body'] as const satisfies readonly UserRole[];
export type ResponsibleRole = (typeof RESPONSIBLE_ROLES)[number];

export const URGING_KINDS = { overdue: { zh: '超期督办', en: 'Overdue' }, irregular: { zh: '程序不规范督办', en: 'Irregular procedure' } } as const;
export type UrgingKind = keyof typeof URGING_KINDS;

export interface UrgingInput {
  decisionId: string;
  meta: ScopeMeta & { title: string };
  kind: UrgingKind;
  stepId: string | null;
  responsibleRole: ResponsibleRole;
  responsibleUnit: string;
  reason: string;
  expected: string;
  replyBy: string;
  sentBy: string;
  sentByName: string;
}

export type UrgingDoc = NonNullable<Awaited<ReturnType<typeof findUrging>>>;
const findUrging = (models: Models, id: string) => models.Urging.findById(id).lean().exec();

/** U + the China date + random: readable in a notice, unguessable. */
const newUrgingId = (now: number) => `U${chinaDate(now).replace(/-/g, '')}-${crypto.randomBytes(4).toString('hex')}`;

/** Send an urging: store it and tell everyone who acts for the responsible unit on this decision. */
export async function sendUrging(models: Models, u: UrgingInput, now = Date.now()): Promise<UrgingDoc> {
  const id = newUrgingId(now);
  await models.Urging.create({
    _id: id,
    decisionId: u.decisionId,
    agency: u.meta.agency,
    title: u.meta.title,
    kind: u.kind,
    stepId: u.stepId,
    responsibleRole: u.responsibleRole,
    responsibleUnit: u.responsibleUnit,
    reason: u.reason,
    expected: u.expected,
    replyBy: u.replyBy,
    sentBy: u.sentBy,
    sentByName: u.sentByName,
    sentAt: new Date(now),
    year: Number(chinaDate(now).slice(0, 4)),
    status: 'open',
    answer: null,
  });
  const kind = URGING_KINDS[u.kind];
  for (const to of await holdersOf(models, u.responsibleRole, u.meta, u.decisionId))
    await insertNotification(models, {
      id: `${u.decisionId}:urging:${id}:${to.username}`,
      to,
      decisionId: u.decisionId,
      ...(u.stepId ? { stepId: u.stepId } : {}),
      role: u.responsibleRole,
      kind: 'urging',
      zh: `【${kind.zh}】${u.sentByName}就“${u.meta.title}”向${u.responsibleUnit}发出督办通知：${u.reason}。要求：${u.expected}。请于${u.replyBy}前在系统中回复。`,
      en: `[${kind.en}] ${u.sentByName} urges ${u.responsibleUnit} on “${u.meta.title}”: ${u.reason}. Expected: ${u.expected}. Reply in the workspace by ${u.replyBy}.`,
    });
  return (await findUrging(models, id))!;
}

/**
 * The unit's answer, once: a conditional update, so of two answers racing only one is kept.
 * Returns null when it had already been answered.
 */
export async function answerUrging(models: Models, u: UrgingDoc, answer: { text: string; attachmentId: string | null; filename: string | null; by: string }, now = Date.now()): Promise<UrgingDoc | null> {
  const r = await models.Urging.updateOne({ _id: u._id, status: 'open' }, { $set: { status: 'answered', answer: { ...answer, at: new Date(now) } } });
  if (!r.modifiedCount) return null;
  const sender = await models.User.findById(u.sentBy, { email: 1 }).lean();
  if (sender)
    await insertNotification(models, {
      id: `${u.decisionId}:urging:${u._id}:answered:${u.sentBy}`,
      to: { username: u.sentBy, email: sender.email ?? null },
      decisionId: u.decisionId,
      role: 'supervisor',
      kind: 'urging-answered',
      zh: `${u.responsibleUnit}已回复督办通知（“${u.title}”）：${answer.text.slice(0, 200)}`,
      en: `${u.responsibleUnit} answered the urging on “${u.title}”: ${answer.text.slice(0, 200)}`,
    });
  return findUrging(models, u._id);
}

export { findUrging };

/** A decision's urgings, oldest first (shown on the decision page). */
export function urgingsOf(models: Models, decisionId: string) {
  return models.Urging.find({ decisionId }).sort({ sentAt: 1 }).lean();
}

/** An urging as lists show it: whether its reply is late. */
export function withLateness<T extends { status: string; replyBy: string }>(u: T, now = Date.now()): T & { replyOverdue: boolean } {
  return { ...u, replyOverdue: u.status === 'open' && u.replyBy < chinaDate(now) };
}

/** The urgings of some agencies, open or answered, newest first (per agency, each an indexed equality). */
export async function urgingsOfAgencies(models: Models, agencies: readonly string[], o: { status?: 'open' | 'answered'; year?: number } = {}) {
  const lists = await Promise.all(agencies.map((agency) => models.Urging.find(o.status ? { agency, status: o.status } : { agency }).lean()));
  return lists
    .flat()
    .filter((u) => o.year === undefined || u.year === o.year)
    .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime());
}

export interface UrgingFigures {
  agency: string;
  open: number;
  answered: number;
  /** Open with the reply date passed. */
  replyOverdue: number;
}

/** Per agency: open and answered urgings, and open ones whose reply is late (the dashboard's figures). */
export async function urgingFigures(models: Models, agencies: readonly string[], o: { year?: number; now?: number } = {}): Promise<UrgingFigures[]> {
  const today = chinaDate(o.now ?? Date.now());
  return Promise.all(
    agencies.map(async (agency) => {
      const all = (await models.Urging.find({ agency }, { status: 1, replyBy: 1, year: 1 }).lean()).filter((u) => o.year === undefined || u.year === o.year);
      const open = all.filter((u) => u.status === 'open');
      return { agency, open: open.length, answered: all.length - open.length, replyOverdue: open.filter((u) => u.replyBy < today).length };
    }),
  );
}

/** The role's name as a notice addresses the unit. */
export const responsibleLabel = (role: ResponsibleRole) => ROLE_LABELS[role];
