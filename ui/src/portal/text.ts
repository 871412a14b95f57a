/** The portal's words: plain Chinese first, English second (中文 / English at the top). */
const WORDS = {
  site: ['重大行政决策公众参与', 'Public participation in major decisions'],
  navConsultations: ['征求意见', 'Consultations'],
  navHearings: ['听证会', 'Hearings'],
  navDecisions: ['决策公布', 'Published decisions'],
  navReceipt: ['查询回执', 'Track an opinion'],
  openNow: ['正在征求意见', 'Open for comment'],
  closed: ['已截止', 'Closed'],
  none: ['暂无', 'None'],
  loading: ['正在加载…', 'Loading…'],
  agency: ['决策机关', 'Decision body'],
  draftingUnit: ['承办单位', 'Drafting unit'],
  channel: ['发布渠道', 'Channel'],
  period: ['征求意见期限', 'Period'],
  to: ['至', 'to'],
  daysLeft: ['还剩{n}天', '{n} day(s) left'],
  lastDay: ['今天截止', 'Closes today'],
  shortened: ['期限少于30日', 'Shorter than 30 days'],
  shortenedWhy: ['本次征求意见期限少于30日，理由：', 'This consultation runs under 30 days because: '],
  art15: ['（《重大行政决策程序暂行条例》第十五条）', '(Decree 713 Art. 15)'],
  notice: ['公告原文', 'The notice'],
  explanation: ['起草说明', 'Explanation of the draft'],
  draft: ['征求意见稿', 'The draft'],
  giveOpinion: ['提出意见', 'Give your opinion'],
  clause: ['所针对的条款', 'Article it addresses'],
  wholeDraft: ['总体意见（不针对具体条款）', 'The draft as a whole'],
  text: ['意见和建议', 'Your opinion'],
  name: ['姓名', 'Name'],
  contact: ['联系方式（电话或电子邮箱）', 'Contact (phone or e-mail)'],
  required: ['必填', 'required'],
  optional: ['选填', 'optional'],
  attachments: ['附件', 'Attachments'],
  attachmentsHelp: ['最多{n}个，每个不超过2 MB，限PDF、Word、JPEG、PNG', 'Up to {n} files, 2 MB each: PDF, Word, JPEG or PNG'],
  honeypot: ['请勿填写此项', 'Leave this empty'],
  submit: ['提交意见', 'Submit'],
  submitting: ['正在提交…', 'Submitting…'],
  tooBig: ['附件“{f}”超过2 MB。', '“{f}” is larger than 2 MB.'],
  tooMany: ['附件最多{n}个。', 'At most {n} files.'],
  privacy: ['您的姓名和联系方式仅供承办单位联系您时使用，不予公开。', 'Your name and contact are only for the drafting unit to reach you; they are not published.'],
  closedNote: ['本次征求意见已截止，不再接收意见。', 'This consultation is closed and takes no more opinions.'],
  thanks: ['意见已提交，感谢您的参与！', 'Your opinion was received. Thank you!'],
  keepReceipt: ['请保存回执编号，凭此查询意见的处理情况。', 'Keep the receipt number: it shows what became of your opinion.'],
  receipt: ['回执编号', 'Receipt number'],
  receiptPlaceholder: ['如 K7QM-3XWD-9FTA-PZ2R', 'e.g. K7QM-3XWD-9FTA-PZ2R'],
  lookup: ['查询', 'Look up'],
  receivedAt: ['收到时间', 'Received'],
  consultation: ['征求意见事项', 'Consultation'],
  yourOpinion: ['意见内容', 'Your opinion'],
  status: ['处理情况', 'What became of it'],
  pending: ['承办单位正在研究', 'The drafting unit is studying it'],
  reason: ['理由', 'Reason'],
  answeredAt: ['答复时间', 'Answered'],
  final: ['意见采纳情况已随公众参与记录报送决策机关。', 'The answers went to the decision body with the public participation record.'],
  published: ['该决策已公布，查看决策和意见采纳情况', 'The decision is published: read it and how opinions were adopted'],
  hearingAt: ['听证时间', 'When'],
  place: ['听证地点', 'Where'],
  selection: ['参加人遴选办法', 'How participants are chosen'],
  participants: ['听证参加人', 'Participants'],
  listPending: ['名单将在听证会前公布', 'The list is published before the hearing'],
  delivered: ['听证材料送达日期', 'Materials delivered'],
  cancelledBecause: ['已取消：', 'Cancelled: '],
  upcoming: ['即将举行', 'Upcoming'],
  held: ['已举行', 'Held'],
  publishedOn: ['公布日期', 'Published'],
  documentNumber: ['文号', 'Document number'],
  decisionText: ['决策文本', 'The decision'],
  adoption: ['公众意见采纳情况', 'How the public’s opinions were adopted'],
  expertAdoption: ['专家论证意见采纳情况', 'How the experts’ opinions were adopted'],
  explanationOfAdoption: ['采纳情况说明', 'Explanation'],
  interpretation: ['政策解读', 'Interpretation'],
  received: ['收到意见{n}条', '{n} opinion(s) received'],
  notFound: ['未找到', 'Not found'],
  back: ['返回', 'Back'],
} as const satisfies Record<string, readonly [string, string]>;

export type WordKey = keyof typeof WORDS;

const CHANNELS: Record<string, [string, string]> = {
  'government-website': ['政府网站', 'Government website'],
  'new-media': ['政务新媒体', 'Government new media'],
  press: ['报刊', 'Press'],
  'radio-tv': ['广播电视', 'Radio and TV'],
  other: ['其他', 'Other'],
};

export type Lang = 'zh' | 'en';
let lang: Lang = (typeof localStorage !== 'undefined' && localStorage.getItem('juece-portal-lang') === 'en' ? 'en' : 'zh') as Lang;

export const currentLang = () => lang;
export function setLang(l: Lang) {
  lang = l;
  localStorage.setItem('juece-portal-lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

/** A word in the current language, `{n}`-style placeholders filled. */
export function t(key: WordKey, params: Record<string, string | number> = {}): string {
  const w = WORDS[key][lang === 'zh' ? 0 : 1];
  return w.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A bilingual pair from the API ({zh, en}) in the current language. */
export const tb = (b: { zh: string; en: string } | null | undefined) => (b ? b[lang] : '');

export const tChannel = (c: string) => (CHANNELS[c] ?? [c, c])[lang === 'zh' ? 0 : 1];
