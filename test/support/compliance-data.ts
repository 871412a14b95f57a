/**
 * Generated decisions for the supervision dashboard's tests and bench: each as the read model
 * holds it (the decision with its summary, its step records, its audit trail with refusals),
 * together with the truth it was generated from — which steps were performed and in how many
 * days, what was found not applicable on which ground, what is overdue — so a test can count the
 * expected figures without the code under test.
 */
import { entryFromEvents, type DecisionEvents } from '../../activities/compliance';
import type { FoldEvent, FoldRecord } from '../../activities/compliance-facts';
import type { Models } from '../../activities/models';
import type { DecisionSummary, OpenStep } from '../../workflows/model';

/** Deterministic numbers, so a failure can be replayed. */
export function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** The standard definition's user tasks in their order, with the element ids the records carry. */
const PATH = [
  ['initiation', 'initiation'],
  ['drafting', 'drafting'],
  ['public-participation', 'public_participation'],
  ['expert-review', 'expert_review'],
  ['risk-assessment', 'risk_assessment'],
  ['legality-review', 'legality_review'],
  ['collective-decision', 'collective_decision'],
  ['party-report', 'party_report'],
  ['publication', 'publication'],
  ['archive', 'archive'],
] as const;

export interface Truth {
  id: string;
  agency: string;
  year: number;
  status: 'in-progress' | 'completed' | 'incident';
  /** Kinds performed, each with the days it took. */
  days: Record<string, number>;
  /** Kinds found not applicable, with the ground. */
  na: Record<string, string>;
  overdue: boolean;
  /** The open step's kind and due date, if the decision is in progress. */
  open: { kind: string; due: string } | null;
  late: string[];
  shortConsultation: boolean;
  shortReview: boolean;
  against: boolean;
  decided: boolean;
  adviser: boolean;
  refusals: Record<string, number>;
}

export interface Generated {
  decision: Record<string, unknown>;
  records: Record<string, unknown>[];
  audit: Record<string, unknown>[];
  truth: Truth;
}

const DAY = 86_400_000;
const dateOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * One decision, i-th of a dataset: started in `year` in one of `agencies`, carried some way along
 * the standard path; open steps fall due around `today` (some overdue, some due within days).
 */
