/**
 * The legality reviewer's aids on the real stack: a draft goes to legality review, comes back
 * "lawful with changes", is revised — and the reviewer sees exactly what changed since they
 * looked, and which passages may create licensing, penalties, coercion or fees.
 */
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('review');
});
afterAll(async () => {
  await h?.close();
});

const NO_FACTS = { technical: false, stabilityRisk: false, affectsMarketEntities: false };

const V1 = [
  '彭阳县民宿经营管理办法（草案）',
  '第一条 为规范本县民宿经营，制定本办法。',
  '第二条 开办民宿的，应当取得县文化旅游广电局核发的民宿经营许可证。',
  '第三条 申请人应当在取得营业执照之日起三十日内提交申请材料。',
  '第四条 民宿经营者应当缴纳卫生保证金三千元。',
  '第五条 本办法自发布之日起施行。',
].join('\n');

/** The revision after the legality review: 30 → 15 days, the deposit dropped, a penalty added. */
const V2 = [
  '彭阳县民宿经营管理办法（草案）',
  '第一条 为规范本县民宿经营，制定本办法。',
  '第二条 开办民宿的，应当取得县文化旅游广电局核发的民宿经营许可证。',
  '第三条 申请人应当在取得营业执照之日起十五日内提交申请材料。',
  '第四条 违反第二条规定的，由县文化旅游广电局处五千元罚款。',
  '第五条 本办法自发布之日起施行。',
].join('\n');

async function create(title = '彭阳县民宿经营管理办法') {
  const r = await h.api('POST', '/api/decisions', { title, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy', facts: NO_FACTS });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  if (r.status !== 200) throw new Error(`${action} ${step}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function perform(id: string, step: string, record: unknown) {
  await act(id, step, 'start');
  return act(id, step, 'complete', record);
}

async function draft(id: string, content: string) {
  const r = await h.api('POST', `/api/decisions/${id}/drafts`, { title: '民宿经营管理办法（草案）', content });
  expect(r.status).toBe(201);
  return r.body as { version: number; hash: string };
}

/** The legal adviser's own opinion on the current draft, which the review must take in (Art. 28); returns its id. */
async function adviserOpinion(id: string): Promise<string> {
  const r = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '草案须对照上位法逐条审查。' }, 'lawyer');
  expect(r.status).toBe(201);
  return r.body.id as string;
}

