/**
 * The statute's flows in the workspace, in real Chromium against the real stack: the office's
 * applicability findings at initiation (Art. 10) and their revision, the review body reopening a
 * skipped step (Art. 27(2)), opinions given in person or as signed documents and chosen from the
 * file (Arts. 19-20, 28), a consultation opened in the system (Art. 15), the meeting recorded from
 * the roster with each speaker confirming their own statement (Art. 30), an import (补录) dated as
 * it happened, and the head suspending execution (Art. 37).
 */
import type { Page } from 'playwright-core';
import type { apiPaths } from '../support/api-paths';
import { snap } from '../support/browser';
import { eventually } from '../support/eventually';
import type { Harness } from '../support/harness';
import { daysAgo, sample, today } from '../support/records';
import { browserSuite } from '../support/workspace-page';

const suite = browserSuite('e2e-procedure');
const { create, signIn, visit, open } = suite;
let h: Harness;
let p: ReturnType<typeof apiPaths>;
let page: Page;
beforeAll(() => void ({ h, p } = suite));
beforeEach(() => void (page = suite.page));

const daysAhead = (n: number) => daysAgo(-n);

/** A legal adviser's own opinion on the current draft (Art. 28); returns its id. */
const adviserOpinion = (id: string, as: string, opinion: string) => p.post(`/api/decisions/${id}/opinions`, { opinion }, as, 201).then((o) => o.id as string);

test("the review body completing legality review chooses the advisers' opinions on file, all on the current draft selected; a supervisor only reads", async () => {
  const id = await create({}, '银川市民宿经营管理办法（第二件）');
  await p.drafted(id);
  await p.throughParallel(id);
  const first = await adviserOpinion(id, 'lawyer', '草案合法，建议明确申请材料清单。');
  const second = await adviserOpinion(id, 'govlawyer', '同意。');

  // A supervisor reads the decision: no action is offered; the step says who does it, and why not the supervisor.
  await signIn('supervisor');
  await open(id, '?step=legality_review');
  expect(await page.locator('header .user-role').textContent()).toBe('依法治区办（监督）');
  expect(await page.locator('.side-panel button[data-action]').count()).toBe(0);
  expect(await page.locator('.side-panel .who-acts strong').textContent()).toBe('由合法性审查机构办理');
  expect(await page.locator('.side-panel .who-acts .why-not').textContent()).toBe('监督人员只读');
  expect(await page.locator('.opinion-form, .signed-opinion-form, .invite-form, .comment-form').count()).toBe(0);
  await snap(page, 'supervisor-read-only');

  await signIn('sfj');
  await open(id, '?step=legality_review');
  // The review body may put an adviser's signed document on file; it never types an adviser's name.
  expect(await page.locator('.opinions details.signed summary').textContent()).toBe('上传法律顾问、公职律师签署的书面意见');
  await page.click('.side-panel button[data-action="start"]');
  await page.locator('.side-panel button[data-action="complete"]').waitFor();
  await page.click('.side-panel button[data-action="complete"]');
  const form = page.locator('.side-panel .actions form.record-form');
  const picker = form.locator('fieldset.opinion-picker[data-path="adviserOpinions"]');
  await picker.waitFor();
  expect(await picker.locator('.opinion-choice').allTextContents()).toEqual([expect.stringMatching(/^刘律师（法律顾问）· 第1稿 · 本人出具/), expect.stringMatching(/^陈律师（公职律师）· 第1稿 · 本人出具/)]);
  expect(await picker.locator('input:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([first, second]);
  expect(await form.locator('[name^="adviserOpinions."]').count()).toBe(0); // no free-typed names
  await snap(page, 'legality-review-opinions-on-file');

  await form.locator('select[name="outcome"]').selectOption('lawful');
  await form.locator('[name="legalBases.0"]').fill('《重大行政决策程序暂行条例》');
  for (const f of ['powersOk', 'procedureOk', 'contentOk']) await form.locator(`[name="${f}"]`).check();
  await form.locator('[name="opinion"]').fill('草案合法。');
  // Leaving an adviser out is refused (Art. 28), with the reason.
  await picker.locator(`input[value="${second}"]`).uncheck();
  await form.locator('button[type="submit"]').click();
  const refused = form.locator('.form-errors .field-error');
  await refused.first().waitFor();
  expect((await refused.allTextContents()).join('\n')).toContain('合法性审查意见未载明以下法律顾问、公职律师就第1稿出具的意见：陈律师');
  expect((await refused.allTextContents()).join('\n')).toContain('合法性审查时间一般不少于7个工作日');
  await picker.locator(`input[value="${second}"]`).check();
  await form.locator('[name="shortenedReviewReason"]').fill('经市政府同意加急审查。');
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="legality_review"]')?.classList.contains('juece-completed'));
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'sfj')).body;
  const record = view.records.find((r: { kind: string; action: string }) => r.kind === 'legality-review' && r.action === 'complete');
  expect(record.data.adviserOpinions).toEqual([first, second]);
  // The refused attempt stays in the timeline as a statutory one, apart from form errors.
  const statutory = page.locator('.timeline .event.refused.statutory').first();
  await statutory.waitFor({ timeout: 15_000 });
  expect(await statutory.locator('.refusal-class').textContent()).toBe('违反法定程序的尝试（已拒绝）');
  await snap(page, 'legality-review-done');
});

