/**
 * Record schemas for every step kind and every act on a decision — the single source of truth
 * for the API's validation, the workflow's validators and the UI's generated forms. Pure zod,
 * so it runs inside the workflow sandbox too. Every string and list has a maximum drawn from
 * what the field is for; the statute's own rules (grounds, periods, who spoke last) are the
 * guards' business (workflows/guards.ts), so their refusals name the article.
 */
import { z } from 'zod';
import { CONDITIONAL_KINDS, MATTER_FACT_KEYS, type ConditionalKind, type MatterFact } from '../definitions/statute';

export { parseBilingual, type FieldIssue } from './messages';

/** Sizes by what a field holds. */
export const MAX = {
  /** A person's or an organisation's name, a reference number. */
  NAME: 200,
  /** One line: a legal basis, a risk point, a measure. */
  LINE: 500,
  /** Reasons, notes, a statement at the meeting. */
  TEXT: 5000,
  /** Reports and opinions. */
  LONG: 20_000,
  URL: 2000,
  /** Items in a list of names or lines. */
  LIST: 100,
} as const;

const text = (max: number, min = 1) => z.string().trim().min(min).max(max);
const optText = (max: number) => z.string().trim().max(max).optional();
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const person = text(MAX.NAME);
const url = z.string().trim().max(MAX.URL).regex(/^https?:\/\/\S+$/, 'expected a web address');
/** A login name (the directory's username). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const Username = z.string().regex(USERNAME_PATTERN, 'not a login name');
/** Ids the workflow hands out for opinions, consultations and materials. */
export const RefId = z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'not an id');

/**
 * What the drafting unit proposes when it starts a decision (Decree 713 Arts. 8, 13, 14, 19, 22,
 * 29, 32). A proposal only: which conditional steps apply is the office's finding at initiation.
 */
export const CaseFactsSchema = z
  .object({
    technical: z.boolean().default(false).describe('专业性、技术性较强 (Art. 19)'),
    stabilityRisk: z.boolean().default(false).describe('可能影响社会稳定、公共安全 (Art. 22)'),
    affectsMarketEntities: z.boolean().default(false).describe('涉及市场主体经济活动 (Art. 29(1))'),
    affectsSpecificGroups: z.boolean().default(false).describe('涉及特定群体利益 (Art. 14(3))'),
    nonDisclosable: z.boolean().default(false).describe('依法不予公开 (Arts. 14, 32)'),
    congressRequired: z.boolean().default(false).describe('须提请人大讨论决定或报告 (Art. 8)'),
    catalogueItem: z.boolean().default(false).describe('列入年度决策事项目录 (Art. 3)'),
    otherAgencies: z.boolean().default(false).describe('涉及其他部门职责 (Art. 13)'),
    publicConcern: z.boolean().default(false).describe('社会公众普遍关心 (Art. 32)'),
  })
  .strict();
export type CaseFacts = z.infer<typeof CaseFactsSchema>;

/** Art. 3 categories. */
export const CATEGORIES = ['public-policy', 'plan', 'resources-environment', 'major-project', 'vital-interests', 'other'] as const;

// ——— Applicability findings (Art. 10) ———

/** One conditional step's finding: applies, or not — on a ground the law names, with reasons. */
export const FindingSchema = z
  .object({
    applies: z.boolean().describe('适用'),
    ground: z.string().trim().max(64).optional().describe('不适用的法定情形 (definitions/statute.ts GROUNDS)'),
    reasons: optText(MAX.TEXT).describe('理由'),
    basis: optText(MAX.LINE).describe('依据（如已有评估报告文号、定密依据）'),
  })
  .strict();
export type FindingInput = z.infer<typeof FindingSchema>;

const applicability = z.object(Object.fromEntries(CONDITIONAL_KINDS.map((k) => [k, FindingSchema])) as Record<ConditionalKind, typeof FindingSchema>).strict();
const matter = z.object(Object.fromEntries(MATTER_FACT_KEYS.map((k) => [k, z.boolean()])) as Record<MatterFact, z.ZodBoolean>).strict();

const initiation = z.object({
  proposalSource: z.enum(['leader', 'department', 'lower-government', 'congress-cppcc', 'citizen']).describe('建议来源 (Art. 10)'),
  studyReport: text(MAX.LONG).describe('研究论证情况 (Art. 10)'),
  startDecision: z.object({ decidedBy: person, decidedOn: isoDate }).describe('决定启动 (Art. 10)'),
  draftingUnit: person.describe('承办单位 (Art. 11)'),
  leadUnit: optText(MAX.NAME),
  applicability: applicability.describe('适用性认定 (Art. 10)'),
  matter: matter.describe('决策事项情况'),
}).strict();

