/**
 * People around a decision on the real stack: a legal adviser attached from initiation reads
 * and comments on every draft version and is invited to the meeting; advisers and invited
 * experts record their own opinions; declared conflicts of interest keep an expert out.
 */
import { eventually } from '../support/eventually';
import { startHarness, UNIT_OF, type Harness } from '../support/harness';
import { daysAgo, sample } from '../support/records';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('people');
});
afterAll(async () => {
  await h?.close();
});

const V1 = '银川市老旧小区改造三年行动计划（草案）\n第一条 为改善居住条件，制定本计划。\n第二条 改造资金由市、区两级财政按比例承担。';
const V2 = `${V1}\n第三条 业主应当缴纳改造保证金。`;

async function decisionAtDrafting() {
  const r = await h.api('POST', '/api/decisions', { title: '银川市老旧小区改造三年行动计划', ...UNIT_OF.zjj, category: 'plan' }, 'zjj');
  expect(r.status).toBe(201);
  return r.body.id as string;
}

test('an adviser attached at initiation comments on any draft version at any step, and is invited to the meeting', async () => {
  const id = await decisionAtDrafting();
  // Attached before initiation is even started: early intervention (提前介入).
  const attach = await h.api('POST', `/api/decisions/${id}/participants`, { username: 'lawyer', purpose: 'early-intervention', note: '全程参与' }, 'zjj');
  expect(attach.status).toBe(201);
  expect(attach.body).toMatchObject({ username: 'lawyer', name: '刘律师', role: 'legal-adviser', purpose: 'early-intervention', invitedBy: '张明 (zjj)' });
  // Attaching twice is the same attachment.
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'lawyer', purpose: 'early-intervention' }, 'zjj')).status).toBe(200);
  // Only advisers intervene early; only experts review.
  const wrongRole = await h.api('POST', `/api/decisions/${id}/participants`, { username: 'mayor', purpose: 'early-intervention' }, 'zjj');
  expect(wrongRole.status).toBe(400);
  expect(wrongRole.body.error.details[0].path).toBe('body.purpose');

  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content: V1 })).status).toBe(201);

  const c1 = await h.api('POST', `/api/decisions/${id}/drafts/1/comments`, { text: '第二条资金分担比例应明确。', quote: '按比例承担' }, 'lawyer');
  expect(c1.status).toBe(201);
  expect(c1.body).toMatchObject({ draftVersion: 1, author: 'lawyer', authorName: '刘律师', role: 'legal-adviser', quote: '按比例承担', stepIds: ['drafting'] });
  const badQuote = await h.api('POST', `/api/decisions/${id}/drafts/1/comments`, { text: '此处有误。', quote: '草案里没有的话' }, 'lawyer');
  expect(badQuote.status).toBe(400);
  expect(badQuote.body.error.details[0].path).toBe('body.quote');
  expect((await h.api('POST', `/api/decisions/${id}/drafts/9/comments`, { text: '不存在的版本。' }, 'lawyer')).status).toBe(404);

  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content: V2 })).status).toBe(201);
  expect((await h.api('POST', `/api/decisions/${id}/drafts/2/comments`, { text: '第三条设定保证金无法律依据。', quote: '改造保证金' }, 'lawyer')).status).toBe(201);
  // Comments on an older version remain, per version; everyone in scope reads them.
  const v1Comments = await h.api('GET', `/api/decisions/${id}/drafts/1/comments`, undefined, 'office');
  expect(v1Comments.body.items.map((c: { text: string }) => c.text)).toEqual(['第二条资金分担比例应明确。']);
  // The adviser reads every material: the draft and the audit trail.
  expect((await h.api('GET', `/api/decisions/${id}/drafts/2`, undefined, 'lawyer')).body.content).toBe(V2);
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`, undefined, 'lawyer')).body.items;
  expect(audit.filter((e: { action: string }) => e.action === 'comment')).toHaveLength(2);
  expect(audit.find((e: { action: string }) => e.action === 'invite')).toMatchObject({ actor: '张明 (zjj)', result: 'accepted' });

  // The adviser finds the decisions they are attached to.
  const mine = await eventually(
    () => h.api('GET', '/api/decisions?attached=true', undefined, 'lawyer'),
    (r) => r.body.items.some((d: { id: string }) => d.id === id),
  );
  expect(mine.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
  expect((await h.api('GET', '/api/decisions?attached=true', undefined, 'govlawyer')).body.total).toBe(0);

  // The meeting invitation: the secretariat invites the adviser to sit in.
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'lawyer', purpose: 'meeting' }, 'office')).status).toBe(201);
  const people = (await h.api('GET', `/api/decisions/${id}/participants`, undefined, 'zjj')).body.items;
  expect(people.map((p: { username: string; purpose: string }) => `${p.username}:${p.purpose}`)).toEqual(['lawyer:early-intervention', 'lawyer:meeting']);
  const inbox = (await h.api('GET', '/api/notifications', undefined, 'lawyer')).body.items;
  expect(inbox.filter((n: { kind: string; decisionId: string }) => n.kind === 'invited' && n.decisionId === id)).toHaveLength(2);
});

test('advisers and invited experts record their own opinions; others cannot', async () => {
  const id = await decisionAtDrafting();
  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  const none = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '尚无草案。' }, 'lawyer');
  expect(none.status).toBe(400);
  expect(none.body.error.details[0].path).toBe('body.draftVersion');
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content: V1 });

  const lawyer = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '草案符合上位法规定。', legalBases: ['《城乡规划法》'] }, 'lawyer');
  expect(lawyer.status).toBe(201);
  expect(lawyer.body).toMatchObject({ capacity: 'legal-adviser', draftVersion: 1, authorName: '刘律师', legalBases: ['《城乡规划法》'] });
  const gov = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '建议补充资金来源说明。' }, 'govlawyer');
  expect(gov.body.capacity).toBe('government-lawyer');
  expect((await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '我也想提意见。' }, 'zjj')).status).toBe(403);

  // An expert sees nothing until invited; then reads and gives an opinion.
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'expert')).status).toBe(403);
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj')).status).toBe(201);
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'expert')).status).toBe(200);
  const listed = await h.api('GET', '/api/decisions?pageSize=100', undefined, 'expert');
  expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
  const expert = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '改造范围划定合理。' }, 'expert');
  expect(expert.body.capacity).toBe('expert');
  const all = (await h.api('GET', `/api/decisions/${id}/opinions`, undefined, 'sfj')).body.items;
  expect(all.map((o: { capacity: string }) => o.capacity)).toEqual(['legal-adviser', 'government-lawyer', 'expert']);
});

test('an expert who declared a conflict of interest with the drafting unit is not invited, and the attempt is audited', async () => {
  const id = await decisionAtDrafting();
  const declared = await h.api('POST', '/api/me/conflicts', { party: '银川市住房和城乡建设局', note: '近三年承担该局委托课题' }, 'expert');
  expect(declared.status).toBe(201);
  expect(declared.body.conflicts[0]).toMatchObject({ party: '银川市住房和城乡建设局' });
  const me = (await h.api('GET', '/api/me', undefined, 'expert')).body;
  expect(me).toMatchObject({ username: 'expert', roles: ['expert'], expert: { field: '城市规划', affiliation: '宁夏大学', conflicts: [{ party: '银川市住房和城乡建设局', note: '近三年承担该局委托课题' }] } });
  const bank = (await h.api('GET', '/api/experts', undefined, 'zjj')).body.items;
  expect(bank.find((e: { username: string }) => e.username === 'expert')).toMatchObject({ field: '城市规划', affiliation: '宁夏大学', conflicts: [{ party: '银川市住房和城乡建设局' }] });

  const r = await h.api('POST', `/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj');
  expect(r.status).toBe(409);
  expect(r.body.error.code).toBe('CONFLICT_OF_INTEREST');
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`, undefined, 'zjj')).body.items;
  expect(audit.find((e: { code?: string }) => e.code === 'CONFLICT_OF_INTEREST')).toMatchObject({ result: 'refused', action: 'invite', actor: '张明 (zjj)' });
});

test("the legality opinion must take in every adviser's opinion on the draft under review (Art. 28)", async () => {
  const id = await decisionAtDrafting();
  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content: V1 });
  for (const [step, record] of [['drafting', sample.drafting()], ['public_participation', sample['public-participation']()]] as const) {
    expect((await h.api('POST', `/api/decisions/${id}/steps/${step}/start`, {})).status).toBe(200);
    expect((await h.api('POST', `/api/decisions/${id}/steps/${step}/complete`, record)).status).toBe(200);
  }
  expect((await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '第二条应明确分担比例。' }, 'lawyer')).status).toBe(201);
  expect((await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '未发现违法情形。' }, 'govlawyer')).status).toBe(201);
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, { submittedOn: daysAgo(30) })).status).toBe(200);

  const review = sample['legality-review']();
  const partial = { ...review, legalAdviserOpinions: [{ name: '刘律师', capacity: 'legal-adviser', opinion: '第二条应明确分担比例。' }] };
  const refused = await h.api('POST', `/api/decisions/${id}/steps/legality_review/complete`, partial);
  expect(refused.status).toBe(409);
  expect(refused.body.error.details[0]).toMatchObject({ code: 'ADVISER_OPINION_OMITTED', article: 'Decree 713 Art. 28' });
  expect(refused.body.error.details[0].zh).toContain('陈律师');
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items;
  expect(audit.find((e: { code?: string; stepId?: string }) => e.code === 'STEP_BLOCKED' && e.stepId === 'legality_review')).toMatchObject({ result: 'refused', actor: '赵审查 (sfj)' });

  const whole = { ...partial, legalAdviserOpinions: [...partial.legalAdviserOpinions, { name: '陈律师', capacity: 'government-lawyer', opinion: '未发现违法情形。' }] };
  const done = await h.api('POST', `/api/decisions/${id}/steps/legality_review/complete`, whole);
  expect(done.status).toBe(200);
  expect(done.body.elements.legality_review.status).toBe('completed');
});

test('the organisation directory shows one agency to its staff and every overseen agency to supervisors', async () => {
  const office = (await h.api('GET', '/api/organisations?kind=department', undefined, 'office')).body.items.map((o: { name: string }) => o.name);
  expect(office).toEqual(['银川市发展和改革委员会', '银川市住房和城乡建设局']);
  const supervisor = (await h.api('GET', '/api/organisations?kind=department', undefined, 'supervisor')).body.items.map((o: { name: string }) => o.name);
  expect(supervisor).toEqual(expect.arrayContaining(['银川市住房和城乡建设局', '石嘴山市交通运输局']));
  expect((await h.api('GET', '/api/organisations?kind=nonsense', undefined, 'office')).status).toBe(400);
});

test("the meeting roster: the agency's members, the head last (Art. 30), and the advisers sitting in", async () => {
  const id = await decisionAtDrafting();
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'lawyer', purpose: 'early-intervention' }, 'zjj')).status).toBe(201);
  const r = await h.api('GET', `/api/decisions/${id}/meeting`, undefined, 'office');
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    agency: '银川市人民政府',
    onFile: true,
    head: { username: 'mayor', name: '孙市长' },
    members: [{ username: 'vicemayor', name: '钱副市长' }],
    sittingIn: [{ username: 'lawyer', name: '刘律师', role: 'legal-adviser' }],
    attendees: ['钱副市长', '孙市长', '刘律师'],
    speakers: [
      { speaker: '钱副市长', capacity: 'member' },
      { speaker: '孙市长', capacity: 'head' },
    ],
  });
});
