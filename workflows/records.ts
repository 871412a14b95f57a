/**
 * Record schemas for every step kind — the single source of truth for the API's
 * validation, the workflow's validators and the UI's generated forms. Pure zod, so it
 * runs inside the workflow sandbox too.
 */
import { z } from 'zod';

// Validation messages speak Chinese first: the people filling these records are Chinese officials.
z.config(z.locales.zhCN());

const text = (min = 1) => z.string().trim().min(min);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const person = text().max(200);

/** A validation problem, in Chinese (`message`) and English (`en`), at a field path. */
export interface FieldIssue {
  path: string;
  message: string;
  en: string;
}

const ZH = z.locales.zhCN().localeError!;
const EN = z.locales.en().localeError!;

/**
 * Validate and, on failure, describe every problem in both languages. The locale is passed per
 * parse (no global switching), which is also what keeps this deterministic in the workflow sandbox.
 */
export function parseBilingual<T extends z.ZodType>(schema: T, value: unknown): { success: true; data: z.output<T> } | { success: false; issues: FieldIssue[] } {
  const zh = schema.safeParse(value, { error: ZH });
  if (zh.success) return { success: true, data: zh.data };
  const en = schema.safeParse(value, { error: EN });
  const enIssues = en.success ? [] : en.error.issues;
  return { success: false, issues: zh.error.issues.map((i, k) => ({ path: i.path.map(String).join('.'), message: i.message, en: enIssues[k]?.message ?? i.message })) };
}

/** Case facts that drive conditional steps (Decree 713 Arts. 8, 14, 19, 22, 29). */
export const CaseFactsSchema = z
  .object({
    technical: z.boolean().default(false).describe('专业性、技术性较强 (Art. 19)'),
    stabilityRisk: z.boolean().default(false).describe('可能影响社会稳定、公共安全 (Art. 22)'),
    affectsMarketEntities: z.boolean().default(false).describe('涉及市场主体经济活动 (Art. 29(1))'),
    affectsSpecificGroups: z.boolean().default(false).describe('涉及特定群体利益 (Art. 14(3))'),
    nonDisclosable: z.boolean().default(false).describe('依法不予公开 (Arts. 14, 32)'),
    congressRequired: z.boolean().default(false).describe('须提请人大讨论决定或报告 (Art. 8)'),
    catalogueItem: z.boolean().default(false).describe('列入年度决策事项目录 (Art. 3)'),
  })
  .strict();
export type CaseFacts = z.infer<typeof CaseFactsSchema>;

/** Art. 3 categories. */
export const CATEGORIES = ['public-policy', 'plan', 'resources-environment', 'major-project', 'vital-interests', 'other'] as const;

const initiation = z.object({
  proposalSource: z.enum(['leader', 'department', 'lower-government', 'congress-cppcc', 'citizen']).describe('建议来源 (Art. 10)'),
  studyReport: text().describe('研究论证情况 (Art. 10)'),
  startDecision: z.object({ decidedBy: person, decidedOn: isoDate }).describe('决定启动 (Art. 10)'),
  draftingUnit: text().describe('承办单位 (Art. 11)'),
  leadUnit: z.string().trim().optional(),
});

const drafting = z.object({
  lawInventory: z.array(text()).min(1).describe('梳理的法律、法规、规章和政策 (Art. 12)'),
  costBenefit: z.string().trim().optional().describe('成本效益分析 (Art. 12, as needed)'),
  interAgencyConsultation: z
    .object({ units: z.array(text()).min(1), agreed: z.boolean(), disputeStatement: z.string().trim().optional() })
    .optional()
    .describe('部门协商 (Art. 13)'),
});

