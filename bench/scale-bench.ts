/**
 * The store at scale: the read model filled, level by level, with generated decisions — each
 * with AUDIT_PER_DECISION audit events and NOTICES_PER_DECISION notifications — written in bulk
 * straight into the collections, as the projection would have left them (list places, counts,
 * inbox pages). At each level the reads that must not grow with the store are measured through
 * the API: one real decision's page, the list with and without filters, the counts, the bell.
 */
import { countKeys, facetKey, facetsOf, LIST_SEQ, listBuckets } from '../activities/decision-index';
import { INBOX_PAGE_SIZE, inboxKey } from '../activities/inbox';
import { currentSeq, pageOf } from '../activities/paged-log';
import { titleGrams } from '../activities/title-grams';
import { loadDefinitions } from '../definitions/compiler';
import { AGENCIES, expectStatus, TITLES } from './api-bench';
import type { BenchStack } from './stack';
import { summarize, type Summary } from './stats';

export const AUDIT_PER_DECISION = 10;
export const NOTICES_PER_DECISION = 3;
/**
 * A decision changes about this many times in its life, and each change takes a new place in the
 * list: generated decisions take every PLACES_PER_DECISION-th place, so old list buckets are as
 * sparse as a store in use leaves them, not as dense as a bulk load would.
 */
const PLACES_PER_DECISION = 10;
/** The bell's reader: the secretariat of the first agency, told of each of its decisions. */
export const BELL_READER = 'office';
const OTHER_READERS = ['zjj', 'fgw', 'sfj', 'lawyer', 'mayor', 'supervisor'];
const BATCH = 1000;

export interface ScaleLevel {
  decisions: number;
  auditEvents: number;
  notifications: number;
  /** Wall time of the bulk fill up to this level. */
  fillMs: number;
  reads: Record<string, { request: string; ms: Summary; total?: number }>;
}

type Insert = Record<string, unknown>;

/** Deterministic numbers, so two runs fill the same store. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Generated decisions from `from` up to `to` (exclusive), written in batches; returns the audit events and notifications written. */
async function fill(stack: BenchStack, pageDecision: string, from: number, to: number, t0: number, firstPlace: number, log: (l: string) => void) {
  const { models } = stack;
  const steps = Object.values((await loadDefinitions()).get('major-decision')!.procedure.elements).filter((e) => e.step);
  const template = (await models.Decision.findById(pageDecision).lean())!;
  const r = rng(from + 1);
  const counts = new Map<string, Record<string, number>>();
  const inbox = new Map<string, { seq: number; unread: number }>(
    (await models.Counter.find({}).lean()).filter((c) => c._id.startsWith('inbox:')).map((c) => [c._id, { seq: c.seq, unread: c.unread ?? 0 }]),
  );
  let lastPlace = firstPlace;
  let audit = 0;
  let notices = 0;
  for (let start = from; start < to; start += BATCH) {
    const decisions: Insert[] = [];
    const events: Insert[] = [];
    const notifications: Insert[] = [];
    for (let g = start; g < Math.min(to, start + BATCH); g++) {
      const id = `SCALE-${String(g).padStart(7, '0')}`;
      const roll = r();
      const status = roll < 0.7 ? 'in-progress' : roll < 0.95 ? 'completed' : 'incident';
      const step = steps[Math.floor(r() * steps.length)];
      const updatedAt = new Date(t0 + g);
      const doc = {
        _id: id,
        seq: 12,
        title: `${TITLES[g % TITLES.length]}(规模${g})`,
        titleGrams: titleGrams(`${TITLES[g % TITLES.length]}(规模${g})`),
        agency: AGENCIES[g % AGENCIES.length],
        draftingUnit: template.draftingUnit,
        category: 'public-policy',
        status,
        currentSteps: status === 'in-progress' ? [step.id] : [],
        currentKinds: status === 'in-progress' ? [step.step!.kind] : [],
        overdue: status === 'in-progress' && r() < 0.03,
        procedure: template.procedure,
        createdAt: new Date(updatedAt.getTime() - Math.floor(r() * 200) * 86_400_000),
        updatedAt,
      };
      const f = facetsOf(doc);
      const c = counts.get(f.agency) ?? {};
      for (const k of countKeys(f)) c[k] = (c[k] ?? 0) + 1;
      counts.set(f.agency, c);
      lastPlace = firstPlace + (g - from) * PLACES_PER_DECISION + Math.floor(r() * PLACES_PER_DECISION);
      decisions.push({ ...doc, listBuckets: listBuckets(lastPlace), countedAs: facetKey(f) });
      for (let k = 1; k <= AUDIT_PER_DECISION; k++)
        events.push({ _id: `${id}:${k}`, decisionId: id, at: new Date(doc.createdAt.getTime() + k * 3_600_000), seq: k, actor: '张明 (zjj)', action: k === 1 ? 'create' : 'complete', stepId: steps[k % steps.length].id, result: 'accepted', summary: `第${k}步` });
      const readers = [doc.agency === AGENCIES[0] ? BELL_READER : OTHER_READERS[g % OTHER_READERS.length], ...[1, 2].map((k) => OTHER_READERS[(g + k) % OTHER_READERS.length])].slice(0, NOTICES_PER_DECISION);
      for (const [k, username] of readers.entries()) {
        const box = inbox.get(inboxKey(username)) ?? { seq: 0, unread: 0 };
        box.seq += 1;
        const unread = g % 10 === 0;
        box.unread += unread ? 1 : 0;
        inbox.set(inboxKey(username), box);
        notifications.push({
          _id: `${id}:${k}:${username}`,
          recipient: username,
          decisionId: id,
          stepId: step.id,
          kind: 'step-enabled',
          message: { zh: `「${doc.title}」待办`, en: `"${doc.title}" awaits you` },
          createdAt: updatedAt,
          readAt: unread ? null : updatedAt,
          unread,
          page: pageOf(box.seq, INBOX_PAGE_SIZE),
          outbox: null,
          email: { status: 'none' },
        });
      }
    }
    await Promise.all([
      models.Decision.collection.insertMany(decisions as never[], { ordered: false }),
      models.AuditEvent.collection.insertMany(events as never[], { ordered: false }),
      models.Notification.collection.insertMany(notifications as never[], { ordered: false }),
    ]);
    audit += events.length;
    notices += notifications.length;
    if ((start - from) % (BATCH * 20) === 0) log(`    … ${start + decisions.length - from} of ${to - from} decisions written`);
  }
  // What the projection keeps beside the documents: the list's head, the counts, the inboxes.
  await models.Counter.updateOne({ _id: LIST_SEQ }, { $max: { seq: lastPlace } }, { upsert: true });
  for (const [agency, c] of counts) await models.DecisionCount.updateOne({ _id: agency }, { $inc: Object.fromEntries(Object.entries(c).map(([k, n]) => [`counts.${k}`, n])) }, { upsert: true });
  for (const [key, box] of inbox) await models.Counter.updateOne({ _id: key }, { $set: { seq: box.seq, unread: box.unread } }, { upsert: true });
  return { audit, notices };
}

