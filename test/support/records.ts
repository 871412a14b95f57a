/** Lawful sample records for every step, with dates relative to today (China time). */
let clock = () => Date.now();

/** Unit tests pin "today" so their dates never drift into the future or past. */
export function useFixedClock(ms: number) {
  clock = () => ms;
}

export function daysAgo(n: number): string {
  return new Date(clock() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
}

export const today = () => daysAgo(0);

export const sample = {
  initiation: () => ({
    proposalSource: 'department',
    studyReport: '住建局研究论证：老旧小区改造必要且可行。',
    startDecision: { decidedBy: '市政府常务会议', decidedOn: daysAgo(90) },
    draftingUnit: '银川市住房和城乡建设局',
  }),
  drafting: () => ({ lawInventory: ['《城乡规划法》', '《国有土地上房屋征收与补偿条例》'], costBenefit: '投入12亿元，惠及3.2万户。' }),
  'public-participation': () => ({
    consultations: [{ channel: 'government-website', opensOn: daysAgo(70), closesOn: daysAgo(35), commentsReceived: 214 }],
    hearings: [{ hearingDate: daysAgo(30), materialsDeliveredOn: daysAgo(40), participants: ['居民代表张某', '物业企业代表'], recordSignedByParticipants: true }],
    adoptionReport: '收到意见214条，采纳87条，未采纳的已说明理由。',
  }),
  'expert-review': () => ({
    form: 'meeting',
    experts: [
      { name: '李教授', affiliation: '宁夏大学', field: '城市规划', directInterest: false, opinion: '方案总体可行。', signed: true },
      { name: '王工', affiliation: '设计研究院', field: '结构工程', directInterest: false, opinion: '建议加强抗震评估。', signed: true, dissenting: true },
    ],
    adoptionReport: '采纳加强抗震评估的意见。',
  }),
  'risk-assessment': (conclusion: 'controllable' | 'not-controllable' = 'controllable') => ({
    assessor: '第三方评估机构',
    methods: ['舆情跟踪', '重点走访'],
    riskPoints: ['搬迁安置矛盾'],
    measures: ['分批实施', '设立协调专班'],
    contingencyPlan: '群体性事件应急处置预案',
    conclusion,
  }),
  'fair-competition-review': () => ({ reviewer: '市场监管局', conclusion: 'compliant' }),
  'legality-review': (outcome = 'lawful') => ({
    outcome,
    legalBases: ['《重大行政决策程序暂行条例》'],
    powersOk: true,
    procedureOk: true,
    contentOk: outcome !== 'unlawful',
    legalAdviserOpinions: [{ name: '赵律师', capacity: 'legal-adviser', opinion: '未发现违法情形。' }],
    opinion: outcome === 'unlawful' ? '第五条设定收费无法律依据。' : '草案合法。',
  }),
  'collective-decision': (over: Record<string, unknown> = {}) => ({
    meetingType: 'executive',
    meetingDate: daysAgo(0),
    attendees: ['市长', '副市长甲', '副市长乙', '秘书长'],
    statements: [
      { speaker: '副市长甲', capacity: 'member', position: 'agree', text: '同意。' },
      { speaker: '副市长乙', capacity: 'member', position: 'disagree', text: '资金来源不明确，建议暂缓。' },
      { speaker: '秘书长', capacity: 'member', position: 'agree', text: '同意。' },
      { speaker: '市长', capacity: 'head', position: 'agree', text: '原则通过。' },
    ],
    decision: 'adopted',
    ...over,
  }),
  'party-report': () => ({ reportedTo: '中共银川市委', reportedOn: daysAgo(0), response: '同意。' }),
  publication: () => ({ channels: ['gazette', 'government-website'], publishedOn: daysAgo(0), interpretation: '政策解读已发布。' }),
  archive: () => ({ archivedOn: daysAgo(0), archiveNumber: 'YC-2026-ZD-017', custodian: '市政府办公室档案室' }),
  implementation: () => ({ implementingUnit: '银川市住房和城乡建设局', report: '按计划推进。', outcome: 'on-track' }),
  revision: () => ({ summary: '根据意见修改第五条。' }),
};
