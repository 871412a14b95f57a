/**
 * Demo decisions for the embedded default, from shared/domain/sample-cases.md (invented but
 * typical items of Ningxia's catalogues). Those carried a few steps forward enter the way any
 * procedure carried out before the system does: as an import (补录) by the office, each act dated
 * as it happened and marked so, the import then ended so that everything after is live. Seeded
 * only into an empty store, and never when MONGODB_URI points elsewhere unless asked.
 */
import crypto from 'node:crypto';
import { APPLICABILITY, CONDITIONAL_KINDS, FACT_OF_KIND, type ConditionalKind } from '../definitions/statute';
import { actUpdate, draftUpdate, eventUpdate } from '../workflows/handles';
import { CaseFactsSchema, type CaseFacts } from '../workflows/records';
import { chinaDate } from '../workflows/time';
import { startDecision, type AppDeps } from './routes';

type Category = 'public-policy' | 'plan' | 'resources-environment' | 'major-project' | 'vital-interests' | 'other';
const CASES: { agency: string; title: string; unit: string; category: Category; facts: Record<string, boolean>; advance: number }[] = [
  { agency: '银川市人民政府', title: '银川市城市供水价格调整方案', unit: '银川市发展和改革委员会', category: 'public-policy', facts: { affectsMarketEntities: true, publicConcern: true }, advance: 3 },
  { agency: '银川市人民政府', title: '银川市老旧小区改造三年行动计划(2027—2029年)', unit: '银川市住房和城乡建设局', category: 'plan', facts: { technical: true, stabilityRisk: true }, advance: 2 },
  { agency: '固原市人民政府', title: '固原市中心城区义务教育学校布局调整方案', unit: '固原市教育局', category: 'public-policy', facts: { affectsSpecificGroups: true, stabilityRisk: true }, advance: 1 },
  { agency: '吴忠市人民政府', title: '吴忠市黄河流域生态保护和高质量发展规划', unit: '吴忠市发展和改革委员会', category: 'plan', facts: { technical: true, congressRequired: true }, advance: 0 },
  { agency: '石嘴山市人民政府', title: '石嘴山市出租汽车运力调整和经营权管理办法', unit: '石嘴山市交通运输局', category: 'public-policy', facts: { affectsMarketEntities: true, stabilityRisk: true }, advance: 2 },
  { agency: '中卫市人民政府', title: '中卫市沙坡头景区门票价格调整', unit: '中卫市发展和改革委员会', category: 'public-policy', facts: { affectsMarketEntities: true }, advance: 1 },
  { agency: '西夏区人民政府', title: '西夏区农村人居环境整治提升实施方案', unit: '西夏区农业农村局', category: 'public-policy', facts: {}, advance: 0 },
  { agency: '贺兰县人民政府', title: '贺兰县应急物资储备库建设(涉密部分除外)', unit: '贺兰县应急管理局', category: 'major-project', facts: { nonDisclosable: true }, advance: 1 },
];

const DAY = 86_400_000;

/** Reasons the office gives for a step it finds not applicable, per ground (demo wording). */
const DEMO_REASONS: Record<string, { reasons: string; basis?: string }> = {
  'state-secret': { reasons: '储备库选址和物资布局依法定为国家秘密。', basis: '贺兰县保密工作领导小组定密审批表〔2026〕2号' },
  'not-technical': { reasons: '事项为一般性管理措施，不涉及专业技术问题。' },
  'no-adverse-impact': { reasons: '实施范围和影响有限，不涉及群众切身利益的重大调整。' },
  'no-market-impact': { reasons: '不涉及经营者的市场准入和生产经营活动。' },
  'not-congress-matter': { reasons: '不属于须提请人大或其常委会讨论决定、出台前须报告的事项。' },
};

