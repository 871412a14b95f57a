/**
 * The annual decision catalogue through the real stack (Decree 713 Art. 3(3); Ningxia Decree 115
 * Art. 4): the office drafts it, the Party committee's consent comes before publication and again
 * before every adjustment, the public reads it without signing in, decisions carry out its items,
 * items late against their quarter are flagged, and — with the deployment's full-procedure policy
 * on — a catalogue item cannot skip a procedure of the five unless the decision body exempts it.
 */
import { apiPaths } from '../support/api-paths';
import { startHarness, type Harness } from '../support/harness';
import { findingsFor, sample, today } from '../support/records';
import { readZip } from '../support/zip';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('catalogue');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;

const YEAR = Number(today().slice(0, 4));
const item = (title: string, quarter: number, over: Record<string, unknown> = {}) => ({
  title,
  draftingUnit: '银川市住房和城乡建设局',
  category: 'plan',
  quarter,
  basis: '《银川市国民经济和社会发展第十五个五年规划纲要》',
  ...over,
});
const consent = (ref = '银党办函〔2026〕12号') => ({ committee: '中共银川市委', documentRef: ref, consentedOn: today() });

/** A published catalogue of the Yinchuan government for a year, with these items. */
async function published(year: number, items: Json[]): Promise<Json> {
  await p.post('/api/catalogues', { year }, 'office', 201);
  await p.post(`/api/catalogues/yinchuan-${year}/draft`, { items }, 'office');
  await p.post(`/api/catalogues/yinchuan-${year}/consent`, consent(), 'office');
  return p.post(`/api/catalogues/yinchuan-${year}/publish`, {}, 'office');
}

