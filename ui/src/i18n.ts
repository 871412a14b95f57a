/** zh-CN first, English second: every label, status and action the workspace shows. */
export type Lang = 'zh' | 'en';

const KEY = 'juece.lang';
export let lang: Lang = (localStorage.getItem(KEY) as Lang) || 'zh';
export function setLang(l: Lang) {
  lang = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

type Dict = Record<string, [zh: string, en: string]>;

const UI: Dict = {
  appName: ['重大行政决策程序管理', 'Major Administrative Decisions'],
  decisions: ['决策事项', 'Decisions'],
  newDecision: ['新建决策事项', 'New decision'],
  search: ['搜索标题', 'Search titles'],
  find: ['查询', 'Search'],
  steps: ['环节一览', 'All steps'],
  agency: ['决策机关', 'Decision body'],
  draftingUnit: ['承办单位', 'Drafting unit'],
  category: ['决策事项类别', 'Category'],
  status: ['状态', 'Status'],
  currentStep: ['当前环节', 'Current step'],
  overdue: ['超期', 'Overdue'],
  onlyOverdue: ['仅看超期', 'Overdue only'],
  all: ['全部', 'All'],
  updated: ['更新时间', 'Updated'],
  title: ['标题', 'Title'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  page: ['第 {0} / {1} 页', 'Page {0} of {1}'],
  total: ['共 {0} 项', '{0} in all'],
  none: ['暂无', 'None'],
  actor: ['当前经办人', 'Acting as'],
  back: ['返回列表', 'Back to list'],
  timeline: ['办理记录', 'Timeline'],
  records: ['环节记录', 'Records'],
  statute: ['法律依据', 'Statute'],
  lockedBecause: ['锁定原因', 'Locked because'],
  mustFirst: ['须先完成', 'Do first'],
  start: ['开始办理', 'Start'],
  complete: ['办结', 'Complete'],
  return: ['退回', 'Return'],
  'not-applicable': ['认定不适用', 'Not applicable'],
  submit: ['提交', 'Submit'],
  cancel: ['取消', 'Cancel'],
  refused: ['被拒绝', 'Refused'],
  accepted: ['已办理', 'Done'],
  reason: ['理由', 'Reason'],
  reasons: ['理由', 'Reasons'],
  basis: ['依据', 'Basis'],
  drafts: ['草案版本', 'Draft versions'],
  newDraft: ['提交新的草案版本', 'Record a new draft version'],
  draftTitle: ['草案标题', 'Draft title'],
  draftContent: ['草案正文', 'Draft text'],
  version: ['第{0}稿', 'v{0}'],
  attachments: ['附件', 'Attachments'],
  upload: ['上传附件', 'Upload'],
  due: ['办理期限', 'Due'],
  approximate: ['（日历未载入，按周末推算）', '(calendar not loaded; weekends only)'],
  selectStep: ['点击流程图中的环节查看详情和办理。', 'Click a step in the diagram to see it and act on it.'],
  noActions: ['该环节当前不能办理。', 'No action is possible on this step now.'],
  legend: ['图例', 'Legend'],
  facts: ['案情要素', 'Case facts'],
  add: ['添加', 'Add'],
  remove: ['删除', 'Remove'],
  create: ['创建', 'Create'],
  required: ['必填', 'required'],
  by: ['办理人', 'By'],
  at: ['时间', 'At'],
  step: ['环节', 'Step'],
  live: ['实时更新', 'Live'],
  procedureEnded: ['决策程序已结束', 'The procedure has ended'],
  errorNetwork: ['无法连接服务器', 'Cannot reach the server'],
};

export const STATUS: Dict = {
  locked: ['锁定', 'Locked'],
  enabled: ['可办理', 'Ready'],
  active: ['办理中', 'In progress'],
  completed: ['已完成', 'Done'],
  'not-applicable': ['不适用', 'Not applicable'],
  rework: ['退回修改', 'Rework'],
  bypassed: ['无需办理', 'Bypassed'],
  overdue: ['已超期', 'Overdue'],
  'in-progress': ['办理中', 'In progress'],
  incident: ['异常', 'Incident'],
};

export const KIND: Dict = {
  initiation: ['决策启动', 'Initiation'],
  drafting: ['拟订决策草案', 'Drafting'],
  'public-participation': ['公众参与', 'Public participation'],
  'expert-review': ['专家论证', 'Expert review'],
  'risk-assessment': ['风险评估', 'Risk assessment'],
  'fair-competition-review': ['公平竞争审查', 'Fair-competition review'],
  'legality-review': ['合法性审查', 'Legality review'],
  'collective-decision': ['集体讨论决定', 'Collective decision'],
  'party-report': ['向党委请示报告', 'Party committee report'],
  congress: ['人大讨论决定或报告', "People's congress"],
  publication: ['决策公布', 'Publication'],
  archive: ['材料归档', 'Archive'],
  implementation: ['决策执行', 'Implementation'],
  'post-evaluation': ['决策后评估', 'Post-evaluation'],
  revision: ['修改决策草案', 'Revise the draft'],
};

export const ROLE: Dict = {
  department: ['承办单位', 'Drafting department'],
  secretariat: ['决策机关办公室', 'Secretariat'],
  'legality-review-body': ['合法性审查机构', 'Legality review body'],
  'legal-adviser': ['法律顾问', 'Legal adviser'],
  'decision-body': ['决策机关', 'Decision body'],
  supervisor: ['监督机构', 'Supervisor'],
};

export const CATEGORY: Dict = {
  'public-policy': ['重大公共政策和措施', 'Major public policy'],
  plan: ['重要规划', 'Important plan'],
  'resources-environment': ['自然资源和文化资源', 'Natural and cultural resources'],
  'major-project': ['重大公共建设项目', 'Major public project'],
  'vital-interests': ['重大公共利益事项', 'Vital public interests'],
  other: ['其他', 'Other'],
};

/** Field labels of the record forms (keys of the zod schemas in workflows/records.ts). */
export const FIELD: Dict = {
  proposalSource: ['建议来源', 'Proposal source'],
  studyReport: ['研究论证情况', 'Study report'],
  startDecision: ['启动决定', 'Start decision'],
  decidedBy: ['决定机关', 'Decided by'],
  decidedOn: ['决定日期', 'Decided on'],
  draftingUnit: ['承办单位', 'Drafting unit'],
  leadUnit: ['牵头单位', 'Lead unit'],
  lawInventory: ['梳理的法律法规和政策', 'Laws and policies reviewed'],
  costBenefit: ['成本效益分析', 'Cost-benefit analysis'],
  interAgencyConsultation: ['部门协商', 'Inter-agency consultation'],
  units: ['单位', 'Units'],
  agreed: ['意见一致', 'Agreed'],
  disputeStatement: ['争议说明', 'Dispute statement'],
  consultations: ['公开征求意见', 'Open consultations'],
  channel: ['渠道', 'Channel'],
  opensOn: ['开始日期', 'Opens on'],
  closesOn: ['截止日期', 'Closes on'],
  shorteningReason: ['缩短期限的理由', 'Reason for a shorter period'],
  noticeUrl: ['公告网址', 'Notice URL'],
  commentsReceived: ['收到意见数', 'Comments received'],
  hearings: ['听证会', 'Hearings'],
  hearingDate: ['听证日期', 'Hearing date'],
  materialsDeliveredOn: ['材料送达日期', 'Materials delivered on'],
  participants: ['参加人', 'Participants'],
  recordSignedByParticipants: ['听证记录经参加人签字', 'Record signed by participants'],
  otherForms: ['其他方式', 'Other forms'],
  form: ['方式', 'Form'],
  heldOn: ['日期', 'Held on'],
  summary: ['情况说明', 'Summary'],
  specificGroupsConsulted: ['与特定群体沟通协商情况', 'Specific groups consulted'],
  adoptionReport: ['意见采纳情况', 'Adoption report'],
  experts: ['专家', 'Experts'],
  name: ['姓名', 'Name'],
  affiliation: ['单位', 'Affiliation'],
  field: ['专业领域', 'Field'],
  directInterest: ['与决策事项有直接利害关系', 'Has a direct interest'],
  opinion: ['意见', 'Opinion'],
  signed: ['书面意见已署名盖章', 'Signed or sealed'],
  dissenting: ['持不同意见', 'Dissenting'],
  assessor: ['评估单位', 'Assessor'],
  methods: ['评估方法', 'Methods'],
  departmentsHeard: ['听取意见的部门', 'Departments heard'],
  riskPoints: ['风险点', 'Risk points'],
  measures: ['防范化解措施', 'Measures'],
  contingencyPlan: ['处置预案', 'Contingency plan'],
  conclusion: ['结论', 'Conclusion'],
  reviewer: ['审查机构', 'Reviewer'],
  businessesHeard: ['听取意见的经营者', 'Businesses heard'],
  notes: ['备注', 'Notes'],
  outcome: ['审查结论', 'Outcome'],
  legalBases: ['法律依据', 'Legal bases'],
  powersOk: ['属于法定权限', 'Within statutory powers'],
  procedureOk: ['履行了法定程序', 'Procedures followed'],
  contentOk: ['内容合法', 'Content lawful'],
  legalAdviserOpinions: ['法律顾问、公职律师意见', "Legal advisers' opinions"],
  capacity: ['身份', 'Capacity'],
  legalRisk: ['法律风险', 'Legal risk'],
  opinionDate: ['审查意见日期', 'Opinion date'],
  shortenedReviewReason: ['审查时间少于7个工作日的理由', 'Reason for a review under 7 working days'],
  meetingType: ['会议类型', 'Meeting type'],
  meetingDate: ['会议日期', 'Meeting date'],
  attendees: ['出席人员', 'Attendees'],
  statements: ['发言（按顺序，行政首长最后）', 'Statements (in order, the head last)'],
  speaker: ['发言人', 'Speaker'],
  position: ['意见', 'Position'],
  text: ['发言内容', 'Text'],
  decision: ['决定', 'Decision'],
  reasons: ['理由', 'Reasons'],
  minutesRef: ['会议纪要编号', 'Minutes reference'],
  reportedTo: ['报告对象', 'Reported to'],
  reportedOn: ['报告日期', 'Reported on'],
  response: ['党委意见', 'Response'],
  body: ['机关', 'Body'],
  date: ['日期', 'Date'],
  result: ['结果', 'Result'],
  channels: ['公布渠道', 'Channels'],
  publishedOn: ['公布日期', 'Published on'],
  interpretation: ['解读', 'Interpretation'],
  url: ['网址', 'URL'],
  archivedOn: ['归档日期', 'Archived on'],
  archiveNumber: ['档案号', 'Archive number'],
  custodian: ['保管单位', 'Custodian'],
  implementingUnit: ['执行单位', 'Implementing unit'],
  report: ['报告', 'Report'],
  trigger: ['评估触发情形', 'Trigger'],
  evaluator: ['评估单位', 'Evaluator'],
  publicHeard: ['听取了公众意见', 'Public heard'],
  recommendation: ['建议', 'Recommendation'],
  addresses: ['针对的意见', 'Addresses'],
  submittedOn: ['送审日期', 'Submitted on'],
  note: ['备注', 'Note'],
  reason: ['退回理由', 'Reason'],
  basis: ['依据', 'Basis'],
  technical: ['专业性、技术性较强', 'Specialised or technical'],
  stabilityRisk: ['可能影响社会稳定、公共安全', 'Stability or safety risk'],
  affectsMarketEntities: ['涉及市场主体经济活动', 'Affects market entities'],
  affectsSpecificGroups: ['涉及特定群体利益', 'Affects specific groups'],
  nonDisclosable: ['依法不予公开', 'Non-disclosable'],
  congressRequired: ['须报人大', 'Congress required'],
  catalogueItem: ['列入年度目录', 'Catalogue item'],
};

/** Enum values shown in forms and records. */
export const VALUE: Dict = {
  leader: ['决策机关领导人员提出', 'A leader'],
  department: ['部门提出', 'A department'],
  'lower-government': ['下级政府提出', 'A lower government'],
  'congress-cppcc': ['人大代表、政协委员提出', 'Deputies or CPPCC members'],
  citizen: ['公民、法人书面提出', 'Citizens in writing'],
  'government-website': ['政府网站', 'Government website'],
  'new-media': ['政务新媒体', 'Government new media'],
  press: ['报刊', 'Press'],
  'radio-tv': ['广播电视', 'Radio and TV'],
  symposium: ['座谈会', 'Symposium'],
  'field-visit': ['实地走访', 'Field visit'],
  written: ['书面征求意见', 'Written consultation'],
  questionnaire: ['问卷调查', 'Questionnaire'],
  poll: ['民意调查', 'Opinion poll'],
  meeting: ['论证会', 'Review meeting'],
  commissioned: ['委托研究', 'Commissioned study'],
  controllable: ['风险可控', 'Controllable'],
  'not-controllable': ['风险不可控', 'Not controllable'],
  compliant: ['符合', 'Compliant'],
  'compliant-after-changes': ['修改后符合', 'Compliant after changes'],
  'non-compliant': ['不符合', 'Non-compliant'],
  lawful: ['合法', 'Lawful'],
  'lawful-with-changes': ['修改后合法', 'Lawful after changes'],
  unlawful: ['不合法', 'Unlawful'],
  exploratory: ['探索性改革（明示法律风险）', 'Exploratory reform (legal risk stated)'],
  'legal-adviser': ['法律顾问', 'Legal adviser'],
  'government-lawyer': ['公职律师', 'Government lawyer'],
  executive: ['常务会议', 'Executive meeting'],
  plenary: ['全体会议', 'Plenary meeting'],
  member: ['会议组成人员', 'Member'],
  head: ['行政首长', 'Head'],
  agree: ['同意', 'Agree'],
  disagree: ['不同意', 'Disagree'],
  abstain: ['弃权', 'Abstain'],
  adopted: ['通过', 'Adopted'],
  'adopted-with-amendments': ['修改后通过', 'Adopted with amendments'],
  rejected: ['不予通过', 'Rejected'],
  decision: ['决定', 'Decision'],
  report: ['报告', 'Report'],
  gazette: ['政府公报', 'Gazette'],
  newspaper: ['本地报纸', 'Newspaper'],
  'on-track': ['正常执行', 'On track'],
  'evaluation-triggered': ['需要后评估', 'Evaluation needed'],
  continue: ['继续执行', 'Continue'],
  adjust: ['调整', 'Adjust'],
  suspend: ['中止', 'Suspend'],
  stop: ['停止', 'Stop'],
  returned: ['退回', 'Returned'],
  create: ['创建', 'Created'],
  draft: ['提交草案', 'Draft'],
  attachment: ['上传附件', 'Attachment'],
  service: ['系统处理', 'System'],
  timer: ['期限提醒', 'Timer'],
  start: ['开始办理', 'Started'],
  complete: ['办结', 'Completed'],
  return: ['退回', 'Returned'],
  'not-applicable': ['认定不适用', 'Not applicable'],
};

function pick(d: Dict, key: string): string {
  const v = d[key];
  return v ? v[lang === 'zh' ? 0 : 1] : key;
}

/** A UI string, with {0}, {1}… filled in. */
export function t(key: string, ...args: (string | number)[]): string {
  return pick(UI, key).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}
export const tStatus = (s: string) => pick(STATUS, s);
export const tKind = (k: string) => pick(KIND, k);
export const tRole = (r: string) => pick(ROLE, r);
export const tCategory = (c: string) => pick(CATEGORY, c);
export const tField = (f: string) => pick(FIELD, f);
export const tValue = (v: string) => pick(VALUE, v);
/** A refusal or lock reason from the API carries both languages. */
export const tReason = (r: { zh: string; en: string }) => (lang === 'zh' ? r.zh : r.en);

/** "Decree 713 Art. 29(1)" → 《条例》第29条第1款 in Chinese; unchanged in English. */
export function tArticle(a: string): string {
  if (lang === 'en') return a;
  return a
    .replace(/^Decree 713 Arts?\. /, '《条例》第')
    .replace(/\((\d+)\)/g, '第$1项')
    .replace(/, /g, '、')
    .replace(/$/, '条')
    .replace(/第(\d+)项条$/, '条第$1项');
}
