/**
 * The public portal on a phone (390×844) in real Chromium against the real stack: a citizen
 * finds a consultation, reads the draft and the shortening reason, comments without signing in,
 * keeps the receipt, and later reads the drafting unit's answer by it. Markup typed into an
 * opinion shows as typed and runs nothing.
 */
import type { Page } from 'playwright-core';
import { snap } from '../support/browser';
import { daysAgo, sample } from '../support/records';
import { browserSuite } from '../support/workspace-page';

const suite = browserSuite('portal-e2e');
let page: Page;
beforeEach(async () => {
  // The portal's own page, at a phone's size.
  await suite.page.close();
  page = suite.page = await suite.page.context().browser()!.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});

const DRAFT = '银川市城市公园管理办法（征求意见稿）\n第一条 为加强城市公园管理，制定本办法。\n第三条 公园应当免费向公众开放。\n第十二条 在公园内遛狗应当拴绳。';

async function consultationOpen(): Promise<string> {
  const { p } = suite;
  const id = await p.create({}, '银川市城市公园管理办法');
  await p.perform(id, 'initiation', sample.initiation());
  await p.draft(id, DRAFT);
  await p.perform(id, 'drafting', sample.drafting());
  await p.act(id, 'public_participation', 'start');
  await p.post(`/api/decisions/${id}/consultations`, { channel: 'government-website', closesOn: daysAgo(-20), shorteningReason: '汛期前须出台，缩短征求意见期限。', explanation: '起草说明：依据《城市绿化条例》起草。', requires: { name: true, contact: false } }, 'zjj');
  return id;
}

const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth);

test('a citizen comments on a consultation from a phone and later reads the answer by the receipt', async () => {
  const id = await consultationOpen();
  await page.goto(`${suite.h.baseUrl}/portal/`);
  const card = page.locator(`li.consultation[data-key="${id}-C1"]`);
  await card.waitFor();
  expect(await card.locator('.chip.warn').textContent()).toBe('期限少于30日');
  await card.locator('a').click();
  await page.locator('.notice.shortened .reason', { hasText: '汛期前须出台' }).waitFor();
  expect(await page.locator('.draft-text').textContent()).toContain('第十二条 在公园内遛狗应当拴绳。');
  expect(await page.locator('section', { hasText: '起草说明' }).first().textContent()).toContain('依据《城市绿化条例》起草');
  expect(await noOverflow()).toBeLessThanOrEqual(390);

  const form = page.locator('form.opinion-form');
  await form.locator('select[name="clause"]').selectOption({ label: '第十二条' });
  const typed = '<img src=x onerror="document.title=\'pwned\'">建议明确早晚高峰禁止遛狗。';
  await form.locator('textarea[name="text"]').fill(typed);
  await form.locator('button[type="submit"]').click();
  // The consultation asks for a name: the form says so beside the field.
  await form.locator('.field-error[data-for="name"]', { hasText: '要求填写姓名' }).waitFor();
  await form.locator('input[name="name"]').fill('张三');
  await form.locator('input[name="contact"]').fill('13900000000');
  await snap(page, 'portal-form-phone');
  await form.locator('button[type="submit"]').click();

  const receipt = page.locator('code.receipt');
  await receipt.waitFor();
  const number = (await receipt.textContent())!;
  expect(number).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(await page.locator('.success').textContent()).toContain('请保存回执编号');
  expect(await page.locator('.answer.pending').textContent()).toBe('承办单位正在研究');
  // Markup in an opinion is text on the page: shown as typed, no element made, nothing run.
  expect(await page.locator('.opinion-text').textContent()).toBe(typed);
  expect(await page.locator('.opinion-text img').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
  expect(await noOverflow()).toBeLessThanOrEqual(390);
  await snap(page, 'portal-receipt-phone');

  // The drafting unit answers in its workspace: the opinion sits under 第十二条, with the form beside it.
  const desk = await page.context().browser()!.newPage({ viewport: { width: 1500, height: 1000 } });
  try {
    const [n, value] = (await suite.h.login('zjj')).cookie.split('=');
    await desk.context().addCookies([{ name: n, value, url: suite.h.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
    await desk.goto(`${suite.h.baseUrl}/#/decisions/${id}`);
    await desk.waitForSelector('main[data-ready="true"]');
    const item = desk.locator(`.public-side .clause-group[data-clause="12"] li.public-opinion[data-receipt="${number}"]`);
    await item.waitFor();
    expect(await item.locator('.opinion-text').textContent()).toBe(typed);
    expect(await item.textContent()).toContain('张三');
    await item.locator('select[name="decision"]').selectOption('partly-adopted');
    await item.locator('input[name="reason"]').fill('已在第十二条增加早晚高峰时段的规定，全天禁止的建议未采纳。');
    await item.locator('button[type="submit"]').click();
    await desk.locator(`.public-side li.public-opinion[data-receipt="${number}"] .answer.partly-adopted`).waitFor();
    expect(await desk.locator('.public-side .public-consultation h3').first().textContent()).toContain('收到意见1条，已答复1条');
    await snap(desk, 'portal-workspace-answers');
  } finally {
    await desk.close();
  }
  // The citizen comes back later with the receipt.
  await page.goto(`${suite.h.baseUrl}/portal/`);
  await page.locator('form.receipt-box input[name="receipt"]').first().fill(number.toLowerCase().replace(/-/g, ' '));
  await page.locator('form.receipt-box button[type="submit"]').first().click();
  const answer = page.locator('.answer.partly-adopted');
  await answer.waitFor();
  expect(await answer.locator('.decision').textContent()).toBe('部分采纳');
  expect(await answer.locator('.reason').textContent()).toContain('已在第十二条增加早晚高峰时段的规定');
  expect(await page.locator('.facts').textContent()).toContain('第十二条');
  expect(await noOverflow()).toBeLessThanOrEqual(390);
  await snap(page, 'portal-answer-phone');
});

test('hearings announced in advance and published decisions are on the portal', async () => {
  const id = await consultationOpen();
  await suite.p.post(`/api/decisions/${id}/hearings`, { scheduledOn: daysAgo(-12), startsAt: '09:30', place: '市民大厅三楼听证室', selectionMethod: '自愿报名，按居民、商户各三名随机抽取。', participants: [{ name: '张三', represents: '居民代表' }] }, 'zjj');
  await page.goto(`${suite.h.baseUrl}/portal/#/hearings`);
  const card = page.locator(`li.hearing[data-key="${id}-H1"]`);
  await card.waitFor();
  expect(await card.textContent()).toContain('市民大厅三楼听证室');
  expect(await card.textContent()).toContain('张三（居民代表）');
  expect(await card.locator('.chip').textContent()).toBe('即将举行');
  expect(await noOverflow()).toBeLessThanOrEqual(390);
  await page.locator('header nav a', { hasText: '决策公布' }).click();
  await page.locator('main[data-ready="true"]').waitFor();
  await page.locator('header button.lang').click();
  await page.locator('header nav a', { hasText: 'Published decisions' }).waitFor();
  await snap(page, 'portal-hearings-phone');
});
