/**
 * The workspace for daily work, in real Chromium at a desk's 1440×900 and a phone's 390×844 (with
 * touch): my work and its counts, the diagram read at a glance (fitted, zoom, full screen, states
 * by icon, locks by keyboard), moving on after a step, live updates by server-sent events and the
 * fallback when they fail, a page fault told apart from a lost connection — and axe-core on every
 * page, with no serious or critical violation.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { axeProblems } from '../support/axe';
import { snap } from '../support/browser';
import type { Harness } from '../support/harness';
import { sample } from '../support/records';
import { browserSuite } from '../support/workspace-page';
import { eventually } from '../support/eventually';

const suite = browserSuite('e2e-any-screen');
const { create, signIn, visit, open, markerOf } = suite;
let h: Harness;
let page: Page;
beforeAll(() => void (h = suite.h));
beforeEach(() => void (page = suite.page));

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  if (r.status !== 200) throw new Error(`${action} ${step}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** No serious or critical accessibility problem on the page as it is now. */
async function accessible(p: Page = page) {
  expect(await axeProblems(p)).toEqual([]);
}

/** A phone: a touch screen, a narrow viewport, signed in as `username`; its page errors are collected. */
async function phone(username: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await page.context().browser()!.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const { cookie } = await h.login(username);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: h.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
  await context.addInitScript(() => location.protocol.startsWith('http') && localStorage.setItem('juece.lang', 'zh'));
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  return { context, page: p, errors };
}

