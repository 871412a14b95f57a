/**
 * API-level measurements through the real stack (HTTP → express → Temporal update →
 * workflow → projection activity → FerretDB): step actions, refused attempts, list queries.
 * Requests are sent one at a time, so the numbers are latencies, not throughput. The reads at
 * scale are in scale-bench.ts.
 */
import { sample } from '../test/support/records';
import type { ApiResult, BenchStack } from './stack';
import { summarize, type Summary } from './stats';

/** Agencies of the read-model fill (scale-bench.ts); all inside the demo supervisors' jurisdiction. */
export const AGENCIES = ['银川市人民政府', '西夏区人民政府', '石嘴山市人民政府', '吴忠市人民政府'];
export const TITLES = ['老旧小区改造三年行动计划', '农村人居环境整治提升实施方案', '城市公共交通票价调整方案', '中心城区停车收费标准', '生活垃圾分类管理办法'];

export function expectStatus(r: ApiResult, status: number, what: string): ApiResult {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
  return r;
}

export async function createDecision(stack: BenchStack, i: number): Promise<{ id: string; ms: number }> {
  const r = expectStatus(
    await stack.api('POST', '/api/decisions', {
      title: `${TITLES[i % TITLES.length]}(基准${i})`,
      // Decisions made through the API belong to the signed-in department (zjj).
      agency: '银川市人民政府',
      draftingUnit: '银川市住房和城乡建设局',
      category: 'public-policy',
    }),
    201,
    'create a decision',
  );
  return { id: r.body.id as string, ms: r.ms };
}

/** Who performs each step the bench touches: the holder of the role its definition names. */
const PERFORMER: Record<string, string> = { initiation: 'office', legality_review: 'sfj' };

async function act(stack: BenchStack, id: string, step: string, action: string, data: unknown = {}, status = 200): Promise<ApiResult> {
  return expectStatus(await stack.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data, PERFORMER[step] ?? 'zjj'), status, `${action} ${step}`);
}

/** A decision carried through initiation, a first draft, drafting and public participation. */
export async function decisionForRender(stack: BenchStack): Promise<string> {
  const { id } = await createDecision(stack, 0);
  for (const [step, record] of [
    ['initiation', sample.initiation()],
    ['drafting', sample.drafting()],
    ['public_participation', sample['public-participation']()],
  ] as const) {
    await act(stack, id, step, 'start');
    if (step === 'drafting') expectStatus(await stack.api('POST', `/api/decisions/${id}/drafts`, { title: '实施方案（草案）', content: '第一条 为改善人居环境，制定本方案。' }), 201, 'record a draft');
    await act(stack, id, step, 'complete', record);
  }
  return id;
}

export interface StepResults {
  decisions: number;
  createMs: Summary;
  startMs: Summary;
  completeMs: Summary;
  stateQueryMs: Summary;
  refusedMs: Summary;
}

/**
 * Per decision: create it, start initiation, attempt legality review too early (409 +
 * audit write), complete initiation with its record, read its live state.
 */
export async function measureSteps(stack: BenchStack, decisions: number, firstIndex: number): Promise<StepResults> {
  const s = { create: [] as number[], start: [] as number[], complete: [] as number[], query: [] as number[], refused: [] as number[] };
  for (let i = 0; i < decisions; i++) {
    const { id, ms } = await createDecision(stack, firstIndex + i);
    s.create.push(ms);
    s.start.push((await act(stack, id, 'initiation', 'start')).ms);
    const refused = await act(stack, id, 'legality_review', 'start', {}, 409);
    if (refused.body?.error?.code !== 'STEP_BLOCKED') throw new Error(`a premature step was refused with ${JSON.stringify(refused.body)}`);
    s.refused.push(refused.ms);
    s.complete.push((await act(stack, id, 'initiation', 'complete', sample.initiation())).ms);
    s.query.push(expectStatus(await stack.api('GET', `/api/decisions/${id}`), 200, 'read a decision').ms);
  }
  return {
    decisions,
    createMs: summarize(s.create),
    startMs: summarize(s.start),
    completeMs: summarize(s.complete),
    stateQueryMs: summarize(s.query),
    refusedMs: summarize(s.refused),
  };
}
