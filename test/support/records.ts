/** Lawful sample records for every step, with dates relative to today (China time). */
let clock = () => Date.now();

/** Unit tests pin "today" so their dates never drift into the future or past. */
export function useFixedClock(ms: number | (() => number)) {
  clock = typeof ms === 'number' ? () => ms : ms;
}

export function daysAgo(n: number): string {
  return new Date(clock() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
}

export const today = () => daysAgo(0);

type Facts = Partial<Record<'technical' | 'stabilityRisk' | 'affectsMarketEntities' | 'affectsSpecificGroups' | 'nonDisclosable' | 'congressRequired' | 'otherAgencies' | 'publicConcern', boolean>>;

/** The office's findings (Art. 10) that agree with a proposal: each "not applicable" on its lawful ground. */
export function findingsFor(f: Facts = {}) {
  const secret = { applies: false, ground: 'state-secret', reasons: '涉及应急物资储备布局，已依法定为国家秘密。', basis: '定密审批表〔2026〕3号' };
  return {
    'public-participation': f.nonDisclosable ? secret : { applies: true },
    'expert-review': f.technical ? { applies: true } : { applies: false, ground: 'not-technical', reasons: '本事项为一般性管理措施，不涉及专业技术问题。' },
    'risk-assessment': f.stabilityRisk ? { applies: true } : { applies: false, ground: 'no-adverse-impact', reasons: '实施范围小，不涉及群众切身利益的重大调整。' },
    'fair-competition-review': f.affectsMarketEntities ? { applies: true } : { applies: false, ground: 'no-market-impact', reasons: '不涉及经营者的市场准入和生产经营活动。' },
    congress: f.congressRequired ? { applies: true } : { applies: false, ground: 'not-congress-matter', reasons: '不属于须提请人大常委会讨论决定的事项。' },
    publication: f.nonDisclosable ? secret : { applies: true },
  };
}

/** Facts about the matter the office records at initiation. */
export const matterFor = (f: Facts = {}) => ({ affectsSpecificGroups: Boolean(f.affectsSpecificGroups), otherAgencies: Boolean(f.otherAgencies), publicConcern: Boolean(f.publicConcern) });

export const sample = {
  initiation: (f: Facts = {}) => ({
    proposalSource: 'department',
    studyReport: '住建局研究论证：老旧小区改造必要且可行。',
    startDecision: { decidedBy: '市政府常务会议', decidedOn: today() },
    draftingUnit: '银川市住房和城乡建设局',
    applicability: findingsFor(f),
    matter: matterFor(f),
  }),
  drafting: () => ({ lawInventory: ['《城乡规划法》', '《国有土地上房屋征收与补偿条例》'], costBenefit: '投入12亿元，惠及3.2万户。' }),
  /** Public participation by symposium and field visit, held today (consultations need 30 days to run). */
  'public-participation': (consultations: { id: string; commentsReceived: number }[] = []) => ({
    consultations,
    hearings: [],
    otherForms: [
      { form: 'symposium', heldOn: today(), summary: '召开居民代表座谈会，听取意见32条。' },
      { form: 'field-visit', heldOn: today(), summary: '走访12个小区。' },
    ],
    adoptionReport: '收到意见214条，采纳87条，未采纳的已说明理由。',
  }),
  'expert-review': (opinions: string[]) => ({
    form: 'meeting',
    selection: '从自治区专家库随机抽取，涵盖规划、结构专业，包括持不同意见的专家。',
    opinions,
    adoptionReport: '采纳加强抗震评估的意见。',
  }),
  'risk-assessment': (conclusion: 'controllable' | 'not-controllable' = 'controllable') => ({
    assessor: '第三方评估机构',
    methods: ['舆情跟踪', '重点走访'],
    departmentsHeard: ['市信访局', '市公安局'],
    riskPoints: [
      { description: '搬迁安置矛盾', level: 'high', measures: ['分批实施', '设立协调专班'], residual: conclusion },
      { description: '施工扰民', level: 'low', measures: [], residual: 'controllable' },
    ],
    contingencyPlan: '群体性事件应急处置预案',
    conclusion,
  }),
  'fair-competition-review': (conclusion: 'compliant' | 'non-compliant' = 'compliant') => ({ reviewer: '市场监管局', businessesHeard: ['市物业协会'], conclusion }),
  'legality-review': (outcome = 'lawful', adviserOpinions: string[] = []) => ({
    outcome,
    legalBases: ['《重大行政决策程序暂行条例》'],
    powersOk: true,
    procedureOk: true,
    contentOk: outcome !== 'unlawful',
    adviserOpinions,
    requiredChanges: outcome === 'lawful-with-changes' ? ['删去第五条收费规定。'] : [],
    shortenedReviewReason: '经市政府同意加急审查（测试）。',
    opinion: outcome === 'unlawful' ? '第五条设定收费无法律依据。' : '草案合法。',
  }),
  /** Minutes of a meeting of the demo world's Yinchuan government (vice-mayor, then the mayor last). */
  minutes: (over: Record<string, unknown> = {}) => ({
    meetingType: 'executive',
    meetingDate: today(),
    session: '第12次常务会议',
    attendees: ['vicemayor', 'mayor'],
    statements: [
      { speaker: 'vicemayor', position: 'agree', text: '同意，建议分批实施。' },
      { speaker: 'mayor', position: 'agree', text: '原则通过。' },
    ],
    decision: 'adopted',
    ...over,
  }),
  'collective-decision': (draftVersion = 1) => ({ draftVersion }),
  'party-report': (outcome = 'agreed') => ({ reportedTo: '中共银川市委', reportedOn: today(), outcome, respondedOn: today(), response: '同意出台。' }),
  publication: (over: Record<string, unknown> = {}) => ({
    channels: ['gazette', 'government-website'],
    publishedOn: today(),
    url: 'https://www.yinchuan.gov.cn/xxgk/zcwj/2026/001.html',
    adoptionExplanation: '公众意见和专家论证意见的采纳情况已一并公布。',
    interpretation: { forms: ['press-conference'], on: today(), record: '召开新闻发布会进行政策解读。' },
    ...over,
  }),
  archive: () => ({ archivedOn: today(), archiveNumber: 'YC-2026-ZD-017', custodian: '市政府办公室档案室' }),
  implementation: (outcome = 'on-track') => ({ implementingUnit: '银川市住房和城乡建设局', report: '按计划推进。', outcome }),
  revision: () => ({ summary: '根据意见修改第五条。' }),
};
