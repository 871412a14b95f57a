/**
 * Whole decisions driven through the real API by the demo world's people, for integration
 * tests: each helper does what those people do in the workspace, and fails loudly when refused.
 */
import type { Harness } from './harness';
import { sample } from './records';

export type Facts = Partial<Record<'technical' | 'stabilityRisk' | 'affectsMarketEntities' | 'affectsSpecificGroups' | 'nonDisclosable' | 'congressRequired' | 'otherAgencies' | 'publicConcern', boolean>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field in the tests
type Json = any;

export function apiPaths(h: Harness) {
  /** POST and expect a status (200 by default); the body otherwise in the error. */
  async function post(path: string, body: unknown, as?: string | null, expected = 200): Promise<Json> {
    const r = await h.api('POST', path, body, as);
    if (r.status !== expected) throw new Error(`POST ${path} as ${as ?? 'default'}: expected ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  const act = (id: string, step: string, action: string, data: unknown = {}, expected = 200) => post(`/api/decisions/${id}/steps/${step}/${action}`, data, undefined, expected);

  const paths = {
    post,
    act,
    /** A department (zjj) starts a decision with its proposal. */
    async create(facts: Facts = {}, title = '银川市老旧小区改造三年行动计划(2027—2029年)', as = 'zjj'): Promise<string> {
      const body = await post('/api/decisions', { title, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', facts }, as, 201);
      return body.id as string;
    },
    /** start + complete with a record. */
    async perform(id: string, step: string, record: unknown): Promise<Json> {
      await act(id, step, 'start');
      return act(id, step, 'complete', record);
    },
    async draft(id: string, content: string): Promise<Json> {
      return post(`/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content }, 'zjj', 201);
    },
    /** The office initiates on its findings for these facts; the department records v1 and completes drafting. */
    async drafted(id: string, facts: Facts = {}, content = '第一稿'): Promise<Json> {
      await paths.perform(id, 'initiation', sample.initiation(facts));
      await paths.draft(id, content);
      return paths.perform(id, 'drafting', sample.drafting());
    },
    /** The invited expert gives their own opinion on the current draft; returns its id. */
    async expertOpinion(id: string): Promise<string> {
      await post(`/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj', 201).catch(async (e) => {
        if (!/got 200/.test(String(e))) throw e; // already invited
      });
      return (await post(`/api/decisions/${id}/opinions`, { opinion: '方案必要、可行，建议加强抗震评估。', noDirectInterest: true }, 'expert', 201)).id;
    },
    /** The legal adviser gives their own opinion on the current draft; returns its id. */
    async adviserOpinion(id: string, as = 'lawyer'): Promise<string> {
      return (await post(`/api/decisions/${id}/opinions`, { opinion: '草案未发现违法情形。', legalBases: ['《重大行政决策程序暂行条例》'] }, as, 201)).id;
    },
    /** Every applicable step of the parallel section. */
    async throughParallel(id: string, facts: Facts = {}, risk: 'controllable' | 'not-controllable' = 'controllable'): Promise<Json> {
      let view: Json;
      if (!facts.nonDisclosable) view = await paths.perform(id, 'public_participation', sample['public-participation']());
      if (facts.technical) view = await paths.perform(id, 'expert_review', sample['expert-review']([await paths.expertOpinion(id)]));
      if (facts.affectsMarketEntities) view = await paths.perform(id, 'fair_competition_review', sample['fair-competition-review']());
      if (facts.stabilityRisk) view = await paths.perform(id, 'risk_assessment', sample['risk-assessment'](risk));
      return view;
    },
    /** The legality review body reviews the current draft, taking in the adviser's own opinion. */
    async reviewed(id: string, outcome = 'lawful'): Promise<Json> {
      return paths.perform(id, 'legality_review', sample['legality-review'](outcome, [await paths.adviserOpinion(id)]));
    },
    /** The meeting of the demo world's Yinchuan government: minutes by the office, each speaker confirms, the office closes it. */
    async meet(id: string, over: Record<string, unknown> = {}): Promise<Json> {
      await act(id, 'collective_decision', 'start');
      const minutes = sample.minutes(over) as { statements: { speaker: string }[] };
      await post(`/api/decisions/${id}/meeting/minutes`, minutes, 'office');
      for (const s of new Set(minutes.statements.map((x) => x.speaker))) await post(`/api/decisions/${id}/meeting/confirm`, { confirm: true }, s);
      const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'office')).body;
      return act(id, 'collective_decision', 'complete', { draftVersion: view.currentDraft.version });
    },
  };
  return paths;
}
