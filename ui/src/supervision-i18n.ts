/**
 * The supervision pages' own wording (the dashboard, the decisions behind a figure, the
 * assessment indicators, the security log), zh-CN first. Step kinds, grounds and statuses come
 * from the statute catalogue like everywhere else.
 */
import { GROUNDS, KINDS, REFUSAL_CLASSES, type Bilingual } from '../../definitions/statute';
import { lang, say } from './i18n';

const W: Record<string, [zh: string, en: string]> = {
  supervision: ['合规监督', 'Compliance'],
  dashboardTab: ['合规看板', 'Dashboard'],
  indicatorsTab: ['考核指标', 'Assessment indicators'],
  securityTab: ['安全事件', 'Security events'],
  year: ['年度', 'Year'],
  allYears: ['全部年度', 'All years'],
  agencyPart: ['决策机关（可输入部分名称）', 'Decision body (part of the name)'],
  query: ['查询', 'Apply'],
  countedBy: ['按决策事项启动年度统计。今天：{0}；“即将到期”指{1}个工作日内（至{2}）到期。每个数字均可点击查看对应的决策事项。', 'Counted by the year each decision started. Today: {0}; “due soon” means due within {1} working days (by {2}). Every number opens the decisions behind it.'],
  started: ['启动', 'Started'],
  completed: ['办结', 'Finished'],
  inProgress: ['办理中', 'In progress'],
  incident: ['异常', 'Incident'],
  overdueNow: ['当前超期', 'Overdue now'],
  dueSoon: ['即将到期', 'Due soon'],
  late: ['曾超期', 'Ever overdue'],
  decided: ['集体讨论通过', 'Adopted at a meeting'],
  against: ['行政首长与多数意见不一致', 'Head against the majority'],
  shortConsultation: ['缩短征求意见期限', 'Consultation shortened'],
  shortReview: ['缩短合法性审查时间', 'Legality review shortened'],
  statutoryRefusals: ['试图跳过法定程序（被拒绝）', 'Skip attempts (refused)'],
  byAgency: ['各决策机关', 'By decision body'],
  byKind: ['各程序环节', 'By procedural step'],
  kind: ['环节', 'Step'],
  performed: ['已办理', 'Performed'],
  notApplicable: ['认定不适用', 'Found not applicable'],
  grounds: ['法定情形', 'Grounds'],
  median: ['用时中位数（天）', 'Median (days)'],
  slowest: ['最长用时（天）', 'Slowest (days)'],
  durationNote: ['用时为开始办理至办结的日历天数（多轮办理合计）。', 'Duration: calendar days from starting a step to completing it (all rounds together).'],
  refusals: ['被拒绝的办理请求', 'Refused attempts'],
  refusalClass: ['类别', 'Class'],
  attempts: ['次数', 'Attempts'],
  decisionsWith: ['涉及决策事项', 'Decisions'],
  periods: ['期限与会议', 'Periods and the meeting'],
  exportXlsx: ['导出Excel', 'Export Excel'],
  exportCsv: ['导出CSV', 'Export CSV'],
  exportRecordsCsv: ['导出办理记录CSV', 'Export step records CSV'],
  exportHint: ['Excel含“决策事项”和“办理记录”两个工作表；CSV为决策事项，或单独导出办理记录。', 'Excel holds two sheets, decisions and step records; CSV holds the decisions, or the step records alone.'],
  drillTitle: ['决策事项：{0}', 'Decisions: {0}'],
  drillScope: ['{0}，{1}', '{0}, {1}'],
  allAgencies: ['管辖范围内全部决策机关', 'every decision body in your scope'],
  back: ['返回看板', 'Back to the dashboard'],
  note: ['说明', 'Note'],
  days: ['{0}天', '{0} day(s)'],
  chartAgencies: ['各决策机关决策事项', 'Decisions by decision body'],
  chartKinds: ['各环节办理、不适用与超期', 'Steps performed, found not applicable and overdue'],
  indicatorsIntro: ['依据决策记录自动计算；每项指标列明计算公式，分子、分母均可点击查看对应的决策事项。按决策事项启动年度统计。', 'Computed from the record; each indicator shows its formula, and numerator and denominator open the decisions behind them. Counted by the year each decision started.'],
  indicator: ['指标', 'Indicator'],
  formula: ['计算公式', 'Formula'],
  numerator: ['分子', 'Numerator'],
  denominator: ['分母', 'Denominator'],
  rate: ['数值', 'Value'],
  allTogether: ['合计', 'All together'],
  noDenominator: ['无（分母为0）', 'n/a (nothing to count)'],
  cataloguePublished: ['已公布', 'Published'],
  catalogueNotPublished: ['未公布', 'Not published'],
  catalogueVersion: ['第{0}版，{1}公布', 'version {0}, published {1}'],
  catalogueNone: ['本年度目录尚未编制', 'No catalogue drawn up for the year'],
  catalogueDrafting: ['目录编制中，尚未经党委同意公布', 'Being drawn up; not yet published with the Party committee’s consent'],
  cataloguesPublished: ['{0}个决策机关中{1}个已公布', '{1} of {0} decision bodies published'],
  securityFilter: ['事件类型', 'Event kind'],
  allKinds: ['全部类型', 'All kinds'],
  from: ['起始日期', 'From'],
  to: ['截止日期', 'To'],
  showing: ['显示最近{0}条', 'Showing the latest {0}'],
};

