/**
 * Who is told what, in the app and (through the outbox the mailer drains) by e-mail: a step
 * became enabled for your role, the decision meeting you are invited to is due, a review is
 * due within a few working days, a step is overdue, the minutes you spoke in ask you to confirm
 * your statement.
 *
 * Every notification is one document per person keyed `decision:step:visit:kind:username`,
 * written insert-once, so the projection activity, the overdue service task and the hourly
 * sweep may all run again (retries, several workers) without telling anyone twice, while a
 * step reached again by a loop (a new visit) is announced again.
 */
import { workingDaysBetween, type WorkingCalendar } from '../workflows/calendar';
import type { DecisionSummary, OpenStep } from '../workflows/model';
import type { StepKind } from '../workflows/procedure';
import { countUnread, inboxPage } from './inbox';
import { isDuplicateKey, type Models } from './models';
import { VALUE_LABELS } from '../definitions/labels';
import { KINDS, ROLE_LABELS } from '../definitions/statute';
import { holdersOf, type Participation, type Principal, type UserRole } from './people';

/** The kinds this module writes; the API writes others (e.g. `invited`). */
export type NotificationKind = 'step-enabled' | 'meeting-invitation' | 'due-soon' | 'overdue' | 'confirm-statement';

/** The key segment of each kind (`enabled` keeps the key short and readable). */
const KEY_SEGMENT: Record<NotificationKind, string> = {
  'step-enabled': 'enabled',
  'meeting-invitation': 'meeting-invitation',
  'due-soon': 'due-soon',
  overdue: 'overdue',
  'confirm-statement': 'confirm-statement',
};

/** Step names in the definitions are Chinese; English messages name the statutory step kind (the statute catalogue's). */

/** Step kinds whose standard definition gives a working-day period (a boundary timer). */
export const DUE_STEP_KINDS: StepKind[] = ['legality-review'];

export interface Recipient {
  username: string;
  email: string | null;
}

interface Notice {
  decisionId: string;
  step: Pick<OpenStep, 'id' | 'visits'>;
  kind: NotificationKind;
  /** The role in which the recipient is told. */
  role: string;
  zh: string;
  en: string;
  /** A notice about one version of a record (the minutes): each new version is told again. */
  version?: number;
}

/** `decision:step:visit:kind:username`, with `:v<n>` after the kind for a notice about version n of a record. */
export function notificationId(decisionId: string, stepId: string, visit: number, kind: NotificationKind, username: string, version?: number): string {
  return `${decisionId}:${stepId}:${visit}:${KEY_SEGMENT[kind]}${version === undefined ? '' : `:v${version}`}:${username}`;
}

/** One notification for one person, as every writer (activities and API) stores it. */
export interface NotificationInput {
  /** The deterministic key: the same notice written twice is one document. */
  id: string;
  to: Recipient;
  decisionId: string;
  stepId?: string;
  role?: string;
  kind: string;
  zh: string;
  en: string;
}

/**
 * Write one notification unless it exists; true when this call inserted it. Two writers racing
 * to insert the same key: MongoDB retries the upsert itself, FerretDB reports a duplicate key,
 * which means the document is there, as wanted. It goes on the newest page of the person's inbox
 * and counts as unread there (activities/inbox.ts); an e-mail goes into the outbox when the
 * person has an address.
 */