test('after a lawful-with-changes review and a revision, the reviewer sees what changed since v1 and the flags in v2', async () => {
  const id = await create();
  await perform(id, 'initiation', sample.initiation());
  const v1 = await draft(id, V1);
  expect(v1.version).toBe(1);
  await perform(id, 'drafting', sample.drafting());
  await perform(id, 'public_participation', sample['public-participation']());

  // Before any review, with one draft: nothing to compare with; v1's flags.
  let aids = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(aids.status).toBe(200);
  expect(aids.body.current).toMatchObject({ version: 1, hash: v1.hash, title: '民宿经营管理办法（草案）' });
  expect(aids.body.lastReviewed).toBeNull();
  expect(aids.body.diffSinceLastReview).toBeNull();
  expect(aids.body.flags.map((f: { category: string }) => f.category)).toEqual(['licensing', 'fee']);

  let view = await perform(id, 'legality_review', { ...sample['legality-review']('lawful-with-changes', [await adviserOpinion(id)]), opinion: '第四条收取保证金无法律依据，应予删除；第三条期限过长。' });
  expect(view.elements.revise_for_legality.status).toBe('enabled');
  await act(id, 'revise_for_legality', 'start');
  const v2 = await draft(id, V2);
  expect(v2.version).toBe(2);
  view = await act(id, 'revise_for_legality', 'complete', sample.revision());
  expect(view.elements.legality_review.status).toBe('enabled');

  aids = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(aids.status).toBe(200);
  expect(aids.body.current).toMatchObject({ version: 2, hash: v2.hash });
  expect(aids.body.lastReviewed).toMatchObject({ version: 1, hash: v1.hash, action: 'complete', outcome: 'lawful-with-changes', reviewedBy: '赵审查 (sfj)', round: 1 });
  expect(aids.body.diffBase).toMatchObject({ version: 1, reason: 'last-review' });
  const diff = aids.body.diffSinceLastReview;
  const edits = diff.segments.filter((s: { op: string }) => s.op !== 'equal');
  expect(edits[0]).toEqual({ op: 'delete', text: '三十' });
  expect(edits[1]).toEqual({ op: 'insert', text: '十五' });
  // The rewritten 第四条 shares too little with the old one to pair: shown whole, out and in.
  expect(edits[2]).toEqual({ op: 'delete', text: '第四条 民宿经营者应当缴纳卫生保证金三千元。\n' });
  expect(edits[3]).toEqual({ op: 'insert', text: '第四条 违反第二条规定的，由县文化旅游广电局处五千元罚款。\n' });
  expect(diff.changedClauses.map((c: { kind: string; before: number | null; after: number | null }) => [c.kind, c.before, c.after])).toEqual([
    ['modified', 3, 3],
    ['deleted', 4, null],
    ['inserted', null, 4],
  ]);
  expect(diff.segments.filter((s: { op: string }) => s.op !== 'insert').map((s: { text: string }) => s.text).join('')).toBe(V1);
  expect(diff.segments.filter((s: { op: string }) => s.op !== 'delete').map((s: { text: string }) => s.text).join('')).toBe(V2);
  // v2's flags: the licence stays, the deposit is gone, the new fine is flagged — each by offsets.
  const flags = aids.body.flags as Array<{ category: string; start: number; end: number; excerpt: string; clauseIndex: number }>;
  expect(flags.map((f) => f.category)).toEqual(['licensing', 'penalty']);
  for (const f of flags) expect(V2.slice(f.start, f.end)).toBe(f.excerpt);
  expect(flags[1]).toMatchObject({ excerpt: '处五千元罚款', clauseIndex: 4 });

  // The diff route gives the same comparison, named by versions; reversed, the edits swap.
  const d12 = await h.api('GET', `/api/decisions/${id}/drafts/1/diff/2`, undefined, 'lawyer');
  expect(d12.status).toBe(200);
  expect(d12.body.from).toEqual({ version: 1, hash: v1.hash, title: '民宿经营管理办法（草案）' });
  expect(d12.body.to).toEqual({ version: 2, hash: v2.hash, title: '民宿经营管理办法（草案）' });
  expect(d12.body.diff).toEqual(diff);
  const d21 = await h.api('GET', `/api/decisions/${id}/drafts/2/diff/1`, undefined, 'lawyer');
  expect(d21.body.diff.segments.filter((s: { op: string }) => s.op !== 'equal').slice(0, 2)).toEqual([
    { op: 'delete', text: '十五' },
    { op: 'insert', text: '三十' },
  ]);
  expect(d21.body.diff.stats).toEqual({ inserted: diff.stats.deleted, deleted: diff.stats.inserted, changedClauses: 3 });
  const same = await h.api('GET', `/api/decisions/${id}/drafts/2/diff/2`, undefined, 'lawyer');
  expect(same.body.diff.stats).toEqual({ inserted: 0, deleted: 0, changedClauses: 0 });

  // The scan route, per version.
  const s1 = await h.api('GET', `/api/decisions/${id}/drafts/1/scan`, undefined, 'lawyer');
  expect(s1.status).toBe(200);
  expect(s1.body.version).toBe(1);
  expect(s1.body.flags.map((f: { category: string; excerpt: string }) => [f.category, f.excerpt])).toEqual([
    ['licensing', '应当取得县文化旅游广电局核发的民宿经营许可证'],
    ['fee', '缴纳卫生保证金'],
  ]);
  expect(s1.body.flags[1].basis.zh).toContain('需重点审查');
  const s2 = await h.api('GET', `/api/decisions/${id}/drafts/2/scan`, undefined, 'lawyer');
  expect(s2.body).toMatchObject({ version: 2, hash: v2.hash });
  expect(s2.body.flags).toEqual(flags);

  // The second review covers v2: nothing has changed since.
  view = await perform(id, 'legality_review', sample['legality-review']('lawful', [await adviserOpinion(id)]));
  expect(view.elements.collective_decision.status).toBe('enabled');
  aids = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(aids.body.lastReviewed).toMatchObject({ version: 2, outcome: 'lawful', round: 2 });
  expect(aids.body.diffSinceLastReview.stats).toEqual({ inserted: 0, deleted: 0, changedClauses: 0 });
});