const transform = (p: Page) => p.getAttribute('.canvas svg g.viewport', 'transform');
const zoomOf = async (p: Page) => Number(/matrix\(\s*([-\d.e]+)/.exec((await transform(p)) ?? '')?.[1] ?? NaN);

test('at a desk: my work with counts in the header; the diagram fitted, zoomed and full screen; states by icon; every missing prerequisite by keyboard; axe on each page', async () => {
  await page.setViewportSize(DESK);
  const id = await create({}, '银川市城市道路停车收费管理办法');
  await signIn('office');
  await visit('/work');
  await page.waitForSelector('main[data-ready="true"]');
  // 待办: the initiation is the office's (Art. 10), with the count in the header.
  const row = page.locator(`.work-list li[data-id="${id}"]`);
  await row.waitFor();
  expect(await row.locator('.task-link').textContent()).toBe('办理「决策启动」');
  expect(Number(await page.locator('header .nav-todo .nav-count').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
  await accessible();
  await snap(page, 'desk-my-work');

  await row.locator('.task-link').click();
  await page.waitForSelector('main[data-ready="true"]');
  // Fitted: every step of the procedure is inside the box.
  const box = (await page.locator('.canvas').boundingBox())!;
  for (const step of ['initiation', 'archive', 'post_evaluation']) {
    const b = (await page.locator(`g.djs-element[data-element-id="${step}"]`).boundingBox())!;
    expect(b.x >= box.x && b.x + b.width <= box.x + box.width && b.y >= box.y && b.y + b.height <= box.y + box.height).toBe(true);
  }
  // Each state wears an icon as well as a colour; the legend tells 经认定不适用 from 无需办理.
  expect(await page.locator('.djs-overlay .juece-badge-icon-enabled[data-step="initiation"] svg').count()).toBe(1);
  expect(await page.locator('.djs-overlay .juece-badge-icon-completed[data-step="start"], .djs-overlay [data-step="start"]').count()).toBeGreaterThanOrEqual(0);
  expect(await page.locator('.legend-item .juece-icon').count()).toBe(8);
  expect(await page.locator('.legend-note').textContent()).toContain('无需办理：流程没有走到该环节');
  // Zoom in and out, fit, full screen and back.
  const fitted = await zoomOf(page);
  await page.click('.diagram-control[data-control="zoomIn"]');
  expect(await zoomOf(page)).toBeCloseTo(fitted * 1.25, 2);
  await page.click('.diagram-control[data-control="zoomOut"]');
  await page.click('.diagram-control[data-control="zoomOut"]');
  expect(await zoomOf(page)).toBeLessThan(fitted);
  await page.click('.diagram-control[data-control="fit"]');
  expect(await zoomOf(page)).toBeCloseTo(fitted, 2);
  await page.click('.diagram-control[data-control="fullScreen"]');
  const full = (await page.locator('.diagram').boundingBox())!;
  expect(full.width).toBe(DESK.width);
  expect(full.height).toBe(DESK.height);
  expect(await zoomOf(page)).toBeGreaterThan(fitted);
  await snap(page, 'desk-diagram-full-screen');
  await page.keyboard.press('Escape');
  expect((await page.locator('.diagram').boundingBox())!.width).toBeLessThan(DESK.width);

  // A lock is a button: reached by Tab, its name gives every reason; pressed, the panel lists every missing step.
  const lock = page.locator('button.juece-lock[data-step="collective_decision"]');
  expect(await lock.getAttribute('aria-label')).toContain('决策草案未经合法性审查，不得提交决策机关讨论');
  for (let i = 0; i < 80 && !(await lock.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  expect(await lock.evaluate((b) => b === document.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  const panel = page.locator('.side-panel');
  await panel.locator('h2', { hasText: '集体讨论决定' }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.classList.contains('step-title'))).toBe(true);
  const missing = await panel.locator('.lock-reasons .missing-steps li').evaluateAll((li) => li.map((l) => l.getAttribute('data-step')));
  expect(missing).toEqual(expect.arrayContaining(['initiation', 'drafting', 'legality_review']));
  await panel.locator('.missing-steps button', { hasText: '决策启动' }).click();
  await panel.locator('h2', { hasText: '决策启动' }).waitFor();
  await accessible();

  // Acting: only what the office may do is offered; after completing, the panel says whom it waits for.
  await page.click('.side-panel button[data-action="start"]');
  await page.locator('.side-panel button[data-action="complete"]').waitFor();
  await page.click('.side-panel button[data-action="complete"]');
  const form = page.locator('.side-panel .actions form.record-form');
  await form.waitFor();
  await accessible();
  await snap(page, 'desk-initiation-form');
  await page.click('.side-panel button.cancel');
  await act(id, 'initiation', 'complete', sample.initiation());
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="drafting"]')?.classList.contains('juece-enabled'), undefined, { timeout: 15_000 });
  expect(await markerOf('initiation')).toContain('juece-completed');
  // Someone else's act came in live: by the stream, not by polling.
  expect(await page.evaluate(() => document.documentElement.dataset.live)).toBe('stream');

  // The drafting is the department's: the office is told who does it, and sees no button.
  await page.click('.outline li[data-step="drafting"] button');
  expect(await page.locator('.side-panel button[data-action]').count()).toBe(0);
  expect(await page.locator('.side-panel .who-acts strong').textContent()).toBe('由银川市住房和城乡建设局办理');

  // The department's 待办 now holds the drafting, live in its header.
  await signIn('zjj');
  await visit('/work?tab=todo');
  await page.locator(`.work-list li[data-id="${id}"] .task-link`, { hasText: '办理「拟订决策草案」' }).waitFor();
  await visit('/work?tab=started');
  await page.locator(`.work-list li[data-id="${id}"] .next`, { hasText: '轮到您办理「拟订决策草案」' }).waitFor();
  await accessible();
});

test('after completing a step the panel moves to what opened for the reader, or says whom the decision waits for', async () => {
  await page.setViewportSize(DESK);
  const id = await create();
  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '方案（草案）', content: '第一条 为改善人居环境，制定本方案。' }, 'zjj')).status).toBe(201);
  await act(id, 'drafting', 'start');
  await signIn('zjj');
  await open(id, '?step=drafting');
  await page.click('.side-panel button[data-action="complete"]');
  const form = page.locator('.side-panel .actions form.record-form');
  await form.locator('[name="lawInventory.0"]').fill('《城乡规划法》');
  await form.locator('[name="costBenefit"]').fill('投入12亿元，惠及3.2万户。');
  await form.locator('button[type="submit"]').click();
  // Public participation opened for the department: the panel is there now, and says so.
  await page.locator('.side-panel h2', { hasText: '公众参与' }).waitFor();
  expect(await page.locator('.side-panel .next-notice').textContent()).toBe('「拟订决策草案」已完成。接下来请办理「公众参与」。');
  expect(await page.evaluate(() => document.activeElement?.classList.contains('step-title'))).toBe(true);

  // The office after completing nothing of its own: the legality review waits for the review body.
  await act(id, 'public_participation', 'start');
  await act(id, 'public_participation', 'complete', sample['public-participation']());
  await signIn('office');
  await open(id, '?step=legality_review');
  expect(await page.locator('.side-panel .who-acts strong').textContent()).toBe('由合法性审查机构办理');
});

test('on a phone: the header, the list as cards, the decision with the panel as a sheet, touch pan and pinch, my work, the desk, notifications and forms; axe on each', async () => {
  const id = await create({ technical: true }, '银川市老旧小区改造三年行动计划(2027—2029年)');
  const { context, page: p, errors } = await phone('zjj');
  try {
    await p.goto(`${h.baseUrl}/#/`);
    await p.locator('table.decisions tr[data-id]').first().waitFor();
    // The header keeps words whole: no line of it is a single character wide.
    const widths = await p.locator('header.top a, header.top button, header.top .user-name').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent).map((e) => (e as HTMLElement).getBoundingClientRect().height));
    expect(Math.max(...widths)).toBeLessThan(48);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await accessible(p);
    await snap(p, 'phone-list');

    await p.goto(`${h.baseUrl}/#/decisions/${id}`);
    await p.waitForSelector('main[data-ready="true"]');
    expect(await p.locator('main .error').count()).toBe(0);
    expect(Number.isFinite(await zoomOf(p))).toBe(true);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // The panel is a sheet: folded to its title bar, opened by a tap on a step.
    const sheet = p.locator('.side-panel');
    expect((await sheet.boundingBox())!.height).toBeLessThan(80);
    await p.locator('.outline li[data-step="initiation"] button').tap();
    await p.waitForFunction(() => document.querySelector('.side-panel')?.classList.contains('open'));
    // It opens with a 0.2 s transition of its height: measured once that has run (on a loaded
    // machine a measurement straight after the class changed once read 189 px).
    const open = await eventually(async () => (await sheet.boundingBox())!, (b) => b.height > 200, 3_000);
    expect(open.width).toBe(PHONE.width);
    await accessible(p);
    await snap(p, 'phone-decision-sheet');
    await p.locator('.side-panel .sheet-toggle').tap();
    await p.waitForFunction(() => !document.querySelector('.side-panel')?.classList.contains('open'));

    // One finger pans the diagram, two pinch it.
    await p.locator('.canvas').scrollIntoViewIfNeeded();
    const canvas = (await p.locator('.canvas').boundingBox())!;
    const cdp = await context.newCDPSession(p);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: [number, number][]) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], i) => ({ x: canvas.x + x, y: canvas.y + y, id: i })) });
    const before = await transform(p);
    await touch('touchStart', [[200, 150]]);
    for (let i = 1; i <= 5; i++) await touch('touchMove', [[200 - i * 20, 150 - i * 5]]);
    await touch('touchEnd', []);
    const panned = await transform(p);
    expect(panned).not.toBe(before);
    const z0 = await zoomOf(p);
    await touch('touchStart', [[150, 150], [230, 150]]);
    for (let i = 1; i <= 5; i++) await touch('touchMove', [[150 - i * 15, 150], [230 + i * 15, 150]]);
    await touch('touchEnd', []);
    expect(await zoomOf(p)).toBeGreaterThan(z0 * 1.3);

    // My work, the notifications, the new-decision form.
    await p.goto(`${h.baseUrl}/#/work?tab=started`);
    await p.locator(`.work-list li[data-id="${id}"]`).waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await accessible(p);
    await p.locator('header .bell').tap();
    await p.locator('.notifications .notifications-head').waitFor();
    // Read in the page: the list is redrawn when its items arrive.
    const bell = await p.locator('.notifications').evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
    expect(bell.x).toBeGreaterThanOrEqual(0);
    expect(bell.x + bell.width).toBeLessThanOrEqual(PHONE.width);
    await accessible(p);
    await p.locator('header .bell').tap();
    await p.goto(`${h.baseUrl}/#/`);
    await p.locator('.new-decision-button').tap();
    await p.locator('dialog.new-decision').waitFor();
    expect((await p.locator('dialog.new-decision').boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    await accessible(p);
    await snap(p, 'phone-new-decision');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }

  // The review body's desk on a phone.
  const reviewer = await phone('sfj');
  try {
    await reviewer.page.goto(`${h.baseUrl}/#/desk`);
    await reviewer.page.locator('h1').waitFor();
    expect(await reviewer.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await accessible(reviewer.page);
  } finally {
    await reviewer.context.close();
  }
}, 300_000);

