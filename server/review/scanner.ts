/**
 * A reading aid for the legality reviewer (Decree 713 Arts. 25–28): it flags draft passages that
 * appear to CREATE administrative licensing, administrative penalties, administrative coercive
 * measures or fees — the four things a local government's normative document may not set on its
 * own authority. Every flag is a prompt to look closely (需重点审查), never a verdict: the scanner
 * reads words, not law, and cannot tell whether a higher-level law already provides the power.
 *
 * Pure and deterministic. Rules are regular expressions over the whole text whose gaps never
 * cross a sentence delimiter, so a flag stays inside its clause. A trigger is passed over when it
 * stands inside a citation (《…》), or when its phrase (the text back to the previous comma,
 * colon or sentence end) negates it before the trigger: 不得收取任何费用 forbids a fee, it does
 * not create one.
 */
import { splitClauses } from './diff';

export type FlagCategory = 'licensing' | 'penalty' | 'coercion' | 'fee';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Flag {
  category: FlagCategory;
  label: Bilingual;
  /** Why it matters, with the statute: a review prompt. */
  basis: Bilingual;
  /** UTF-16 offsets into the scanned text: text.slice(start, end) === excerpt. */
  start: number;
  end: number;
  excerpt: string;
  /** Index of the clause (as splitClauses cuts the text; the diff's clause indexes too). */
  clauseIndex: number;
  /** The words that fired the rule, e.g. "应当取得…许可证" or "罚款". */
  trigger: string;
}

export const CATEGORY_INFO: Record<FlagCategory, { label: Bilingual; basis: Bilingual }> = {
  licensing: {
    label: { zh: '疑似设定行政许可', en: 'May create administrative licensing' },
    basis: {
      zh: '行政许可只能由法律、行政法规、地方性法规和省、自治区、直辖市人民政府规章设定（《中华人民共和国行政许可法》第十四条至第十六条）；其他规范性文件一律不得设定行政许可（第十七条），也不得以备案、登记、年检、认定等名义变相设定。需重点审查：本条是否设定或者变相设定了行政许可，有无上位法依据，是否增设了上位法没有规定的条件。',
      en: 'Administrative licensing may be created only by laws, administrative regulations, local regulations and provincial government rules (Administrative Licensing Law arts. 14–16); no other normative document may create licensing (art. 17), nor disguise it as filing, registration, annual inspection or certification. Review closely whether this passage creates or disguises a licensing requirement, whether a higher-level law provides for it, and whether it adds conditions the law does not.',
    },
  },
  penalty: {
    label: { zh: '疑似设定行政处罚', en: 'May set an administrative penalty' },
    basis: {
      zh: '除法律、法规、规章外，其他规范性文件不得设定行政处罚（《中华人民共和国行政处罚法》第十六条）；限制人身自由的行政处罚只能由法律设定（第十条）。需重点审查：本条规定的处罚有无法律、法规、规章依据，处罚的行为、种类和幅度是否在上位法规定的范围内。',
      en: 'Normative documents other than laws, regulations and rules may not set administrative penalties (Administrative Penalty Law art. 16); penalties restricting personal liberty may be set only by law (art. 10). Review closely whether a law, regulation or rule provides for this penalty, and whether the conduct, kind and range stay within it.',
    },
  },
  coercion: {
    label: { zh: '疑似设定行政强制', en: 'May set an administrative coercive measure' },
    basis: {
      zh: '法律、法规以外的其他规范性文件不得设定行政强制措施（《中华人民共和国行政强制法》第十条）；行政强制执行由法律设定（第十三条）。需重点审查：本条规定的查封、扣押、冻结、强制执行等有无法律、法规依据，实施主体和条件是否与上位法一致。',
      en: 'Normative documents other than laws and regulations may not set administrative coercive measures (Administrative Coercion Law art. 10); administrative enforcement is set by law (art. 13). Review closely whether a law or regulation provides for this sealing, seizure, freezing or enforcement, and whether the agency and conditions match it.',
    },
  },
  fee: {
    label: { zh: '疑似设定收费', en: 'May create a fee or levy' },
    basis: {
      zh: '国家行政机关的收费应当依法进行，严格控制收费项目，限定收费范围、标准（《中华人民共和国价格法》第四十七条）；行政事业性收费、政府性基金和涉企保证金须有法律、行政法规依据或者经国务院及省级人民政府财政、价格主管部门依法批准，并列入公布的目录清单，规范性文件不得自行设立收费项目。需重点审查：本条收费（保证金、押金）有无合法依据，标准是否经核定。',
      en: 'Fees charged by administrative bodies must rest on law, with items, scope and rates strictly controlled (Price Law art. 47); administrative fees, government funds and deposits required of enterprises need a basis in law or administrative regulation, or approval by the State Council or provincial finance and pricing departments, and must be on the published catalogue — a normative document may not create a charge of its own. Review closely whether this fee (deposit) has a lawful basis and an approved rate.',
    },
  },
};