test('Art. 10: the office records initiation with a step found not applicable on a ground the law names; the diagram and the panel show it, and the office revises another', async () => {
  const id = await create({ technical: true }, '银川市城市道路挖掘管理办法');
  await signIn('office');
  await open(id, '?step=initiation');
  await page.click('.side-panel button[data-action="start"]');
  await page.locator('.side-panel button[data-action="complete"]').waitFor();
  await page.click('.side-panel button[data-action="complete"]');
  const form = page.locator('.side-panel .actions form.record-form');
  await form.locator('select[name="proposalSource"]').selectOption('department');
  await form.locator('[name="studyReport"]').fill('住建局研究论证：道路挖掘管理亟须规范。');
  await form.locator('[name="startDecision.decidedBy"]').fill('市政府常务会议');
  await form.locator('[name="startDecision.decidedOn"]').fill(today());
  await form.locator('[name="draftingUnit"]').fill('银川市住房和城乡建设局');

  // From the proposal: expert review applies (technical), the rest not proposed are 不适用 on their ground.
  const expert = form.locator('fieldset.finding-editor[data-kind="expert-review"]');
  expect(await expert.locator('input[value="true"]').isChecked()).toBe(true);
  expect(await expert.locator('.proposal').textContent()).toBe('承办单位初步意见：适用');
  // Risk assessment: only the grounds Art. 22 names, each chosen with what it rests on.
  const risk = form.locator('fieldset.finding-editor[data-kind="risk-assessment"]');
  expect(await risk.locator('input[value="false"]').isChecked()).toBe(true);
  expect(await risk.locator('select[name="applicability.risk-assessment.ground"] option').allTextContents()).toEqual([
    '请选择不适用的法定情形',
    '决策实施不会对社会稳定、公共安全等方面造成不利影响',
    '有关风险已按照有关规定进行评价、评估，不作重复评估',
  ]);
  expect(await risk.locator('[name="applicability.risk-assessment.basis"]').isVisible()).toBe(false);
  await risk.locator('select').selectOption('already-assessed');
  expect(await risk.locator('.ground-basis').textContent()).toBe('依据：《重大行政决策程序暂行条例》第二十二条第二款');
  for (const k of ['risk-assessment', 'fair-competition-review', 'congress']) await form.locator(`[name="applicability.${k}.reasons"]`).fill('经研究，本事项不涉及该情形。');
  await form.locator('[name="matter.publicConcern"]').check();
  // That ground rests on the earlier assessment: without it, the form says so beside the field.
  await form.locator('button[type="submit"]').click();
  const basisError = form.locator('.field-error[data-error-for="applicability.risk-assessment.basis"]');
  await basisError.waitFor();
  expect(await basisError.textContent()).toContain('以“有关风险已按照有关规定进行评价、评估，不作重复评估”认定不适用，须注明依据');
  await form.locator('[name="applicability.risk-assessment.basis"]').fill('《银川市城市道路挖掘社会稳定风险评估报告》（2026年）');
  await snap(page, 'initiation-findings');
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="initiation"]')?.classList.contains('juece-completed'));

  // The diagram wears the finding, its ground in the tooltip; the panel says who found it, when and why.
  const badge = page.locator('.juece-finding[data-step="risk_assessment"]');
  expect(await badge.textContent()).toBe('经认定不适用');
  expect(await badge.getAttribute('title')).toContain('有关风险已按照有关规定进行评价、评估，不作重复评估');
  expect(await page.locator('.juece-finding[data-step="expert_review"]').textContent()).toBe('经认定适用');
  await page.click('.outline li[data-step="risk_assessment"] button');
  const box = page.locator('.side-panel .finding-box[data-kind="risk-assessment"]');
  await box.waitFor();
  expect(await box.locator('.finding-verdict').textContent()).toBe('经认定不适用');
  expect(await box.locator('.finding-ground').textContent()).toContain('有关风险已按照有关规定进行评价、评估，不作重复评估');
  expect(await box.textContent()).toContain('《银川市城市道路挖掘社会稳定风险评估报告》（2026年）');
  expect(await box.locator('.finding-by').textContent()).toContain('王秘书 (office)');
  expect(await box.locator('.finding-by').textContent()).toContain('决策启动时认定');
  expect(await page.locator('.decision-head .facts.matter').textContent()).toContain('社会公众普遍关心');
  await snap(page, 'finding-not-applicable');

  // The facts changed: the office finds the fair-competition review applicable after all.
  await page.click('.outline li[data-step="fair_competition_review"] button');
  const fc = page.locator('.side-panel .finding-box[data-kind="fair-competition-review"]');
  await fc.locator('button.revise-finding').click();
  await fc.locator('[name="revision.reasons"]').fill('草案新增占道施工许可条件，涉及经营者经济活动。');
  await fc.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('.juece-finding[data-step="fair_competition_review"]')?.textContent === '经认定适用');
  await page.locator('.side-panel .finding-box .finding-by', { hasText: '办公厅（室）重新认定' }).waitFor();
  // The department cannot revise a finding at all: no button, and the server refuses it.
  await signIn('zjj');
  await open(id, '?step=congress');
  await page.locator('.side-panel .finding-box[data-kind="congress"]').waitFor();
  expect(await page.locator('.side-panel button.revise-finding').count()).toBe(0);
});