/** A supervision string with {0}, {1}… filled in. */
export function w(key: string, ...args: (string | number)[]): string {
  const v = W[key];
  return (v ? v[lang === 'zh' ? 0 : 1] : key).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

const CLASSES: Record<(typeof REFUSAL_CLASSES)[number], Bilingual> = {
  statutory: { zh: '违反法定程序（试图跳过、缩短或倒签）', en: 'Statutory (skip, shortened period, back-dating)' },
  input: { zh: '填报错误', en: 'Form errors' },
  state: { zh: '重复或已办结', en: 'Already done or not open' },
  authorization: { zh: '无权办理', en: 'Not authorised' },
};
export const refusalClassName = (c: string) => say(CLASSES[c as keyof typeof CLASSES], c);
export const groundName = (g: string) => say((GROUNDS as Record<string, Bilingual>)[g], g);
const kindName = (k: string) => say((KINDS as Record<string, Bilingual>)[k], k);

/** What a fact (a figure's decisions, server/supervision.ts) is, in words. */
export function factLabel(fact: string): string {
  const simple: Record<string, string> = {
    started: w('started'),
    overdue: w('overdueNow'),
    'due-soon': w('dueSoon'),
    late: w('late'),
    decided: w('decided'),
    against: w('against'),
    adviser: lang === 'zh' ? '合法性审查载明法律顾问、公职律师意见' : 'Legality opinion cites an adviser',
    'short|consultation': w('shortConsultation'),
    'short|review': w('shortReview'),
    'st|completed': w('completed'),
    'st|in-progress': w('inProgress'),
    'st|incident': w('incident'),
    'ind|legality': lang === 'zh' ? '经合法性审查后集体讨论通过' : 'Adopted after a legality review',
    'ind|pp|required': lang === 'zh' ? '应当公众参与的已通过事项' : 'Adopted, requiring public participation',
    'ind|pp|done': lang === 'zh' ? '履行公众参与程序后通过' : 'Adopted after public participation',
  };
  if (fact in simple) return simple[fact];
  const ref = /^ref\|(.+)$/.exec(fact);
  if (ref) return `${w('refusals')}${lang === 'zh' ? '：' : ': '}${refusalClassName(ref[1])}`;
  const k = /^k\|([a-z-]+)\|(.+)$/.exec(fact);
  if (!k) return fact;
  const [, kind, rest] = k;
  const na = /^na(?:\|(.+))?$/.exec(rest);
  if (na) return `${kindName(kind)} · ${w('notApplicable')}${na[1] ? (lang === 'zh' ? `（${groundName(na[1])}）` : ` (${groundName(na[1])})`) : ''}`;
  const days = /^days\|(\d+)$/.exec(rest);
  if (days) return `${kindName(kind)} · ${w('days', days[1])}`;
  return `${kindName(kind)} · ${({ done: w('performed'), overdue: w('overdueNow'), late: w('late') } as Record<string, string>)[rest] ?? rest}`;
}