test('never reviewed: the aids compare with version 1; after a return, with the version returned', async () => {
  const id = await create('彭阳县民宿经营管理办法（第二件）');
  await perform(id, 'initiation', sample.initiation());
  await draft(id, V1);
  await draft(id, V2);
  let aids = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(aids.status).toBe(200);
  expect(aids.body.current.version).toBe(2);
  expect(aids.body.lastReviewed).toBeNull();
  expect(aids.body.diffBase).toMatchObject({ version: 1, reason: 'first-draft' });
  expect(aids.body.diffSinceLastReview.stats.changedClauses).toBe(3);
  expect(aids.body.flags.map((f: { category: string }) => f.category)).toEqual(['licensing', 'penalty']);

  // The review body returns v2 for incomplete materials (Art. 26); v3 adds a clause.
  await perform(id, 'drafting', sample.drafting());
  await perform(id, 'public_participation', sample['public-participation']());
  await act(id, 'legality_review', 'start');
  await act(id, 'legality_review', 'return', { reason: '未附起草说明和法律依据对照表。' });
  await act(id, 'revise_for_legality', 'start');
  const added = '第四条之一 民宿经营者应当公示收费标准，不得收取标准以外的费用。';
  const v3 = V2.replace('第五条', `${added}\n第五条`);
  await draft(id, v3);
  aids = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(aids.body.current.version).toBe(3);
  expect(aids.body.lastReviewed).toMatchObject({ version: 2, action: 'return', outcome: null });
  expect(aids.body.diffBase).toMatchObject({ version: 2, reason: 'last-review' });
  expect(aids.body.diffSinceLastReview.segments.filter((x: { op: string }) => x.op !== 'equal')).toEqual([{ op: 'insert', text: `${added}\n` }]);
  // 公示收费标准 is flagged as a fee to check; the prohibition after 不得 is not.
  const fees = aids.body.flags.filter((f: { category: string }) => f.category === 'fee');
  expect(fees.map((f: { excerpt: string; clauseIndex: number }) => [f.excerpt, f.clauseIndex])).toEqual([['收费', 5]]);
});

test('a decision without drafts has no aids yet; unknown versions and decisions are 404, bad versions 400', async () => {
  const id = await create('彭阳县民宿经营管理办法（第三件）');
  const empty = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(empty.status).toBe(200);
  expect(empty.body).toEqual({ current: null, lastReviewed: null, diffBase: null, diffSinceLastReview: null, flags: [] });

  await perform(id, 'initiation', sample.initiation());
  await draft(id, V1);
  for (const path of [`/api/decisions/${id}/drafts/1/diff/9`, `/api/decisions/${id}/drafts/9/diff/1`, `/api/decisions/${id}/drafts/9/scan`]) {
    const r = await h.api('GET', path, undefined, 'lawyer');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    expect(r.body.error.message).toMatch(/no draft version 9/);
  }
  for (const path of ['/api/decisions/Dnope-0000/review-aids', '/api/decisions/Dnope-0000/drafts/1/diff/2', '/api/decisions/Dnope-0000/drafts/1/scan']) {
    const r = await h.api('GET', path, undefined, 'lawyer');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/No decision Dnope-0000/);
  }
  for (const path of [`/api/decisions/${id}/drafts/0/scan`, `/api/decisions/${id}/drafts/abc/diff/1`]) {
    const r = await h.api('GET', path, undefined, 'lawyer');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
  }
});

