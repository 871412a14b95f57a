/**
 * My work, from the read model: 待办 (what waits for me), 已办 (what I did) and 我发起的 (what my
 * unit started) — each decision with what is next and who holds it. "Waits for me" follows the
 * same rules as acting (activities/people.ts canActAs): an open step in a role I hold, inside the
 * decision's organisation; an adviser's legal opinion while the legality review is open (Art. 28)
 * and an invited expert's while the expert review is (Arts. 19–20), until they gave one on the
 * current draft; a meeting member's confirmation of their own statement (Art. 30).
 *
 * Every read filters by equality on an indexed field — the decisions of my agency in progress,
 * my own audit events, my unit's decisions, my attachments — and reads a decision's summary, never
 * its workflow.
 */
import { findByIds, type Models } from '../activities/models';
import { actorLabel, canActAs, type Participation, type Principal, type UserRole } from '../activities/people';
import type { DecisionSummary, OpenStep } from '../workflows/model';

/** What the reader is asked to do on one decision. */
export type TaskKind = 'step' | 'legal-opinion' | 'expert-opinion' | 'confirm-statement';

export interface WorkTask {
  kind: TaskKind;
  stepId: string | null;
  stepName: string | null;
  status?: OpenStep['status'];
  due: string | null;
  overdue: boolean;
}

/** One open step and who holds it (the UI says 等待：<role or unit>办理). */
export interface NextStep {
  stepId: string;
  name: string;
  kind: string;
  role: string;
  status: OpenStep['status'];
  startedBy: string | null;
  due: string | null;
  overdue: boolean;
  mine: boolean;
}

export interface WorkItem {
  id: string;
  title: string;
  agency: string;
  draftingUnit: string;
  status: DecisionSummary['status'];
  updatedAt: string;
  overdue: boolean;
  next: NextStep[];
  tasks: WorkTask[];
  /** 已办: my latest act on it. */
  lastAct?: { action: string; stepId: string | null; at: string };
}

export interface MyWork {
  counts: { todo: number; done: number; started: number };
  todo: WorkItem[];
  done: WorkItem[];
  started: WorkItem[];
}

/** Lists are cut at this many decisions (the counts are not). */
export const WORK_LIMIT = 100;

type Doc = { _id: string; summary?: unknown };
const summaryOf = (d: Doc) => d.summary as DecisionSummary | undefined;

/** The roles that act on an agency's decisions by belonging to it. */
const AGENCY_ROLES: UserRole[] = ['department', 'secretariat', 'legality-review-body', 'decision-body', 'legal-adviser'];

function item(s: DecisionSummary, p: Principal, part: Participation, tasks: WorkTask[] = []): WorkItem {
  return {
    id: s.decisionId,
    title: s.meta.title,
    agency: s.meta.agency,
    draftingUnit: s.meta.draftingUnit,
    status: s.status,
    updatedAt: new Date(s.updatedAt).toISOString(),
    overdue: s.overdue,
    next: s.openSteps.map((o) => ({
      stepId: o.id,
      name: o.name,
      kind: o.kind,
      role: o.role,
      status: o.status,
      startedBy: o.startedBy ?? null,
      due: o.due?.date ?? null,
      overdue: o.overdue,
      mine: canActAs(p, o.role as UserRole, s.meta, part),
    })),
    tasks,
  };
}

/** What waits for `p` on one decision (none when nothing does). */
async function tasksOn(models: Models, s: DecisionSummary, p: Principal, part: Participation): Promise<WorkTask[]> {
  if (s.status !== 'in-progress') return [];
  const tasks: WorkTask[] = [];
  for (const o of s.openSteps) if (canActAs(p, o.role as UserRole, s.meta, part)) tasks.push({ kind: 'step', stepId: o.id, stepName: o.name, status: o.status, due: o.due?.date ?? null, overdue: o.overdue });
  const review = s.openSteps.find((o) => o.kind === 'legality-review');
  const expertReview = s.openSteps.find((o) => o.kind === 'expert-review');
  const adviser = review && canActAs(p, 'legal-adviser', s.meta, part);
  const expert = expertReview && canActAs(p, 'expert', s.meta, part);
  if ((adviser || expert) && s.drafts.current !== null) {
    const mine = await models.Opinion.find({ decisionId: s.decisionId, draftVersion: s.drafts.current }, { author: 1 }).lean();
    const given = mine.some((o) => o.author === p.username);
    if (adviser && !given) tasks.push({ kind: 'legal-opinion', stepId: review.id, stepName: review.name, status: review.status, due: review.due?.date ?? null, overdue: review.overdue });
    if (expert && !given) tasks.push({ kind: 'expert-opinion', stepId: expertReview.id, stepName: expertReview.name, status: expertReview.status, due: expertReview.due?.date ?? null, overdue: expertReview.overdue });
  }
  if (s.meeting && s.meeting.speakers.includes(p.username) && !s.meeting.answered.includes(p.username) && canActAs(p, 'decision-body', s.meta, part)) {
    const meeting = s.openSteps.find((o) => o.kind === 'collective-decision');
    tasks.push({ kind: 'confirm-statement', stepId: meeting?.id ?? null, stepName: meeting?.name ?? null, due: null, overdue: false });
  }
  return tasks;
}