test('a fault of the page itself is shown as such, a lost connection as a lost connection', async () => {
  const id = await create();
  await signIn('zjj');
  // A definition the diagram cannot read: the page's own code fails, and says so with the message.
  await page.route('**/definition.xml', (r) => r.fulfill({ status: 200, contentType: 'application/xml', body: '<definitions' }));
  await visit(`/decisions/${id}`);
  const fault = page.locator('main .error');
  await fault.waitFor();
  expect(await fault.getAttribute('data-kind')).toBe('client');
  expect(await fault.locator('h2').textContent()).toBe('页面程序出错');
  expect(await fault.textContent()).not.toContain('无法连接服务器');
  await page.unroute('**/definition.xml');
  // No answer at all: that is a lost connection.
  await page.route('**/api/decisions/*', (r) => r.abort('connectionrefused'));
  await visit(`/decisions/${id}`);
  await fault.waitFor();
  expect(await fault.getAttribute('data-kind')).toBe('network');
  expect(await fault.locator('h2').textContent()).toBe('无法连接服务器');
});

test('when the event stream fails the page falls back to a slow poll and still hears of changes', async () => {
  const id = await create();
  await signIn('zjj');
  await page.route('**/events', (r) => r.fulfill({ status: 502, body: 'bad gateway' }));
  await open(id);
  await page.waitForFunction(() => document.documentElement.dataset.live === 'polling');
  await act(id, 'initiation', 'start');
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="initiation"]')?.classList.contains('juece-active'), undefined, { timeout: 25_000 });
});
