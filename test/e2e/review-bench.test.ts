/**
 * The reviewer's bench in real Chromium (Decree 713 Arts. 25–28): the legality review opens wide
 * — the changes since the last review with unchanged text folded, or the whole draft with the
 * scanner's flags in the margin naming the draft's articles, one per article and kind — beside
 * the adviser's opinion form; a passage selected across line ends is quoted exactly, into the
 * opinion and into a comment the server accepts.
 */
import type { Page } from 'playwright-core';
import { axeProblems } from '../support/axe';
import { snap } from '../support/browser';
import type { Harness } from '../support/harness';
import { sample } from '../support/records';
import { browserSuite } from '../support/workspace-page';

const suite = browserSuite('e2e-bench');
let h: Harness;
let page: Page;
beforeAll(() => void (h = suite.h));
beforeEach(() => void (page = suite.page));

const ARTICLES = ['为规范本市民宿经营，制定本办法。', '开办民宿的，应当取得市文化旅游局核发的民宿经营许可证。', '申请人应当在取得营业执照之日起三十日内提交申请材料。', '民宿经营者应当建立住宿登记制度。'];
const NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
const filler = (n: number) => `第${NUMBERS[n]}条 民宿经营者应当遵守第${NUMBERS[n]}项管理规定。`;
const V1 = ['银川市民宿经营管理办法（草案）', ...ARTICLES.map((a, i) => `第${NUMBERS[i]}条 ${a}`), ...[4, 5, 6, 7, 8, 9, 10].map(filler), '第十二条 本办法自发布之日起施行。'].join('\n');
/** The revision: 30 → 15 days, and a new penalty clause in 第四条 with two fines in two sentences and two in one. */
const V2 = V1.replace('三十日', '十五日').replace('第四条 民宿经营者应当建立住宿登记制度。', '第四条 违反第二条规定的，由市文化旅游局处五千元罚款；情节严重的，处一万元罚款，并处没收违法所得、罚款。');

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  if (r.status !== 200) throw new Error(`${action} ${step}: ${r.status} ${JSON.stringify(r.body)}`);
}

async function secondReview(): Promise<string> {
  const id = await suite.create({}, '银川市民宿经营管理办法');
  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  await act(id, 'drafting', 'start');
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '办法（送审稿）', content: V1 }, 'zjj')).status).toBe(201);
  await act(id, 'drafting', 'complete', sample.drafting());
  await act(id, 'public_participation', 'start');
  await act(id, 'public_participation', 'complete', sample['public-participation']());
  await act(id, 'legality_review', 'start');
  const opinion = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '第四条应删除。' }, 'lawyer');
  await act(id, 'legality_review', 'complete', sample['legality-review']('lawful-with-changes', [opinion.body.id]));
  await act(id, 'revise_for_legality', 'start');
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '办法（修改稿）', content: V2 }, 'zjj')).status).toBe(201);
  await act(id, 'revise_for_legality', 'complete', sample.revision());
  return id;
}

/** Drag the mouse from the middle of one line of `lines` to the middle of another. */
async function dragAcross(lines: ReturnType<Page['locator']>, from: number, to: number) {
  const a = (await lines.nth(from).boundingBox())!;
  const b = (await lines.nth(to).boundingBox())!;
  await page.mouse.move(a.x + a.width * 0.4, a.y + 8);
  await page.mouse.down();
  await page.mouse.move(b.x + 40, b.y + 8, { steps: 8 });
  await page.mouse.up();
}

test('Arts. 25–28: the adviser reviews the revision on the bench — changes folded, flags by article, a passage quoted across lines', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const id = await secondReview();
  await suite.signIn('lawyer');
  await suite.open(id, '?step=legality_review&focus=opinion');
  const bench = page.locator('.review-bench');
  await bench.locator('.diff').waitFor();

  // Wide: the draft beside the opinion form.
  const left = (await bench.boundingBox())!;
  const form = page.locator('.side-col form.opinion-form');
  const right = (await form.boundingBox())!;
  expect(left.width).toBeGreaterThan(700);
  expect(right.x).toBeGreaterThan(left.x + left.width);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('opinion');

  // The changes since v1, the unchanged articles between them folded.
  expect(await bench.locator('.diff-head').textContent()).toContain('自上次审查（第1稿）以来的修改 → 第2稿');
  const fold = bench.locator('details.fold').first();
  expect(await fold.locator('summary').textContent()).toMatch(/^未修改的\d+行（展开）$/);
  expect(await fold.locator('.folded-text').isVisible()).toBe(false);
  expect(await bench.locator('.diff del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('三十')]));
  await fold.locator('summary').click();
  expect(await fold.locator('.folded-text').isVisible()).toBe(true);
  await snap(page, 'bench-changes');

  // The whole draft, the flags in the margin: by the draft's article, one per article and kind.
  await bench.locator('.bench-tabs button[data-view="text"]').click();
  const notes = await bench.locator('.margin-note').evaluateAll((els) => els.map((e) => [e.getAttribute('data-article'), e.getAttribute('data-category')]));
  expect(notes).toEqual([
    ['第二条', 'licensing'],
    ['第四条', 'penalty'],
  ]);
  expect(await bench.locator('.margin-note[data-category="penalty"]').textContent()).toMatch(/第四条 · 疑似设定行政处罚（[2-9]处）/);
  expect(await bench.locator('.draft-line.flagged mark').count()).toBeGreaterThanOrEqual(3);
  expect(await axeProblems(page)).toEqual([]);
  await snap(page, 'bench-flags');

  // A passage from 第三条 into 第四条, dragged across the line end, quoted exactly into the opinion.
  const lines = bench.locator('.line-text');
  await dragAcross(lines, 3, 4);
  await page.click('.quote-selection');
  const opinion = await form.locator('textarea[name="opinion"]').inputValue();
  const quoted = /^「([\s\S]+)」$/.exec(opinion)?.[1];
  expect(quoted).toContain('\n第四条');
  expect(V2).toContain(quoted);
  await form.locator('textarea[name="opinion"]').fill(`${opinion}：处罚须有法律、法规或者规章依据。`);
  await form.locator('[name="legalBases.0"]').fill('《中华人民共和国行政处罚法》第十四条');
  await form.locator('button[type="submit"]').click();
  await page.locator('.opinions .opinion', { hasText: '处罚须有法律、法规或者规章依据' }).waitFor();
});

test('a comment quotes a passage selected across line ends, and the server finds it in the draft', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const id = await secondReview();
  await suite.signIn('lawyer');
  await suite.open(id);
  const thread = page.locator('.comment-thread[data-version="2"]');
  await thread.locator('details.draft-full summary').click();
  const full = thread.locator('.draft-text');
  await full.filter({ hasText: '第四条' }).waitFor();
  const box = (await full.boundingBox())!;
  // From inside the first line to the third: two line ends inside the selection.
  await page.mouse.move(box.x + 60, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + 70, { steps: 8 });
  await page.mouse.up();
  const quote = await thread.locator('textarea[name="quote"]').inputValue();
  expect(quote.split('\n').length).toBeGreaterThanOrEqual(2);
  expect(V2).toContain(quote);
  await thread.locator('textarea[name="text"]').fill('这几条的表述请再斟酌。');
  await thread.locator('.comment-form button[type="submit"]').click();
  const comment = thread.locator('.comment blockquote');
  await comment.waitFor();
  expect(await comment.textContent()).toBe(quote);
});