const consultation = z.object({
  channel: z.enum(['government-website', 'new-media', 'press', 'radio-tv', 'other']),
  opensOn: isoDate,
  closesOn: isoDate,
  shorteningReason: z.string().trim().optional().describe('缩短期限的理由，须在公告中说明 (Art. 15)'),
  noticeUrl: z.string().trim().optional(),
  commentsReceived: z.number().int().min(0).default(0),
});
const hearing = z.object({
  hearingDate: isoDate,
  materialsDeliveredOn: isoDate.describe('听证材料送达日期 (Art. 16: ≥ 7 days before)'),
  participants: z.array(text()).min(1),
  recordSignedByParticipants: z.boolean().describe('听证记录经参加人确认签字 (Art. 17)'),
});
const publicParticipation = z.object({
  consultations: z.array(consultation).default([]),
  hearings: z.array(hearing).default([]),
  otherForms: z.array(z.object({ form: z.enum(['symposium', 'field-visit', 'written', 'questionnaire', 'poll']), heldOn: isoDate, summary: text() })).default([]),
  specificGroupsConsulted: z.string().trim().optional().describe('与特定群体代表沟通协商 (Art. 14(3))'),
  adoptionReport: text().describe('意见采纳情况 (Art. 18)'),
});

const expertReview = z.object({
  form: z.enum(['meeting', 'written', 'commissioned']),
  experts: z
    .array(
      z.object({
        name: person,
        affiliation: text(),
        field: text(),
        directInterest: z.boolean().describe('与决策事项有直接利害关系 (Art. 20)'),
        opinion: text(),
        signed: z.boolean().describe('书面论证意见署名、盖章 (Art. 19)'),
        dissenting: z.boolean().default(false),
      }),
    )
    .min(1),
  adoptionReport: text().describe('专家意见采纳情况 (Art. 29(3))'),
});

const riskAssessment = z.object({
  assessor: text().describe('评估单位'),
  methods: z.array(text()).min(1),
  departmentsHeard: z.array(text()).default([]).describe('听取有关部门意见 (Art. 23)'),
  riskPoints: z.array(text()).min(1),
  measures: z.array(text()).min(1),
  contingencyPlan: text().describe('处置预案 (Art. 23)'),
  conclusion: z.enum(['controllable', 'not-controllable']).describe('风险可控性 (Art. 24)'),
});

const fairCompetitionReview = z.object({
  reviewer: text(),
  businessesHeard: z.array(text()).default([]),
  conclusion: z.enum(['compliant', 'compliant-after-changes', 'non-compliant']),
  notes: z.string().trim().optional(),
});

const legalityReview = z
  .object({
    outcome: z.enum(['lawful', 'lawful-with-changes', 'unlawful', 'exploratory']).describe('审查结论'),
    legalBases: z.array(text()).min(1).describe('法律依据 (Art. 27)'),
    powersOk: z.boolean().describe('属于决策机关法定权限 (Art. 27(1))'),
    procedureOk: z.boolean().describe('履行了法定程序 (Art. 27(2))'),
    contentOk: z.boolean().describe('内容符合法律法规和国家政策 (Art. 27(3))'),
    legalAdviserOpinions: z
      .array(z.object({ name: person, capacity: z.enum(['legal-adviser', 'government-lawyer']), opinion: text() }))
      .default([])
      .describe('法律顾问、公职律师的法律意见 (Art. 28)'),
    legalRisk: z.string().trim().optional().describe('明示的法律风险 (探索性改革, Art. 25)'),
    opinionDate: isoDate.optional().describe('出具审查意见日期; defaults to today'),
    shortenedReviewReason: z.string().trim().optional().describe('审查时间少于7个工作日的理由 (Art. 26)'),
    opinion: text().describe('审查意见'),
  })
  .superRefine((r, ctx) => {
    if (r.outcome === 'exploratory' && !r.legalRisk) ctx.addIssue({ code: 'custom', path: ['legalRisk'], message: 'an exploratory-reform outcome must state the legal risk (Art. 25)' });
  });