test('Art. 3(3): a catalogue is published only once the Party committee has consented to its content, and every adjustment needs consent again', async () => {
  const cid = `yinchuan-${YEAR}`;
  expect((await h.api('POST', '/api/catalogues', { year: YEAR }, 'zjj')).status).toBe(403);
  await p.post('/api/catalogues', { year: YEAR }, 'office', 201);
  const dup = await h.api('POST', '/api/catalogues', { year: YEAR }, 'office');
  expect([dup.status, dup.body.error.code]).toEqual([409, 'ALREADY_EXISTS']);
  const saved = await p.post(`/api/catalogues/${cid}/draft`, { items: [item('银川市老旧小区改造三年行动计划', 2), item('银川市城市供水价格调整方案', 3, { draftingUnit: '银川市发展和改革委员会', category: 'public-policy' })] }, 'office');
  expect(saved.draft.items.map((i: Json) => [i.id, i.no])).toEqual([
    [`${cid}-01`, 1],
    [`${cid}-02`, 2],
  ]);

  // Publication without consent is refused with the rule, and the refusal is kept with the catalogue.
  const early = await h.api('POST', `/api/catalogues/${cid}/publish`, {}, 'office');
  expect([early.status, early.body.error.code, early.body.error.details[0].code, early.body.error.details[0].class]).toEqual([409, 'STEP_BLOCKED', 'CATALOGUE_CONSENT_MISSING', 'statutory']);
  expect(early.body.error.details[0]).toMatchObject({ article: 'Decree 713 Art. 3(3); Ningxia Decree 115 Art. 4', zh: expect.stringContaining('经同级党委同意后向社会公布') });
  expect((await fetch(`${h.baseUrl}/catalogues/${cid}`)).status).toBe(404);

  // Consent binds to the content: a change after it needs consent again.
  await p.post(`/api/catalogues/${cid}/consent`, consent(), 'office');
  const changed = await p.post(`/api/catalogues/${cid}/draft`, { items: [...saved.draft.items.map(({ no, ...i }: Json) => (void no, i)), item('银川市中心城区停车设施专项规划', 4)] }, 'office');
  expect(changed.draft).toMatchObject({ consent: null, consentCurrent: false });
  expect((await h.api('POST', `/api/catalogues/${cid}/publish`, {}, 'office')).status).toBe(409);
  await p.post(`/api/catalogues/${cid}/consent`, consent(), 'office');
  const v1 = await p.post(`/api/catalogues/${cid}/publish`, {}, 'office');
  expect([v1.published, v1.draft, v1.versions[0].consent.committee]).toEqual([1, null, '中共银川市委']);
  expect(v1.history.map((e: Json) => [e.action, e.result])).toEqual([
    ['create', 'accepted'],
    ['draft', 'accepted'],
    ['publish', 'refused'],
    ['consent', 'accepted'],
    ['draft', 'accepted'],
    ['publish', 'refused'],
    ['consent', 'accepted'],
    ['publish', 'accepted'],
  ]);

  // The public reads it without signing in: JSON, a page, CSV and Excel.
  const pub = await h.api('GET', `/api/public/catalogues/${cid}`, undefined, null);
  expect([pub.status, pub.body.version, pub.body.items.map((i: Json) => i.title)]).toEqual([200, 1, ['银川市老旧小区改造三年行动计划', '银川市城市供水价格调整方案', '银川市中心城区停车设施专项规划']]);
  const pageRes = await fetch(`${h.baseUrl}/catalogues/${cid}`);
  const html = await pageRes.text();
  expect(html).toContain(`银川市人民政府${YEAR}年度重大行政决策事项目录`);
  expect(html).toContain('经中共银川市委同意');
  expect(html).not.toContain('<script');
  expect(pageRes.headers.get('content-security-policy')).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
  const csvBytes = Buffer.from(await (await fetch(`${h.baseUrl}/api/public/catalogues/${cid}/export.csv`)).arrayBuffer());
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
  const csv = csvBytes.subarray(3).toString('utf8');
  expect(csv.split('\r\n')[0]).toBe('序号,决策事项名称,承办单位,事项类别,计划完成时间,决策依据,拟公众参与,拟专家论证,拟风险评估,备注');
  expect(csv).toContain('2,银川市城市供水价格调整方案,银川市发展和改革委员会,重大公共政策和措施,第三季度');
  const xlsxRes = await fetch(`${h.baseUrl}/api/public/catalogues/${cid}/export.xlsx`);
  expect(xlsxRes.headers.get('content-type')).toContain('spreadsheetml');
  const parts = await readZip(Buffer.from(await xlsxRes.arrayBuffer()));
  expect(parts.map((e) => e.name).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
  const sheet = parts.find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
  expect(sheet).toContain('<t xml:space="preserve">银川市中心城区停车设施专项规划</t>');
  expect(sheet.match(/<row /g)).toHaveLength(4);

  // An adjustment: its reason, items keep their ids, consent again, a second version beside the first.
  const noReason = await h.api('POST', `/api/catalogues/${cid}/draft`, { items: [item('银川市老旧小区改造三年行动计划', 2)] }, 'office');
  expect([noReason.status, noReason.body.error.details[0].path]).toEqual([400, 'body.reason']);
  const kept = v1.versions[0].items.filter((i: Json) => i.no !== 2).map(({ no, ...i }: Json) => (void no, i));
  const adjusting = await p.post(`/api/catalogues/${cid}/draft`, { items: kept, reason: '供水价格调整方案因上级政策变化推迟至下一年度。' }, 'office');
  expect([adjusting.draft.version, adjusting.draft.items.map((i: Json) => i.id)]).toEqual([2, [`${cid}-01`, `${cid}-03`]]);
  const refused = await h.api('POST', `/api/catalogues/${cid}/publish`, {}, 'office');
  expect([refused.status, refused.body.error.details[0].code]).toEqual([409, 'CATALOGUE_CONSENT_MISSING']);
  await p.post(`/api/catalogues/${cid}/consent`, consent('银党办函〔2026〕31号'), 'office');
  const v2 = await p.post(`/api/catalogues/${cid}/publish`, {}, 'office');
  expect(v2.versions.map((v: Json) => [v.version, v.items.length, v.adjustment?.reason ?? null])).toEqual([
    [1, 3, null],
    [2, 2, '供水价格调整方案因上级政策变化推迟至下一年度。'],
  ]);
  expect((await h.api('GET', `/api/public/catalogues/${cid}?version=1`, undefined, null)).body.items).toHaveLength(3);
  expect((await h.api('GET', `/api/public/catalogues/${cid}`, undefined, null)).body).toMatchObject({ version: 2, versions: 2, consent: { documentRef: '银党办函〔2026〕31号' } });

  // Another agency's office cannot touch it; the supervisors read it.
  expect((await h.api('POST', `/api/catalogues/${cid}/draft`, { items: kept, reason: '试图修改其他机关的目录。' }, 'szsoffice')).status).toBe(404);
  expect((await h.api('GET', `/api/catalogues/${cid}`, undefined, 'supervisor')).body.published).toBe(2);
  expect((await h.api('GET', `/api/catalogues/${cid}`, undefined, 'szsjt')).status).toBe(404);
});

test('decisions carry out catalogue items; items not started or overdue against their quarter are flagged', async () => {
  // Last year's catalogue: every quarter has ended.
  const year = YEAR - 1;
  const cid = `yinchuan-${year}`;
  await published(year, [item('银川市老旧小区改造三年行动计划', 1), item('银川市公共停车场收费标准调整', 2), item('银川市生活垃圾分类实施方案', 4)]);
  const body = { title: '银川市老旧小区改造三年行动计划(2027—2029年)', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan' };
  const unknown = await h.api('POST', '/api/decisions', { ...body, catalogueItem: `${cid}-99` }, 'zjj');
  expect([unknown.status, unknown.body.error.details[0].path]).toEqual([400, 'body.catalogueItem']);
  const first = (await p.post('/api/decisions', { ...body, catalogueItem: `${cid}-01` }, 'zjj', 201)).id;
  const view = (await h.api('GET', `/api/decisions/${first}`)).body;
  expect(view.catalogue).toMatchObject({ itemId: `${cid}-01`, year, source: 'creation', fullProcedure: false });
  expect(view.effectiveFacts.catalogueItem).toBe(true);

  // The office links a decision afterwards; the department may not.
  const second = await p.create({}, '银川市公共停车场收费标准调整方案');
  expect((await h.api('POST', `/api/decisions/${second}/catalogue-item`, { itemId: `${cid}-02` }, 'zjj')).status).toBe(403);
  const linked = await p.post(`/api/decisions/${second}/catalogue-item`, { itemId: `${cid}-02` }, 'office');
  expect(linked.catalogue).toMatchObject({ itemId: `${cid}-02`, source: 'linked', by: '王秘书 (office)' });
  const again = await h.api('POST', `/api/decisions/${second}/catalogue-item`, { itemId: `${cid}-03` }, 'office');
  expect([again.status, again.body.error.details[0].code]).toEqual([409, 'CATALOGUE_ALREADY_LINKED']);
  // Decide the second one: it is no longer late.
  await p.drafted(second);
  await p.throughParallel(second);
  await p.reviewed(second);
  await p.meet(second);

  const c = (await h.api('GET', `/api/catalogues/${cid}`, undefined, 'supervisor')).body;
  const standing = Object.fromEntries(c.standing.map((s: Json) => [s.itemId, [s.state, s.notStarted, s.overdue, s.decisions.map((d: Json) => d.id)]]));
  expect(standing).toEqual({
    [`${cid}-01`]: ['overdue', false, true, [first]],
    [`${cid}-02`]: ['decided', false, false, [second]],
    [`${cid}-03`]: ['overdue', true, true, []],
  });
});

test('concurrent saves of one catalogue lose nothing: each is in its history, and every new item has a number of its own', async () => {
  const cid = `yinchuan-${YEAR + 2}`;
  await p.post('/api/catalogues', { year: YEAR + 2 }, 'office', 201);
  const saves = await Promise.all(Array.from({ length: 8 }, (_, k) => h.api('POST', `/api/catalogues/${cid}/draft`, { items: [item(`银川市第${k + 1}号专项规划`, 1 + (k % 4))] }, 'office')));
  expect(saves.map((r) => r.status)).toEqual(Array(8).fill(200));
  // Each save replaced the draft; no two of them numbered their new item alike.
  const numbered = saves.map((r) => r.body.draft.items[0].id);
  expect(new Set(numbered).size).toBe(8);
  const c = (await h.api('GET', `/api/catalogues/${cid}`, undefined, 'office')).body;
  expect(c.history.filter((e: Json) => e.action === 'draft' && e.result === 'accepted')).toHaveLength(8);
});

test('full-procedure policy: a catalogue item cannot find expert review or risk assessment not applicable until the head of the decision body exempts it', async () => {
  h.deps.supervision = { catalogueFullProcedure: true, archiveHandoverDays: 30 };
  try {
    const cid = `yinchuan-${YEAR + 1}`;
    await published(YEAR + 1, [item('银川市城市更新专项规划', 1)]);
    const id = (await p.post('/api/decisions', { title: '银川市城市更新专项规划', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan', catalogueItem: `${cid}-01` }, 'zjj', 201)).id;
    await p.act(id, 'initiation', 'start');
    const refused = await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
    expect([refused.status, refused.body.error.details.map((r: Json) => r.code)]).toEqual([409, ['CATALOGUE_FULL_PROCEDURE']]);
    expect(refused.body.error.details[0]).toMatchObject({ class: 'statutory', missing: ['expert_review', 'risk_assessment'] });

    // A member is not the head; the head records the exemption, with reasons.
    const exemption = { kinds: ['expert-review'], reasons: '本事项不涉及专业技术问题，经市政府常务会议研究不组织专家论证。', basis: '市政府第12次常务会议纪要' };
    expect((await h.api('POST', `/api/decisions/${id}/exemptions`, exemption, 'vicemayor')).status).toBe(403);
    expect((await h.api('POST', `/api/decisions/${id}/exemptions`, exemption, 'office')).status).toBe(403);
    const exempted = await p.post(`/api/decisions/${id}/exemptions`, exemption, 'mayor');
    expect(exempted.exemptions).toEqual([expect.objectContaining({ kinds: ['expert-review'], by: '孙市长 (mayor)' })]);
    const still = await h.api('POST', `/api/decisions/${id}/steps/initiation/complete`, sample.initiation());
    expect([still.status, still.body.error.details[0].missing]).toEqual([409, ['risk_assessment']]);
    const done = await p.act(id, 'initiation', 'complete', { ...sample.initiation(), applicability: findingsFor({ stabilityRisk: true }) });
    expect(done.elements.expert_review.finding).toMatchObject({ applies: false, ground: 'not-technical' });

    // Revising risk assessment to "not applicable" meets the same rule; every refusal is a statutory one in the audit trail.
    const revise = await h.api('POST', `/api/decisions/${id}/findings`, { kind: 'risk-assessment', applies: false, ground: 'no-adverse-impact', reasons: '经复核实施范围小。' }, 'office');
    expect([revise.status, revise.body.error.details[0].code]).toEqual([409, 'CATALOGUE_FULL_PROCEDURE']);
    const audit = (await h.api('GET', `/api/decisions/${id}/audit`)).body.items as Json[];
    expect(audit.filter((e) => e.code === 'STEP_BLOCKED' && e.reasons?.[0]?.code === 'CATALOGUE_FULL_PROCEDURE').map((e) => e.class)).toEqual(['statutory', 'statutory', 'statutory']);
    expect(audit.find((e) => e.action === 'exemption' && e.result === 'accepted').summary).toContain('expert-review');
  } finally {
    h.deps.supervision = undefined;
  }
});
