/**
 * The decision workspace in real Chromium against the real stack: signing in, locked steps and
 * their reasons, acting through generated forms (only in the role the step names), markers
 * changing, live updates, the timeline, the list, the legal adviser's desk, people, comments and
 * opinions, accounts. The statute's own flows in the workspace — findings, opinions on file, the
 * meeting, consultations, imports, execution — are in procedure.test.ts.
 */
import type { Page } from 'playwright-core';
import { addWorkingDays } from '../../workflows/calendar';
import { snap } from '../support/browser';
import { docx } from '../support/docx';
import { eventually } from '../support/eventually';
import { TEST_PASSWORD, type Harness } from '../support/harness';
import { sample, today } from '../support/records';
import { browserSuite } from '../support/workspace-page';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const suite = browserSuite('e2e');
const { create, signIn, visit, open, markerOf } = suite;
let h: Harness;
let page: Page;
beforeAll(() => void (h = suite.h));
beforeEach(() => void (page = suite.page));

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  if (r.status !== 200) throw new Error(`${action} ${step}: ${r.status} ${JSON.stringify(r.body)}`);
}

async function draft(id: string, title: string, content: string) {
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title, content }, 'zjj')).status).toBe(201);
}

/** The legal adviser's own opinion on the current draft (Art. 28); returns its id. */
const adviserOpinion = (id: string, as = 'lawyer', opinion = '草案未发现违法情形。') => suite.p.post(`/api/decisions/${id}/opinions`, { opinion }, as, 201).then((o) => o.id as string);

/** Up to the first legality review (v1 in review): initiation, drafting, public participation. */
async function toLegalityReview(id: string, v1: string) {
  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  await act(id, 'drafting', 'start');
  await draft(id, '办法（送审稿）', v1);
  await act(id, 'drafting', 'complete', sample.drafting());
  await act(id, 'public_participation', 'start');
  await act(id, 'public_participation', 'complete', sample['public-participation']());
}

/** A first review "lawful with changes", a revision with v2, and the draft back in legality review. */
async function toSecondReview(id: string, v1: string, v2: string) {
  await toLegalityReview(id, v1);
  await act(id, 'legality_review', 'start');
  await act(id, 'legality_review', 'complete', sample['legality-review']('lawful-with-changes', [await adviserOpinion(id)]));
  await act(id, 'revise_for_legality', 'start');
  await draft(id, '办法（修改稿）', v2);
  await act(id, 'revise_for_legality', 'complete', sample.revision());
}

const deskOf = (username: string) => async () => (await h.api('GET', '/api/desk/legality-review', undefined, username)).body as { items: { id: string; status: string }[] };