test('Art. 30: the office records the minutes from the roster, the vice-mayor confirms his own statement, and the office completes the meeting', async () => {
  const id = await p.create({}, '银川市公共停车场建设三年计划');
  await p.drafted(id);
  await p.throughParallel(id);
  await p.reviewed(id);

  await signIn('office');
  await open(id, '?step=collective_decision');
  await page.click('.side-panel button[data-action="start"]');
  const record = page.locator('.side-panel .meeting-box button.record-minutes');
  await record.click();
  const form = page.locator('.side-panel form.minutes-form');
  await form.waitFor();
  // The roster on file: the members, then the head, who speaks last (Art. 30); nobody typed in.
  expect(await form.locator('fieldset.attendees .choice').allTextContents()).toEqual(['钱副市长', '孙市长（行政首长）']);
  expect(await form.locator('fieldset.attendees input:checked').count()).toBe(2);
  expect(await form.locator('select[name="statements.0.speaker"]').inputValue()).toBe('vicemayor');
  expect(await form.locator('select[name="statements.1.speaker"]').inputValue()).toBe('mayor');
  await form.locator('select[name="statements.0.position"]').selectOption('disagree');
  await form.locator('[name="statements.0.text"]').fill('资金来源不明确，建议分批实施。');
  await form.locator('[name="statements.1.text"]').fill('原则通过，资金由专项债解决。');
  await form.locator('[name="session"]').fill('第15次常务会议');
  // The head departs from the majority: the reasons given at the meeting are required (Art. 30).
  await form.locator('button[type="submit"]').click();
  await form.locator('.form-errors .field-error', { hasText: '应当在会上说明理由' }).waitFor();
  await form.locator('[name="reasons"]').fill('民生急需，资金已落实。');
  await snap(page, 'minutes-form');
  await form.locator('button[type="submit"]').click();
  const statements = page.locator('.side-panel .meeting-box ol.statements li');
  await statements.first().waitFor();
  expect(await statements.nth(0).textContent()).toContain('钱副市长 · 不同意：资金来源不明确，建议分批实施。');
  expect(await statements.nth(0).locator('.confirm-state').textContent()).toBe('待本人确认');
  await p.post(`/api/decisions/${id}/meeting/confirm`, { confirm: true }, 'mayor');

  // The vice-mayor, signed in as himself on his phone, reads his own statement and confirms it.
  await signIn('vicemayor');
  await page.setViewportSize({ width: 390, height: 844 });
  await open(id, '?step=collective_decision');
  const mine = page.locator('.side-panel .my-statement');
  await mine.waitFor();
  expect(await mine.locator('blockquote').textContent()).toBe('不同意：资金来源不明确，建议分批实施。');
  expect(await page.locator('.side-panel button[data-action="complete"]').count()).toBe(0);
  await snap(page, 'my-statement');
  await mine.locator('form.confirm-form button[type="submit"]').click();
  await page.locator('.side-panel .my-statement[data-state="confirmed"]').waitFor();
  expect(await page.locator('.side-panel .meeting-box li[data-speaker="vicemayor"] .confirm-state').textContent()).toContain('已确认');
  // Nothing on the phone is wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snap(page, 'my-statement-confirmed-phone');
  await page.setViewportSize({ width: 1500, height: 1000 });

  // The office completes on the dossier as it stands: the reviewed draft, shown, not typed.
  await signIn('office');
  await open(id, '?step=collective_decision');
  expect(await page.locator('.side-panel li[data-speaker="mayor"] .confirm-state').textContent()).toContain('已确认');
  await page.click('.side-panel button[data-action="complete"]');
  const complete = page.locator('.side-panel .actions form.record-form');
  expect(await complete.locator('[name="draftVersion"]').inputValue()).toBe('第1稿');
  expect(await complete.locator('[name="draftVersion"]').getAttribute('readonly')).not.toBeNull();
  expect(await complete.locator('.dossier').textContent()).toContain('合法性审查结论：合法');
  await complete.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="party_report"]')?.classList.contains('juece-enabled'));
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'office')).body;
  const done = view.records.find((r: { kind: string; action: string }) => r.kind === 'collective-decision' && r.action === 'complete');
  expect(done.data.confirmations.vicemayor).toMatchObject({ confirm: true, minutesVersion: 1 });
  expect(done.data.draftVersion).toBe(1);
  await snap(page, 'meeting-completed');
});