/** The office's findings that agree with the demo case's facts. */
function findingsOf(facts: CaseFacts) {
  const out: Partial<Record<ConditionalKind, Record<string, unknown>>> = {};
  for (const kind of CONDITIONAL_KINDS) {
    const { fact, whenApplies } = FACT_OF_KIND[kind];
    const value = fact === 'publicationWithheld' ? facts.nonDisclosable : Boolean(facts[fact as keyof CaseFacts]);
    if (value === whenApplies) out[kind] = { applies: true };
    else {
      const ground = APPLICABILITY[kind].grounds[0];
      out[kind] = { applies: false, ground, ...DEMO_REASONS[ground] };
    }
  }
  return out;
}

/** Seed the demo decisions if the store has none; returns how many were created. */
export async function seedDemo(deps: AppDeps): Promise<number> {
  if ((await deps.models.Decision.estimatedDocumentCount()) > 0) return 0;
  const now = Date.now();
  const on = (daysAgo: number) => chinaDate(now - daysAgo * DAY);
  const office = '政府办公室（演示）';
  const unitClerk = '承办单位经办人（演示）';
  for (const c of CASES) {
    const facts = CaseFactsSchema.parse(c.facts);
    const imported = c.advance > 0;
    const { id } = await startDecision(
      deps,
      {
        title: c.title,
        agency: c.agency,
        draftingUnit: c.unit,
        category: c.category,
        facts,
        definition: 'major-decision',
        ...(imported ? { import: { reason: '系统上线前已按纸质流程办理的环节，据案卷补录（演示数据）。', startedOn: on(90) } } : {}),
      },
      office,
    );
    if (!imported) continue;
    const handle = deps.client.workflow.getHandle(`decision-${id}`);
    const act = (stepId: string, action: 'start' | 'complete', occurredOn: string, data: Record<string, unknown> = {}, actor = unitClerk) =>
      handle.executeUpdate(actUpdate, { args: [{ action, stepId, actor, data, occurredOn }] });
    await act('initiation', 'start', on(85), {}, office);
    await act(
      'initiation',
      'complete',
      on(80),
      {
        proposalSource: 'department',
        studyReport: `${c.unit}已就必要性、可行性研究论证。`,
        startDecision: { decidedBy: `${c.agency}常务会议`, decidedOn: on(80) },
        draftingUnit: c.unit,
        applicability: findingsOf(facts),
        matter: { affectsSpecificGroups: facts.affectsSpecificGroups, otherAgencies: facts.otherAgencies, publicConcern: facts.publicConcern },
      },
      office,
    );
    if (c.advance >= 2) {
      const content = `${c.title}（征求意见稿）\n第一条 为……，制定本方案。`;
      const hash = crypto.createHash('sha256').update(content).digest('hex');
      await deps.models.Draft.updateOne({ _id: `${id}:${hash}` }, { $setOnInsert: { decisionId: id, hash, title: `${c.title}（征求意见稿）`, content, createdAt: new Date(), createdBy: unitClerk } }, { upsert: true });
      await act('drafting', 'start', on(78));
      await handle.executeUpdate(draftUpdate, { args: [{ actor: unitClerk, title: `${c.title}（征求意见稿）`, hash, size: Buffer.byteLength(content), occurredOn: on(70) }] });
      await act('drafting', 'complete', on(65), { lawInventory: ['《重大行政决策程序暂行条例》', '《宁夏回族自治区重大行政决策规定》'] });
    }
    if (c.advance >= 3) {
      await act('public_participation', 'start', on(60));
      await handle.executeUpdate(eventUpdate, { args: [{ type: 'consultation-opened', channel: 'government-website', closesOn: on(25), actor: unitClerk, occurredOn: on(58) }] });
      await act('public_participation', 'complete', on(20), {
        consultations: [{ id: 'C1', commentsReceived: 126 }],
        adoptionReport: '收到意见126条，采纳41条，未采纳意见已说明理由。',
      });
    }
    // Everything after this is done live in the system.
    await handle.executeUpdate(eventUpdate, { args: [{ type: 'import-ended', actor: office }] });
  }
  return CASES.length;
}