type Read = ({ path: string } | { paths: string[] }) & { as: string; rounds?: number };

/** `rounds` timed calls of each named request (fewer where it says so), interleaved, as the given login. */
async function measureReads(stack: BenchStack, rounds: number, requests: Record<string, Read>) {
  const samples: Record<string, number[]> = {};
  const totals: Record<string, number | undefined> = {};
  for (let round = 0; round < rounds; round++)
    for (const [name, q] of Object.entries(requests)) {
      if (round >= (q.rounds ?? rounds)) continue;
      if ('paths' in q) {
        // A page: all its requests at once, as the browser sends them; the wall time until the last answers.
        const t = performance.now();
        const all = await Promise.all(q.paths.map((p) => stack.api('GET', p, undefined, q.as)));
        for (const [i, res] of all.entries()) expectStatus(res, 200, q.paths[i]);
        (samples[name] ??= []).push(performance.now() - t);
      } else {
        const res = expectStatus(await stack.api('GET', q.path, undefined, q.as), 200, q.path);
        (samples[name] ??= []).push(res.ms);
        totals[name] = typeof res.body?.total === 'number' ? res.body.total : undefined;
      }
    }
  return Object.fromEntries(
    Object.entries(requests).map(([name, q]) => [name, { request: 'paths' in q ? q.paths.join(' + ') : q.path, ms: summarize(samples[name]), ...(totals[name] !== undefined ? { total: totals[name] } : {}) }]),
  );
}

