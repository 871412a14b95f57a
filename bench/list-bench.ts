/**
 * The list query (GET /api/decisions, from the read model) with a full read model. The read
 * model is filled one of two ways (BENCH_FILL):
 *   clone (default): copies of real projected documents (same size and shape, new ids,
 *     titles, agencies, times) written straight into the read model — seconds;
 *   api: real decisions created through the API, each once the previous one is projected —
 *     faithful but slow on the embedded FerretDB, whose projection cost grows with the
 *     number of decisions (minutes for 200 on a 2-core machine).
 */
import { AGENCIES, TITLES, createDecision, expectStatus } from './api-bench';
import type { BenchStack } from './stack';
import { summarize, type Summary } from './stats';

export type FillMode = 'clone' | 'api';

/** Wait until the decision's projection is in the read model (an _id lookup, cheap). */
async function untilProjected(stack: BenchStack, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await stack.models.Decision.exists({ _id: id }))) {
    if (Date.now() > deadline) throw new Error(`decision ${id} was not projected within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Fill the read model up to `total` decisions; returns how many it holds. */
export async function fillReadModel(stack: BenchStack, total: number, firstIndex: number, mode: FillMode): Promise<number> {
  const { Decision } = stack.models;
  let held = await Decision.countDocuments({});
  if (held >= total) return held;
  // One real decision either way: in clone mode it is the template of a fresh decision.
  const fresh = await createDecision(stack, firstIndex);
  await untilProjected(stack, fresh.id);
  held++;
  if (mode === 'api') {
    for (let i = firstIndex + 1; held < total; i++, held++) await untilProjected(stack, (await createDecision(stack, i)).id);
    return Decision.countDocuments({});
  }
  // Templates: the fresh decision (at initiation) and one further on (at drafting).
  const templates = [await Decision.findById(fresh.id).lean(), await Decision.findOne({ currentSteps: 'drafting' }).lean()].filter((d) => d !== null);
  const templateViews = new Map(
    (await stack.models.DecisionView.find({ _id: { $in: templates.map((t) => t._id) } }).lean()).map((v) => [v._id, v.view as Record<string, unknown>]),
  );
  const now = Date.now();
  const pairs = Array.from({ length: total - held }, (_, k) => {
    const i = firstIndex + 1 + k;
    const t = structuredClone(templates[k % 4 === 0 ? templates.length - 1 : 0]);
    const tv = templateViews.get(t._id) ?? {};
    const id = `BENCH-${String(i).padStart(5, '0')}`;
    const title = `${TITLES[i % TITLES.length]}(基准${i})`;
    const agency = AGENCIES[i % AGENCIES.length];
    const at = new Date(now - k * 60_000);
    const view = { ...tv, decisionId: id, meta: { ...((tv as { meta?: object }).meta ?? {}), title, agency } };
    return { doc: { ...t, _id: id, title, agency, createdAt: at, updatedAt: at }, view: { _id: id, seq: t.seq, view } };
  });
  for (let k = 0; k < pairs.length; k += 25) {
    const batch = pairs.slice(k, k + 25);
    await Decision.insertMany(batch.map((p) => p.doc), { ordered: false });
    await stack.models.DecisionView.insertMany(batch.map((p) => p.view), { ordered: false });
  }
  return Decision.countDocuments({});
}

export interface ListResults {
  decisionsInReadModel: number;
  fill: FillMode;
  queries: Record<string, { query: string; total: number; ms: Summary }>;
}

/** GET /api/decisions, unfiltered and with filters, `n` times each (interleaved). */
export async function measureList(stack: BenchStack, n: number, decisionsInReadModel: number, fill: FillMode): Promise<ListResults> {
  const variants: Record<string, string> = {
    all: 'pageSize=20',
    byStep: 'pageSize=20&status=in-progress&step=drafting',
    byAgency: `pageSize=20&agency=${encodeURIComponent(AGENCIES[1])}`,
    titleSearch: `pageSize=20&q=${encodeURIComponent('停车')}`,
  };
  const samples: Record<string, number[]> = {};
  const totals: Record<string, number> = {};
  for (let round = 0; round < n; round++) {
    for (const [name, q] of Object.entries(variants)) {
      // The supervisor reads every agency's decisions: the widest list scope.
      const r = expectStatus(await stack.api('GET', `/api/decisions?${q}`, undefined, 'supervisor'), 200, `list ${q}`);
      (samples[name] ??= []).push(r.ms);
      totals[name] = r.body.total as number;
    }
  }
  return {
    decisionsInReadModel,
    fill,
    queries: Object.fromEntries(Object.entries(variants).map(([name, query]) => [name, { query, total: totals[name], ms: summarize(samples[name]) }])),
  };
}