test('a new decision shows the collective decision locked, with the legal reasons and no action', async () => {
  const id = await create({ technical: true });
  await signIn('zjj');
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
  // Initiation is the secretariat's step.
  await signIn('office');
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
  await form.locator('[name="startDecision.decidedOn"]').fill(today());
  // The findings start from the proposal: what it did not propose is 不适用 on the ground the law names; the office gives the reasons.
  for (const k of ['expert-review', 'risk-assessment', 'fair-competition-review', 'congress']) await form.locator(`[name="applicability.${k}.reasons"]`).fill('经研究，本事项不涉及该情形。');
  await form.locator('[name="draftingUnit"]').fill('   ');
  await form.locator('button[type="submit"]').click();
  await page.locator('.field-error[data-error-for="draftingUnit"]').waitFor();
  await snap(page, 'workspace-field-error');

  await form.locator('[name="draftingUnit"]').fill('银川市住房和城乡建设局');
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="drafting"]')?.classList.contains('juece-enabled'));
  expect(await markerOf('initiation')).toContain('juece-completed');
  expect(await page.getAttribute('g.djs-element[data-element-id="flow_initiation_drafting"]', 'class')).toContain('juece-taken');

  // Drafting is the drafting department's: the secretariat sees why it cannot act, and no draft form.
  await page.click('g.djs-element[data-element-id="drafting"]');
  expect(await page.locator('.side-panel button[data-action]').count()).toBe(0);
  expect(await page.locator('.side-panel .who-acts strong').textContent()).toBe('由银川市住房和城乡建设局办理');
  expect(await page.locator('.side-panel .who-acts .why-not').textContent()).toBe('需要角色：承办单位');
  expect(await page.locator('.draft-form').count()).toBe(0);
  await snap(page, 'workspace-needs-role');

  // A draft version, then drafting completes and the parallel section opens.
  await signIn('zjj');
  await open(id);
  await page.click('g.djs-element[data-element-id="drafting"]');
  await page.click('.side-panel button[data-action="start"]');
  // Typing straight away: the in-flight start must not wipe the draft being written.
  const draft = page.locator('.draft-form form:not(.word-upload)');
  await draft.locator('[name="title"]').fill('实施方案（草案）');
  await draft.locator('[name="content"]').fill('第一条 为改善农村人居环境……');
  await draft.locator('button[type="submit"]').click();
  await page.locator('.drafts li', { hasText: '第1稿' }).waitFor();
  // A PDF is refused beside the Word form, saying what to do; a .docx becomes version 2, its original kept.
  const word = page.locator('.draft-form form.word-upload');
  await word.locator('input[name="docx"]').setInputFiles({ name: '实施方案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF') });
  await word.locator('button[type="submit"]').click();
  expect(await word.locator('.field-error').first().textContent()).toContain('.docx');
  await word.locator('input[name="docx"]').setInputFiles({ name: '实施方案（征求意见稿）.docx', mimeType: DOCX, buffer: docx(['实施方案（征求意见稿）', '第一条 为改善农村人居环境，制定本方案。', '第二条 本方案自印发之日起施行。']) });
  await word.locator('button[type="submit"]').click();
  const v2 = page.locator('.drafts li[data-version="2"]');
  await v2.waitFor();
  expect(await v2.locator('.draft-original a').textContent()).toBe('实施方案（征求意见稿）.docx');
  const fromWord = await h.api('GET', `/api/decisions/${id}/drafts/2`, undefined, 'zjj');
  expect(fromWord.body.content).toContain('第一条 为改善农村人居环境，制定本方案。');
  await page.click('.side-panel button[data-action="complete"]');
  await page.locator('.side-panel .actions form.record-form [name="lawInventory.0"]').fill('《农村人居环境整治提升五年行动方案》');
  await page.locator('.side-panel .actions form.record-form button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="public_participation"]')?.classList.contains('juece-enabled'));
  // Skipped on the office's finding, the step reads as that finding (经认定不适用), not as a path merely not taken.
  expect(await markerOf('expert_review')).toContain('juece-not-applicable');
  expect(await markerOf('collective_decision')).toContain('juece-locked');
  await snap(page, 'workspace-after-drafting');
});

test("someone else's action and a refused attempt appear live, in the markers and the timeline", async () => {
  const id = await create();
  await signIn('zjj');
  await open(id);
  // Other officials, elsewhere: one accepted action and one refused attempt.
  expect((await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {}, 'office')).status).toBe(200);
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {}, 'sfj')).status).toBe(409);
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="initiation"]')?.classList.contains('juece-active'), undefined, { timeout: 15_000 });
  // It came by the event stream, not by polling.
  expect(await page.evaluate(() => document.documentElement.dataset.live)).toBe('stream');
  const refused = page.locator('.timeline .event.refused');
  await refused.first().waitFor({ timeout: 15_000 });
  const text = await refused.first().textContent();
  expect(text).toContain('赵审查 (sfj)');
  expect(text).toContain('合法性审查');
  expect(text).toContain('须先完成前置环节');
  await snap(page, 'workspace-live-refusal');
});

test('the workspace switches to English, statuses and reasons included', async () => {
  const id = await create();
  await signIn('zjj');
  await open(id);
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('main[data-ready="true"]');
  await page.click('.outline li[data-step="collective_decision"] button');
  const panel = page.locator('.side-panel');
  await panel.locator('.lock-reasons li').first().waitFor();
  expect(await panel.locator('.step-meta').textContent()).toContain('Locked');
  expect((await panel.locator('.lock-reasons li').allTextContents()).join(' ')).toContain('may not be put to the decision body');
  expect(await page.locator('.legend').textContent()).toContain('Found not applicable');
  expect(await page.locator('header .user-role').textContent()).toBe('Drafting department');
  await snap(page, 'workspace-english');
});