/** Soonest due first (overdue before all), then most recently changed. */
function byUrgency(a: WorkItem, b: WorkItem): number {
  const due = (i: WorkItem) => (i.tasks.some((t) => t.overdue) ? '0' : (i.tasks.map((t) => t.due).filter(Boolean).sort()[0] ?? '9999'));
  return due(a).localeCompare(due(b)) || b.updatedAt.localeCompare(a.updatedAt);
}

/** My work: counts, and the first WORK_LIMIT of each list. */
export async function myWork(models: Models, p: Principal): Promise<MyWork> {
  const actor = actorLabel(p);
  const attachable = p.roles.includes('legal-adviser') || p.roles.includes('expert');
  const [inAgency, attachments, mine, ownUnit] = await Promise.all([
    p.agency && p.roles.some((r) => AGENCY_ROLES.includes(r)) ? models.Decision.find({ agency: p.agency.name, status: 'in-progress' }, { summary: 1 }).lean() : Promise.resolve([] as Doc[]),
    attachable ? models.Participant.find({ username: p.username }, { decisionId: 1, purpose: 1 }).lean() : Promise.resolve([]),
    models.AuditEvent.find({ actor, result: 'accepted' }, { decisionId: 1, action: 1, stepId: 1, at: 1 }).lean(),
    p.roles.includes('department') ? models.Decision.find({ draftingUnit: p.org.name }, { summary: 1 }).lean() : Promise.resolve([] as Doc[]),
  ]);
  const partOf = new Map<string, Participation>();
  for (const a of attachments) partOf.set(a.decisionId, [...(partOf.get(a.decisionId) ?? []), a.purpose as Participation[number]]);

  // The decisions read so far by id; the rest (attached ones, ones I acted on) are read by id.
  const known = new Map<string, DecisionSummary>();
  for (const d of [...inAgency, ...ownUnit]) {
    const s = summaryOf(d);
    if (s) known.set(d._id, s);
  }
  const lastAct = new Map<string, { action: string; stepId: string | null; at: Date }>();
  const created = new Set<string>();
  for (const e of mine) {
    const prev = lastAct.get(e.decisionId);
    if (!prev || e.at > prev.at) lastAct.set(e.decisionId, { action: e.action, stepId: e.stepId ?? null, at: e.at });
    if (e.action === 'create') created.add(e.decisionId);
  }
  const doneIds = [...lastAct.entries()].sort((a, b) => b[1].at.getTime() - a[1].at.getTime()).map(([id]) => id);
  const wanted = [...new Set([...partOf.keys(), ...doneIds.slice(0, WORK_LIMIT), ...created])].filter((id) => !known.has(id));
  for (const d of await findByIds((id) => models.Decision.findById(id, { summary: 1 }).lean() as Promise<Doc | null>, wanted)) {
    const s = summaryOf(d);
    if (s) known.set(d._id, s);
  }

  const todo: WorkItem[] = [];
  for (const s of known.values()) {
    const part = partOf.get(s.decisionId) ?? [];
    const tasks = await tasksOn(models, s, p, part);
    if (tasks.length) todo.push(item(s, p, part, tasks));
  }
  todo.sort(byUrgency);

  const done = doneIds.flatMap((id) => {
    const s = known.get(id);
    const act = lastAct.get(id)!;
    return s ? [{ ...item(s, p, partOf.get(id) ?? []), lastAct: { action: act.action, stepId: act.stepId, at: act.at.toISOString() } }] : [];
  });
  const startedIds = new Set([...ownUnit.map((d) => d._id), ...created]);
  const started = [...startedIds]
    .flatMap((id) => {
      const s = known.get(id);
      return s ? [item(s, p, partOf.get(id) ?? [])] : [];
    })
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));

  return {
    counts: { todo: todo.length, done: lastAct.size, started: startedIds.size },
    todo: todo.slice(0, WORK_LIMIT),
    done: done.slice(0, WORK_LIMIT),
    started: started.slice(0, WORK_LIMIT),
  };
}