/** Revising a finding when the facts change (the office, before the legality opinion). */
export const FindingRevisionSchema = z.union([
  z.object({ kind: z.enum(CONDITIONAL_KINDS), applies: z.boolean(), ground: z.string().trim().max(64).optional(), reasons: text(MAX.TEXT, 5), basis: optText(MAX.LINE) }).strict(),
  z.object({ matter: z.enum(MATTER_FACT_KEYS as [MatterFact, ...MatterFact[]]), value: z.boolean(), reasons: text(MAX.TEXT, 5) }).strict(),
]);
export type FindingRevision = z.infer<typeof FindingRevisionSchema>;

/** The legality review body reopens a conditional step it finds wrongly skipped (Art. 27(2)). */
export const ReopenSchema = z.object({ stepId: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'not a step id'), reasons: text(MAX.TEXT, 5) }).strict();

// ——— Drafting (Arts. 12-13) ———

const drafting = z.object({
  lawInventory: z.array(text(MAX.LINE)).min(1).max(200).describe('梳理的法律、法规、规章和政策 (Art. 12)'),
  costBenefit: optText(MAX.LONG).describe('成本效益分析 (Art. 12, as needed)'),
  interAgencyConsultation: z
    .object({
      units: z.array(person).min(1).max(MAX.LIST),
      agreed: z.boolean(),
      disputes: z
        .object({
          points: text(MAX.LONG),
          positions: z.array(z.object({ unit: person, view: text(MAX.TEXT) })).min(1).max(MAX.LIST),
          ownView: text(MAX.LONG).describe('承办单位的意见、理由和依据 (Art. 13)'),
        })
        .optional(),
      coordination: z.object({ reportedTo: person, reportedOn: isoDate, result: optText(MAX.TEXT) }).optional().describe('报请决策机关协调 (Art. 13)'),
    })
    .optional()
    .describe('部门协商 (Art. 13)'),
}).strict();

// ——— Public participation (Arts. 14-18) ———

const CHANNELS = ['government-website', 'new-media', 'press', 'radio-tv', 'other'] as const;

/** Opening an open consultation: it is dated when the system records it (Art. 15). */
export const OpenConsultationSchema = z
  .object({
    channel: z.enum(CHANNELS),
    closesOn: isoDate.describe('截止日期'),
    shorteningReason: optText(MAX.TEXT).describe('缩短期限的理由，须在公开征求意见时说明 (Art. 15)'),
    noticeUrl: url.optional(),
    explanation: optText(MAX.LONG).describe('决策草案的说明，与草案一并公布 (Art. 15)'),
    requires: z.object({ name: z.boolean().default(false), contact: z.boolean().default(false) }).strict().optional().describe('提交意见须留姓名、联系方式'),
  })
  .strict();

/** A hearing participant, as the list published in advance names them (Art. 16). */
const hearingParticipant = z.object({ name: person, represents: optText(MAX.NAME).describe('代表的方面，如“居民代表”') }).strict();
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');

/** Announcing a hearing in advance (Art. 16): time, place, how participants are selected, and (now or later) the list. */
export const AnnounceHearingSchema = z
  .object({
    scheduledOn: isoDate.describe('听证日期'),
    startsAt: clock.describe('开始时间'),
    place: text(MAX.LINE).describe('听证地点'),
    selectionMethod: text(MAX.TEXT).describe('听证参加人遴选办法 (Art. 16)'),
    participants: z.array(hearingParticipant).max(MAX.LIST).optional().describe('听证参加人名单 (Art. 16)'),
  })
  .strict();
export const HearingParticipantsSchema = z.object({ participants: z.array(hearingParticipant).min(1).max(MAX.LIST) }).strict();
export const HearingDeliverySchema = z.object({ deliveredOn: isoDate.describe('听证材料送达参加人的日期 (Art. 16: 7日前)') }).strict();
export const HearingCancelSchema = z.object({ reasons: text(MAX.TEXT, 5) }).strict();

const hearing = z.object({
  id: RefId.optional().describe('在系统中公告的听证会编号'),
  hearingDate: isoDate,
  materialsDeliveredOn: isoDate.describe('听证材料送达日期 (Art. 16: ≥ 7 days before)'),
  participants: z.array(person).min(1).max(MAX.LIST),
  selectionMethod: optText(MAX.TEXT).describe('参加人遴选办法 (Art. 16)'),
  recordSignedByParticipants: z.boolean().describe('听证记录经参加人确认签字 (Art. 17)'),
});
const publicParticipation = z.object({
  consultations: z
    .array(
      z.object({
        id: RefId,
        commentsReceived: z.number().int().min(0).max(10_000_000),
        /** Set by the API from the store, never typed: answered opinions and the digest of opinions and answers. */
        answered: z.number().int().min(0).max(10_000_000).optional(),
        digest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
      }),
    )
    .max(MAX.LIST)
    .default([])
    .describe('在系统中公开征求意见的结果'),
  hearings: z.array(hearing).max(20).default([]),
  otherForms: z.array(z.object({ form: z.enum(['symposium', 'field-visit', 'written', 'questionnaire', 'poll']), heldOn: isoDate, summary: text(MAX.TEXT) })).max(MAX.LIST).default([]),
  specificGroupsConsulted: optText(MAX.TEXT).describe('与特定群体沟通协商 (Art. 14(3))'),
  adoptionReport: text(MAX.LONG).describe('意见采纳情况 (Art. 18)'),
}).strict();