test('the list filters by status and counts decisions', async () => {
  const id = await create();
  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  await signIn('zjj');
  await visit('/?step=drafting');
  await page.locator(`tr[data-id="${id}"]`).waitFor({ timeout: 15_000 });
  expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('.counts .count').first().textContent()).toMatch(/\d+\s*全部/);
  await snap(page, 'list');
  // A department starts decisions only for itself: agency and drafting unit are its own.
  await page.click('.new-decision-button');
  const dialog = page.locator('dialog.new-decision');
  expect(await dialog.locator('[name="agency"]').inputValue()).toBe('银川市人民政府');
  expect(await dialog.locator('[name="draftingUnit"]').inputValue()).toBe('银川市住房和城乡建设局');
  expect(await dialog.locator('[name="draftingUnit"]').getAttribute('readonly')).not.toBeNull();
  await dialog.locator('[name="title"]').fill('银川市停车设施建设管理办法');
  await dialog.locator('button[type="submit"]').click();
  await page.waitForURL(/#\/decisions\/D/);
  await page.waitForSelector('main[data-ready="true"]');
  // A legal adviser starts none.
  await signIn('lawyer');
  await visit('/');
  await page.locator('table.decisions').waitFor();
  expect(await page.locator('.new-decision-button').count()).toBe(0);
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
  await eventually(deskOf('sfj'), (d) => d.items.some((i) => i.id === id));
  await signIn('sfj');
  await visit('/desk');
  const row = page.locator(`tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 15_000 });
  expect(await row.textContent()).toContain('剩余15个工作日');
  expect(await row.textContent()).toContain('待审查');
  // The review body does not record advisers' opinions.
  expect(await row.locator('a.record-opinion').count()).toBe(0);
  await snap(page, 'desk');
  await row.locator('a.review-link').click();
  await page.waitForSelector('main[data-ready="true"]');
  expect(await markerOf('legality_review')).toContain('juece-enabled');
  await page.locator('.side-panel h2', { hasText: '合法性审查' }).waitFor();
  expect(await page.locator('.side-panel button[data-action="start"]').isEnabled()).toBe(true);
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
  await ok('legality_review', 'start');
  await ok('legality_review', 'complete', sample['legality-review']('lawful-with-changes', [await adviserOpinion(id)]));
  await ok('revise_for_legality', 'start');
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '办法（修改稿）', content: '第一条 为规范管理，制定本办法。\n第二条 申请人应当缴纳审查费二百元。\n第三条 公示期为十五日。\n第四条 违反本办法的，处一千元以下罚款。' });
  await ok('revise_for_legality', 'complete', sample.revision());

  await signIn('lawyer');
  await open(id);
  await page.click('.outline li[data-step="legality_review"] button');
  // The reviewer's bench: the changes since the last review, then the whole draft with the flags in its margin.
  const aids = page.locator('.review-bench');
  await aids.locator('.diff').waitFor();
  expect(await aids.textContent()).toContain('自上次审查（第1稿）以来的修改 → 第2稿');
  expect(await aids.locator('.diff ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('十五'), expect.stringContaining('罚款')]));
  await aids.locator('.bench-tabs button[data-view="text"]').click();
  expect(await aids.locator('.margin-note').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), e.getAttribute('data-article')]))).toEqual([
    ['fee', '第二条'],
    ['penalty', '第四条'],
  ]);
  expect(await aids.locator('.draft-line.flagged mark').first().textContent()).toContain('缴纳审查费');
  await snap(page, 'review-aids');
});

const V1 = ['银川市民宿经营管理办法（草案）', '第一条 为规范本市民宿经营，制定本办法。', '第二条 申请人应当在取得营业执照之日起三十日内提交申请材料。', '第三条 本办法自发布之日起施行。'].join('\n');
const V2 = ['银川市民宿经营管理办法（草案）', '第一条 为规范本市民宿经营，制定本办法。', '第二条 申请人应当在取得营业执照之日起十五日内提交申请材料。', '第三条 违反本办法的，处一千元以下罚款。', '第四条 本办法自发布之日起施行。'].join('\n');

test("a legal adviser logs in, sees their queue with working-day due dates, reads the diff since the last review and records an opinion — a department user cannot", async () => {
  const id = await create({}, '银川市民宿经营管理办法');
  await toSecondReview(id, V1, V2);
  // Attached from the start: the invitation is waiting in the adviser's notifications.
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'lawyer', purpose: 'early-intervention' }, 'zjj')).status).toBe(201);
  await eventually(deskOf('lawyer'), (d) => d.items.some((i) => i.id === id && i.status === 'enabled'));

  // Not signed in: the desk asks for a login and comes back to the desk after it.
  await page.context().clearCookies();
  await visit('/desk');
  await page.waitForURL(/#\/login\?next=%2Fdesk$/);
  await page.locator('form.login').waitFor();
  await snap(page, 'login');
  await page.fill('form.login [name="username"]', 'lawyer');
  await page.fill('form.login [name="password"]', 'not-the-password');
  await page.click('form.login button[type="submit"]');
  expect(await page.locator('form.login .field-error').textContent()).toBe('登录名或密码错误，或账号已停用。');
  await page.fill('form.login [name="username"]', 'lawyer');
  await page.fill('form.login [name="password"]', TEST_PASSWORD);
  await page.click('form.login button[type="submit"]');
  await page.waitForURL(/#\/desk$/);

  // The header names the adviser, their organisation and role; the desk is in the nav.
  const header = page.locator('header.top');
  expect(await header.locator('.user-name').textContent()).toBe('刘律师');
  expect(await header.locator('.user-org').textContent()).toBe('银川市人民政府法律顾问团');
  expect(await header.locator('.user-role').textContent()).toBe('法律顾问／公职律师');
  expect(await header.locator('nav a.nav-desk').count()).toBe(1);

  // The queue, with the working-day due date of the second round.
  const row = page.locator(`tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 15_000 });
  const due = addWorkingDays(h.deps.calendar, today(), 15).date;
  expect(await row.locator('td.due').textContent()).toContain(due);
  expect(await row.textContent()).toContain('剩余15个工作日');
  expect(await row.textContent()).toContain('第2轮');
  expect(await row.textContent()).toContain('上次审查：第1稿');
  await snap(page, 'adviser-desk');

  // The invitation in the bell; marked read, the count goes.
  const bell = header.locator('.bell');
  await header.locator('.bell-count').waitFor({ timeout: 20_000 });
  await bell.click();
  const invitation = header.locator('.notification', { hasText: '您被邀请参与"银川市民宿经营管理办法"（提前介入）' });
  await invitation.waitFor();
  expect(await invitation.getAttribute('class')).toContain('unread');
  expect(await invitation.locator('a').getAttribute('href')).toBe(`#/decisions/${id}`);
  await snap(page, 'adviser-notifications');
  await header.locator('.notifications .mark-all').click();
  await header.locator('.bell-count').waitFor({ state: 'detached' });
  await header.locator('.notification.unread').first().waitFor({ state: 'detached' });

  // From the desk row to the review view with the opinion form: the diff since the last review.
  await bell.click();
  await header.locator('.notifications').waitFor({ state: 'detached' });
  await row.locator('a.record-opinion').click();
  await page.waitForSelector('main[data-ready="true"]');
  const aids = page.locator('.review-bench');
  await aids.locator('.diff').waitFor();
  expect(await aids.textContent()).toContain('自上次审查（第1稿）以来的修改 → 第2稿');
  expect(await aids.locator('.diff del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('三十')]));
  expect(await aids.locator('.diff ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('十五'), expect.stringContaining('罚款')]));
  // The review itself is the review body's: the adviser is told so.
  expect(await page.locator('.side-panel button[data-action]').count()).toBe(0);
  expect(await page.locator('.side-panel .who-acts').textContent()).toBe('由合法性审查机构办理需要角色：合法性审查机构');

  const form = page.locator('.opinions form.opinion-form');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('opinion');
  await form.locator('[name="opinion"]').fill('第三条设定罚款，应有法律、法规或者规章依据；建议核实后保留。');
  await form.locator('[name="legalBases.0"]').fill('《中华人民共和国行政处罚法》第十四条');
  await form.locator('button[type="submit"]').click();
  const opinion = page.locator('.opinions .opinion', { hasText: '第三条设定罚款' });
  await opinion.waitFor();
  const meta = await opinion.locator('.muted').first().textContent();
  expect(meta).toContain('刘律师');
  expect(meta).toContain('法律顾问');
  expect(meta).toContain('第2稿');
  expect(await opinion.textContent()).toContain('《中华人民共和国行政处罚法》第十四条');
  await page.locator('.opinions .form-note', { hasText: '意见已记录。' }).waitFor();
  await snap(page, 'adviser-opinion');

  // Signing out ends the session: the workspace asks for a login again.
  await page.click('header .logout');
  await page.waitForURL(/#\/login$/);
  await visit('/desk');
  await page.waitForURL(/#\/login\?next=%2Fdesk$/);

  // A department user: no desk in the nav, the desk refused, no opinion form, no review aids.
  await signIn('zjj');
  await visit('/');
  await page.locator('table.decisions').waitFor();
  expect(await page.locator('header .user-name').textContent()).toBe('张明');
  expect(await page.locator('header nav a.nav-desk').count()).toBe(0);
  await visit('/desk');
  const refused = page.locator('main .error[data-status="403"]');
  await refused.waitFor();
  expect(await refused.locator('h2').textContent()).toBe('无权访问');
  expect(await refused.locator('.needs-role').textContent()).toBe('需要角色：合法性审查机构或法律顾问／公职律师或依法治区办（监督）');
  expect(await refused.textContent()).toContain('legality-review-body, legal-adviser, supervisor');
  await snap(page, 'department-desk-refused');
  await open(id, '?step=legality_review&focus=opinion');
  await page.locator('.opinions .opinion', { hasText: '第三条设定罚款' }).waitFor();
  expect(await page.locator('.opinion-form').count()).toBe(0);
  expect(await page.locator('.review-bench:not([hidden])').count()).toBe(0);
  expect(await page.locator('.side-panel .who-acts .why-not').textContent()).toBe('需要角色：合法性审查机构');
  expect(await page.locator('.side-panel button[data-action]').count()).toBe(0);
  await snap(page, 'department-decision');
  // The server stays the authority: the same act sent past the workspace is refused (403), and the
  // refusal reaches the open page live, in its timeline.
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {}, 'zjj')).status).toBe(403);
  await page.locator('.timeline .event.refused', { hasText: '张明 (zjj)' }).first().waitFor({ timeout: 15_000 });
  await snap(page, 'department-forbidden');
});

test('the department invites an adviser (an expert with a declared conflict is refused, and says so); the adviser comments on a draft, quoting a selected passage', async () => {
  const id = await create({}, '银川市老旧小区改造三年行动计划');
  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  await draft(id, '行动计划（草案）', V1);
  expect((await h.api('POST', '/api/me/conflicts', { party: '银川市住房和城乡建设局', note: '近三年承担该局委托课题' }, 'expert')).status).toBe(201);

  await signIn('zjj');
  await open(id);
  const invite = page.locator('.people form.invite-form');
  await invite.locator('select[name="username"] option[value="lawyer"]').waitFor({ state: 'attached' });
  await invite.locator('select[name="purpose"]').selectOption('expert-review');
  await invite.locator('select[name="username"] option[value="expert"]').waitFor({ state: 'attached' });
  expect(await invite.locator('.expert[data-username="expert"]').textContent()).toContain('城市规划 · 宁夏大学');
  expect(await invite.locator('.expert[data-username="expert"] .conflicts').textContent()).toContain('银川市住房和城乡建设局（近三年承担该局委托课题）');
  await invite.locator('select[name="username"]').selectOption('expert');
  await invite.locator('button[type="submit"]').click();
  const conflict = invite.locator('.field-error[data-code="CONFLICT_OF_INTEREST"]').first();
  await conflict.waitFor();
  expect(await conflict.textContent()).toContain('存在利害关系，不能邀请');
  expect(await conflict.textContent()).toContain('银川市住房和城乡建设局');
  await snap(page, 'invite-conflict');

  await invite.locator('select[name="purpose"]').selectOption('early-intervention');
  await invite.locator('select[name="username"] option[value="lawyer"]').waitFor({ state: 'attached' });
  await invite.locator('select[name="username"]').selectOption('lawyer');
  await invite.locator('button[type="submit"]').click();
  const attached = page.locator('.people .participant[data-username="lawyer"]');
  await attached.waitFor();
  expect(await attached.textContent()).toContain('提前介入');
  expect(await attached.textContent()).toContain('张明 (zjj)');

  // The adviser's desk lists the decisions they are attached to, at whatever step.
  await signIn('lawyer');
  await visit('/desk');
  await page.locator(`.attached-list li[data-id="${id}"]`).waitFor();
  await page.click(`.attached-list li[data-id="${id}"] a`);
  await page.waitForSelector('main[data-ready="true"]');
  const thread = page.locator('.drafts li[data-version="1"] .comment-thread');
  await thread.locator('details.draft-full summary').click();
  const text = thread.locator('.draft-text');
  await thread.locator('.draft-text', { hasText: '第二条' }).waitFor();
  // Select a passage of the draft: it becomes the comment's quote.
  await text.evaluate((el, passage) => {
    const node = el.firstChild!;
    const at = node.textContent!.indexOf(passage);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + passage.length);
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  }, '三十日内');
  const form = thread.locator('form.comment-form');
  expect(await form.locator('[name="quote"]').inputValue()).toBe('三十日内');
  await form.locator('[name="text"]').fill('期限过长，建议缩短为十五日。');
  await form.locator('button[type="submit"]').click();
  const comment = thread.locator('.comment', { hasText: '期限过长' });
  await comment.waitFor();
  expect(await comment.locator('blockquote').textContent()).toBe('三十日内');
  expect(await comment.textContent()).toContain('刘律师');
  await snap(page, 'draft-comment');
});

test('too many failed logins: the login screen says how long to wait', async () => {
  await visit('/login');
  for (let i = 0; i < 6; i++) {
    await page.fill('form.login [name="username"]', 'nobody');
    await page.fill('form.login [name="password"]', `wrong-password-${i}`);
    await page.click('form.login button[type="submit"]');
    await page.locator(`form.login .field-error`).waitFor();
    if (i < 5) await page.waitForFunction(() => !(document.querySelector('form.login button[type="submit"]') as HTMLButtonElement).disabled);
  }
  expect(await page.locator('form.login .field-error').textContent()).toBe('登录失败次数过多，请 15 分钟后再试');
  await snap(page, 'login-throttled');
});

test('a person changes their own password from the header; a wrong current password is said beside the form', async () => {
  await signIn('fgw');
  await visit('/');
  await page.click('header a.change-password');
  const form = page.locator('form.password-change');
  await form.waitFor();
  await form.locator('[name="currentPassword"]').fill('not-my-password');
  await form.locator('[name="newPassword"]').fill('fgw-new-passphrase');
  await form.locator('[name="newPasswordAgain"]').fill('fgw-new-passphrase');
  await form.locator('button[type="submit"]').click();
  await form.locator('.field-error').waitFor();
  expect(await form.locator('.field-error').textContent()).toBe('当前密码：当前密码不正确');
  await form.locator('[name="currentPassword"]').fill('test-password-1');
  await form.locator('[name="newPassword"]').fill('fgw-new-passphrase');
  await form.locator('[name="newPasswordAgain"]').fill('fgw-new-passphrase');
  await form.locator('button[type="submit"]').click();
  await form.locator('.form-ok').waitFor();
  expect(await form.locator('.form-ok').textContent()).toMatch(/^密码已修改；其他 \d+ 个登录会话已结束。$/);
  await snap(page, 'password-changed');
  const res = await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fgw', password: 'fgw-new-passphrase' }) });
  expect(res.status).toBe(200);
});

test('an expert declares a conflict of interest on their own page; a supervisor reads the security events', async () => {
  await signIn('expert');
  await visit('/');
  await page.click('header a.nav-conflicts');
  const form = page.locator('form.conflict-form');
  await form.waitFor();
  expect(await page.locator('main p.muted').first().textContent()).toContain('城市规划 · 宁夏大学');
  await form.locator('[name="party"]').fill('石嘴山市交通运输局');
  await form.locator('[name="note"]').fill('配偶在该局任职');
  await form.locator('button[type="submit"]').click();
  await page.locator('.conflict-list li', { hasText: '石嘴山市交通运输局' }).waitFor();
  await snap(page, 'expert-conflicts');
  const bank = (await h.api('GET', '/api/experts', undefined, 'szsjt')).body.items;
  expect(bank.find((e: { username: string }) => e.username === 'expert').conflicts).toEqual(expect.arrayContaining([expect.objectContaining({ party: '石嘴山市交通运输局', note: '配偶在该局任职' })]));

  // A failed login and a refused request, then the supervisors' page shows them.
  await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password: 'wrong-password' }) });
  expect((await h.api('GET', '/api/security-events', undefined, 'zjj')).status).toBe(403);
  await signIn('supervisor');
  await visit('/');
  await page.click('header a.nav-security');
  await page.locator('table.security-events tbody tr').first().waitFor();
  const failed = page.locator('table.security-events tr[data-kind="login-failed"]', { hasText: 'office' }).first();
  expect(await failed.locator('td').nth(1).textContent()).toBe('登录失败');
  const refused = page.locator('table.security-events tr[data-kind="forbidden"]', { hasText: 'zjj' }).first();
  expect(await refused.textContent()).toContain('GET /api/security-events');
  expect(await refused.textContent()).toContain('需要以下角色之一：依法治区办（监督）。');
  await snap(page, 'security-events');
});