export async function insertNotification(models: Models, n: NotificationInput): Promise<boolean> {
  // Retried projections write the same notices again: the cheap _id lookup spares them an inbox page.
  if (await models.Notification.exists({ _id: n.id })) return false;
  const page = await inboxPage(models, n.to.username);
  try {
    const r = await models.Notification.updateOne(
      { _id: n.id },
      {
        $setOnInsert: {
          recipient: n.to.username,
          decisionId: n.decisionId,
          stepId: n.stepId,
          role: n.role,
          kind: n.kind,
          message: { zh: n.zh, en: n.en },
          createdAt: new Date(),
          readAt: null,
          unread: true,
          page,
          outbox: n.to.email ? 'pending' : null,
          email: n.to.email ? { status: 'pending', to: n.to.email, attempts: 0 } : { status: 'none' },
        },
      },
      { upsert: true },
    );
    if (!r.upsertedCount) return false;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  await countUnread(models, n.to.username, 1);
  return true;
}

function writeOnce(models: Models, to: Recipient, n: Notice): Promise<boolean> {
  const id = notificationId(n.decisionId, n.step.id, n.step.visits, n.kind, to.username, n.version);
  return insertNotification(models, { id, to, decisionId: n.decisionId, stepId: n.step.id, role: n.role, kind: n.kind, zh: n.zh, en: n.en });
}

async function writeAll(models: Models, recipients: Recipient[], notice: Notice): Promise<number> {
  let written = 0;
  for (const to of recipients) if (await writeOnce(models, to, notice)) written += 1;
  return written;
}

const roleLabel = (role: string) => ROLE_LABELS[role as UserRole] ?? { zh: role, en: role };
const stepEn = (e: Pick<OpenStep, 'kind' | 'name'>) => (e.kind ? KINDS[e.kind].en : e.name);

/** Holders of each role, looked up once per call however many steps name the role. */
function holderCache(models: Models, view: DecisionSummary) {
  const cache = new Map<string, Promise<Principal[]>>();
  return (role: string) => {
    let found = cache.get(role);
    if (!found) {
      found = holdersOf(models, role as UserRole, view.meta, view.decisionId);
      cache.set(role, found);
    }
    return found;
  };
}

/** People attached to the decision for one of `purposes`, with their e-mail (enabled accounts only). */
async function participants(models: Models, decisionId: string, purposes: Participation): Promise<(Recipient & { role: string })[]> {
  const rows = await models.Participant.find({ decisionId, purpose: { $in: purposes } }).lean();
  if (!rows.length) return [];
  const users = await models.User.find({ _id: { $in: [...new Set(rows.map((r) => r.username))] }, disabled: { $ne: true } }, { email: 1 }).lean();
  const email = new Map(users.map((u) => [u._id, u.email ?? null]));
  // One person attached for two purposes is told once.
  const out = new Map<string, Recipient & { role: string }>();
  for (const r of rows) if (email.has(r.username) && !out.has(r.username)) out.set(r.username, { username: r.username, email: email.get(r.username)!, role: r.role });
  return [...out.values()];
}

/**
 * Tell the holders of each enabled step's role that they can act on it; when the decision
 * meeting is reached, invite the advisers attached to the decision (early intervention or
 * meeting); when the legality review opens, tell the advisers intervening early.
 * `enabledSince` limits this to steps enabled at or after that time (the changes one projection
 * carries), so an unchanged step costs nothing; without it every enabled step is checked.
 */
export async function notifyEnabledSteps(models: Models, view: DecisionSummary, enabledSince?: number): Promise<number> {
  const steps = view.openSteps.filter((e) => e.status === 'enabled' && (enabledSince === undefined || e.enabledAt >= enabledSince));
  if (!steps.length) return 0;
  const holders = holderCache(models, view);
  const title = view.meta.title;
  let written = 0;
  for (const step of steps) {
    const role = roleLabel(step.role);
    written += await writeAll(models, await holders(step.role), {
      decisionId: view.decisionId,
      step,
      kind: 'step-enabled',
      role: step.role,
      zh: `"${title}"的"${step.name}"已可办理（您的角色：${role.zh}）。`,
      en: `${stepEn(step)} of "${title}" is ready for you to act on (your role: ${role.en}).`,
    });
    if (step.kind === 'collective-decision') {
      // The head and the meeting's members (decision-body) hear that the item is ready for the meeting.
      written += await writeAll(models, await holders('decision-body'), {
        decisionId: view.decisionId,
        step,
        kind: 'meeting-invitation',
        role: 'decision-body',
        zh: `"${title}"已具备提请"${step.name}"的条件，将提交常务会议或全体会议讨论。`,
        en: `"${title}" is ready for the collective decision at the executive or plenary meeting.`,
      });
      for (const p of await participants(models, view.decisionId, ['early-intervention', 'meeting']))
        written += await writeAll(models, [p], {
          decisionId: view.decisionId,
          step,
          kind: 'meeting-invitation',
          role: p.role,
          zh: `"${title}"已进入"${step.name}"，请您列席决策会议。`,
          en: `"${title}" has reached the collective decision; you are invited to attend the meeting.`,
        });
    }
    if (step.kind === 'legality-review') {
      for (const p of await participants(models, view.decisionId, ['early-intervention']))
        written += await writeAll(models, [p], {
          decisionId: view.decisionId,
          step,
          kind: 'step-enabled',
          role: p.role,
          zh: `"${title}"已送"${step.name}"，您作为提前介入的法律顾问可出具法律意见。`,
          en: `"${title}" has been submitted for legality review; as an adviser intervening early you may give your legal opinion.`,
        });
    }
  }
  return written;
}

/**
 * The overdue service task: tell everyone who may act on each overdue open step, and the
 * advisers intervening early, that it is overdue.
 */
export async function notifyOverdueSteps(models: Models, view: DecisionSummary): Promise<number> {
  const steps = view.openSteps.filter((e) => e.overdue);
  if (!steps.length) return 0;
  const holders = holderCache(models, view);
  const advisers = await participants(models, view.decisionId, ['early-intervention']);
  const title = view.meta.title;
  let written = 0;
  for (const step of steps) {
    const by = step.due ? { zh: `（应于${step.due.date}前办结）`, en: ` (it was due on ${step.due.date})` } : { zh: '', en: '' };
    const notice = (role: string): Notice => ({
      decisionId: view.decisionId,
      step,
      kind: 'overdue',
      role,
      zh: `"${title}"的"${step.name}"已超期${by.zh}。`,
      en: `${stepEn(step)} of "${title}" is overdue${by.en}.`,
    });
    written += await writeAll(models, await holders(step.role), notice(step.role));
    for (const p of advisers) written += await writeAll(models, [p], notice(p.role));
  }
  return written;
}

/**
 * Minutes recorded (Decree 713 Art. 30): ask each speaker to confirm their own statement, so that
 * a dissent on record is the member's own (Art. 38). Once per speaker and minutes version — minutes
 * recorded again are a new version, told again; a speaker who already answered this version is not.
 */
export async function notifyStatementConfirmations(models: Models, view: DecisionSummary): Promise<number> {
  const minutes = view.meeting;
  const step = view.openSteps.find((s) => s.kind === 'collective-decision');
  if (!minutes || !step) return 0;
  const speakers = minutes.speakers.filter((u) => !minutes.answered.includes(u));
  if (!speakers.length) return 0;
  const users = await models.User.find({ _id: { $in: speakers }, disabled: { $ne: true } }, { email: 1 }).lean();
  const title = view.meta.title;
  const kind = KINDS['collective-decision'];
  const meeting = VALUE_LABELS[minutes.meetingType] ?? { zh: minutes.meetingType, en: minutes.meetingType };
  return writeAll(
    models,
    users.map((u) => ({ username: u._id, email: u.email ?? null })),
    {
      decisionId: view.decisionId,
      step,
      kind: 'confirm-statement',
      role: 'decision-body',
      version: minutes.minutesVersion,
      zh: `"${title}"的"${kind.zh}"会议记录（${meeting.zh}，${minutes.meetingDate}，第${minutes.minutesVersion}版）已形成，请核对记录中您本人的发言并予以确认；记录与发言不符的，请提出更正。`,
      en: `The minutes of the ${kind.en.toLowerCase()} on "${title}" (${meeting.en.toLowerCase()}, ${minutes.meetingDate}, version ${minutes.minutesVersion}) are recorded: please check your own statement and confirm it, or ask for a correction if it is not what you said.`,
    },
  );
}

/** Working days from `today` to the due date (today not counted, the due date counted). */
export function workingDaysLeft(calendar: WorkingCalendar, today: string, due: string): number {
  return workingDaysBetween(calendar, today, due).count;
}

function dueSoonMessage(title: string, step: OpenStep, due: string, left: number) {
  if (left === 0) return { zh: `"${title}"的"${step.name}"今天（${due}）到期。`, en: `${stepEn(step)} of "${title}" is due today (${due}).` };
  return {
    zh: `"${title}"的"${step.name}"将于${due}到期，还剩${left}个工作日。`,
    en: `${stepEn(step)} of "${title}" is due on ${due}: ${left} working day${left === 1 ? '' : 's'} left.`,
  };
}

/** Open steps due within `days` working days of `today`, not yet overdue, with the days left. */
export function dueSoonSteps(calendar: WorkingCalendar, view: DecisionSummary, today: string, days: number): { step: OpenStep; due: string; left: number }[] {
  const out: { step: OpenStep; due: string; left: number }[] = [];
  for (const step of view.openSteps) {
    if (!step.due || step.overdue || step.due.date < today) continue;
    const left = workingDaysLeft(calendar, today, step.due.date);
    if (left <= days) out.push({ step, due: step.due.date, left });
  }
  return out;
}

/** Due-soon reminders for one decision's open steps; returns how many were written. */
export async function remindDueSoon(models: Models, calendar: WorkingCalendar, view: DecisionSummary, today: string, days: number): Promise<number> {
  const holders = holderCache(models, view);
  let written = 0;
  for (const { step, due, left } of dueSoonSteps(calendar, view, today, days))
    written += await writeAll(models, await holders(step.role), {
      decisionId: view.decisionId,
      step,
      kind: 'due-soon',
      role: step.role,
      ...dueSoonMessage(view.meta.title, step, due, left),
    });
  return written;
}

/**
 * The hourly sweep: remind who may act on an open step due within `days` working days of
 * `today` (a China date, YYYY-MM-DD), once per visit of the step. Only decisions currently at a
 * step kind that has a period are read, one summary at a time by _id. Returns how many reminders
 * were written.
 */
export async function sweepDueSoon(models: Models, calendar: WorkingCalendar, today: string, days: number, kinds: readonly string[] = DUE_STEP_KINDS): Promise<number> {
  // One equality filter per kind: FerretDB cannot use an index for $in.
  const perKind = await Promise.all(kinds.map((kind) => models.Decision.find({ status: 'in-progress', currentKinds: kind }, { _id: 1 }).lean()));
  let written = 0;
  for (const _id of new Set(perKind.flat().map((d) => d._id))) {
    const doc = await models.Decision.findById(_id, { summary: 1 }).lean();
    if (doc?.summary) written += await remindDueSoon(models, calendar, doc.summary as DecisionSummary, today, days);
  }
  return written;
}
