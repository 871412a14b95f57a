/**
 * Demo decisions for the embedded default, from shared/domain/sample-cases.md (invented but
 * typical items of Ningxia's catalogues), some carried a few lawful steps forward. Seeded only
 * into an empty store, and never when MONGODB_URI points elsewhere unless asked.
 */
import crypto from 'node:crypto';
import { chinaDate } from '../workflows/guards';
import type { DecisionView } from '../workflows/model';
import { CaseFactsSchema } from '../workflows/records';
import { startDecision, type AppDeps } from './routes';

type Category = 'public-policy' | 'plan' | 'resources-environment' | 'major-project' | 'vital-interests' | 'other';
const CASES: { agency: string; title: string; unit: string; category: Category; facts: Record<string, boolean>; advance: number }[] = [
  { agency: '银川市人民政府', title: '银川市城市供水价格调整方案', unit: '银川市发展和改革委员会', category: 'public-policy', facts: { affectsMarketEntities: true }, advance: 3 },
  { agency: '银川市人民政府', title: '银川市老旧小区改造三年行动计划(2027—2029年)', unit: '银川市住房和城乡建设局', category: 'plan', facts: { technical: true, stabilityRisk: true }, advance: 2 },
  { agency: '固原市人民政府', title: '固原市中心城区义务教育学校布局调整方案', unit: '固原市教育局', category: 'public-policy', facts: { affectsSpecificGroups: true, stabilityRisk: true }, advance: 1 },
  { agency: '吴忠市人民政府', title: '吴忠市黄河流域生态保护和高质量发展规划', unit: '吴忠市发展和改革委员会', category: 'plan', facts: { technical: true, congressRequired: true }, advance: 0 },
  { agency: '石嘴山市人民政府', title: '石嘴山市出租汽车运力调整和经营权管理办法', unit: '石嘴山市交通运输局', category: 'public-policy', facts: { affectsMarketEntities: true, stabilityRisk: true }, advance: 2 },
  { agency: '中卫市人民政府', title: '中卫市沙坡头景区门票价格调整', unit: '中卫市发展和改革委员会', category: 'public-policy', facts: { affectsMarketEntities: true }, advance: 1 },
  { agency: '西夏区人民政府', title: '西夏区农村人居环境整治提升实施方案', unit: '西夏区农业农村局', category: 'public-policy', facts: {}, advance: 0 },
  { agency: '贺兰县人民政府', title: '贺兰县应急物资储备库建设(涉密部分除外)', unit: '贺兰县应急管理局', category: 'major-project', facts: { nonDisclosable: true }, advance: 1 },
];

const DAY = 86_400_000;

/** Seed the demo decisions if the store has none; returns how many were created. */
export async function seedDemo(deps: AppDeps): Promise<number> {
  if ((await deps.models.Decision.estimatedDocumentCount()) > 0) return 0;
  const today = Date.now();
  for (const c of CASES) {
    const { id } = await startDecision(deps, { title: c.title, agency: c.agency, draftingUnit: c.unit, category: c.category, facts: CaseFactsSchema.parse(c.facts), definition: 'major-decision' }, '演示数据');
    const handle = deps.client.workflow.getHandle(`decision-${id}`);
    const act = (stepId: string, action: string, data: Record<string, unknown> = {}, actor = '承办单位经办人') =>
      handle.executeUpdate<DecisionView, [unknown]>('act', { args: [{ action, stepId, actor, data }] });
    if (c.advance >= 1) {
      await act('initiation', 'start', {}, '政府办公室');
      await act('initiation', 'complete', { proposalSource: 'department', studyReport: `${c.unit}已就必要性、可行性研究论证。`, startDecision: { decidedBy: `${c.agency}常务会议`, decidedOn: chinaDate(today - 60 * DAY) }, draftingUnit: c.unit }, '政府办公室');
    }
    if (c.advance >= 2) {
      const content = `${c.title}（征求意见稿）\n第一条 为……，制定本方案。`;
      await handle.executeUpdate('draft', { args: [{ actor: '承办单位经办人', title: `${c.title}（征求意见稿）`, hash: crypto.createHash('sha256').update(content).digest('hex'), size: content.length }] });
      await deps.models.Draft.updateOne({ _id: `${id}:${crypto.createHash('sha256').update(content).digest('hex')}` }, { $setOnInsert: { decisionId: id, hash: crypto.createHash('sha256').update(content).digest('hex'), title: `${c.title}（征求意见稿）`, content, createdAt: new Date(), createdBy: '承办单位经办人' } }, { upsert: true });
      await act('drafting', 'start');
      await act('drafting', 'complete', { lawInventory: ['《重大行政决策程序暂行条例》', '《宁夏回族自治区重大行政决策规定》'] });
    }
    if (c.advance >= 3) {
      await act('public_participation', 'start');
      await act('public_participation', 'complete', {
        consultations: [{ channel: 'government-website', opensOn: chinaDate(today - 50 * DAY), closesOn: chinaDate(today - 15 * DAY), commentsReceived: 126 }],
        adoptionReport: '收到意见126条，采纳41条，未采纳意见已说明理由。',
      });
    }
  }
  return CASES.length;
}