/** The decision page's requests (ui/src/decision.ts, people.ts), the list variants and the bell. */
function requests(id: string): Record<string, Read> {
  const d = `/api/decisions/${id}`;
  const agency = encodeURIComponent(AGENCIES[0]);
  return {
    decisionPage: { paths: [d, `${d}/definition.xml`, `${d}/audit`, `${d}/attachments`, `${d}/participants`, `${d}/opinions`, `${d}/drafts/1`, `${d}/drafts/1/comments`], as: 'zjj' },
    decisionState: { path: d, as: 'zjj' },
    auditTrail: { path: `${d}/audit`, as: 'zjj' },
    draft: { path: `${d}/drafts/1`, as: 'zjj' },
    listUnfiltered: { path: '/api/decisions?pageSize=20', as: 'supervisor' },
    listByAgency: { path: `/api/decisions?pageSize=20&agency=${agency}`, as: 'supervisor' },
    listOwnAgency: { path: '/api/decisions?pageSize=20', as: 'zjj' },
    listByStep: { path: '/api/decisions?pageSize=20&status=in-progress&step=drafting', as: 'supervisor' },
    listOverdue: { path: '/api/decisions?pageSize=20&overdue=true', as: 'supervisor' },
    listPage5ByAgency: { path: `/api/decisions?pageSize=20&page=5&agency=${agency}`, as: 'supervisor' },
    // A fifth of all decisions match: more than the search counts (server/decision-list.ts
    // searchCap), so it reads the newest list buckets until it has seen 301 and the page.
    listTitleSearch: { path: `/api/decisions?pageSize=20&q=${encodeURIComponent('停车')}`, as: 'supervisor', rounds: 3 },
    // A search for one decision's title, as an official types it: the gram narrows to a few hundred.
    listTitleSearchOne: { path: `/api/decisions?pageSize=20&q=${encodeURIComponent('规模4321')}`, as: 'supervisor', rounds: 3 },
    stats: { path: '/api/decisions/stats', as: 'supervisor' },
    bell: { path: '/api/notifications?limit=30', as: BELL_READER },
  };
}

/** Fill to each level in turn and measure there; `onLevel` gets each level as it is done. */
export async function measureScale(stack: BenchStack, pageDecision: string, levels: number[], rounds: number, log: (l: string) => void, onLevel: (l: ScaleLevel) => void): Promise<ScaleLevel[]> {
  const out: ScaleLevel[] = [];
  const t0 = Date.now();
  let generated = 0;
  let audit = 0;
  let notices = 0;
  const held = await stack.models.Decision.countDocuments({});
  for (const level of levels) {
    const want = Math.max(0, level - held);
    log(`  filling the read model to ${level} decisions (${want - generated} more, ${AUDIT_PER_DECISION} audit events and ${NOTICES_PER_DECISION} notifications each)…`);
    const t = performance.now();
    if (want > generated) {
      const written = await fill(stack, pageDecision, generated, want, t0, (await currentSeq(stack.models, LIST_SEQ)) + 1, log);
      audit += written.audit;
      notices += written.notices;
      generated = want;
    }
    const fillMs = Math.round(performance.now() - t);
    log(`  … filled in ${(fillMs / 1000).toFixed(1)} s; measuring, ${rounds} rounds…`);
    const reads = await measureReads(stack, rounds, requests(pageDecision));
    const done: ScaleLevel = { decisions: held + generated, auditEvents: audit, notifications: notices, fillMs, reads };
    out.push(done);
    onLevel(done);
  }
  return out;
}

/** The product issue's targets, judged on the medians at the largest level (p95 beside them). */
export function scaleTargets(levels: ScaleLevel[]) {
  const first = levels[0];
  const last = levels.at(-1)!;
  const worstFiltered = (['listByAgency', 'listOwnAgency', 'listByStep', 'listOverdue'] as const).map((k) => last.reads[k]).sort((a, b) => b.ms.median - a.ms.median)[0];
  const target = (statement: string, thresholdMs: number, measuredAs: string, s: Summary) => ({ statement, thresholdMs, measuredAs, medianMs: s.median, p95Ms: s.p95, met: s.median <= thresholdMs });
  const at = `at ${last.decisions} decisions and ${last.auditEvents} audit events`;
  return {
    auditTrail: target(`One decision's audit trail ≤ 50 ms ${at}.`, 50, 'median of GET /api/decisions/:id/audit', last.reads.auditTrail.ms),
    filteredList: target(`A filtered list page ≤ 300 ms ${at}.`, 300, `median of the slowest equality-filtered list (${worstFiltered.request})`, worstFiltered.ms),
    titleSearch: target(`A title search naming one decision ≤ 300 ms ${at} (as a filtered list).`, 300, 'median of GET /api/decisions?q=规模4321 (supervisor: every agency)', last.reads.listTitleSearchOne.ms),
    titleSearchCommon: target(`A title search for a common word ≤ 300 ms ${at} (as a filtered list).`, 300, 'median of GET /api/decisions?q=停车 (a fifth of all decisions match)', last.reads.listTitleSearch.ms),
    bell: target(`The bell ≤ 50 ms ${at}.`, 50, 'median of GET /api/notifications?limit=30', last.reads.bell.ms),
    decisionPage: {
      ...target(`A decision page within 2× of its time at ${first.decisions} decisions, ${at}.`, 2 * first.reads.decisionPage.ms.median, `median wall time of the page's ${8} requests sent together, against 2 × ${first.reads.decisionPage.ms.median} ms`, last.reads.decisionPage.ms),
      ratio: Math.round((last.reads.decisionPage.ms.median / first.reads.decisionPage.ms.median) * 100) / 100,
    },
  };
}