// ——— Expert review, risk, fair competition ———

const expertReview = z.object({
  form: z.enum(['meeting', 'written', 'commissioned']),
  selection: text(MAX.TEXT).describe('专家遴选情况 (Art. 20)'),
  opinions: z.array(RefId).min(1).max(50).describe('专家库专家本人出具的论证意见 (Art. 19)'),
  adoptionReport: text(MAX.LONG).describe('专家意见采纳情况 (Art. 29(3))'),
}).strict();

const riskAssessment = z.object({
  assessor: person.describe('评估单位'),
  methods: z.array(text(MAX.LINE)).min(1).max(20),
  departmentsHeard: z.array(person).min(1).max(MAX.LIST).describe('听取有关部门意见 (Art. 23)'),
  riskPoints: z
    .array(
      z.object({
        description: text(MAX.LINE),
        level: z.enum(['high', 'medium', 'low']),
        measures: z.array(text(MAX.LINE)).max(20).default([]),
        residual: z.enum(['controllable', 'not-controllable']).describe('采取措施后风险是否可控'),
      }),
    )
    .min(1)
    .max(MAX.LIST),
  contingencyPlan: text(MAX.LONG).describe('处置预案 (Art. 23)'),
  conclusion: z.enum(['controllable', 'not-controllable']).describe('风险可控性 (Art. 24)'),
}).strict();

const fairCompetitionReview = z.object({
  reviewer: person,
  businessesHeard: z.array(person).max(MAX.LIST).default([]),
  conclusion: z.enum(['compliant', 'compliant-after-changes', 'non-compliant']),
  changes: optText(MAX.TEXT),
  notes: optText(MAX.TEXT),
}).strict();

// ——— Legality review (Arts. 25-28) ———

const legalityReview = z.object({
  outcome: z.enum(['lawful', 'lawful-with-changes', 'unlawful', 'exploratory']).describe('审查结论'),
  powersOk: z.boolean().describe('属于决策机关法定权限 (Art. 27(1))'),
  procedureOk: z.boolean().describe('履行了法定程序 (Art. 27(2))'),
  contentOk: z.boolean().describe('内容符合法律法规和国家政策 (Art. 27(3))'),
  legalBases: z.array(text(MAX.LINE)).min(1).max(MAX.LIST).describe('法律依据 (Art. 27)'),
  adviserOpinions: z.array(RefId).max(50).default([]).describe('在案的法律顾问、公职律师本人意见 (Art. 28)'),
  requiredChanges: z.array(text(MAX.TEXT)).max(MAX.LIST).default([]).describe('须修改的内容'),
  legalRisk: optText(MAX.TEXT).describe('明示的法律风险 (探索性改革, Art. 25)'),
  shortenedReviewReason: optText(MAX.TEXT).describe('审查时间少于7个工作日的理由 (Art. 26)'),
  opinion: text(MAX.LONG).describe('审查意见'),
}).strict();

// ——— The meeting (Arts. 29-30) ———

/** The minutes the office records; speakers and attendees are people on the roster, by login name. */
export const MinutesSchema = z
  .object({
    meetingType: z.enum(['executive', 'plenary']).describe('常务会议或全体会议 (Art. 30)'),
    meetingDate: isoDate,
    session: optText(MAX.NAME).describe('会次，如“第12次常务会议”'),
    attendees: z.array(Username).min(1).max(MAX.LIST).describe('出席的会议组成人员'),
    sittingIn: z.array(person).max(MAX.LIST).default([]).describe('列席人员'),
    statements: z
      .array(z.object({ speaker: Username, position: z.enum(['agree', 'disagree', 'abstain']), text: text(MAX.TEXT).describe('发言（不同意见如实载明）') }))
      .min(1)
      .max(MAX.LIST)
      .describe('按发言顺序；行政首长最后发言 (Art. 30)'),
    decision: z.enum(['adopted', 'adopted-with-amendments', 'rejected']).describe('行政首长的决定'),
    reasons: optText(MAX.TEXT).describe('与多数意见不一致时在会上说明的理由 (Art. 30)'),
    minutesRef: optText(MAX.NAME),
  })
  .strict();