test('Arts. 19-20: an invited expert gives an opinion affirming no direct interest; the department’s expert review offers it from the file', async () => {
  const facts = { technical: true };
  const id = await p.create(facts, '银川市地下综合管廊建设规划');
  await p.drafted(id, facts);
  await p.post(`/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj', 201);

  await signIn('expert');
  await open(id, '?step=expert_review');
  const form = page.locator('.opinions form.opinion-form');
  await form.waitFor();
  expect(await page.locator('.opinions .opinion-form-box h3').textContent()).toContain('出具专家论证意见');
  await form.locator('[name="opinion"]').fill('管廊断面设计合理，建议补充抗震论证。');
  await form.locator('button[type="submit"]').click();
  const tick = form.locator('.field-error[data-error-for="noDirectInterest"]');
  await tick.waitFor();
  expect(await tick.textContent()).toContain('须确认本人与决策事项无直接利害关系');
  await form.locator('[name="noDirectInterest"]').check();
  await form.locator('button[type="submit"]').click();
  const given = page.locator('.opinions .opinion[data-author="expert"]');
  await given.waitFor();
  expect(await given.textContent()).toContain('吴教授');
  expect(await given.locator('.chip.no-interest').textContent()).toBe('声明与决策事项无直接利害关系');
  await snap(page, 'expert-opinion');

  await signIn('zjj');
  await open(id, '?step=expert_review');
  // The department puts an invited expert's signed document on file, naming only invited experts.
  const signed = page.locator('.opinions details.signed');
  await signed.locator('summary').click();
  expect(await signed.locator('select[name="author"] option').allTextContents()).toEqual(['请选择', '吴教授（expert）']);
  await signed.locator('select[name="author"]').selectOption('expert');
  await signed.locator('[name="summary"]').fill('书面补充意见：同意管廊选线。');
  await signed.locator('[name="noDirectInterest"]').check();
  await signed.locator('input[type="file"]').setInputFiles({ name: '吴教授书面意见.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 signed') });
  await signed.locator('button[type="submit"]').click();
  const filed = page.locator('.opinions .opinion', { hasText: '书面补充意见' });
  await filed.waitFor();
  expect(await filed.textContent()).toContain('经本人签署的书面意见（录入 张明 (zjj)）');
  await page.click('.side-panel button[data-action="start"]');
  await page.locator('.side-panel button[data-action="complete"]').waitFor();
  await page.click('.side-panel button[data-action="complete"]');
  const review = page.locator('.side-panel .actions form.record-form');
  const picker = review.locator('fieldset.opinion-picker[data-path="opinions"]');
  await picker.waitFor();
  expect(await picker.locator('.opinion-choice').allTextContents()).toEqual([expect.stringContaining('吴教授（专家）· 第1稿 · 本人出具'), expect.stringContaining('吴教授（专家）· 第1稿 · 经本人签署的书面意见')]);
  expect(await picker.locator('.opinion-choice .chip').first().textContent()).toBe('声明与决策事项无直接利害关系');
  expect(await picker.locator('input:checked').count()).toBe(2);
  await review.locator('select[name="form"]').selectOption('meeting');
  await review.locator('[name="selection"]').fill('从自治区专家库随机抽取，包括持不同意见的专家。');
  await review.locator('[name="adoptionReport"]').fill('采纳补充抗震论证的意见。');
  await snap(page, 'expert-review-from-file');
  await review.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="expert_review"]')?.classList.contains('juece-completed'));
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body;
  const record = view.records.find((r: { kind: string; action: string }) => r.kind === 'expert-review' && r.action === 'complete');
  expect(record.data.opinions).toEqual(view.opinions.map((o: { id: string }) => o.id));
  expect(view.opinions.map((o: { source: string; noDirectInterest: boolean }) => [o.source, o.noDirectInterest])).toEqual([
    ['account', true],
    ['signed-document', true],
  ]);
});

test('Art. 27(2): during the review, the legality review body reopens a step the office found not applicable', async () => {
  const id = await p.create({}, '银川市房屋征收补偿办法');
  await p.drafted(id);
  await p.throughParallel(id);
  await signIn('sfj');
  await open(id, '?step=risk_assessment');
  const box = page.locator('.side-panel .finding-box[data-kind="risk-assessment"]');
  expect(await box.locator('.finding-verdict').textContent()).toBe('经认定不适用');
  expect(await page.locator('.outline li[data-step="risk_assessment"] .status').textContent()).toBe('经认定不适用');
  expect(await box.locator('button.revise-finding').count()).toBe(0); // the office's, not the review body's
  await box.locator('button.reopen-step').click();
  await box.locator('[name="reasons"]').fill('涉及房屋征收，应当评估社会稳定风险。');
  await box.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="risk_assessment"]')?.classList.contains('juece-enabled'));
  expect(await page.locator('.juece-finding[data-step="risk_assessment"]').textContent()).toBe('退回补办');
  expect(await page.locator('.outline li[data-step="risk_assessment"] .chip.reopened').count()).toBe(1);
  await page.locator('.side-panel .finding-box .finding-by', { hasText: '合法性审查机构退回补办' }).waitFor();
  await snap(page, 'reopened-step');
});

test('Art. 15: the department opens a consultation in the system, and the completion form starts from it; it cannot close early', async () => {
  const id = await p.create({}, '银川市城市公园管理办法');
  await p.drafted(id);
  await signIn('zjj');
  await open(id, '?step=public_participation');
  await page.click('.side-panel button[data-action="start"]');
  await page.locator('.side-panel .consultations-box button.open-consultation').click();
  const form = page.locator('.side-panel .consultation-form form');
  expect(await form.locator('[name="closesOn"]').inputValue()).toBe(daysAhead(30));
  // Shorter than 30 days without the reason stated now is refused (Art. 15).
  await form.locator('[name="closesOn"]').fill(daysAhead(10));
  await form.locator('button[type="submit"]').click();
  await form.locator('.form-errors .field-error', { hasText: '公开征求意见期限一般不少于30日' }).waitFor();
  await form.locator('[name="closesOn"]').fill(daysAhead(40));
  await form.locator('[name="noticeUrl"]').fill('https://www.yinchuan.gov.cn/hdjl/yjzj/2026/12.html');
  await form.locator('button[type="submit"]').click();
  const c1 = page.locator('.side-panel .consultations li[data-id="C1"]');
  await c1.waitFor();
  expect(await c1.locator('.chip').textContent()).toBe('征求意见中 · 还剩40天');
  await page.click('.side-panel button[data-action="complete"]');
  const complete = page.locator('.side-panel .actions form.record-form');
  expect(await complete.locator('[name="consultations.0.id"]').inputValue()).toBe('C1');
  expect(await complete.locator('[name="consultations.0.id"]').getAttribute('readonly')).not.toBeNull();
  await complete.locator('[name="consultations.0.commentsReceived"]').fill('12');
  await complete.locator('[name="adoptionReport"]').fill('收到意见12条，正在研究。');
  await complete.locator('button[type="submit"]').click();
  const still = complete.locator('.form-errors .field-error', { hasText: '尚未结束' });
  await still.waitFor();
  expect(await still.textContent()).toContain(`公开征求意见至${daysAhead(40)}截止`);
  await snap(page, 'consultation-open');
});

test('补录: the office enters a procedure carried out before the system; each act carries the date it happened, and the import ends', async () => {
  await signIn('office');
  await visit('/');
  await page.click('.new-decision-button');
  const dialog = page.locator('dialog.new-decision');
  expect(await dialog.locator('fieldset.proposal legend').textContent()).toBe('承办单位的初步意见');
  await dialog.locator('[name="title"]').fill('银川市历史文化街区保护规划');
  await dialog.locator('[name="draftingUnit"]').fill('银川市住房和城乡建设局');
  await dialog.locator('[name="import"]').check();
  await dialog.locator('[name="import.reason"]').fill('系统上线前已启动，按纸质案卷补录。');
  await dialog.locator('[name="import.startedOn"]').fill(daysAgo(200));
  await dialog.locator('button[type="submit"]').click();
  await page.waitForURL(/#\/decisions\/D/);
  await page.waitForSelector('main[data-ready="true"]');
  const id = /decisions\/([^?]+)/.exec(page.url())![1];
  const banner = page.locator('.import-banner[data-open="true"]');
  expect(await banner.textContent()).toContain('补录中');
  expect(await banner.textContent()).toContain('系统上线前已启动，按纸质案卷补录。');
  expect(await banner.textContent()).toContain(`实际启动于${daysAgo(200)}`);

  // Starting a step asks the date it actually happened.
  await page.click('.outline li[data-step="initiation"] button');
  await page.click('.side-panel button[data-action="start"]');
  const start = page.locator('.side-panel .actions form.record-form');
  await start.locator('button[type="submit"]').click();
  expect(await start.locator('.field-error[data-error-for="occurredOn"]').textContent()).toContain('补录期间每项办理须填写实际办理日期');
  await start.locator('[name="occurredOn"]').fill(daysAgo(190));
  await start.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('g.djs-element[data-element-id="initiation"]')?.classList.contains('juece-active'));
  await p.post(`/api/decisions/${id}/steps/initiation/complete?occurredOn=${daysAgo(190)}`, { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: daysAgo(190) } }, 'office');
  await page.locator('.juece-imported[data-step="initiation"]').waitFor({ timeout: 15_000 });
  expect(await page.locator('.outline li[data-step="initiation"] .chip.imported').textContent()).toBe('补录');
  const imported = page.locator('.timeline .event.imported', { hasText: '办结' }).first();
  await imported.waitFor();
  expect(await imported.locator('.occurred-on').textContent()).toBe(`补录 实际办理日期 ${daysAgo(190)}`);
  await snap(page, 'import-open');

  await banner.locator('button.end-import').click();
  const ended = page.locator('.import-banner[data-open="false"]');
  await ended.waitFor();
  expect(await ended.textContent()).toContain('补录已结束');
  // From now on acts are dated by the system: no date field.
  await page.click('.outline li[data-step="drafting"] button');
  expect(await page.locator('.side-panel [name="occurredOn"]').count()).toBe(0);
});

test('Art. 37: the department reports a problem in execution; the head alone suspends it, and the suspension shows above everything', async () => {
  const id = await p.create({}, '银川市冬季清雪保障方案');
  await p.drafted(id);
  await p.throughParallel(id);
  await p.reviewed(id);
  await p.meet(id);
  for (const step of ['party_report', 'publication', 'archive'] as const) await p.perform(id, step, sample[step.replace('_', '-') as 'party-report' | 'publication' | 'archive']());
  await eventually(
    async () => (await h.api('GET', `/api/decisions/${id}`, undefined, 'zjj')).body,
    (v) => v.elements.implementation.status === 'enabled',
  );

  await signIn('zjj');
  await open(id, '?step=implementation');
  await page.click('.side-panel .execution-box button.report-problem');
  const report = page.locator('.side-panel .execution-form form');
  await report.locator('select[name="kind"]').selectOption('circumstances-changed');
  await report.locator('[name="description"]').fill('今冬降雪量远超预期，原定机械配置不足。');
  await report.locator('button[type="submit"]').click();
  await page.locator('.side-panel .problems li', { hasText: '原定机械配置不足' }).waitFor();
  expect(await page.locator('.side-panel button.suspend').count()).toBe(0);

  await signIn('vicemayor');
  await open(id, '?step=implementation');
  await page.locator('.side-panel .head-controls p').waitFor();
  expect(await page.locator('.side-panel button.suspend').count()).toBe(0);

  await signIn('mayor');
  await open(id, '?step=implementation');
  await page.click('.side-panel button.suspend');
  const suspend = page.locator('.side-panel .execution-form form');
  await suspend.locator('[name="reasons"]').fill('发生重大险情，先行中止执行。');
  await suspend.locator('button[type="submit"]').click();
  const banner = page.locator('.suspension-banner');
  await banner.waitFor();
  expect(await banner.textContent()).toContain('已中止执行');
  expect(await banner.textContent()).toContain('发生重大险情，先行中止执行。');
  expect(await banner.textContent()).toContain('孙市长 (mayor)');
  await page.locator('.side-panel button.resume').waitFor();
  await snap(page, 'execution-suspended');
});
