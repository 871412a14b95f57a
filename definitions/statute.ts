/**
 * The statute catalogue: the one place that says what Decree 713 (and the rules it leans on)
 * requires — step kinds and their articles, roles, the applicability questions the office
 * decides at initiation with the grounds the law names, and every reason the engine gives for
 * refusing or locking a step, in Chinese and English. The guards, the API, the notifications and
 * the UI all read it.
 *
 * Pure data and pure functions, with no imports: the workflow sandbox loads it as it is
 * (eslint allows exactly this file under workflows/), so nothing here may read the clock,
 * the file system or the network.
 */

/** Both languages of one text: Chinese first (公文 wording), English second. */
export interface Bilingual {
  zh: string;
  en: string;
}

// ——— Step kinds ———————————————————————————————————————————————————————————————

/** Statutory step kinds (Decree 713, Ch. 2–4). `revision` is the drafting unit's rework of the draft. */
export const STEP_KINDS = [
  'initiation',
  'drafting',
  'public-participation',
  'expert-review',
  'risk-assessment',
  'fair-competition-review',
  'legality-review',
  'collective-decision',
  'party-report',
  'congress',
  'publication',
  'archive',
  'implementation',
  'post-evaluation',
  'adjustment',
  'revision',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Each kind's name and the articles it rests on. */
export const KINDS: Record<StepKind, Bilingual & { article: string }> = {
  initiation: { zh: '决策启动', en: 'Initiation', article: 'Decree 713 Arts. 10-11' },
  drafting: { zh: '拟订决策草案', en: 'Drafting', article: 'Decree 713 Arts. 12-13' },
  'public-participation': { zh: '公众参与', en: 'Public participation', article: 'Decree 713 Arts. 14-18' },
  'expert-review': { zh: '专家论证', en: 'Expert review', article: 'Decree 713 Arts. 19-21' },
  'risk-assessment': { zh: '风险评估', en: 'Risk assessment', article: 'Decree 713 Arts. 22-24' },
  'fair-competition-review': { zh: '公平竞争审查', en: 'Fair-competition review', article: 'Decree 713 Art. 29(1)' },
  'legality-review': { zh: '合法性审查', en: 'Legality review', article: 'Decree 713 Arts. 25-28' },
  'collective-decision': { zh: '集体讨论决定', en: 'Collective decision', article: 'Decree 713 Arts. 29-30' },
  'party-report': { zh: '向党委请示报告', en: 'Report to the Party committee', article: 'Decree 713 Art. 31' },
  congress: { zh: '人大讨论决定或报告', en: "People's congress", article: 'Decree 713 Art. 8' },
  publication: { zh: '决策公布', en: 'Publication', article: 'Decree 713 Art. 32' },
  archive: { zh: '材料归档', en: 'Archive', article: 'Decree 713 Art. 33' },
  implementation: { zh: '决策执行', en: 'Implementation', article: 'Decree 713 Arts. 34-35' },
  'post-evaluation': { zh: '决策后评估', en: 'Post-decision evaluation', article: 'Decree 713 Art. 36' },
  adjustment: { zh: '决策调整', en: 'Adjustment', article: 'Decree 713 Art. 37' },
  revision: { zh: '修改决策草案', en: 'Revise the draft', article: 'Decree 713 Arts. 24, 28' },
};

// ——— Roles ————————————————————————————————————————————————————————————————————

/** Roles that perform steps (`juece:role` in the BPMN). */
export const STEP_ROLES = ['department', 'secretariat', 'legality-review-body', 'legal-adviser', 'decision-body', 'supervisor'] as const;
export type Role = (typeof STEP_ROLES)[number];
/** Account roles: the step roles plus experts of the expert bank. */
export const USER_ROLES = [...STEP_ROLES, 'expert'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ROLE_LABELS: Record<UserRole, Bilingual> = {
  department: { zh: '承办单位', en: 'Drafting department' },
  secretariat: { zh: '决策机关办公厅（室）', en: 'Secretariat of the decision body' },
  'legality-review-body': { zh: '合法性审查机构', en: 'Legality review body' },
  'legal-adviser': { zh: '法律顾问／公职律师', en: 'Legal adviser / government lawyer' },
  'decision-body': { zh: '决策机关负责人／会议组成人员', en: 'Head / meeting member of the decision body' },
  supervisor: { zh: '依法治区办（监督）', en: 'Rule-of-law supervisor' },
  expert: { zh: '专家库专家', en: 'Expert (expert bank)' },
};

// ——— Statuses and actions ————————————————————————————————————————————————————

export const STATUS_LABELS: Record<string, Bilingual> = {
  locked: { zh: '锁定', en: 'Locked' },
  enabled: { zh: '可办理', en: 'Ready' },
  active: { zh: '办理中', en: 'In progress' },
  completed: { zh: '已完成', en: 'Done' },
  'not-applicable': { zh: '经认定不适用', en: 'Found not applicable' },
  rework: { zh: '退回修改', en: 'Rework' },
  bypassed: { zh: '无需办理', en: 'Not needed' },
  overdue: { zh: '已超期', en: 'Overdue' },
  'in-progress': { zh: '办理中', en: 'In progress' },
  incident: { zh: '异常', en: 'Incident' },
  suspended: { zh: '已中止执行', en: 'Suspended' },
};

// ——— Applicability: the office's reasoned findings (Art. 10) ————————————————————

/**
 * The conditional steps whose applicability the office acting for the decision body decides at
 * initiation (Art. 10), each "not applicable" only on a ground the law names.
 */
export const CONDITIONAL_KINDS = ['public-participation', 'expert-review', 'risk-assessment', 'fair-competition-review', 'congress', 'publication'] as const;
export type ConditionalKind = (typeof CONDITIONAL_KINDS)[number];

/** A ground on which the law lets a conditional step be found not applicable. */
export interface Ground extends Bilingual {
  /** The provision that names the ground. */
  basis: Bilingual;
  /** The finding must cite the document the ground rests on (e.g. the existing assessment). */
  needsBasis: boolean;
}

const NON_DISCLOSURE_BASIS: Bilingual = {
  zh: '《重大行政决策程序暂行条例》第十四条、第三十二条；《政府信息公开条例》第十四条',
  en: 'Decree 713 Arts. 14, 32; Regulation on Open Government Information Art. 14',
};

export const GROUNDS = {
  'state-secret': {
    zh: '决策事项依法确定为国家秘密',
    en: 'The matter is classified as a state secret',
    basis: { zh: `${NON_DISCLOSURE_BASIS.zh}；《保守国家秘密法》`, en: `${NON_DISCLOSURE_BASIS.en}; Law on Guarding State Secrets` },
    needsBasis: true,
  },
  'law-prohibits-disclosure': {
    zh: '法律、行政法规禁止公开',
    en: 'A law or administrative regulation prohibits disclosure',
    basis: NON_DISCLOSURE_BASIS,
    needsBasis: true,
  },
  'endangers-security': {
    zh: '公开后可能危及国家安全、公共安全、经济安全、社会稳定',
    en: 'Disclosure may endanger national, public or economic security or social stability',
    basis: NON_DISCLOSURE_BASIS,
    needsBasis: false,
  },
  'not-technical': {
    zh: '决策事项专业性、技术性不强',
    en: 'The matter is not specialised or technical',
    basis: { zh: '《重大行政决策程序暂行条例》第十九条', en: 'Decree 713 Art. 19' },
    needsBasis: false,
  },
  'no-adverse-impact': {
    zh: '决策实施不会对社会稳定、公共安全等方面造成不利影响',
    en: 'Implementation will not harm social stability, public safety and the like',
    basis: { zh: '《重大行政决策程序暂行条例》第二十二条第一款', en: 'Decree 713 Art. 22(1)' },
    needsBasis: false,
  },
  'already-assessed': {
    zh: '有关风险已按照有关规定进行评价、评估，不作重复评估',
    en: 'The risks were already assessed under other rules and are not assessed again',
    basis: { zh: '《重大行政决策程序暂行条例》第二十二条第二款', en: 'Decree 713 Art. 22(2)' },
    needsBasis: true,
  },
  'no-market-impact': {
    zh: '决策草案不涉及经营者经济活动',
    en: "The draft does not concern market entities' economic activity",
    basis: { zh: '《重大行政决策程序暂行条例》第二十九条第一项；《公平竞争审查条例》第二条', en: 'Decree 713 Art. 29(1); Fair Competition Review Regulation Art. 2' },
    needsBasis: false,
  },
  'not-congress-matter': {
    zh: '不属于依法应当提请人民代表大会或其常务委员会讨论决定、或者出台前向其报告的事项',
    en: "Not a matter the law places before the people's congress or its standing committee",
    basis: { zh: '《重大行政决策程序暂行条例》第八条', en: 'Decree 713 Art. 8' },
    needsBasis: false,
  },
} as const satisfies Record<string, Ground>;
export type GroundCode = keyof typeof GROUNDS;
export const GROUND_CODES = Object.keys(GROUNDS) as GroundCode[];

/** Each conditional step: the question the office answers, its article, and the grounds that may exempt it. */
export const APPLICABILITY: Record<ConditionalKind, Bilingual & { article: string; grounds: readonly GroundCode[] }> = {
  'public-participation': { zh: '是否组织公众参与', en: 'Must the public take part?', article: 'Decree 713 Art. 14', grounds: ['state-secret', 'law-prohibits-disclosure', 'endangers-security'] },
  'expert-review': { zh: '是否专业性、技术性较强，须组织专家论证', en: 'Is the matter specialised or technical, needing expert review?', article: 'Decree 713 Art. 19', grounds: ['not-technical'] },
  'risk-assessment': { zh: '是否可能影响社会稳定、公共安全，须评估风险', en: 'May implementation harm stability or safety, needing a risk assessment?', article: 'Decree 713 Art. 22', grounds: ['no-adverse-impact', 'already-assessed'] },
  'fair-competition-review': { zh: '是否涉及经营者经济活动，须进行公平竞争审查', en: "Does the draft concern market entities' activity, needing a fair-competition review?", article: 'Decree 713 Art. 29(1)', grounds: ['no-market-impact'] },
  congress: { zh: '是否须提请人大讨论决定或者报告', en: "Must the people's congress decide or be told?", article: 'Decree 713 Art. 8', grounds: ['not-congress-matter'] },
  publication: { zh: '是否依法公布决策', en: 'Is the decision to be published?', article: 'Decree 713 Art. 32', grounds: ['state-secret', 'law-prohibits-disclosure', 'endangers-security'] },
};

/**
 * The five procedures Ningxia's practice performs for every catalogue item (seed item 29): public
 * participation, expert review, risk assessment, legality review, collective decision. The last
 * two are mandatory anyway; these are the three that are otherwise conditional. With the
 * deployment policy on (JUECE_CATALOGUE_FULL_PROCEDURE), a decision linked to a catalogue item
 * may find them not applicable only when the decision body has recorded an exemption.
 */
export const FULL_PROCEDURE_KINDS = ['public-participation', 'expert-review', 'risk-assessment'] as const satisfies readonly ConditionalKind[];
export type FullProcedureKind = (typeof FULL_PROCEDURE_KINDS)[number];
/** Where the catalogue and the policy rest: Decree 713 Art. 3(3), Ningxia Decree 115 Art. 4, and the deployment's policy. */
export const CATALOGUE_ARTICLE = 'Decree 713 Art. 3(3); Ningxia Decree 115 Art. 4';

/** Facts about the matter that are not steps but change what a step must contain. */
export const MATTER_FACTS = {
  affectsSpecificGroups: { zh: '涉及特定群体利益', en: 'Affects the interests of specific groups', article: 'Decree 713 Art. 14(3)' },
  otherAgencies: { zh: '涉及其他部门或下级政府职责', en: "Involves other departments' or lower governments' duties", article: 'Decree 713 Art. 13' },
  publicConcern: { zh: '社会公众普遍关心', en: 'Of broad public concern', article: 'Decree 713 Art. 32' },
} as const satisfies Record<string, Bilingual & { article: string }>;
export type MatterFact = keyof typeof MATTER_FACTS;
export const MATTER_FACT_KEYS = Object.keys(MATTER_FACTS) as MatterFact[];

/**
 * The gateway facts of the standard definition (`facts.technical` …) follow from the findings:
 * a conditional step applies exactly when its fact says so. Publication has a fact of its own so
 * that its finding can be revised apart from public participation's.
 */
export const FACT_OF_KIND: Record<ConditionalKind, { fact: string; whenApplies: boolean }> = {
  'public-participation': { fact: 'nonDisclosable', whenApplies: false },
  publication: { fact: 'publicationWithheld', whenApplies: false },
  'expert-review': { fact: 'technical', whenApplies: true },
  'risk-assessment': { fact: 'stabilityRisk', whenApplies: true },
  'fair-competition-review': { fact: 'affectsMarketEntities', whenApplies: true },
  congress: { fact: 'congressRequired', whenApplies: true },
};

// ——— Reasons ——————————————————————————————————————————————————————————————————

/**
 * What a refused attempt was, for the timeline and the statistics:
 * - statutory: the statute forbids it now (a step before its prerequisites, an exemption without
 *   a ground, a period cut short, a back-dated event) — a skip attempt;
 * - input: the form is incomplete or malformed;
 * - state: the step is already done, not open, or the decision is closed;
 * - authorization: the person may not act here.
 */
export const REFUSAL_CLASSES = ['statutory', 'input', 'state', 'authorization'] as const;
export type RefusalClass = (typeof REFUSAL_CLASSES)[number];

interface ReasonSpec extends Bilingual {
  article: string;
  class: RefusalClass;
}

const r = (article: string, cls: RefusalClass, zh: string, en: string): ReasonSpec => ({ article, class: cls, zh, en });
const D = (a: string) => `Decree 713 ${a}`;

/** Every reason the engine gives, with `{name}` placeholders filled by `reasonText`. */
export const REASONS = {
  // — the shape of the procedure
  PREDECESSORS_INCOMPLETE: r('{article}', 'statutory', '须先完成：{steps}。', 'Waiting for: {steps}.'),
  STEP_NOT_ENABLED: r('{article}', 'statutory', '“{step}”尚不能办理，须先完成前置环节。', '“{step}” cannot be taken yet: the steps before it must be done first.'),
  STEP_NOT_STARTED: r('{article}', 'state', '“{step}”尚未开始办理，请先开始办理。', '“{step}” has not been started; start it first.'),
  STEP_ALREADY_STARTED: r('{article}', 'state', '“{step}”已经开始办理。', '“{step}” is already in progress.'),
  STEP_ALREADY_DONE: r('{article}', 'state', '“{step}”已经办结，无需再次办理。', '“{step}” is already completed.'),
  STEP_FOUND_NOT_APPLICABLE: r('{article}', 'state', '“{step}”经认定不适用，无需办理：{ground}。', '“{step}” was found not applicable and needs no action: {ground}.'),
  STEP_IN_REWORK: r('{article}', 'state', '“{step}”已退回修改，待修改后重新办理。', '“{step}” was sent back for rework and reopens after the revision.'),
  DECISION_CLOSED: r(D('Art. 33'), 'state', '该决策程序已经结束，案卷已封存。', 'This decision procedure has ended and its file is sealed.'),
  NOT_RETURNABLE: r('{article}', 'input', '“{step}”不能退回。', '“{step}” cannot be returned.'),
  STEP_MANDATORY: r('{article}', 'statutory', '“{step}”是法定必经程序，不能认定为不适用。', '“{step}” is mandatory and cannot be found not applicable.'),
  APPLICABILITY_BY_FINDING: r(
    D('Art. 10'),
    'statutory',
    '“{step}”是否适用，由决策机关办公厅（室）依法认定并说明理由，承办单位不能自行认定不适用；如情况变化，请提请办公厅（室）重新认定。',
    'Whether “{step}” applies is a reasoned finding of the office acting for the decision body; the drafting unit cannot skip it. If the facts changed, ask the office to revise the finding.',
  ),
  DECISION_SUSPENDED: r(D('Art. 37'), 'statutory', '决策已由行政首长决定中止执行（{reasons}），恢复执行前不能办理。', 'The head suspended execution ({reasons}); nothing proceeds until it resumes.'),

  // — applicability findings (Art. 10)
  FINDING_MISSING: r(D('Art. 10'), 'statutory', '决策启动时须对“{step}”是否适用作出认定。', 'Initiation must record a finding on whether “{step}” applies.'),
  FINDING_REASONS_MISSING: r(D('Art. 10'), 'statutory', '认定“{step}”不适用，须写明理由。', 'A finding that “{step}” does not apply needs its reasons.'),
  GROUND_NOT_RECOGNISED: r(
    '{article}',
    'statutory',
    '“{step}”只能以法定情形认定不适用（{grounds}），“{ground}”不是法定情形。',
    '“{step}” may be found not applicable only on a ground the law names ({grounds}); “{ground}” is not one.',
  ),
  GROUND_BASIS_MISSING: r('{article}', 'statutory', '以“{ground}”认定不适用，须注明依据（{basis}）。', 'A finding on the ground “{ground}” must cite what it rests on ({basis}).'),
  FINDINGS_INCONSISTENT: r(
    D('Arts. 14, 32'),
    'statutory',
    '公众参与和决策公布均以“依法不予公开”为由才能免除，两项认定须一致。',
    'Public participation and publication are exempt only for a non-disclosable matter: the two findings must agree.',
  ),
  FINDING_LOCKED: r(
    D('Art. 27(2)'),
    'statutory',
    '合法性审查已出具意见，适用性认定不能再由办公厅（室）变更；如确有错漏，由合法性审查机构在审查中退回补办。',
    'The legality review has given its opinion: the office can no longer change the findings; a wrongly skipped step is reopened by the legality review body in a review.',
  ),
  STEP_ALREADY_PERFORMED: r(D('Art. 10'), 'state', '“{step}”已经办理完毕，不能再认定为不适用。', '“{step}” has been performed and cannot now be found not applicable.'),
  FINDING_UNCHANGED: r(D('Art. 10'), 'input', '“{step}”的认定没有变化。', 'The finding on “{step}” is unchanged.'),
  REOPEN_NOT_SKIPPED: r(D('Art. 27(2)'), 'state', '“{step}”没有被认定不适用，无需退回补办。', '“{step}” was not skipped; there is nothing to reopen.'),
  REOPEN_NOT_IN_REVIEW: r(D('Art. 27(2)'), 'statutory', '只有在合法性审查期间才能退回补办被认定不适用的环节。', 'A skipped step can be reopened only during the legality review.'),
  APPLICABLE_STEP_OPEN: r(
    D('Art. 27(2)'),
    'statutory',
    '经重新认定须办理的“{steps}”尚未办结，合法性审查须待其办结后进行。',
    '“{steps}”, found applicable again, must be completed before the legality review proceeds.',
  ),

  // — time is the system's (Invariant 9)
  DATE_IN_FUTURE: r(D('Art. 33'), 'input', '{field}（{date}）晚于今天（{today}），不能填写尚未发生的日期。', '{field} ({date}) is after today ({today}): a date that has not happened cannot be declared.'),
  DATE_BEFORE_DECISION: r(D('Art. 33'), 'statutory', '{field}（{date}）早于本决策事项在系统中立项之日（{since}），不能倒签。', '{field} ({date}) is before the decision existed ({since}): back-dating is not possible.'),
  DATE_BEFORE_STEP: r(
    D('Art. 33'),
    'statutory',
    '{field}（{date}）早于本环节开始办理之日（{since}），即前置环节办结之前，不能倒签。',
    '{field} ({date}) is before this step opened ({since}), i.e. before the step it must follow: back-dating is not possible.',
  ),
  BACKFILL_NOT_OPEN: r(D('Art. 33'), 'statutory', '本决策不是补录事项或补录已结束，办理日期以系统记录时间为准，不能另行填写。', 'This decision is not an import, or its import has ended: acts are dated when the system records them.'),
  BACKFILL_REQUIRED: r(D('Art. 33'), 'input', '补录期间每项办理须填写实际办理日期；补录完毕请先结束补录。', 'While importing, every act needs the date it actually happened; end the import to act live.'),
  BACKFILL_OUT_OF_ORDER: r(D('Art. 33'), 'statutory', '补录日期（{date}）早于上一项补录的办理日期（{since}），须按实际先后顺序补录。', 'The imported date ({date}) is before the previous imported act ({since}): import acts in the order they happened.'),

  // — drafting (Arts. 12-13)
  DRAFT_MISSING: r(D('Art. 12'), 'statutory', '尚未提交决策草案，不能完成草案拟订。', 'No draft version has been recorded; drafting cannot be completed.'),
  DRAFT_LOCKED: r(D('Arts. 12, 24, 28'), 'statutory', '只有在拟订决策草案或修改决策草案环节才能提交新的草案版本或草案材料。', 'A new draft version or draft material can be recorded only while drafting or a revision is open.'),
  DRAFT_UNCHANGED: r(D('Art. 12'), 'input', '草案内容与当前版本相同。', 'The content is identical to the current draft version.'),
  MATERIAL_AFTER_REVIEW: r(
    D('Art. 25'),
    'statutory',
    '第{version}稿已经合法性审查，其材料不能再增加或替换；如需补充，须在修改环节提交新版本并重新审查。',
    'Draft version {version} has been reviewed for legality: its materials cannot be added to or replaced; record a new version in a revision and have it reviewed again.',
  ),
  EVIDENCE_STEP_CLOSED: r(D('Art. 33'), 'state', '“{step}”已办结，其记录已固定，不能再补充材料。', '“{step}” is completed and its record is fixed; no material can be added to it.'),
  AGENCIES_NOT_CONSULTED: r(
    D('Art. 13'),
    'statutory',
    '决策事项涉及其他部门或下级政府职责，承办单位应当与其充分协商，尚未记录协商情况。',
    "The matter involves other departments' or lower governments' duties: the drafting unit must consult them, and no consultation is recorded.",
  ),
  DISPUTE_NOT_REPORTED: r(
    D('Art. 13'),
    'statutory',
    '部门协商未达成一致，须载明争议的主要问题、各方意见和承办单位的意见、理由、依据，并说明报请协调的情况。',
    'The consultation ended in disagreement: state the points in dispute, each side’s view, the drafting unit’s own view with reasons and basis, and how it was put to coordination.',
  ),

  // — public participation (Arts. 14-18)
  PARTICIPATION_FORM_MISSING: r(D('Art. 14'), 'statutory', '未记录任何公众参与方式（公开征求意见、听证、座谈等）。', 'No form of public participation (consultation, hearing, symposium…) is recorded.'),
  SPECIFIC_GROUPS_NOT_CONSULTED: r(
    D('Art. 14(3)'),
    'statutory',
    '决策事项涉及特定群体利益，应当与相关人民团体、社会组织以及群众代表沟通协商。',
    'The matter affects specific groups: their organisations and representatives must be consulted.',
  ),
  CONSULTATION_TOO_SHORT: r(
    D('Art. 15'),
    'statutory',
    '公开征求意见期限一般不少于30日：{opensOn}开始的征求意见最早于{minClose}截止；缩短期限的，须在公开征求意见时说明理由。',
    'Open consultation normally lasts at least 30 days: one opened on {opensOn} closes no earlier than {minClose} unless a shortening reason is stated when it opens.',
  ),
  CONSULTATION_STILL_OPEN: r(D('Art. 15'), 'statutory', '公开征求意见至{closesOn}截止，尚未结束。', 'The consultation is open until {closesOn}.'),
  CONSULTATION_UNKNOWN: r(D('Art. 15'), 'input', '没有编号为{id}的公开征求意见。', 'There is no consultation {id}.'),
  CONSULTATION_RESULT_MISSING: r(D('Arts. 15, 18'), 'input', '公开征求意见{id}的结果（收到意见数）未填写。', 'The result of consultation {id} (comments received) is missing.'),
  HEARING_NOTICE_TOO_SHORT: r(
    D('Art. 16'),
    'statutory',
    '听证会材料应当于听证会7日前送达：{deliveredOn}送达的材料，听证会最早于{earliest}举行。',
    'Hearing materials must reach participants 7 days before the hearing: delivered on {deliveredOn}, the hearing may be held on {earliest} at the earliest.',
  ),
  HEARING_RECORD_UNSIGNED: r(D('Art. 17'), 'statutory', '听证会记录须经听证参加人确认并签字。', 'The hearing record must be confirmed and signed by the participants.'),

  // — public participation as it ran in the system (the portal)
  CONSULTATION_CLOSED: r(
    D('Art. 15'),
    'statutory',
    '公开征求意见已于{closesOn}截止（{closesAt}），本意见于{arrivedAt}送达，已超过公告的期限，不能作为本次征求意见的意见提交。',
    'The consultation closed on {closesOn} ({closesAt}); this opinion arrived at {arrivedAt}, after the period stated in the notice, and cannot be taken in.',
  ),
  PARTICIPATION_RECORD_MISMATCH: r(
    D('Arts. 15-18'),
    'statutory',
    '公众参与记录与系统中实际发生的情况不符：{detail}',
    'The public participation record does not agree with what happened in the system: {detail}',
  ),
  OPINIONS_UNANSWERED: r(
    D('Art. 18'),
    'statutory',
    '公开征求意见{id}收到的意见中有{count}条尚未研究提出处理意见（采纳、部分采纳或不予采纳并说明理由）。',
    '{count} opinion(s) received in consultation {id} have no answer yet (adopted, partly adopted, or not adopted with the reason).',
  ),
  ADOPTION_REPORT_FIXED: r(
    D('Art. 29(2)'),
    'state',
    '公众参与已办结，意见采纳情况已随公众参与记录报送决策机关，不能再修改；如须修改，须重新办理公众参与。',
    'Public participation is completed and its adoption report went to the decision body with the record; it can change only if public participation is performed again.',
  ),
  HEARING_UNKNOWN: r(D('Art. 16'), 'input', '没有编号为{id}的听证会。', 'There is no hearing {id}.'),
  HEARING_NOT_IN_ADVANCE: r(
    D('Art. 16'),
    'statutory',
    '听证会的时间、地点应当提前公布：听证日期（{date}）须晚于公告之日（{today}）。',
    'A hearing’s time and place are announced in advance: its date ({date}) must be after the day of the announcement ({today}).',
  ),
  HEARING_PARTICIPANTS_LATE: r(
    D('Art. 16'),
    'statutory',
    '听证参加人名单应当提前向社会公布，并在送达听证材料前确定：{detail}',
    'The participant list is published in advance and settled before the materials are delivered: {detail}',
  ),
  HEARING_PARTICIPANTS_NOT_PUBLISHED: r(
    D('Art. 16'),
    'statutory',
    '听证会{id}尚未公布听证参加人名单，须先公布名单，再向参加人送达听证材料。',
    'Hearing {id} has no published participant list: publish it before delivering the materials to the participants.',
  ),
  HEARING_MATERIALS_NOT_DELIVERED: r(
    D('Art. 16'),
    'statutory',
    '听证会{id}尚未记录听证材料送达参加人的日期（应当于听证会7日前送达）。',
    'Hearing {id} has no record of when its materials reached the participants (at least 7 days before the hearing).',
  ),
  HEARING_DELIVERY_RECORDED: r(D('Art. 16'), 'state', '听证会{id}的材料已记录于{date}送达，不能更改。', 'Hearing {id}’s materials are already recorded as delivered on {date}; that cannot change.'),
  HEARING_NOT_HELD: r(
    D('Art. 17'),
    'statutory',
    '听证会{id}定于{date}举行，尚未举行，不能提交经参加人签字的听证会记录。',
    'Hearing {id} is scheduled for {date} and has not been held: its signed record cannot be filed yet.',
  ),
  HEARING_RECORD_MISSING: r(D('Art. 17'), 'statutory', '听证会{id}（{date}）的记录尚未经参加人确认签字并存档。', 'The record of hearing {id} ({date}), confirmed and signed by the participants, is not on file.'),
  HEARING_CANCELLED: r(D('Art. 16'), 'state', '听证会{id}已经取消。', 'Hearing {id} was cancelled.'),

  // — expert review (Arts. 19-20)
  EXPERT_OPINION_MISSING: r(D('Art. 19'), 'statutory', '尚无专家库专家本人出具的论证意见。', 'No expert of the expert bank has given an opinion in person.'),
  OPINION_NOT_ON_FILE: r(
    '{article}',
    'statutory',
    '引用的意见{id}不是本决策在案的{who}本人意见；意见须由本人以本人账号出具，或上传经本人签署的书面意见。',
    'Opinion {id} is not an opinion on file given by a {who} in person: opinions are given under the person’s own account, or as a document signed by that person.',
  ),
  EXPERT_HAS_DIRECT_INTEREST: r(D('Art. 20'), 'statutory', '专家{name}与决策事项有直接利害关系，不得参加论证。', 'Expert {name} has a direct interest in the matter and may not take part.'),
  INTEREST_UNDECLARED: r(D('Art. 20'), 'input', '专家出具论证意见时，须声明本人与决策事项是否有直接利害关系。', 'An expert giving an opinion must declare whether they have a direct interest in the matter.'),

  // — risk assessment (Arts. 22-24)
  RISK_CONCLUSION_INCONSISTENT: r(
    D('Arts. 23-24'),
    'statutory',
    '风险评估结论与风险点不一致：{detail}',
    'The risk assessment’s conclusion does not agree with its risk points: {detail}',
  ),
  RISK_NOT_CONTROLLABLE: r(
    D('Art. 24'),
    'statutory',
    '风险评估结论为风险不可控，须调整决策草案并重新评估至风险可控后，方可作出决策。',
    'The risk assessment found the risk not controllable; the draft must be revised and reassessed until the risk is controllable.',
  ),

  // — fair-competition review
  FAIR_COMPETITION_NON_COMPLIANT: r(
    'Fair Competition Review Regulation Art. 18; Decree 713 Art. 29(1)',
    'statutory',
    '公平竞争审查认为决策草案不符合公平竞争审查标准，未经修改并重新审查的，不得出台。',
    'The fair-competition review found the draft non-compliant: it may not be issued until revised and reviewed again.',
  ),

  // — legality review (Arts. 25-28)
  REVIEW_PERIOD_TOO_SHORT: r(
    D('Art. 26'),
    'statutory',
    '合法性审查时间一般不少于7个工作日：{submittedOn}送审至{opinionOn}仅{days}个工作日{note}；少于7个工作日须记录理由。',
    'Legality review normally gets at least 7 working days: from submission on {submittedOn} to {opinionOn} is {days} working day(s){note}; a shorter review needs a recorded reason.',
  ),
  LEGAL_ADVISER_OPINION_MISSING: r(
    D('Art. 28'),
    'statutory',
    '合法性审查过程中应当组织法律顾问、公职律师提出法律意见：第{version}稿尚无法律顾问、公职律师本人出具的意见。',
    "The legality review must include a legal adviser's or government lawyer's own opinion: none is on file for draft version {version}.",
  ),
  ADVISER_OPINION_OMITTED: r(
    D('Art. 28'),
    'statutory',
    '合法性审查意见未载明以下法律顾问、公职律师就第{version}稿出具的意见：{names}。',
    'The legality opinion leaves out the opinions given on draft version {version} by: {names}.',
  ),
  REVIEW_OUTCOME_INCONSISTENT: r(D('Art. 27'), 'statutory', '审查结论与审查事项不一致：{detail}', 'The outcome does not agree with the review’s findings: {detail}'),
  LEGALITY_REVIEW_MISSING: r(D('Art. 25'), 'statutory', '决策草案未经合法性审查，不得提交决策机关讨论。', 'The draft has not passed legality review and may not be put to the decision body.'),
  LEGALITY_REVIEW_NOT_PASSED: r(
    D('Art. 25'),
    'statutory',
    '合法性审查结论为“{outcome}”，经审查不合法或者须修改的草案不得提交讨论，须修改后重新审查。',
    'The legality review found “{outcome}”; the draft must be revised and reviewed again before the meeting.',
  ),
  LEGALITY_REVIEW_STALE: r(
    D('Art. 25'),
    'statutory',
    '合法性审查针对的是第{version}稿，草案及其材料此后已有变化，须重新进行合法性审查。',
    'The legality review covered draft version {version}; the draft or its materials changed since, so it needs a fresh review.',
  ),

  // — the meeting (Arts. 29-30)
  DOSSIER_INCOMPLETE: r(
    D('Art. 29'),
    'statutory',
    '提请审议材料不全：本事项须完成{step}，或由办公厅（室）依法认定不适用。',
    'The dossier is incomplete: this matter needs {step}, or the office’s reasoned finding that it does not apply.',
  ),
  ROSTER_MISSING: r(D('Art. 30'), 'statutory', '{agency}的行政首长和会议组成人员未在系统登记，不能确定出席和发言人员。', 'The head and meeting members of {agency} are not on file, so attendees and speakers cannot be checked.'),
  MINUTES_MISSING: r(D('Art. 30'), 'statutory', '尚未记录会议讨论情况（出席人员、各成员发言和行政首长的决定）。', 'The meeting record (attendees, each member’s statement, the head’s decision) is not recorded yet.'),
  NOT_ON_ROSTER: r(D('Art. 30'), 'statutory', '{name}不是在册的会议组成人员。', '{name} is not a meeting member on file.'),
  QUORUM_NOT_MET: r(
    D('Art. 30'),
    'statutory',
    '出席的会议组成人员{present}人，未达到应到{total}人的{quorum}，会议不能作出决定。',
    '{present} of {total} members attended: short of the quorum ({quorum}), so the meeting cannot decide.',
  ),
  SPEAKER_NOT_ATTENDING: r(D('Art. 30'), 'input', '发言人{name}不在出席人员名单中。', 'Speaker {name} is not listed among the attendees.'),
  HEAD_NOT_LAST: r(D('Art. 30'), 'statutory', '行政首长应当在会议组成人员充分发表意见后最后发表意见。', 'The head must speak once, last, after the members.'),
  HEAD_AGAINST_MAJORITY_WITHOUT_REASONS: r(
    D('Art. 30'),
    'statutory',
    '行政首长的决定与会议组成人员多数意见（同意{agree}人、不同意{disagree}人）不一致，应当在会上说明理由。',
    "The head's decision departs from the majority of members ({agree} agree, {disagree} disagree); the reasons given at the meeting must be recorded.",
  ),
  STATEMENT_NOT_CONFIRMED: r(
    D('Arts. 30, 38'),
    'statutory',
    '以下人员尚未确认会议记录中本人的发言：{names}。不同意见须如实载明并经本人确认。',
    'These people have not yet confirmed their own statements in the record: {names}. Dissent is recorded as the member’s own, confirmed by them.',
  ),
  STATEMENT_DISPUTED: r(
    D('Arts. 30, 38'),
    'statutory',
    '{names}对会议记录中本人的发言提出更正，须重新记录后再经确认。',
    '{names} disputed how their statements were recorded; record the minutes again for them to confirm.',
  ),
  NOT_A_SPEAKER: r(D('Art. 30'), 'authorization', '会议记录中没有您的发言，只能确认本人的发言。', 'The minutes hold no statement of yours; each member confirms only their own.'),
  DOSSIER_VERSION_MISMATCH: r(
    D('Art. 29'),
    'statutory',
    '会议讨论的是第{decided}稿，但当前经审查的草案是第{current}稿。',
    'The meeting discussed draft version {decided}, but the reviewed draft on file is version {current}.',
  ),

  // — after the meeting (Arts. 31-33)
  NOT_DECIDED: r(D('Arts. 30-32'), 'statutory', '决策尚未经决策机关集体讨论通过。', 'The decision body has not adopted the decision at a meeting.'),
  PARTY_REPORT_MISSING: r(D('Art. 31'), 'statutory', '重大行政决策出台前应当向同级党委请示报告，尚未完成。', 'The decision must be reported to the Party committee before it is issued; not yet done.'),
  PARTY_CONSENT_MISSING: r(D('Art. 31'), 'statutory', '同级党委的意见为“{response}”，未同意出台，不得公布。', 'The Party committee answered “{response}”: without its consent the decision may not be published.'),
  PUBLICATION_CHANNEL: r(D('Art. 32'), 'statutory', '决策应当通过本级人民政府公报或者政府网站公布。', 'The decision must be published in the government gazette or on the government website.'),
  ADOPTION_EXPLANATION_MISSING: r(
    D('Art. 32'),
    'statutory',
    '本事项组织了{what}，公布时须说明公众意见、专家论证意见的采纳情况。',
    'This matter had {what}: publication must explain how the public’s and experts’ opinions were adopted.',
  ),
  INTERPRETATION_MISSING: r(
    D('Art. 32'),
    'statutory',
    '本事项{why}，须通过新闻发布会、接受访谈等方式进行宣传解读，并记录解读情况。',
    'This matter is {why}: it must be explained through a press conference, interviews or the like, and that is recorded.',
  ),
  RECORDS_INCOMPLETE: r(D('Art. 33'), 'statutory', '仍有未完成的程序环节，材料不完整，不能归档。', 'Procedural steps are still open; the file is incomplete and cannot be archived.'),

  CATALOGUE_FULL_PROCEDURE: r(
    `${CATALOGUE_ARTICLE}; deployment policy`,
    'statutory',
    '本事项列入{year}年度重大行政决策事项目录（{item}），按本地规定须履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定全部程序：“{steps}”不能认定为不适用，除非决策机关记录豁免。',
    'This matter is item {item} of the {year} decision catalogue: by local rule it performs all five procedures (public participation, expert review, risk assessment, legality review, collective decision), so “{steps}” cannot be found not applicable unless the decision body records an exemption.',
  ),
  EXEMPTION_ALREADY_RECORDED: r(`${CATALOGUE_ARTICLE}; deployment policy`, 'state', '决策机关已就“{steps}”记录豁免。', 'The decision body has already recorded an exemption for “{steps}”.'),
  CATALOGUE_ALREADY_LINKED: r(CATALOGUE_ARTICLE, 'state', '本事项已对应决策事项目录第{item}项。', 'This decision is already linked to catalogue item {item}.'),
  CATALOGUE_CONSENT_MISSING: r(
    CATALOGUE_ARTICLE,
    'statutory',
    '决策事项目录须经同级党委同意后向社会公布：{year}年度目录第{version}版尚未记录党委同意，或所记录的同意不是针对当前内容。',
    'A decision catalogue is published only after the Party committee at the same level consents: version {version} of the {year} catalogue has no consent on record for its present content.',
  ),
  DOSSIER_ITEM_MISSING: r(D('Art. 33'), 'statutory', '归档材料不完整，缺少：{item}。', 'The file is incomplete; it lacks: {item}.'),

  // — after issue (Arts. 35-37)
  EVALUATOR_NOT_INDEPENDENT: r(
    D('Art. 36'),
    'statutory',
    '{evaluator}承担了决策前主要论证评估工作，不得作为决策后评估单位。',
    '{evaluator} did the main pre-decision assessment and may not carry out the post-decision evaluation.',
  ),
  ADJUSTMENT_NOT_LINKED: r(
    D('Art. 37'),
    'statutory',
    '重大调整应当依法重新履行决策程序：须先以本决策为原决策立项新的决策事项。',
    'A major adjustment runs the statutory procedure again: start a new decision linked to this one first.',
  ),
  NOT_SUSPENDED: r(D('Art. 37'), 'state', '决策没有被中止执行。', 'Execution is not suspended.'),
  ALREADY_SUSPENDED: r(D('Art. 37'), 'state', '决策已经中止执行。', 'Execution is already suspended.'),
  NOT_IN_EXECUTION: r(D('Arts. 35, 37'), 'state', '决策尚未进入执行阶段或已经结束执行。', 'The decision is not being executed.'),

  // — revision
  DRAFT_NOT_REVISED: r(D('Arts. 24, 28'), 'statutory', '须先提交修改后的决策草案新版本。', 'Record the revised draft as a new version first.'),

  // — input errors
  INVALID_FIELD: r('', 'input', '{message}', '{message}'),
} as const satisfies Record<string, ReasonSpec>;
export type ReasonCode = keyof typeof REASONS;

/** A reason as the engine gives it: code, article, both texts and the class, plus the steps missing. */
export interface StatuteReason extends Bilingual {
  code: string;
  article: string;
  class: RefusalClass;
  missing?: string[];
}

/** A placeholder's value: the same in both languages, or one per language. */
export type ReasonParam = string | number | Bilingual;
const fill = (template: string, params: Record<string, ReasonParam>, lang: 'zh' | 'en') =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => {
    if (!(k in params)) return m;
    const v = params[k];
    return typeof v === 'object' ? v[lang] : String(v);
  });

/** Build a reason from the catalogue with its placeholders filled (a Bilingual value fills each language with its own text). */
export function reasonOf(code: ReasonCode, params: Record<string, ReasonParam> = {}, missing?: string[]): StatuteReason {
  const spec: ReasonSpec = REASONS[code];
  const out: StatuteReason = { code, article: fill(spec.article, params, 'en'), class: spec.class, zh: fill(spec.zh, params, 'zh'), en: fill(spec.en, params, 'en') };
  if (missing) out.missing = missing;
  return out;
}

/** The class of a refusal made of these reasons: a statutory reason makes the whole refusal statutory. */
export function classOf(reasons: readonly { class?: string; code?: string }[], fallback: RefusalClass = 'input'): RefusalClass {
  for (const c of REFUSAL_CLASSES) if (reasons.some((x) => (x.class ?? (x.code && x.code in REASONS ? REASONS[x.code as ReasonCode].class : undefined)) === c)) return c;
  return fallback;
}

/** "25-28" → "Decree 713 Arts. 25-28"; "8" → "Decree 713 Art. 8" (the `juece:article` form). */
export function articleCitation(article: string): string {
  return /[-,]/.test(article) ? `Decree 713 Arts. ${article}` : `Decree 713 Art. ${article}`;
}
