/**
 * Supervision in real Chromium at a phone's width (390 px): the office drafts the annual
 * catalogue, is refused publication until it records the Party committee's consent, then
 * publishes it; a supervisor urges a unit from the decision page and the unit answers there.
 */
import { snap } from '../support/browser';
import { today } from '../support/records';
import { browserSuite } from '../support/workspace-page';

const suite = browserSuite('e2e-supervision');

/** Nothing is wider than the screen: the page does not scroll sideways. */
const fitsWidth = () => suite.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('the office drafts the catalogue, is refused publication until the consent is recorded, and publishes it (390 px)', async () => {
  const { page, signIn, visit } = suite;
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn('office');
  await visit('/catalogues');
  const year = String(Number(today().slice(0, 4)) + 2);
  await page.fill('.create-catalogue input[type="number"]', year);
  await page.click('.create-catalogue button[type="submit"]');
  await page.waitForSelector('.draft-editor');
  await page.click('.add-item');
  const item = page.locator('.catalogue-item-edit').last();
  await item.locator('[name="title"]').fill('银川市城市更新专项规划');
  await item.locator('[name="draftingUnit"]').fill('银川市住房和城乡建设局');
  await item.locator('[name="quarter"]').selectOption('3');
  await item.locator('[name="basis"]').fill('《银川市国土空间总体规划》');
  await page.click('.save-draft');
  await page.waitForSelector('.catalogue-item-edit[data-item$="-01"]');
  await page.click('.publish');
  await page.waitForSelector('.form-errors .field-error');
  expect(await page.textContent('.form-errors')).toContain('经同级党委同意后向社会公布');
  await page.fill('.consent [name="committee"]', '中共银川市委');
  await page.fill('.consent [name="documentRef"]', '银党办函〔2026〕12号');
  await page.click('.record-consent');
  await page.waitForSelector('text=已记录党委对当前内容的同意');
  await page.click('.publish');
  await page.waitForSelector('.published .catalogue-items');
  expect(await page.textContent('.published h2')).toContain('已公布：第1版');
  expect(await page.textContent('.catalogue-items')).toContain('银川市城市更新专项规划');
  expect(await fitsWidth()).toBe(true);
  await snap(page, 'catalogue-390');
  // The public page, without signing in.
  await page.context().clearCookies();
  await page.goto(`${suite.h.baseUrl}/catalogues/yinchuan-${year}`);
  expect(await page.textContent('h1')).toBe(`银川市人民政府${year}年度重大行政决策事项目录`);
  expect(await fitsWidth()).toBe(true);
  await snap(page, 'catalogue-public-390');
});

test('a supervisor urges the drafting unit from the decision page, and the unit answers there (390 px)', async () => {
  const { page, signIn, open, create } = suite;
  await page.setViewportSize({ width: 390, height: 844 });
  const id = await create();
  await signIn('supervisor');
  await open(id);
  await page.click('.send-urging summary');
  await page.selectOption('.send-urging select[name="kind"]', 'irregular');
  await page.fill('.send-urging textarea >> nth=0', '决策启动后超过两个月未拟订草案');
  await page.fill('.send-urging textarea >> nth=1', '说明延迟原因并报送草案拟订计划');
  await page.click('.send-urging button[type="submit"]');
  await page.waitForSelector('.urging-open');
  expect(await page.textContent('.urging-open')).toContain('银川市住房和城乡建设局');

  await signIn('zjj');
  await open(id);
  await page.fill('.answer-urging textarea', '已制定草案拟订计划，将于本月底前提交草案。');
  await page.click('.answer-urging button[type="submit"]');
  await page.waitForSelector('.urging-answered');
  expect(await page.textContent('.urging-answered .answer')).toContain('已制定草案拟订计划');
  // The section fits the screen (the diagram's own overlays are the diagram's business).
  expect(await page.evaluate(() => [...document.querySelectorAll('#supervision, #supervision *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName))).toEqual([]);
  await page.locator('#supervision').scrollIntoViewIfNeeded();
  await snap(page, 'urging-390');
});
