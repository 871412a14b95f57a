/**
 * The compliance dashboard in real Chromium: a supervisor opens it from the navigation, sees the
 * figures and the ECharts charts (no Content-Security-Policy violation: the suite fails on any),
 * follows a figure to the decisions behind it and on to a decision's page; the indicators with
 * their formulas; the same page at 390 px; an agency's secretariat sees its own agency only; the
 * security events filtered.
 */
import type { Page } from 'playwright-core';
import { ARTIFACTS, snap } from '../support/browser';
import { bulkLoad, generateDecision, rng } from '../support/compliance-data';
import { eventually } from '../support/eventually';
import type { Harness } from '../support/harness';
import { today } from '../support/records';
import { browserSuite } from '../support/workspace-page';

const suite = browserSuite('dashboard');
let h: Harness;
let page: Page;
let skipped: string;
const YEAR = today().slice(0, 4);

beforeAll(async () => {
  h = suite.h;
  // A decision whose legality review was attempted before anything else: a statutory refusal.
  skipped = await suite.create({}, '银川市城市道路挖掘管理办法（看板测试）');
  expect((await h.api('POST', `/api/decisions/${skipped}/steps/legality_review/start`, {})).status).toBe(409);
  // Several agencies' years of decisions, so the charts have something to draw.
  const r = rng(5);
  const data = Array.from({ length: 300 }, (_, i) => generateDecision(i, r, { agencies: ['石嘴山市人民政府', '吴忠市人民政府', '固原市人民政府', '西夏区人民政府'], years: [Number(YEAR)], today: today(), prefix: 'E2E' }));
  await bulkLoad(h.deps.models, data);
  await eventually(
    async () => (await h.api('GET', `/api/supervision/dashboard?year=${YEAR}&agency=${encodeURIComponent('银川')}`, undefined, 'supervisor')).body,
    (d) => d.refusals.find((x: { class: string }) => x.class === 'statutory').decisions.n === 1,
  );
});
beforeEach(() => void (page = suite.page));

test('a supervisor reads the dashboard, follows a figure to its decisions and opens one', async () => {
  await suite.signIn('supervisor');
  await suite.visit('/');
  await page.click('header a.nav-supervision');
  await page.waitForSelector('main[data-ready="true"] .chart-kinds[data-ready="true"] canvas');
  expect(await page.locator('h1').textContent()).toBe('合规监督');
  expect(await page.locator('.chart-agencies canvas').count()).toBeGreaterThan(0);
  const rows = await page.locator('table.supervision-agencies tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agency')));
  expect(rows).toEqual(expect.arrayContaining(['银川市人民政府', '石嘴山市人民政府', '西夏区人民政府']));
  // The per-step table names the grounds of each finding of not applicable.
  expect(await page.locator('table.supervision-kinds tr[data-kind="expert-review"] ul.grounds').textContent()).toContain('决策事项专业性、技术性不强');
  await snap(page, 'dashboard');

  // Narrow to Yinchuan by part of its name, then open the skip attempts behind the figure.
  await page.fill('form.supervision-filter input[name=agency]', '银川');
  await page.click('form.supervision-filter button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('agency='));
  await page.waitForSelector('main[data-ready="true"] table.supervision-agencies tbody tr[data-agency="银川市人民政府"]');
  expect(await page.locator('table.supervision-agencies tbody tr').count()).toBe(1);
  await page.click('table.supervision-refusals tr[data-class="statutory"] a.fig');
  await page.waitForSelector(`table.drill tr[data-id="${skipped}"]`);
  expect(await page.locator('h1.drill-title').textContent()).toContain('违反法定程序');
  expect(await page.locator('.exports a.export-xlsx').getAttribute('href')).toContain('fact=ref%7Cstatutory');
  await snap(page, 'dashboard-drill');
  await page.click(`table.drill tr[data-id="${skipped}"] a`);
  await page.waitForSelector('main[data-ready="true"]');
  expect(await page.locator('h1').first().textContent()).toContain('银川市城市道路挖掘管理办法');
  // The refused attempt is there in the decision's own timeline.
  expect(await page.locator('.timeline .event.refused').count()).toBeGreaterThan(0);
});

