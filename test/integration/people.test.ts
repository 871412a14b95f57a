/**
 * People around a decision on the real stack: a legal adviser attached from initiation reads
 * and comments on every draft version and is invited to the meeting; advisers and invited
 * experts record their own opinions; declared conflicts of interest keep an expert out.
 */
import crypto from 'node:crypto';
import { eventually } from '../support/eventually';
import { startHarness, UNIT_OF, type Harness } from '../support/harness';
import { sample } from '../support/records';

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
  expect(lawyer.body).toMatchObject({ capacity: 'legal-adviser', draftVersion: 1, author: 'lawyer', authorName: '刘律师', legalBases: ['《城乡规划法》'], source: 'account', recordedBy: '刘律师 (lawyer)' });
  const gov = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '建议补充资金来源说明。' }, 'govlawyer');
  expect(gov.body.capacity).toBe('government-lawyer');
  expect((await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '我也想提意见。' }, 'zjj')).status).toBe(403);

  // An expert sees nothing until invited (the decision does not exist for them); then reads and gives an opinion.
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'expert')).status).toBe(404);
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj')).status).toBe(201);
  expect((await h.api('GET', `/api/decisions/${id}`, undefined, 'expert')).status).toBe(200);
  const listed = await h.api('GET', '/api/decisions?pageSize=100', undefined, 'expert');
  expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
  // An expert declares whether they have a direct interest in the matter (Art. 20): undeclared is a form
  // error, an interest is a statutory refusal; either way the opinion is not kept.
  const undeclared = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '改造范围划定合理。' }, 'expert');
  expect([undeclared.status, undeclared.body.error.details[0].path]).toEqual([400, 'noDirectInterest']);
  const interested = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '改造范围划定合理。', noDirectInterest: false }, 'expert');
  expect([interested.status, interested.body.error.details[0].code]).toEqual([409, 'EXPERT_HAS_DIRECT_INTEREST']);
  const expert = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '改造范围划定合理。', noDirectInterest: true }, 'expert');
  expect(expert.status).toBe(201);
  expect(expert.body).toMatchObject({ capacity: 'expert', noDirectInterest: true });
  const all = (await h.api('GET', `/api/decisions/${id}/opinions`, undefined, 'sfj')).body.items;
  expect(all.map((o: { capacity: string }) => o.capacity)).toEqual(['legal-adviser', 'government-lawyer', 'expert']);
  // The decision's workflow holds each opinion by author, version and hash: what the reviews cite.
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'sfj')).body;
  expect(view.opinions.map((o: { id: string; author: string; hash: string }) => [o.id, o.author, o.hash])).toEqual(
    all.map((o: { id: string; author: string; opinion: string }) => [o.id, o.author, crypto.createHash('sha256').update(o.opinion, 'utf8').digest('hex')]),
  );
});

