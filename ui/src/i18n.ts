/**
 * zh-CN first, English second. The statute's words — step kinds, roles, statuses, record fields,
 * choices and categories — come from the catalogue (definitions/statute.ts, definitions/labels.ts),
 * the same words the guards and the API speak; only the workspace's own wording lives here.
 */
import { CATEGORY_LABELS, labelOf, VALUE_LABELS } from '../../definitions/labels';
import { KINDS, ROLE_LABELS, STATUS_LABELS, type Bilingual } from '../../definitions/statute';

export type Lang = 'zh' | 'en';

const KEY = 'juece.lang';
export let lang: Lang = (localStorage.getItem(KEY) as Lang) || 'zh';
export function setLang(l: Lang) {
  lang = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

type Dict = Record<string, [zh: string, en: string]>;

/** The colon after a label: full-width in Chinese. */
export const colon = () => (lang === 'zh' ? '：' : ': ');

/** One text of a catalogue entry in the reader's language. */
export const say = (b: Bilingual | undefined, fallback = ''): string => (b ? b[lang] : fallback);

const UI: Dict = {
  appName: ['重大行政决策程序管理', 'Major Administrative Decisions'],
  decisions: ['决策事项', 'Decisions'],
  newDecision: ['新建决策事项', 'New decision'],
  search: ['搜索标题', 'Search titles'],
  find: ['查询', 'Search'],
  steps: ['环节一览', 'All steps'],
  desk: ['合法性审查工作台', 'Legality review desk'],
  reviewAids: ['审查辅助', "Reviewer's aids"],
  flags: ['重点审查条款（{0}处）', 'Passages to review ({0})'],
  draftText: ['第{0}稿全文', 'Full text of v{0}'],
  changedSince: ['自上次审查（第{0}稿）以来的修改 → 第{1}稿', 'Changes since the last review (v{0}) → v{1}'],
  unchangedSince: ['草案自上次审查（第{0}稿）以来未修改。', 'The draft has not changed since the last review (v{0}).'],
  firstOf: ['仅列出前{0}处，共{1}处。', 'Showing the first {0} of {1}.'],
  scannedPart: ['草案较长，仅检查了前{0}字（共{1}字）。', 'The draft is long: only its first {0} of {1} characters were checked.'],
  diffTooLarge: ['草案超过{0}字，不作逐字比较。', 'The draft has more than {0} characters and is not compared.'],
  deskIntro: ['待审查和审查中的决策草案，按审查期限排序（工作日，已计入法定节假日和调休）。今天：{0}', 'Drafts awaiting or under legality review, soonest due first (working days, statutory holidays and make-up days counted). Today: {0}'],
  awaitingReview: ['待审查', 'Awaiting review'],
  round: ['轮次', 'Round'],
  roundN: ['第{0}轮', 'Round {0}'],
  daysLeft: ['剩余{0}个工作日', '{0} working day(s) left'],
  daysOverdue: ['已超期{0}个工作日', '{0} working day(s) overdue'],
  lastReviewed: ['上次审查：第{0}稿', 'last reviewed: v{0}'],
  agency: ['决策机关', 'Decision body'],
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
  login: ['登录', 'Sign in'],
  loginTitle: ['登录重大行政决策程序管理系统', 'Sign in to Major Administrative Decisions'],
  loginName: ['登录名', 'Login name'],
  password: ['密码', 'Password'],
  changePassword: ['修改密码', 'Change password'],
  myConflicts: ['利害关系申报', 'Conflict-of-interest declarations'],
  conflictsIntro: ['申报与您存在利害关系的单位或当事人（《重大行政决策程序暂行条例》第二十条）；涉及这些单位的决策事项不会邀请您参加论证。', 'Declare organisations or parties you have an interest in (Decree 713 Art. 20); you will not be invited to review decisions that involve them.'],
  conflictParty: ['利害关系方（单位名称）', 'Party (organisation)'],
  conflictPartyHint: ['例如：银川市住房和城乡建设局', 'e.g. 银川市住房和城乡建设局'],
  conflictNote: ['说明', 'Note'],
  declareConflict: ['申报', 'Declare'],
  securityEvents: ['安全事件', 'Security events'],
  securityIntro: ['登录、登录失败与锁定、修改密码，以及决策以外的越权请求（决策内的越权请求记入该决策的办理记录）。', 'Sign-ins, failed and locked logins, password changes, and refused requests outside any decision (those on a decision are in its own audit trail).'],
  time: ['时间', 'Time'],
  eventKind: ['事件', 'Event'],
  where: ['请求 / 地址', 'Request / address'],
  detail: ['说明', 'Detail'],
  'security.login': ['登录', 'Signed in'],
  'security.logout': ['退出', 'Signed out'],
  'security.login-failed': ['登录失败', 'Failed login'],
  'security.login-locked': ['登录失败，已锁定', 'Failed login, locked'],
  'security.login-throttled': ['锁定期内尝试登录', 'Login while locked'],
  'security.forbidden': ['越权请求（已拒绝）', 'Refused request'],
  'security.out-of-scope': ['查阅范围外的决策（已拒绝，十分钟内记录一次）', 'Decision outside their scope (refused; recorded once per ten minutes)'],
  'security.password-changed': ['修改密码', 'Password changed'],
  'security.password-change-failed': ['修改密码失败', 'Failed password change'],
  attachedDecisions: ['我提前介入的决策', 'Decisions I am attached to'],
  attachedIntro: ['自决策启动起提前介入：可查阅全部材料、对任一稿提出意见，并列席决策会议。', 'Attached from initiation: read every material, comment on any draft version, sit in on the meeting.'],
  currentPassword: ['当前密码', 'Current password'],
  newPassword: ['新密码（至少10位，不易猜中）', 'New password (at least 10 characters, hard to guess)'],
  newPasswordAgain: ['再次输入新密码', 'New password again'],
  passwordsDiffer: ['两次输入的新密码不一致。', 'The two new passwords differ.'],
  passwordChanged: ['密码已修改；其他 {0} 个登录会话已结束。', 'Password changed; {0} other session(s) ended.'],
  loginFailed: ['登录名或密码错误，或账号已停用。', 'Wrong login name or password, or the account is disabled.'],
  tooManyAttempts: ['登录失败次数过多，请 {0} 分钟后再试', 'Too many failed logins; try again in {0} minute(s)'],
  logout: ['退出登录', 'Sign out'],
  signInFirst: ['请先登录', 'Please sign in first'],
  needsRole: ['需要角色：{0}', 'Needs role: {0}'],
  or: ['或', ' or '],
  supervisorReadOnly: ['监督人员只读', 'Supervisors have read-only access'],
  notYourUnit: ['本事项由{0}承办，您所在单位不能办理', 'Drafted by {0}: your organisation may not act on it'],
  notYourAgency: ['本事项属于{0}，不在您所在单位的职责范围内', 'Belongs to {0}: outside your organisation'],
  forbidden: ['无权访问', 'Not allowed'],
  forbiddenAction: ['无权办理', 'Not allowed'],
  notFound: ['未找到', 'Not found'],
  notifications: ['消息通知', 'Notifications'],
  markRead: ['标为已读', 'Mark read'],
  markAllRead: ['全部标为已读', 'Mark all read'],
  noNotifications: ['暂无通知', 'No notifications'],
  unreadN: ['{0}条未读', '{0} unread'],
  openDecision: ['查看事项', 'Open the decision'],
  people: ['参与人员', 'People'],
  invite: ['邀请', 'Invite'],
  inviteTitle: ['邀请参与', 'Invite someone'],
  invitedBy: ['邀请人', 'Invited by'],
  choose: ['请选择', 'Choose…'],
  conflicts: ['申报的利害关系', 'Declared conflicts'],
  noConflicts: ['未申报利害关系', 'No conflicts declared'],
  conflictOfInterest: ['存在利害关系，不能邀请', 'Conflict of interest: cannot invite'],
  'purpose.early-intervention': ['提前介入', 'Early intervention'],
  'purpose.expert-review': [KINDS['expert-review'].zh, KINDS['expert-review'].en],
  'purpose.meeting': ['列席会议', 'Attend the meeting'],
  comments: ['提前介入意见', 'Comments'],
  commentsN: ['提前介入意见（{0}）', 'Comments ({0})'],
  addComment: ['提出意见', 'Comment'],
  quoteHint: ['在全文中选中文字即可引用', 'Select text in the full text to quote it'],
  fullText: ['全文', 'Full text'],
  opinions: ['法律意见和专家论证意见', 'Legal and expert opinions'],
  recordOpinion: ['出具法律意见', 'Give a legal opinion'],
  recordExpertOpinion: ['出具专家论证意见', 'Give an expert opinion'],
  opinionRecorded: ['意见已记录。', 'The opinion is recorded.'],
  prefilledRoster: ['已按在案的会议组成人员（行政首长最后发言）和列席人员预填，可修改。', 'Pre-filled from the meeting members on file (the head speaks last) and those sitting in; edit as needed.'],
  openReview: ['审查视图', 'Review view'],
  saved: ['已保存', 'Saved'],
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

/** The decision workspace's own wording for findings, opinions, the meeting, execution and imports. */
const WORKSPACE: Dict = {
  notApplies: ['不适用', 'Does not apply'],
  fieldRequired: ['「{0}」须填写（至少{1}个字）。', '“{0}” is required (at least {1} character(s)).'],
  problemDescription: ['情况说明', 'Description'],
  reasonsRequired: ['须写明理由（至少5个字）。', 'State the reasons (at least 5 characters).'],
  chooseGround: ['请选择不适用的法定情形', 'Choose the ground the law names'],
  'source.initiation': ['决策启动时认定', 'Found at initiation'],
  'source.revision': ['办公厅（室）重新认定', 'Revised by the office'],
  'source.reopen': ['合法性审查机构退回补办', 'Reopened by the legality review body'],
  reviseFinding: ['重新认定', 'Revise the finding'],
  reviseMatter: ['重新认定决策事项情况', 'Revise a fact about the matter'],
  reopenStep: ['退回补办', 'Reopen this step'],
  foundApplicable: ['经认定适用', 'Found applicable'],
  proposalSays: ['承办单位初步意见：{0}', "The drafting unit's proposal: {0}"],
  findingsOverview: ['适用性认定一览', 'All applicability findings'],
  noFindingYet: ['尚未认定：决策启动时由办公厅（室）认定。', 'Not found yet: the office decides at initiation.'],
  yes: ['是', 'Yes'],
  no: ['否', 'No'],
  consultationOpen: ['征求意见中', 'Open'],
  consultationClosed: ['已截止', 'Closed'],
  daysLeftCal: ['还剩{0}天', '{0} day(s) left'],
  openConsultation: ['发布公开征求意见', 'Open a consultation'],
  consultationOpensToday: ['自今日起公开征求意见，期限一般不少于30日；缩短的，须在此说明理由（第十五条）。', 'Opens today and normally runs at least 30 days; a shorter period needs its reason stated now (Art. 15).'],
  prefilledConsultations: ['已按在案的公开征求意见预填编号，请填写收到意见数。', 'Pre-filled with the consultations on file; fill in the comments received.'],
  'opinionSource.account': ['本人出具', 'Given in person'],
  'opinionSource.signed-document': ['经本人签署的书面意见', 'Signed document'],
  recordedBy: ['录入', 'put on file by'],
  noDirectInterestDeclared: ['声明与决策事项无直接利害关系', 'Declared no direct interest'],
  mustDeclareNoInterest: ['须确认本人与决策事项无直接利害关系；有直接利害关系的，不得参加论证（第二十条）。', 'Confirm you have no direct interest in the matter; an expert who has one may not take part (Art. 20).'],
  uploadSigned: ['上传书面意见', 'Upload a signed opinion'],
  signedAdviser: ['上传法律顾问、公职律师签署的书面意见', "Put on file an adviser's signed opinion"],
  signedExpert: ['上传受邀专家签署的书面意见', "Put on file an invited expert's signed opinion"],
  noInvitedExperts: ['尚无受邀参加论证的专家；请先在“参与人员”中邀请。', 'No expert is invited yet; invite one under People first.'],
  file: ['文件', 'File'],
  chooseFile: ['请选择文件', 'Choose a file'],
  pickAdvisers: ['在案的法律顾问、公职律师意见（已选中对本稿出具的全部意见）', 'Advisers’ opinions on file (all on the current draft are selected)'],
  pickExperts: ['在案的专家论证意见（已全部选中）', 'Expert opinions on file (all selected)'],
  noOpinionsOnFile: ['尚无在案意见：意见须由本人以本人账号出具，或上传经本人签署的书面意见。', 'No opinion on file: opinions are given under the person’s own account, or as a document they signed.'],
  recordMinutes: ['记录会议讨论情况', 'Record the minutes'],
  rerecordMinutes: ['重新记录会议讨论情况', 'Record the minutes again'],
  minutesVersion: ['会议记录（第{0}版）', 'Minutes (version {0})'],
  confirmed: ['已确认', 'Confirmed'],
  pendingConfirm: ['待本人确认', 'Awaiting confirmation'],
  disputed: ['提出更正', 'Disputed'],
  myStatement: ['会议记录中您本人的发言', 'Your own statement in the minutes'],
  confirmStatement: ['确认无误', 'Confirm'],
  disputeStatement: ['提出更正', 'Ask for a correction'],
  roster: ['会议组成人员', 'Meeting roster'],
  noRoster: ['决策机关的行政首长和会议组成人员尚未登记，不能记录会议。', 'The head and meeting members are not on file; the minutes cannot be recorded.'],
  addStatement: ['添加发言', 'Add a statement'],
  moveUp: ['上移', 'Move up'],
  dossier: ['提请审议的材料', 'The dossier put to the meeting'],
  dossierLegality: ['合法性审查结论：{0}', 'Legality review: {0}'],
  reportProblem: ['报告执行中的问题', 'Report a problem'],
  problemsReported: ['报告的问题', 'Problems reported'],
  suspendExecution: ['中止执行', 'Suspend execution'],
  resumeExecution: ['恢复执行', 'Resume execution'],
  suspendedBanner: ['已中止执行', 'Execution suspended'],
  headDecides: ['中止或恢复执行由行政首长决定（第三十七条）。', 'The head decides to suspend or resume (Art. 37).'],
  importBanner: ['补录事项', 'Imported procedure'],
  importOpen: ['补录中', 'Importing'],
  importEnded: ['补录已结束', 'Import ended'],
  endImport: ['结束补录', 'End the import'],
  imported: ['补录', 'Imported'],
  importIntro: ['系统上线前已经办理、按案卷补录；补录期间每项办理须填写实际办理日期，并按实际先后顺序补录。', 'Carried out before the system and entered from the file: while importing, every act needs the date it happened, in order.'],
  importStartedOn: ['实际启动于{0}', 'started on {0}'],
  importLastOn: ['最近一项补录：{0}', 'latest imported act: {0}'],
  occurredOnHint: ['不早于{0}，不晚于今天', 'Not before {0}, not after today'],
  importOption: ['补录系统上线前已经办理的事项', 'Import a procedure carried out before the system'],
  importReason: ['补录理由', 'Why it is imported'],
  happenedOn: ['实际办理日期 {0}', 'happened on {0}'],
  refusedTag: ['已拒绝', 'refused'],
  statutoryCount: ['违反法定程序的尝试 {0} 次', '{0} statutory refusal(s)'],
  reopened: ['退回补办', 'Reopened'],
  proposal: ['承办单位的初步意见', "The drafting unit's proposal"],
  proposalHint: ['以下为承办单位的初步意见；是否适用公众参与、专家论证、风险评估等环节，由办公厅（室）在决策启动时依法认定。', "The drafting unit's proposal only: whether public participation, expert review, risk assessment and the like apply is the office's finding at initiation."],
};

function pick(d: Dict, key: string): string {
  const v = d[key];
  return v ? v[lang === 'zh' ? 0 : 1] : key;
}

/** A workspace string, with {0}, {1}… filled in. */
export function t(key: string, ...args: (string | number)[]): string {
  return pick(key in WORKSPACE ? WORKSPACE : UI, key).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

/** Fields the catalogue does not name (parts of the workspace's own forms). */
const OWN_FIELDS: Dict = {
  name: ['姓名', 'Name'],
  capacity: ['身份', 'Capacity'],
  party: ['利害关系方', 'Party'],
  dispute: ['更正意见', 'Correction'],
};

export const tStatus = (s: string) => say(STATUS_LABELS[s], s);
export const tKind = (k: string) => say((KINDS as Record<string, Bilingual>)[k], k);
export const tRole = (r: string) => say((ROLE_LABELS as Record<string, Bilingual>)[r], r);
export const tCategory = (c: string) => say(CATEGORY_LABELS[c], c);
export const tField = (f: string) => (labelOf(f) ? say(labelOf(f)) : pick(OWN_FIELDS, f));
/** A field's help text from the catalogue, if it has one. */
export const tHelp = (f: string) => say(labelOf(f)?.help);
export const tValue = (v: string) => say(VALUE_LABELS[v], v);
/** A refusal or lock reason from the API carries both languages. */
export const tReason = (r: { zh: string; en: string }) => (lang === 'zh' ? r.zh : r.en);

/** "Decree 713 Art. 29(1)" → 《条例》第29条第1项 in Chinese; unchanged in English. */
export function tArticle(a: string): string {
  if (lang === 'en') return a;
  return a
    .replace(/^Decree 713 Arts?\. /, '《条例》第')
    .replace(/\((\d+)\)/g, '第$1项')
    .replace(/, /g, '、')
    .replace(/$/, '条')
    .replace(/第(\d+)项条$/, '条第$1项');
}