test('the assessment indicators show each formula; the catalogue says whether it was published', async () => {
  await suite.signIn('supervisor');
  await suite.visit(`/supervision/indicators?year=${YEAR}&agency=${encodeURIComponent('石嘴山')}`);
  await page.waitForSelector('table.indicator-table tr[data-indicator="legality-review"]');
  const legality = page.locator('section.indicators[data-agency="石嘴山市人民政府"] tr[data-indicator="legality-review"]');
  expect(await legality.locator('td.formula').textContent()).toContain('经合法性审查后集体讨论通过的决策事项数');
  expect(await legality.locator('td.rate').textContent()).toMatch(/%$/);
  const catalogue = page.locator('section.indicators[data-agency="石嘴山市人民政府"] tr[data-indicator="catalogue-publication"]');
  expect(await catalogue.locator('td.rate').textContent()).toBe('未公布');
  expect(await catalogue.locator('.catalogue-standing.unpublished').textContent()).toContain('本年度目录尚未编制');
  // The denominator opens its decisions.
  await legality.locator('a.fig[data-fact="decided"]').click();
  await page.waitForSelector('table.drill tbody tr[data-id]');
  expect(await page.locator('h1.drill-title').textContent()).toContain('集体讨论通过');
  await snap(page, 'indicators');
});

test('at 390 px the dashboard fits the screen', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await suite.signIn('supervisor');
  await suite.visit(`/supervision?year=${YEAR}`);
  await page.waitForSelector('main[data-ready="true"] .chart-agencies[data-ready="true"] canvas');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  expect((await page.locator('.chart-agencies canvas').boundingBox())!.width).toBeLessThanOrEqual(390);
  // A wide table scrolls inside itself; its names are not squeezed to a character per line.
  const name = page.locator('table.supervision-agencies tbody tr[data-agency="银川市人民政府"] td').first();
  expect((await name.boundingBox())!.width).toBeGreaterThanOrEqual(100);
  const head = page.locator('table.supervision-agencies thead th').nth(1);
  expect((await head.boundingBox())!.height).toBeLessThan(40);
  await snap(page, 'dashboard-390');
  await page.locator('table.supervision-agencies').screenshot({ path: `${ARTIFACTS}/dashboard-390-agencies.png` });
  await page.locator('table.supervision-kinds').screenshot({ path: `${ARTIFACTS}/dashboard-390-kinds.png` });
});

test("an agency's secretariat sees its own agency only; a department has no dashboard", async () => {
  await suite.signIn('office');
  await suite.visit('/');
  await page.click('header a.nav-supervision');
  await page.waitForSelector('main[data-ready="true"] table.supervision-agencies');
  expect(await page.locator('table.supervision-agencies tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agency')))).toEqual(['银川市人民政府']);
  await suite.signIn('zjj');
  await suite.visit('/');
  await page.waitForSelector('table.decisions');
  expect(await page.locator('header a.nav-supervision').count()).toBe(0);
});

test('the security events filtered by kind, with exports of the same filter', async () => {
  await suite.signIn('supervisor');
  await suite.visit('/security');
  await page.waitForSelector('table.security-events tbody tr');
  await page.selectOption('form.security-filter select[name=kind]', 'login');
  await page.click('form.security-filter button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('kind=login'));
  await page.waitForSelector('table.security-events tbody tr[data-kind="login"]');
  const kinds = await page.locator('table.security-events tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
  expect(new Set(kinds)).toEqual(new Set(['login']));
  expect(await page.locator('.exports a.export-csv').getAttribute('href')).toContain('kind=login');
});

test('in English: the dashboard, its charts, and a figure opening its decisions', async () => {
  await suite.signIn('supervisor');
  await suite.visit(`/supervision?year=${YEAR}&agency=${encodeURIComponent('银川')}`);
  await page.waitForSelector('main[data-ready="true"] table.supervision-agencies');
  await page.click('button[data-lang="en"]');
  try {
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Compliance');
    await page.waitForSelector('main[data-ready="true"] .chart-kinds[data-ready="true"] canvas');
    expect(await page.locator('table.supervision-kinds thead').textContent()).toContain('Found not applicable');
    expect(await page.locator('table.supervision-refusals tr[data-class="statutory"] td').first().textContent()).toContain('Statutory');
    await page.click('table.supervision-refusals tr[data-class="statutory"] td:last-child a.fig');
    await page.waitForSelector(`table.drill tr[data-id="${skipped}"]`);
    expect(await page.locator('h1.drill-title').textContent()).toBe('Decisions: Refused attempts: Statutory (skip, shortened period, back-dating)');
    await snap(page, 'dashboard-english');
  } finally {
    await page.click('button[data-lang="zh"]');
  }
});