/** Within one phrase: no comma, colon or sentence delimiter (an enumeration comma 、 is allowed). */
const P = '[^，,：:。；;！!？?\\n\\r]';
/** Within one sentence: commas allowed (未经批准，任何单位不得…). */
const S = '[^。；;！!？?\\n\\r]';

interface Rule {
  category: FlagCategory;
  /** Named groups a (or a2), b, c name the trigger words, joined with … in `trigger`. */
  re: RegExp;
  /** Passed over when the phrase before the match ends like this (e.g. 申请人民法院 before 强制执行). */
  deferral?: RegExp;
}

const rx = (source: string) => new RegExp(source, 'g');

const LICENCE_WORDS = '许可证|许可|批准文件|批准|核准|审批|资质证书|资质|执照|登记证|登记|备案证明|备案|资格证书|资格证';

const RULES: Rule[] = [
  // 行政许可
  { category: 'licensing', re: rx(`(?<a>应当取得|应取得|须取得|需取得|必须取得|须持有|需持有|应当持有|应持有|必须持有|应当申领|应当申请办理|须申请办理)${P}{0,30}?(?<b>${LICENCE_WORDS})`) },
  { category: 'licensing', re: rx(`(?<a>须经|需经|必须经|应当经|应经|须报经|需报经|应当报经|应报经|必须报经|应当报请|须报请)过?${P}{0,30}?(?<b>审批|批准|许可|核准|登记|备案)`) },
  { category: 'licensing', re: rx(`(?<a>未经|未取得|未获得|未办理|未依法取得)${P}{0,30}?(?<b>审批|批准|许可|核准|登记|备案)${S}{0,30}?(?<c>不得|禁止|严禁|不准|一律不|擅自)`) },
  { category: 'licensing', re: rx(`(?<a>审批|批准|许可|核准|登记|备案)(?:同意)?(?:后|之后)${P}{0,2}?(?<b>方可|方能|才能|才可|始得)`) },
  { category: 'licensing', re: rx(`(?<a>准予|予以)(?<b>行政许可|许可|登记|核准|批准|备案)`) },
  { category: 'licensing', re: rx(`(?<a>颁发|核发|发放|换发)${P}{0,20}?(?<b>许可证|经营证|执照|资质证书|资格证书|资格证|登记证)`) },
  { category: 'licensing', re: rx(`(?<a>实行|实施|建立)${P}{0,12}?(?<b>审批|许可|核准|准入)(?:制度|制|管理)`) },
  // 行政处罚
  { category: 'penalty', re: rx(`(?:(?:可以并处|并处|可以处|可处|处以|处)${P}{0,24}?)?(?<a>罚款)`) },
  {
    category: 'penalty',
    re: rx(
      `(?<a>没收违法所得|没收非法财物|没收|吊销|暂扣)(?:${P}{0,12}?(?:许可证|执照|证照|证书|驾驶证|资质证书|工具|设备|物品|财物))?|(?<a2>责令停产停业|责令停业整顿|责令停业|责令关闭|停产停业|行政拘留|拘留|通报批评|警告(?!标志|标识|牌|灯|线|信息|提示|语)|降低资质等级|限制开展生产经营活动|限制从业|禁止从业|给予行政处罚|予以行政处罚|给予处罚|予以处罚|从重处罚)`,
    ),
  },
  // 行政强制
  {
    category: 'coercion',
    re: rx('(?<a>查封|扣押|冻结|强制拆除|强行拆除|强制执行|代履行|强制清除|强制清理|强制隔离|强制带离|强制收回|限制人身自由|加处罚款|滞纳金|划拨存款|强制划拨|采取强制措施)'),
    deferral: /申请[^，,：:。；;]{0,4}法院$/,
  },
  // 收费
  { category: 'fee', re: rx(`(?<a>缴纳|交纳|缴付|预交|预缴|上缴|缴交)${P}{0,15}?(?<b>保证金|押金|基金|费用|费)`) },
  { category: 'fee', re: rx(`(?<a>收取|征收|加收|计收|核收|收缴)${P}{0,15}?(?<b>保证金|押金|基金|费用|费)`) },
  { category: 'fee', re: rx(`(?<a>收取(?!${P}{0,8}(?:材料|文件|申请书|样品|信息|意见))|收费|集资|摊派|保证金|押金|赞助费|服务费|手续费|工本费|管理费|审查费|评审费|检测费|检验费|培训费|认证费)`) },
];