export type Minutes = z.infer<typeof MinutesSchema>;

/** A member confirms their own statement in the minutes, or asks for a correction. */
export const ConfirmStatementSchema = z.union([z.object({ confirm: z.literal(true) }).strict(), z.object({ dispute: text(MAX.TEXT, 2) }).strict()]);

/** Completing the meeting: the clerk names the draft version the meeting decided on (Art. 29). */
const collectiveDecision = z.object({ draftVersion: z.number().int().min(1).describe('会议讨论的草案版本') }).strict();

// ——— After the meeting (Arts. 8, 31-33) ———

const partyReport = z.object({
  reportedTo: person,
  reportedOn: isoDate,
  outcome: z.enum(['agreed', 'agreed-with-changes', 'deferred', 'not-agreed-end', 'not-agreed-revise']).describe('党委意见 (Art. 31)'),
  respondedOn: isoDate,
  response: text(MAX.LONG),
}).strict();
const congress = z.object({
  form: z.enum(['decision', 'report']),
  body: person,
  date: isoDate,
  result: text(MAX.TEXT),
}).strict();
const publication = z.object({
  channels: z.array(z.enum(['gazette', 'government-website', 'newspaper', 'new-media'])).min(1).max(4),
  publishedOn: isoDate,
  documentNumber: optText(MAX.NAME),
  url: url.optional(),
  adoptionExplanation: optText(MAX.LONG).describe('公众意见、专家论证意见的采纳情况 (Art. 32)'),
  interpretation: z
    .object({ forms: z.array(z.enum(['press-conference', 'interview', 'written', 'new-media'])).min(1).max(4), on: isoDate, record: text(MAX.LONG) })
    .optional()
    .describe('宣传解读 (Art. 32)'),
}).strict();
const archive = z.object({
  archivedOn: isoDate,
  archiveNumber: person,
  custodian: person,
}).strict();

// ——— Execution and after (Arts. 34-37) ———

const implementation = z.object({
  implementingUnit: person.describe('决策执行单位 (Art. 34)'),
  report: text(MAX.LONG),
  outcome: z.enum(['on-track', 'evaluation-triggered', 'adjustment-required']).describe('执行情况 (Arts. 35-36)'),
  trigger: optText(MAX.TEXT),
}).strict();
const postEvaluation = z.object({
  evaluator: person.describe('评估单位，不得为决策前承担主要论证评估工作的单位 (Art. 36)'),
  publicHeard: z.boolean(),
  report: text(MAX.LONG),
  recommendation: z.enum(['continue', 'adjust', 'suspend', 'stop']),
}).strict();
const adjustment = z.object({
  type: z.enum(['major-adjustment', 'minor-adjustment', 'suspension', 'termination']).describe('调整方式 (Art. 37)'),
  reasons: text(MAX.LONG),
  linkedDecisionId: z.string().regex(/^[A-Za-z0-9-]{3,64}$/).optional().describe('重大调整：重新履行决策程序的决策事项'),
}).strict();
const revision = z.object({
  summary: text(MAX.TEXT).describe('修改说明'),
  addresses: optText(MAX.TEXT),
}).strict();

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
  adjustment,
  revision,
} as const satisfies Record<string, z.ZodType>;
export type RecordName = keyof typeof RECORD_SCHEMAS;

/** Data given when starting a step. The time is the system's: no date is taken. */
export const StartSchema = z.object({ note: optText(MAX.TEXT) }).strict();
export const ReturnSchema = z.object({ reason: text(MAX.TEXT, 5).describe('退回理由 (Art. 26: 材料不齐备的可退回或要求补充)') }).strict();
export const DraftSchema = z.object({ title: text(300), content: text(2_000_000), note: optText(2000) }).strict();

// ——— Execution events (Arts. 35, 37) ———
export const ProblemReportSchema = z.object({ kind: z.enum(['problem', 'circumstances-changed', 'force-majeure']), description: text(MAX.LONG) }).strict();
export const SuspensionSchema = z.object({ reasons: text(MAX.TEXT, 5) }).strict();

/** The outcome a record gives to gateway conditions (`outcome.<elementId>`). */
export function outcomeOf(record: Record<string, unknown>): string {
  for (const field of ['outcome', 'conclusion', 'decision', 'recommendation', 'type']) {
    const v = record[field];
    if (typeof v === 'string') return v;
  }
  return 'completed';
}

/** Outcomes that send the procedure back for rework; the step shows `rework`. */
export const REWORK_OUTCOMES = new Set(['returned', 'unlawful', 'lawful-with-changes', 'not-controllable', 'non-compliant', 'not-agreed-revise']);