test('a signed opinion document is put on file for the person who signed it, by the body that organises their opinion', async () => {
  const id = await decisionAtDrafting();
  await h.api('POST', `/api/decisions/${id}/steps/initiation/start`, {});
  await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（草案）', content: V1 });
  const DOC = Buffer.from('%PDF-1.4 法律意见书（经本人签字）', 'utf8');
  const signed = async (as: string, query: Record<string, string>, bytes = DOC) => {
    const res = await fetch(`${h.baseUrl}/api/decisions/${id}/opinions/signed?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { ...(await h.authHeaders(as)), 'x-filename': encodeURIComponent('法律意见书（签字）.pdf'), 'content-type': 'application/pdf' },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, body: await res.json() };
  };
  const summary = '第二条资金分担比例应予明确。';

  // An adviser's signed opinion reaches the legality review body, which puts it on file in the adviser's name.
  expect((await signed('zjj', { author: 'govlawyer', summary })).status).toBe(403);
  const notAdviser = await signed('sfj', { author: 'zjj', summary });
  expect([notAdviser.status, notAdviser.body.error.details[0].path]).toEqual([400, 'query.author']);
  const adviser = await signed('sfj', { author: 'govlawyer', summary });
  expect(adviser.status).toBe(201);
  expect(adviser.body).toMatchObject({ author: 'govlawyer', authorName: '陈律师', capacity: 'government-lawyer', source: 'signed-document', recordedBy: '赵审查 (sfj)', draftVersion: 1, opinion: summary });
  expect(adviser.body.hash).toBe(crypto.createHash('sha256').update(DOC).digest('hex'));

  // An expert's signed opinion is put on file by the drafting side, only for an invited expert who affirms no direct interest.
  const uninvited = await signed('zjj', { author: 'expert', summary: '改造范围划定合理。', noDirectInterest: 'true' });
  expect([uninvited.status, uninvited.body.error.details[0].path]).toEqual([400, 'query.author']);
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'expert', purpose: 'expert-review' }, 'zjj')).status).toBe(201);
  expect((await signed('sfj', { author: 'expert', summary: '改造范围划定合理。', noDirectInterest: 'true' })).status).toBe(403);
  const undeclared = await signed('zjj', { author: 'expert', summary: '改造范围划定合理。' }, Buffer.from('%PDF-1.4\n未声明利害关系的意见'));
  expect([undeclared.status, undeclared.body.error.details[0].path]).toEqual([400, 'noDirectInterest']);
  const interested = await signed('zjj', { author: 'expert', summary: '改造范围划定合理。', noDirectInterest: 'false' }, Buffer.from('%PDF-1.4\n声明有利害关系的意见'));
  expect([interested.status, interested.body.error.details[0].code]).toEqual([409, 'EXPERT_HAS_DIRECT_INTEREST']);
  const expert = await signed('zjj', { author: 'expert', summary: '改造范围划定合理。', noDirectInterest: 'true' }, Buffer.from('%PDF-1.4\n专家论证意见（签字）'));
  expect(expert.status).toBe(201);
  expect(expert.body).toMatchObject({ author: 'expert', authorName: '吴教授', capacity: 'expert', source: 'signed-document', recordedBy: '张明 (zjj)', noDirectInterest: true });

  // The workflow holds both, attributed to their authors; a refused document left nothing behind.
  const view = (await h.api('GET', `/api/decisions/${id}`, undefined, 'sfj')).body;
  expect(view.opinions.map((o: { author: string; source: string; recordedBy: string }) => [o.author, o.source, o.recordedBy])).toEqual([
    ['govlawyer', 'signed-document', '赵审查 (sfj)'],
    ['expert', 'signed-document', '张明 (zjj)'],
  ]);
  expect((await h.api('GET', `/api/decisions/${id}/opinions`, undefined, 'sfj')).body.items).toHaveLength(2);
  const files = await h.deps.store.db!.collection('attachments.files').find({ 'metadata.decisionId': id }).toArray();
  expect(files.map((f) => f.metadata?.opinionOf).sort()).toEqual(['expert', 'govlawyer']);
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
  const first = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '第二条应明确分担比例。' }, 'lawyer');
  const second = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '未发现违法情形。' }, 'govlawyer');
  expect([first.status, second.status]).toEqual([201, 201]);
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {})).status).toBe(200);

  // The review cites only the first adviser's opinion: the second, on the same draft, is left out.
  const refused = await h.api('POST', `/api/decisions/${id}/steps/legality_review/complete`, sample['legality-review']('lawful', [first.body.id]));
  expect(refused.status).toBe(409);
  expect(refused.body.error.details[0]).toMatchObject({ code: 'ADVISER_OPINION_OMITTED', article: 'Decree 713 Art. 28', class: 'statutory' });
  expect(refused.body.error.details[0].zh).toContain('陈律师');
  expect(refused.body.error.details[0].zh).not.toContain('刘律师');
  const audit = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items;
  expect(audit.find((e: { code?: string; stepId?: string }) => e.code === 'STEP_BLOCKED' && e.stepId === 'legality_review')).toMatchObject({ result: 'refused', actor: '赵审查 (sfj)', class: 'statutory' });

  // An opinion typed into the review instead of given by the adviser is not on file.
  const typed = await h.api('POST', `/api/decisions/${id}/steps/legality_review/complete`, sample['legality-review']('lawful', [first.body.id, second.body.id, 'typed-by-the-reviewer']));
  expect([typed.status, typed.body.error.details.map((d: { code: string }) => d.code)]).toEqual([409, ['OPINION_NOT_ON_FILE']]);

  const done = await h.api('POST', `/api/decisions/${id}/steps/legality_review/complete`, sample['legality-review']('lawful', [first.body.id, second.body.id]));
  expect(done.status).toBe(200);
  expect(done.body.elements.legality_review.status).toBe('completed');
  const record = done.body.records.find((r: { kind: string; action: string }) => r.kind === 'legality-review' && r.action === 'complete');
  expect(record.data.adviserOpinions).toEqual([first.body.id, second.body.id]);
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
    // The minutes form's starting point, by login name (the minutes name people on the roster, never typed names).
    attendees: ['vicemayor', 'mayor'],
    sittingInNames: ['刘律师'],
    speakers: [
      { speaker: 'vicemayor', name: '钱副市长', capacity: 'member' },
      { speaker: 'mayor', name: '孙市长', capacity: 'head' },
    ],
  });
});