/** A negation before the trigger in the same phrase turns a creation into a prohibition or exemption. */
const NEGATION = /不得|不准|不应|不能|不可|不予|不再|不收|不另|禁止|严禁|杜绝|免收|免予|免于|免征|免除|免费|减免|无须|无需|不需|不必|一律不|取消|废止/;
/** The phrase before a trigger: back to the previous comma, colon or sentence delimiter, or to 并 (并处… starts a new predicate). */
const PHRASE_BREAK = /[，,：:。；;！!？?\n\r]/;

/** What may stand between two triggers of one passage. */
const JOINER = /^(?:、|和|及|与|或|或者|以及|并|并且|并可|并处)?$/;

/** [start, end) ranges of citations 《…》 (nesting allowed). */
function citations(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '《') {
      if (depth === 0) open = i;
      depth++;
    } else if (text[i] === '》' && depth > 0) {
      depth--;
      if (depth === 0) out.push([open, i + 1]);
    } else if (depth > 0 && (text[i] === '\n' || text[i] === '\r')) depth = 0; // an unclosed 《 ends at the line
  }
  return out;
}

/** A negation further back than this in one unbroken phrase is not read (it bounds the work per flag). */
const MAX_PHRASE = 200;

function phraseBefore(text: string, at: number, floor: number): string {
  let i = at;
  const stop = Math.max(floor, at - MAX_PHRASE);
  while (i > stop && !PHRASE_BREAK.test(text[i - 1])) i--;
  const phrase = text.slice(i, at);
  return phrase.slice(phrase.lastIndexOf('并') + 1);
}

/** Flag passages that may create licensing, penalties, coercive measures or fees; in text order. */
export function scanClauses(text: string): Flag[] {
  const clauses = splitClauses(text);
  const clauseAt = (offset: number) => {
    let lo = 0;
    let hi = clauses.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (clauses[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const cites = citations(text);
  /** The citation containing `offset` (citations are sorted and disjoint: a binary search). */
  const citationAt = (offset: number): [number, number] | undefined => {
    let lo = 0;
    let hi = cites.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cites[mid][1] <= offset) lo = mid + 1;
      else if (cites[mid][0] > offset) hi = mid - 1;
      else return cites[mid];
    }
    return undefined;
  };
  const cited = (offset: number) => citationAt(offset) !== undefined;

  const found: Flag[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const start = m.index;
      let end = start + m[0].length;
      // A match ending inside a citation (颁发《…登记证) takes the whole title.
      const open = citationAt(end);
      if (open && end > open[0]) end = open[1];
      const g = m.groups ?? {};
      const head = g.a ?? g.a2 ?? m[0];
      const triggerAt = start + m[0].indexOf(head);
      if (cited(start) || cited(triggerAt)) continue;
      const clauseIndex = clauseAt(start);
      const before = phraseBefore(text, start, clauses[clauseIndex].start);
      if (NEGATION.test(before)) continue;
      // A negation between an optional lead-in (处…) and the trigger word itself.
      if (triggerAt > start && NEGATION.test(text.slice(start, triggerAt))) continue;
      if (rule.deferral?.test(before)) continue;
      const info = CATEGORY_INFO[rule.category];
      found.push({
        category: rule.category,
        label: info.label,
        basis: info.basis,
        start,
        end,
        excerpt: text.slice(start, end),
        clauseIndex,
        trigger: [g.a ?? g.a2, g.b, g.c].filter(Boolean).join('…') || m[0],
      });
    }
  }

  // One flag per passage: earlier and longer first; drop what overlaps a kept flag of the same
  // category, or lies wholly inside a kept flag of another (加处罚款 is coercion, not a penalty).
  found.sort((x, y) => x.start - y.start || y.end - y.start - (x.end - x.start) || x.category.localeCompare(y.category));
  // Every kept flag starts at or before f, so only the furthest end kept per category matters:
  // linear, where comparing with every kept flag was quadratic on a long draft.
  const kept: Flag[] = [];
  const furthest = new Map<FlagCategory, number>();
  for (const f of found) {
    let clash = false;
    for (const [category, end] of furthest) if (category === f.category ? f.start < end : f.end <= end) clash = true;
    if (!clash) {
      kept.push(f);
      furthest.set(f.category, Math.max(furthest.get(f.category) ?? 0, f.end));
    }
  }
  // Neighbours of one category joined only by 、/和/或者/并… are one passage (查封、扣押).
  const merged: Flag[] = [];
  const lastOf = new Map<FlagCategory, Flag>();
  for (const f of kept) {
    const prev = lastOf.get(f.category);
    if (prev && prev.clauseIndex === f.clauseIndex && prev.end <= f.start && JOINER.test(text.slice(prev.end, f.start))) {
      prev.end = Math.max(prev.end, f.end);
      prev.excerpt = text.slice(prev.start, prev.end);
      prev.trigger = `${prev.trigger}、${f.trigger}`;
    } else {
      const copy = { ...f };
      merged.push(copy);
      lastOf.set(f.category, copy);
    }
  }
  return merged;
}