const statement = z.object({
  speaker: person,
  capacity: z.enum(['member', 'head']),
  position: z.enum(['agree', 'disagree', 'abstain']),
  text: text().describe('发言（不同意见如实载明）'),
});
const collectiveDecision = z.object({
  meetingType: z.enum(['executive', 'plenary']).describe('常务会议或全体会议 (Art. 30)'),
  meetingDate: isoDate,
  attendees: z.array(person).min(1),
  statements: z.array(statement).min(2).describe('会议组成人员发言，按发言顺序；行政首长最后发言 (Art. 30)'),
  decision: z.enum(['adopted', 'adopted-with-amendments', 'rejected']).describe('行政首长的决定'),
  reasons: z.string().trim().optional().describe('与多数意见不一致时的理由 (Art. 30)'),
  minutesRef: z.string().trim().optional(),
});

const partyReport = z.object({
  reportedTo: text(),
  reportedOn: isoDate,
  response: text(),
});
const congress = z.object({
  form: z.enum(['decision', 'report']),
  body: text(),
  date: isoDate,
  result: text(),
});
const publication = z.object({
  channels: z.array(z.enum(['gazette', 'government-website', 'newspaper', 'new-media'])).min(1),
  publishedOn: isoDate,
  interpretation: z.string().trim().optional().describe('解读、意见采纳情况说明 (Art. 32)'),
  url: z.string().trim().optional(),
});
const archive = z.object({
  archivedOn: isoDate,
  archiveNumber: text(),
  custodian: text(),
});
const implementation = z.object({
  implementingUnit: text().describe('决策执行单位 (Art. 34)'),
  report: text(),
  outcome: z.enum(['on-track', 'evaluation-triggered']).describe('需要决策后评估 (Art. 36)'),
  trigger: z.string().trim().optional(),
});
const postEvaluation = z.object({
  evaluator: text().describe('评估单位，不得为决策前承担主要论证评估工作的单位 (Art. 36)'),
  publicHeard: z.boolean(),
  report: text(),
  recommendation: z.enum(['continue', 'adjust', 'suspend', 'stop']),
});
const revision = z.object({
  summary: text().describe('修改说明'),
  addresses: z.string().trim().optional(),
});

/** Record schema registry, keyed by the juece:record name in the BPMN. */
export const RECORD_SCHEMAS = {
  initiation,
  drafting,
  'public-participation': publicParticipation,
  'expert-review': expertReview,
  'risk-assessment': riskAssessment,
  'fair-competition-review': fairCompetitionReview,
  'legality-review': legalityReview,
  'collective-decision': collectiveDecision,
  'party-report': partyReport,
  congress,
  publication,
  archive,
  implementation,
  'post-evaluation': postEvaluation,
  revision,
} as const satisfies Record<string, z.ZodType>;
export type RecordName = keyof typeof RECORD_SCHEMAS;

/** Data given when starting a step. Legality review: the date the draft was submitted (Art. 26). */
export const StartSchema = z
  .object({ submittedOn: isoDate.optional(), note: z.string().trim().optional() })
  .strict();
export const ReturnSchema = z.object({ reason: text(5).describe('退回理由 (Art. 26: 材料不齐备的可退回或要求补充)') }).strict();
export const NotApplicableSchema = z
  .object({ reasons: text(5).describe('不适用的理由'), basis: z.string().trim().optional().describe('依据（如已有评估、不予公开的依据）') })
  .strict();
export const DraftSchema = z
  .object({ title: text().max(300), content: text(), note: z.string().trim().max(2000).optional() })
  .strict();

/** The outcome a record gives to gateway conditions (`outcome.<elementId>`). */
export function outcomeOf(record: Record<string, unknown>): string {
  for (const field of ['outcome', 'conclusion', 'decision', 'recommendation']) {
    const v = record[field];
    if (typeof v === 'string') return v;
  }
  return 'completed';
}

/** Outcomes that send the procedure back for rework; the step shows `rework`. */
export const REWORK_OUTCOMES = new Set(['returned', 'unlawful', 'lawful-with-changes', 'not-controllable']);
