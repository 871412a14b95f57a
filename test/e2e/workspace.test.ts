/**
 * The decision workspace in real Chromium against the real stack: locked steps and their
 * reasons, acting through generated forms, markers changing, live updates, the timeline.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, snap } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { daysAgo, sample } from '../support/records';

let h: Harness;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  h = await startHarness('e2e');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript(() => {
    localStorage.setItem('juece.lang', 'zh');
    localStorage.setItem('juece.actor', '王科长');
  });
});
afterEach(async () => {
  await page.close();
  expect(pageErrors).toEqual([]);
});

async function create(facts: Record<string, boolean> = {}) {
  const r = await h.api('POST', '/api/decisions', { title: '西夏区农村人居环境整治提升实施方案', agency: '西夏区人民政府', draftingUnit: '西夏区农业农村局', category: 'public-policy', facts });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function open(id: string) {
  await page.goto(`${h.baseUrl}/#/decisions/${id}`);
  await page.waitForSelector('main[data-ready="true"]');
}

const markerOf = (id: string) => page.getAttribute(`g.djs-element[data-element-id="${id}"]`, 'class');

test('a new decision shows the collective decision locked, with the legal reasons and no action', async () => {
  const id = await create({ technical: true });
  await open(id);
  expect(await markerOf('collective_decision')).toContain('juece-locked');
  expect(await markerOf('initiation')).toContain('juece-enabled');
  expect(await markerOf('start')).toContain('juece-completed');
  const lock = page.locator('.juece-lock[data-step="collective_decision"]');
  await expect(lock.getAttribute('title')).resolves.toContain('决策草案未经合法性审查，不得提交决策机关讨论');

  await page.click('.outline li[data-step="collective_decision"] button');
  const panel = page.locator('.side-panel');
  await panel.locator('h2', { hasText: '集体讨论决定' }).waitFor();
  expect(await markerOf('collective_decision')).toContain('juece-selected');
  // Once scrolled into view, the diagram itself is clickable too.
  await page.click('g.djs-element[data-element-id="legality_review"]');
  await panel.locator('h2', { hasText: '合法性审查' }).waitFor();
  await page.click('g.djs-element[data-element-id="collective_decision"]');
  await panel.locator('h2', { hasText: '集体讨论决定' }).waitFor();
  const reasons = await panel.locator('.lock-reasons li').allTextContents();
  expect(reasons.join('\n')).toContain('《条例》第25条');
  expect(reasons.join('\n')).toContain('专家论证');
  expect(await panel.locator('button[data-action]').count()).toBe(0);
  expect(await panel.locator('.statute').textContent()).toContain('行政首长最后发表意见');
  expect(await page.locator('.bjs-powered-by').count()).toBe(1); // the bpmn.io watermark stays
  await snap(page, 'workspace-locked-collective-decision');
});

test('carrying a decision through steps in the UI changes the markers; server errors show beside the field', async () => {
  const id = await create();
  await open(id);
  await page.click('g.djs-element[data-element-id="initiation"]');
  await page.click('.side-panel button[data-action="start"]');
  await page.locator('.side-panel button[data-action="complete"]').waitFor();
  expect(await markerOf('initiation')).toContain('juece-active');

  await page.click('.side-panel button[data-action="complete"]');
  const form = page.locator('.side-panel .actions form.record-form');
  await form.locator('select[name="proposalSource"]').selectOption('department');
  await form.locator('[name="studyReport"]').fill('农业农村局研究论证：整治提升确有必要。');
  await form.locator('[name="startDecision.decidedBy"]').fill('区政府常务会议');
  await form.locator('[name="startDecision.decidedOn"]').fill(daysAgo(10));
  await form.locator('[name="draftingUnit"]').fill('   ');
  await form.locator('button[type="submit"]').click();
  await page.locator('.field-error[data-error-for="draftingUnit"]').waitFor();
  await snap(page, 'workspace-field-error');

  await form.locator('[name="draftingUnit"]').fill('西夏区农业农村局');
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="drafting"]')?.classList.contains('juece-enabled'));
  expect(await markerOf('initiation')).toContain('juece-completed');
  expect(await page.getAttribute('g.djs-element[data-element-id="flow_initiation_drafting"]', 'class')).toContain('juece-taken');

  // A draft version, then drafting completes and the parallel section opens.
  await page.click('g.djs-element[data-element-id="drafting"]');
  await page.click('.side-panel button[data-action="start"]');
  // Typing straight away: the in-flight start must not wipe the draft being written.
  const draft = page.locator('.draft-form form');
  await draft.locator('[name="title"]').fill('实施方案（草案）');
  await draft.locator('[name="content"]').fill('第一条 为改善农村人居环境……');
  await draft.locator('button[type="submit"]').click();
  await page.locator('.drafts li', { hasText: '第1稿' }).waitFor();
  await page.click('.side-panel button[data-action="complete"]');
  await page.locator('.side-panel .actions form.record-form [name="lawInventory.0"]').fill('《农村人居环境整治提升五年行动方案》');
  await page.locator('.side-panel .actions form.record-form button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="public_participation"]')?.classList.contains('juece-enabled'));
  expect(await markerOf('expert_review')).toContain('juece-bypassed');
  expect(await markerOf('collective_decision')).toContain('juece-locked');
  await snap(page, 'workspace-after-drafting');
});

test("someone else's action and a refused attempt appear live, in the markers and the timeline", async () => {
  const id = await create();
  await open(id);
  // Another official, elsewhere: one accepted action and one refused attempt.
  expect((await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {}, '李主任')).status).toBe(200);
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {}, '李主任')).status).toBe(409);
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="initiation"]')?.classList.contains('juece-active'), undefined, { timeout: 15_000 });
  const refused = page.locator('.timeline .event.refused');
  await refused.first().waitFor({ timeout: 15_000 });
  const text = await refused.first().textContent();
  expect(text).toContain('李主任');
  expect(text).toContain('合法性审查');
  expect(text).toContain('须先完成前置环节');
  await snap(page, 'workspace-live-refusal');
});

test('the workspace switches to English, statuses and reasons included', async () => {
  const id = await create();
  await open(id);
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('main[data-ready="true"]');
  await page.click('.outline li[data-step="collective_decision"] button');
  const panel = page.locator('.side-panel');
  await panel.locator('.lock-reasons li').first().waitFor();
  expect(await panel.locator('.step-meta').textContent()).toContain('Locked');
  expect((await panel.locator('.lock-reasons li').allTextContents()).join(' ')).toContain('may not be put to the decision body');
  expect(await page.locator('.legend').textContent()).toContain('Not applicable');
  await snap(page, 'workspace-english');
});

test('the list filters by status and counts decisions', async () => {
  const id = await create();
  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  await page.goto(`${h.baseUrl}/#/?step=drafting`);
  await page.locator(`tr[data-id="${id}"]`).waitFor({ timeout: 15_000 });
  expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('.counts .count').first().textContent()).toMatch(/\d+\s*全部/);
  await snap(page, 'list');
});

test("the legality review desk lists a decision awaiting review with its working-day due date", async () => {
  const id = await create();
  for (const [step, data] of [
    ['initiation', sample.initiation()],
    ['drafting', sample.drafting()],
    ['public_participation', sample['public-participation']()],
  ] as const) {
    expect((await h.api('POST', `/api/decisions/${id}/steps/${step}/start`, {})).status).toBe(200);
    if (step === 'drafting') await h.api('POST', `/api/decisions/${id}/drafts`, { title: '草案', content: '第一条 ……' });
    expect((await h.api('POST', `/api/decisions/${id}/steps/${step}/complete`, data)).status).toBe(200);
  }
  await page.goto(`${h.baseUrl}/#/desk`);
  const row = page.locator(`tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 15_000 });
  expect(await row.textContent()).toContain('剩余15个工作日');
  expect(await row.textContent()).toContain('待审查');
  await snap(page, 'desk');
  await row.locator('a').click();
  await page.waitForSelector('main[data-ready="true"]');
  expect(await markerOf('legality_review')).toContain('juece-enabled');
});

test("the legality reviewer sees what changed since the last review, and the passages that create fees or penalties", async () => {
  const id = await create();
  const ok = async (step: string, action: string, data: unknown = {}) => expect((await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data)).status).toBe(200);
  await ok('initiation', 'start');
  await ok('initiation', 'complete', sample.initiation());
  await ok('drafting', 'start');
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '办法（送审稿）', content: '第一条 为规范管理，制定本办法。\n第二条 申请人应当缴纳审查费二百元。\n第三条 公示期为三十日。' });
  await ok('drafting', 'complete', sample.drafting());
  await ok('public_participation', 'start');
  await ok('public_participation', 'complete', sample['public-participation']());
  await ok('legality_review', 'start', { submittedOn: daysAgo(30) });
  await ok('legality_review', 'complete', sample['legality-review']('lawful-with-changes'));
  await ok('revise_for_legality', 'start');
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '办法（修改稿）', content: '第一条 为规范管理，制定本办法。\n第二条 申请人应当缴纳审查费二百元。\n第三条 公示期为十五日。\n第四条 违反本办法的，处一千元以下罚款。' });
  await ok('revise_for_legality', 'complete', sample.revision());

  await open(id);
  await page.click('.outline li[data-step="legality_review"] button');
  const aids = page.locator('.side-panel .review-aids');
  await aids.waitFor();
  expect(await aids.locator('.flag').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')))).toEqual(['fee', 'penalty']);
  expect(await aids.textContent()).toContain('自上次审查（第1稿）以来的修改 → 第2稿');
  expect(await aids.locator('.diff ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('十五'), expect.stringContaining('罚款')]));
  await aids.locator('.flag a').first().click();
  expect(await aids.locator('mark.focus').textContent()).toContain('缴纳审查费');
  await snap(page, 'review-aids');
});
