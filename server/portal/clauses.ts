/**
 * The articles of a draft (第X条), as a Chinese normative text numbers them: the portal lets a
 * submitter say which article an opinion addresses, and the drafting unit sees the opinions
 * grouped by it. Pure: the portal's page uses it too.
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九百九十九 (and Arabic digits) as a number; null for anything else. */
export function chineseNumber(s: string): number | null {
  if (/^\d{1,3}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十百]{1,8}$/.test(s)) return null;
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = DIGITS[ch];
  }
  total += digit;
  return total > 0 && total < 1000 ? total : null;
}

const UNITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 … 999 in Chinese numerals as articles are numbered (十一, 二十, 一百零五). */
export function chineseNumeral(n: number): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let s = h ? `${UNITS[h]}百` : '';
  if (t) s += `${h || t > 1 ? UNITS[t] : ''}十`;
  else if (h && u) s += '零';
  return s + UNITS[u];
}

/** "第五条", or the draft as a whole. */
export function clauseLabel(clause: number | null): { zh: string; en: string } {
  return clause === null ? { zh: '总体意见', en: 'The draft as a whole' } : { zh: `第${chineseNumeral(clause)}条`, en: `Article ${clause}` };
}

/** One article of a draft: its number and its text (the heading line and what follows until the next). */
export interface Clause {
  n: number;
  label: string;
  text: string;
}

const HEADING = /^\s*第([零〇一二两三四五六七八九十百\d]{1,8})条/;

/** Split a draft into its articles; text before the first article (title, preamble) is left out. */
export function clausesOf(content: string): Clause[] {
  const out: Clause[] = [];
  for (const line of content.split(/\r?\n/)) {
    const m = HEADING.exec(line);
    const n = m ? chineseNumber(m[1]) : null;
    if (n !== null && !out.some((c) => c.n === n)) out.push({ n, label: `第${m![1]}条`, text: line.trim() });
    else if (out.length && line.trim()) out[out.length - 1].text += `\n${line.trim()}`;
  }
  return out;
}

/** The article an opinion names in its text, when the submitter did not choose one (the first 第X条 it mentions). */
export function clauseMentioned(text: string): number | null {
  const m = /第([零〇一二两三四五六七八九十百\d]{1,8})条/.exec(text);
  return m ? chineseNumber(m[1]) : null;
}
