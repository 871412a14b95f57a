/** The reviewer's bench names each flag by the draft's own article and shows one per category and clause. */
import { annotateFlags, articleAt, articleHeadings } from '../../server/review/articles';
import { scanClauses } from '../../server/review/scanner';

const DRAFT = [
  '银川市民宿经营管理办法（草案）',
  '第一条 为规范本市民宿经营，制定本办法。',
  '第二条 开办民宿的，应当取得民宿经营许可证。',
  '第三条 违反本办法的，处一千元以下罚款；',
  '情节严重的，处五千元罚款。',
  '　第十二条 民宿经营者应当缴纳卫生保证金三千元，并缴纳押金五百元。',
].join('\n');

test('headings are read where a line starts with 第…条, full-width indent allowed; not where an article is cited', () => {
  const text = `${DRAFT}\n第十三条 依照本办法第二条规定办理。`;
  expect(articleHeadings(text).map((h) => h.label)).toEqual(['第一条', '第二条', '第三条', '第十二条', '第十三条']);
});

test('an offset belongs to the last heading at or before it; the title before any article to none', () => {
  const headings = articleHeadings(DRAFT);
  expect(articleAt(headings, 0)).toBeNull();
  expect(articleAt(headings, DRAFT.indexOf('罚款；'))).toBe('第三条');
  // A continuation line stays in its article.
  expect(articleAt(headings, DRAFT.indexOf('五千元罚款'))).toBe('第三条');
  expect(articleAt(headings, DRAFT.length - 1)).toBe('第十二条');
});

test('each flag names its article; two hits of one category in one clause are one flag that counts both', () => {
  const flags = annotateFlags(DRAFT, scanClauses(DRAFT));
  expect(flags.map((f) => [f.category, f.article])).toEqual([
    ['licensing', '第二条'],
    ['penalty', '第三条'],
    ['penalty', '第三条'],
    ['fee', '第十二条'],
  ]);
  const fee = flags.find((f) => f.category === 'fee')!;
  expect(fee.hits).toBeGreaterThanOrEqual(1);
  for (const f of flags) expect(DRAFT.slice(f.start, f.end)).toBe(f.excerpt);
  // Deduplication never merges across clauses: 第三条's two sentences keep two flags.
  expect(new Set(flags.map((f) => `${f.category}:${f.clauseIndex}`)).size).toBe(flags.length);
});