export function generateDecision(i: number, r: () => number, o: { agencies: readonly string[]; years: readonly number[]; today: string; prefix?: string }): Generated {
  const id = `${o.prefix ?? 'GEN'}-${String(i).padStart(7, '0')}`;
  const agency = o.agencies[Math.floor(r() * o.agencies.length)];
  const year = o.years[Math.floor(r() * o.years.length)];
  const start = Date.parse(`${year}-01-05T09:00:00+08:00`) + Math.floor(r() * 300) * DAY;
  const secret = r() < 0.03;
  const na: Record<string, string> = {};
  if (secret) Object.assign(na, { 'public-participation': 'state-secret', publication: 'state-secret' });
  if (r() < 0.6) na['expert-review'] = 'not-technical';
  const risk = r();
  if (risk < 0.4) na['risk-assessment'] = 'no-adverse-impact';
  else if (risk < 0.5) na['risk-assessment'] = 'already-assessed';
  na['fair-competition-review'] = 'no-market-impact';
  na.congress = 'not-congress-matter';
  const steps = PATH.filter(([kind]) => !na[kind]);
  const reach = Math.floor(r() * (steps.length + 1));
  const status = reach === steps.length ? (r() < 0.1 ? 'incident' : 'completed') : 'in-progress';
  const truth: Truth = {
    id,
    agency,
    year,
    status,
    days: {},
    na,
    overdue: false,
    open: null,
    late: [],
    shortConsultation: false,
    shortReview: false,
    against: false,
    decided: false,
    adviser: false,
    refusals: {},
  };
  const records: Record<string, unknown>[] = [];
  const audit: Record<string, unknown>[] = [];
  let seq = 1;
  let t = start;
  audit.push({ _id: `${id}:1`, decisionId: id, seq: 1, at: new Date(t), actor: '张明 (zjj)', action: 'create', result: 'accepted', summary: 'created' });
  const event = (action: string, stepId: string, summary: string) => audit.push({ _id: `${id}:${++seq}`, decisionId: id, seq, at: new Date(t), actor: '张明 (zjj)', action, stepId, result: 'accepted', summary });
  for (const [kind, el] of steps.slice(0, reach)) {
    const days = Math.floor(r() * r() * 40);
    const data: Record<string, unknown> = {};
    if (kind === 'public-participation' && r() < 0.08) {
      truth.shortConsultation = true;
      event('consultation-opened', el, `opened consultation C1 until ${dateOf(t + 10 * DAY)} (shortened: 第${i}号事项时间紧迫，征求意见期缩短为10日)`);
    }
    if (kind === 'legality-review') {
      truth.adviser = r() < 0.9;
      data.adviserOpinions = truth.adviser ? [`${id}:op1`] : [];
      if (r() < 0.1) {
        truth.shortReview = true;
        data.shortenedReviewReason = '经批准加急审查。';
      }
    }
    if (kind === 'collective-decision') {
      truth.against = r() < 0.05;
      truth.decided = true;
      Object.assign(data, {
        roster: { agency, head: { username: 'mayor', name: '市长' }, members: [] },
        statements: [
          { speaker: 'vicemayor', position: truth.against ? 'disagree' : 'agree', text: '意见。' },
          { speaker: 'mayor', position: 'agree', text: '通过。' },
        ],
        decision: 'adopted',
        ...(truth.against ? { reasons: '群众诉求迫切。' } : {}),
      });
    }
    event('start', el, `started ${kind}`);
    records.push({ _id: `${id}:${seq}`, decisionId: id, seq, elementId: el, kind, action: 'start', actor: '张明 (zjj)', at: new Date(t), visit: 1, draftVersion: null, draftHash: null, data: {} });
    if (r() < 0.1) {
      truth.late.push(kind);
      event('timer', el, `${kind} overdue fired`);
    }
    t += days * DAY;
    event('complete', el, `completed ${kind}`);
    records.push({ _id: `${id}:${seq}`, decisionId: id, seq, elementId: el, kind, action: 'complete', actor: '张明 (zjj)', at: new Date(t), visit: 1, draftVersion: 1, draftHash: 'h', data });
    truth.days[kind] = days;
    t += DAY;
  }
  const openSteps: OpenStep[] = [];
  if (status === 'in-progress') {
    const [kind, el] = steps[reach];
    const due = dateOf(Date.parse(`${o.today}T12:00:00+08:00`) + Math.floor(r() * 40 - 10) * DAY);
    const overdue = due < o.today;
    truth.open = { kind, due };
    truth.overdue = overdue;
    if (overdue && !truth.late.includes(kind)) truth.late.push(kind);
    openSteps.push({ id: el, name: kind, kind: kind as OpenStep['kind'], role: 'department', status: 'enabled', visits: 1, enabledAt: t, due: { date: due, approximate: false, notes: [] }, overdue });
  }
  for (const cls of ['statutory', 'input'] as const) {
    const n = r() < 0.15 ? 1 + Math.floor(r() * 3) : 0;
    for (let k = 0; k < n; k++) audit.push({ _id: `${id}:refused:${cls}:${k}`, decisionId: id, at: new Date(t), actor: '张明 (zjj)', action: 'start', stepId: 'legality_review', result: 'refused', class: cls, code: 'X', summary: 'refused' });
    if (n) truth.refusals[cls] = n;
  }
  const summary: DecisionSummary = {
    decisionId: id,
    seq,
    meta: { title: `生成的决策事项${i}`, agency, draftingUnit: '某局', category: 'public-policy', createdBy: '张明 (zjj)' },
    procedure: { key: 'major-decision', version: '2.0.0', hash: 'generated', name: '重大行政决策' },
    status,
    createdAt: start,
    updatedAt: t,
    openSteps,
    overdue: truth.overdue,
    drafts: { current: 1, lastReviewed: null, versions: [] },
    findings: Object.fromEntries(['public-participation', 'expert-review', 'risk-assessment', 'fair-competition-review', 'congress', 'publication'].map((k) => [k, na[k] ? { applies: false, ground: na[k], source: 'initiation' } : { applies: true, source: 'initiation' }])),
    meeting: null,
    imported: null,
    suspended: false,
  };
  const decision = {
    _id: id,
    seq,
    title: summary.meta.title,
    agency,
    draftingUnit: '某局',
    category: 'public-policy',
    status,
    currentSteps: openSteps.map((s) => s.id),
    currentKinds: openSteps.map((s) => s.kind),
    overdue: truth.overdue,
    procedure: summary.procedure,
    createdAt: new Date(start),
    updatedAt: new Date(t),
    summary,
  };
  return { decision, records, audit, truth };
}