test('the aids page their output and cap their input: a long draft is scanned in part and not compared', async () => {
  const id = await create('彭阳县民宿经营管理办法（第四件）');
  await perform(id, 'initiation', sample.initiation());
  await draft(id, V1);
  await draft(id, V2);
  // Pages: flags and the diff's segments, with their totals.
  const firstFlag = await h.api('GET', `/api/decisions/${id}/drafts/1/scan?limit=1`, undefined, 'lawyer');
  const secondFlag = await h.api('GET', `/api/decisions/${id}/drafts/1/scan?offset=1&limit=1`, undefined, 'lawyer');
  expect([firstFlag.body.flags.map((f: { category: string }) => f.category), firstFlag.body.flagsPage]).toEqual([['licensing'], { offset: 0, limit: 1, total: 2 }]);
  expect(secondFlag.body.flags.map((f: { category: string }) => f.category)).toEqual(['fee']);
  const whole = await h.api('GET', `/api/decisions/${id}/drafts/1/diff/2`, undefined, 'lawyer');
  const paged = await h.api('GET', `/api/decisions/${id}/drafts/1/diff/2?offset=2&limit=2`, undefined, 'lawyer');
  expect(paged.body.page).toEqual({ offset: 2, limit: 2, total: whole.body.diff.segments.length });
  expect(paged.body.diff.segments).toEqual(whole.body.diff.segments.slice(2, 4));
  expect(paged.body.diff.stats).toEqual(whole.body.diff.stats);
  for (const q of ['limit=0', 'limit=100000', 'offset=-1', 'offset=x']) {
    const r = await h.api('GET', `/api/decisions/${id}/drafts/1/diff/2?${q}`, undefined, 'lawyer');
    expect({ q, status: r.status, path: r.body.error?.details?.[0]?.path?.split('.')[0] }).toEqual({ q, status: 400, path: 'query' });
  }

  // A draft past what the aids read (it may hold 2,000,000 characters; they read 500,000).
  const long = '第六条 违反本办法的，处一千元罚款。\n'.repeat(30_000).trim();
  expect(long.length).toBeGreaterThan(500_000);
  await draft(id, long);
  const scan = await h.api('GET', `/api/decisions/${id}/drafts/3/scan`, undefined, 'lawyer');
  expect(scan.status).toBe(200);
  expect(scan.body.scanned).toEqual({ chars: 500_000, of: long.length });
  expect(scan.body.flags).toHaveLength(200);
  expect(scan.body.flagsPage.total).toBeGreaterThan(20_000);
  const tooLong = await h.api('GET', `/api/decisions/${id}/drafts/2/diff/3`, undefined, 'lawyer');
  expect([tooLong.status, tooLong.body.error.code, tooLong.body.error.details[0].path]).toEqual([413, 'PAYLOAD_TOO_LARGE', 'params.to']);
  const aids = await h.api('GET', `/api/decisions/${id}/review-aids`, undefined, 'lawyer');
  expect(aids.status).toBe(200);
  expect(aids.body).toMatchObject({ diffSinceLastReview: null, diffOmitted: { reason: 'too-large', maxChars: 500_000 }, scanned: { chars: 500_000, of: long.length } });
});

test('the routes are in the OpenAPI document', async () => {
  const r = await h.api('GET', '/api/openapi.json');
  expect(r.body.paths['/api/decisions/{id}/drafts/{from}/diff/{to}'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'from', 'to', 'offset', 'limit']);
  expect(r.body.paths['/api/decisions/{id}/drafts/{from}/diff/{to}'].get.responses['413']).toBeDefined();
  expect(r.body.paths['/api/decisions/{id}/drafts/{version}/scan'].get).toBeDefined();
  expect(r.body.paths['/api/decisions/{id}/review-aids'].get.responses['404']).toBeDefined();
});
