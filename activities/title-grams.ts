/**
 * The title search's index: each decision carries the characters, pairs and triples of adjacent
 * characters of its title (`titleGrams`), and a search asks first for one gram of what was typed — an
 * equality FerretDB runs in SQL through its GIN twin (server/ferretdb-gin.sql), MongoDB through a
 * multikey index — before the exact "title contains" test runs on what that gram found.
 *
 * FerretDB 1.24 runs a regular expression in its own code over every row the rest of the filter
 * matched, so a title search without the gram read every decision in reach: 30 s at 100,000. With
 * it a search reads the decisions whose titles hold that gram, and the exact test keeps the answer
 * what it was. Grams are taken over runs of letters and digits only, the same way for titles and
 * for what is typed, so every title containing the typed text holds every gram of it.
 */

/** Runs of letters and digits (by code point), what the grams are taken over. */
const runs = (text: string): string[][] => (text.match(/[\p{L}\p{N}]+/gu) ?? []).map((r) => Array.from(r));

/** The longest gram: a triple of characters is rare enough to narrow a search to a few hundred of 100,000. */
const LONGEST = 3;

/** The grams of `n` adjacent characters of each run, with where in the run each starts. */
const gramsOf = (all: string[][], n: number) => all.flatMap((run) => run.slice(0, Math.max(run.length - n + 1, 0)).map((_, i) => ({ gram: run.slice(i, i + n).join(''), at: i })));

/** Every single character, pair and triple of adjacent characters of a title's runs, once each. */
export function titleGrams(title: string): string[] {
  const all = runs(title);
  const grams = new Set<string>();
  for (let n = 1; n <= LONGEST; n++) for (const g of gramsOf(all, n)) grams.add(g.gram);
  return [...grams];
}

/**
 * Characters that most titles of a government's decisions share (place names, the issuing body,
 * the kind of document): a gram made of them narrows a search least.
 */
const COMMON = new Set(Array.from('宁夏回族自治区银川石嘴山吴忠固原中卫市县人民政府关于的和与及年度工作管理办法实施方案计划规划意见通知规定条例暂行若干措施建设发展推进加强进一步全面城乡公共服务项目标准三五行动'));

/**
 * The one gram of what was typed that the search asks the index for: the longest there is (each
 * character more narrows the search many times over), the one with fewest common characters, and
 * among those the one nearest the middle (titles start with the place and end with the kind of
 * document). null when nothing typed is a letter or digit: the search then reads everything in reach.
 */
export function searchGram(q: string): string | null {
  const all = runs(q);
  const longest = Math.min(LONGEST, Math.max(0, ...all.map((r) => r.length)));
  if (!longest) return null;
  const candidates = gramsOf(all, longest);
  const middle = (Array.from(q).length - 1) / 2;
  const common = (g: string) => Array.from(g).filter((c) => COMMON.has(c)).length;
  return candidates.reduce((best, c) => (common(c.gram) < common(best.gram) || (common(c.gram) === common(best.gram) && Math.abs(c.at - middle) < Math.abs(best.at - middle)) ? c : best)).gram;
}