/** The figures a dataset should show, counted from its truth alone. */
export function expectedFigures(truths: readonly Truth[], today: string, dueSoonUntil: string) {
  const n = (p: (t: Truth) => boolean) => truths.filter(p).length;
  const kinds = [...new Set(truths.flatMap((t) => [...Object.keys(t.days), ...Object.keys(t.na)]))];
  return {
    started: truths.length,
    completed: n((t) => t.status === 'completed'),
    inProgress: n((t) => t.status === 'in-progress'),
    overdue: n((t) => t.overdue),
    dueSoon: n((t) => Boolean(t.open && !t.overdue && t.open.due >= today && t.open.due <= dueSoonUntil)),
    late: n((t) => t.late.length > 0),
    decided: n((t) => t.decided),
    against: n((t) => t.against),
    shortConsultation: n((t) => t.shortConsultation),
    shortReview: n((t) => t.shortReview),
    adviser: n((t) => t.adviser),
    statutory: n((t) => Boolean(t.refusals.statutory)),
    statutoryAttempts: truths.reduce((s, t) => s + (t.refusals.statutory ?? 0), 0),
    kinds: Object.fromEntries(
      kinds.map((k) => {
        const days = truths.filter((t) => k in t.days).map((t) => t.days[k]).sort((a, b) => a - b);
        return [
          k,
          {
            performed: days.length,
            notApplicable: n((t) => k in t.na),
            overdue: n((t) => t.open?.kind === k && t.overdue),
            late: n((t) => t.late.includes(k)),
            median: days.length ? days[Math.ceil(days.length / 2) - 1] : null,
            max: days.length ? days[days.length - 1] : null,
          },
        ];
      }),
    ),
  };
}

/** What the projection would have folded of a generated decision: its events as the store holds them. */
export function eventsOf(g: Generated): DecisionEvents {
  const refusals: Record<string, number> = {};
  for (const a of g.audit) if (a.result === 'refused') refusals[a.class as string] = (refusals[a.class as string] ?? 0) + 1;
  return { records: g.records as unknown as FoldRecord[], audit: g.audit.filter((a) => a.result === 'accepted') as unknown as FoldEvent[], refusals };
}

/**
 * Write generated decisions in bulk as the projection would have left them: the dashboard's
 * entries and agency-year counts (activities/compliance.ts entryFromEvents), and — unless
 * `entriesOnly` — the decisions, their step records and audit trails too.
 */
export async function bulkLoad(models: Models, data: readonly Generated[], o: { entriesOnly?: boolean; batch?: number } = {}): Promise<void> {
  const counts = new Map<string, Record<string, number>>();
  const size = o.batch ?? 1000;
  for (let i = 0; i < data.length; i += size) {
    const batch = data.slice(i, i + size);
    const entries = batch.map((g) => {
      const { entry, counts: add } = entryFromEvents(g.decision.summary as DecisionSummary, eventsOf(g));
      const c = counts.get(entry.ay) ?? {};
      for (const [k, n] of Object.entries(add)) c[k] = (c[k] ?? 0) + n;
      counts.set(entry.ay, c);
      return entry;
    });
    await Promise.all([
      models.ComplianceEntry.collection.insertMany(entries as never[], { ordered: false }),
      ...(o.entriesOnly
        ? []
        : [
            models.Decision.collection.insertMany(batch.map((g) => g.decision) as never[], { ordered: false }),
            models.StepRecord.collection.insertMany(batch.flatMap((g) => g.records) as never[], { ordered: false }),
            models.AuditEvent.collection.insertMany(batch.flatMap((g) => g.audit) as never[], { ordered: false }),
          ]),
    ]);
  }
  for (const [ay, c] of counts) {
    const [year, agency] = [Number(ay.slice(0, 4)), ay.slice(5)];
    await models.ComplianceCount.updateOne({ _id: ay }, { $inc: Object.fromEntries(Object.entries(c).map(([k, n]) => [`counts.${k}`, n])), $setOnInsert: { year, agency } }, { upsert: true });
  }
}
