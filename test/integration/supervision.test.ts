/**
 * The supervision dashboard on the real stack: real decisions driven through the workflow move its
 * figures (and a retried projection moves nothing), a generated dataset of thousands of decisions
 * shows exactly what it was generated from, every figure drills down to its decisions, the
 * indicators show formulas and their parts, exports stream as Excel and CSV, and the security log
 * filters and exports the same way.
 */
import ExcelJS from 'exceljs';
import { createActivities } from '../../activities';
import { rebuildCompliance } from '../../activities/compliance';
import { decisionsBehind, decisionsPage } from '../../server/supervision';
import type { Models } from '../../activities/models';
import { projectionQuery } from '../../workflows/handles';
import type { ProjectionDelta } from '../../workflows/model';
import { chinaDate } from '../../workflows/time';
import { apiPaths } from '../support/api-paths';
import { bulkLoad, expectedFigures, generateDecision, rng, type Generated, type Truth } from '../support/compliance-data';
import { eventually } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { daysAgo } from '../support/records';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
let models: Models;
beforeAll(async () => {
  h = await startHarness('supervision');
  p = apiPaths(h);
  models = h.deps.models;
});
afterAll(async () => {
  await h?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, asserted field by field
type Json = any;
const YEAR = Number(chinaDate(Date.now()).slice(0, 4));
const YINCHUAN = '银川市人民政府';

const dashboard = async (q: string, as = 'supervisor'): Promise<Json> => {
  const r = await h.api('GET', `/api/supervision/dashboard?${q}`, undefined, as);
  expect(r.status).toBe(200);
  return r.body;
};
const drill = async (q: string, as = 'supervisor'): Promise<Json> => {
  const r = await h.api('GET', `/api/supervision/decisions?pageSize=200&${q}`, undefined, as);
  expect(r.status).toBe(200);
  return r.body;
};
/** Every count of the agencies' counts documents, zeros left out (a $inc leaves a key at 0 where a rebuild has none). */
async function countsSnapshot(): Promise<Record<string, Record<string, number>>> {
  const docs = await models.ComplianceCount.find({}).lean();
  return Object.fromEntries(docs.map((d) => [d._id, Object.fromEntries(Object.entries(d.counts as Record<string, number>).filter(([, n]) => n !== 0))]));
}
const kindRow = (d: Json, kind: string) => d.kinds.find((k: Json) => k.kind === kind);
/** Run `fn` over items a few at a time (the shared test machine has two cores). */
async function inGroups<T>(items: readonly T[], fn: (item: T) => Promise<void>, size = 4): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe('real decisions through the workflow', () => {
  let against: string;
  let shortened: string;
  let before: Json;

  beforeAll(async () => {
    before = await dashboard(`year=${YEAR}&agency=${encodeURIComponent('银川市')}`);
    // A technical matter carried to the meeting, where the head adopts it against the member who spoke.
    against = await p.create({ technical: true }, '银川市城市更新专项规划（监督测试）');
    expect((await h.api('POST', `/api/decisions/${against}/steps/legality_review/start`, {})).status).toBe(409);
    expect((await h.api('POST', `/api/decisions/${against}/steps/initiation/start`, { note: 5 })).status).toBe(400);
    await p.drafted(against, { technical: true });
    await p.throughParallel(against, { technical: true });
    await p.reviewed(against);
    await p.meet(against, {
      statements: [
        { speaker: 'vicemayor', position: 'disagree', text: '资金来源不明确，建议暂缓。' },
        { speaker: 'mayor', position: 'agree', text: '原则通过。' },
      ],
      reasons: '群众诉求迫切，资金已由市财政兜底。',
    });
    // A consultation opened for ten days, with the reason stated as it opened (Art. 15).
    shortened = await p.create({}, '银川市共享单车停放管理办法（监督测试）');
    await p.drafted(shortened);
    await p.act(shortened, 'public_participation', 'start');
    await p.post(`/api/decisions/${shortened}/consultations`, { channel: 'government-website', closesOn: daysAgo(-10), shorteningReason: '冬季供暖前须出台，征求意见期缩短为10日。' }, 'zjj');
  });

  test('their acts move the figures of their agency and year', async () => {
    const after = await eventually(
      () => dashboard(`year=${YEAR}&agency=${encodeURIComponent('银川市')}`),
      (d) => d.totals.shortConsultation.n === before.totals.shortConsultation.n + 1 && d.totals.against.n === before.totals.against.n + 1,
    );
    const moved = (f: (d: Json) => number) => f(after) - f(before);
    expect(moved((d) => d.totals.started.n)).toBe(2);
    expect(moved((d) => d.totals.decided.n)).toBe(1);
    expect(moved((d) => d.totals.shortReview.n)).toBe(1);
    expect(moved((d) => kindRow(d, 'expert-review')?.performed.n ?? 0)).toBe(1);
    expect(moved((d) => kindRow(d, 'legality-review')?.performed.n ?? 0)).toBe(1);
    // Found not applicable at initiation, on the grounds the office named.
    expect(moved((d) => kindRow(d, 'risk-assessment')?.grounds.find((g: Json) => g.ground === 'no-adverse-impact')?.n ?? 0)).toBe(2);
    expect(moved((d) => kindRow(d, 'expert-review')?.grounds.find((g: Json) => g.ground === 'not-technical')?.n ?? 0)).toBe(1);
    // The skip attempt is statutory; the malformed form is an input error, counted apart.
    const cls = (d: Json, c: string) => d.refusals.find((x: Json) => x.class === c);
    expect(moved((d) => cls(d, 'statutory').decisions.n)).toBe(1);
    expect(moved((d) => cls(d, 'statutory').attempts)).toBe(1);
    expect(moved((d) => cls(d, 'input').attempts)).toBe(1);
    expect(after.agencies.map((a: Json) => a.agency)).toEqual([YINCHUAN]);
  });

  test('each figure drills down to the decisions behind it, with the reasons given', async () => {
    const head = await drill(`year=${YEAR}&fact=against`);
    expect(head.items.find((i: Json) => i.id === against)).toMatchObject({ title: '银川市城市更新专项规划（监督测试）', note: '群众诉求迫切，资金已由市财政兜底。' });
    const consult = await drill(`year=${YEAR}&fact=${encodeURIComponent('short|consultation')}`);
    expect(consult.items.find((i: Json) => i.id === shortened)?.note).toBe('冬季供暖前须出台，征求意见期缩短为10日。');
    const skips = await drill(`year=${YEAR}&fact=${encodeURIComponent('ref|statutory')}`);
    expect(skips.items.map((i: Json) => i.id)).toContain(against);
    expect(skips.items.map((i: Json) => i.id)).not.toContain(shortened);
    const took = await drill(`year=${YEAR}&fact=${encodeURIComponent('k|legality-review|done')}`);
    expect(took.items.find((i: Json) => i.id === against)?.note).toBe('0');
  });

  test('a retried projection counts nothing twice, and a rebuild from the store gives the same counts', async () => {
    const truth = (await h.deps.client.workflow.getHandle(`decision-${against}`).query(projectionQuery)) as ProjectionDelta;
    const snapshot = await countsSnapshot();
    const activities = createActivities({ models });
    await activities.projectDecision(truth);
    await activities.projectDecision(truth);
    expect(await countsSnapshot()).toEqual(snapshot);
    // A projection whose claim was lost (the entry a step behind): re-projected once, counted once.
    const entry = await models.ComplianceEntry.findById(against).lean();
    await models.ComplianceEntry.updateOne({ _id: against }, { $set: { seq: entry!.seq - 1 } });
    await activities.projectDecision(truth);
    await activities.projectDecision(truth);
    expect(await countsSnapshot()).toEqual(snapshot);
    await rebuildCompliance(models);
    expect(await countsSnapshot()).toEqual(snapshot);
  });

  test('a secretariat sees its own agency only; other people are refused', async () => {
    const own = await dashboard(`year=${YEAR}&agency=${encodeURIComponent('石嘴山')}`, 'office');
    expect(own.agencies).toEqual([]);
    expect((await dashboard(`year=${YEAR}`, 'office')).agencies.map((a: Json) => a.agency)).toEqual([YINCHUAN]);
    expect((await h.api('GET', '/api/supervision/dashboard', undefined, 'zjj')).status).toBe(403);
    const bad = await h.api('GET', '/api/supervision/decisions?fact=everything', undefined, 'supervisor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.fact');
  });
});

describe('a generated dataset of 3,000 decisions', () => {
  const N = 3000;
  const GENERATED = ['石嘴山市人民政府', '吴忠市人民政府', '固原市人民政府', '西夏区人民政府', '外省某市人民政府'];
  const SMALL = '贺兰县人民政府';
  const today = chinaDate(Date.now());
  let data: Generated[];
  const truths = (agency: string, year = YEAR - 1) => data.map((g) => g.truth).filter((t) => t.agency === agency && t.year === year);

  beforeAll(async () => {
    const r = rng(12);
    data = Array.from({ length: N }, (_, i) => generateDecision(i, r, { agencies: GENERATED, years: [YEAR - 1, YEAR - 2], today }));
    // A small agency of its own, for the rebuild to read back in a test's time.
    data.push(...Array.from({ length: 120 }, (_, i) => generateDecision(i, r, { agencies: [SMALL], years: [YEAR - 1], today, prefix: 'HL' })));
    await bulkLoad(models, data, { batch: 500 });
  }, 600_000);

  test('the dashboard of each agency and year shows exactly what the data holds', async () => {
    for (const agency of GENERATED.slice(0, 4)) {
      const d = await dashboard(`year=${YEAR - 1}&agency=${encodeURIComponent(agency.slice(0, 2))}`);
      const want = expectedFigures(truths(agency), d.today, d.dueSoonUntil);
      expect(d.agencies.map((a: Json) => a.agency)).toEqual([agency]);
      const t = d.totals;
      expect([t.started.n, t.completed.n, t.inProgress.n, t.overdue.n, t.dueSoon.n, t.late.n, t.decided.n, t.against.n, t.shortConsultation.n, t.shortReview.n]).toEqual([
        want.started,
        want.completed,
        want.inProgress,
        want.overdue,
        want.dueSoon,
        want.late,
        want.decided,
        want.against,
        want.shortConsultation,
        want.shortReview,
      ]);
      expect(d.refusals.find((x: Json) => x.class === 'statutory')).toMatchObject({ attempts: want.statutoryAttempts, decisions: { n: want.statutory } });
      for (const [kind, k] of Object.entries(want.kinds)) {
        const row = kindRow(d, kind);
        expect([kind, row.performed.n, row.notApplicable.n, row.overdue.n, row.late.n, row.days?.median ?? null, row.days?.max ?? null]).toEqual([kind, k.performed, k.notApplicable, k.overdue, k.late, k.median, k.max]);
      }
    }
  });

  test('an agency outside the jurisdiction is counted but never shown; years add up', async () => {
    expect((await dashboard(`year=${YEAR - 1}&agency=${encodeURIComponent('外省')}`)).agencies).toEqual([]);
    const both = await dashboard(`agency=${encodeURIComponent('石嘴山')}`);
    expect(both.years).toEqual(expect.arrayContaining([YEAR - 1, YEAR - 2]));
    expect(both.totals.started.n).toBe(truths('石嘴山市人民政府').length + truths('石嘴山市人民政府', YEAR - 2).length);
  });

  test('every figure drills down to exactly the decisions behind it', async () => {
    const agency = '吴忠市人民政府';
    const ids = (p: (t: Truth) => boolean) => truths(agency).filter(p).map((t) => t.id).sort();
    const d = await dashboard(`year=${YEAR - 1}&agency=${encodeURIComponent('吴忠')}`);
    const cases: [string, (t: Truth) => boolean][] = [
      [d.totals.overdue.fact, (t) => t.overdue],
      [d.totals.dueSoon.fact, (t) => Boolean(t.open && !t.overdue && t.open.due >= d.today && t.open.due <= d.dueSoonUntil)],
      [d.totals.against.fact, (t) => t.against],
      [kindRow(d, 'risk-assessment').grounds.find((g: Json) => g.ground === 'already-assessed').fact, (t) => t.na['risk-assessment'] === 'already-assessed'],
      [kindRow(d, 'legality-review').days.maxFact, (t) => t.days['legality-review'] === kindRow(d, 'legality-review').days.max],
      ['ref|statutory', (t) => Boolean(t.refusals.statutory)],
    ];
    for (const [fact, p] of cases) {
      const got = await drill(`year=${YEAR - 1}&agency=${encodeURIComponent('吴忠')}&fact=${encodeURIComponent(fact)}`);
      expect([fact, got.items.map((i: Json) => i.id).sort()]).toEqual([fact, ids(p)]);
      expect(got.total).toBe(ids(p).length);
    }
  });

  test("a figure's decisions page by page: newest first across agency-years, none twice, each with its note", async () => {
    // Every year and agency: one query per agency-year, each reading only the newest entries a page needs.
    const d = await dashboard('');
    const { fact, n } = kindRow(d, 'legality-review').performed;
    expect(n).toBeGreaterThan(450);
    const q = `fact=${encodeURIComponent(fact)}`;
    const first = await drill(`${q}&page=1`);
    const second = await drill(`${q}&page=2`);
    const last = await drill(`${q}&page=${Math.ceil(n / 200)}`);
    expect([first.total, second.total, last.total]).toEqual([n, n, n]);
    expect(last.items.length).toBe(n - (Math.ceil(n / 200) - 1) * 200);
    const rows: Json[] = [...first.items, ...second.items];
    expect(new Set(rows.map((r) => r.id)).size).toBe(400);
    const at = rows.map((r) => Date.parse(r.updatedAt));
    expect(at).toEqual([...at].sort((a, b) => b - a));
    expect(rows.every((r) => /^\d+$/.test(r.note))).toBe(true);
    // Smaller pages cut the same order.
    const small = await Promise.all([1, 2].map(async (p) => (await h.api('GET', `/api/supervision/decisions?pageSize=100&page=${p}&${q}`, undefined, 'supervisor')).body.items.map((i: Json) => i.id)));
    expect(small.flat()).toEqual(first.items.map((i: Json) => i.id));
  }, 300_000);

  test('a large figure read month by month pages exactly as reading it whole does', async () => {
    // Small thresholds, so the generated agency-years take the month-by-month path as 100,000 decisions would.
    const tuning = { readAtOnce: 10 };
    const scope = [...GENERATED, SMALL];
    const d = await dashboard('');
    for (const [f, fact] of [
      [{}, kindRow(d, 'legality-review').performed.fact],
      [{ year: YEAR - 1, agency: '石嘴山' }, 'started'],
      [{ year: YEAR - 2 }, 'decided'],
    ] as const) {
      const whole = await decisionsBehind(models, h.deps.calendar, scope, f, fact);
      expect(whole.length).toBeGreaterThan(30);
      for (const [page, pageSize] of [
        [1, 20],
        [2, 20],
        [3, 50],
        [Math.ceil(whole.length / 25), 25],
      ]) {
        const got = await decisionsPage(models, h.deps.calendar, scope, f, fact, page, pageSize, tuning);
        expect({ fact, page, total: got.total, ids: got.rows.map((r) => r.id) }).toEqual({ fact, page, total: whole.length, ids: whole.slice((page - 1) * pageSize, page * pageSize).map((r) => r.id) });
      }
    }
    // Entries are read month by month: every one carries the month of its updatedAt.
    const entries = await models.ComplianceEntry.find({ agency: '固原市人民政府' }, { updatedAt: 1, month: 1 }).lean();
    expect(entries.every((e) => e.month === e.updatedAt.toISOString().slice(0, 7))).toBe(true);
  });

  test('the assessment indicators: each rate with its formula, numerator and denominator', async () => {
    const r = await h.api('GET', `/api/supervision/indicators?year=${YEAR - 1}&agency=${encodeURIComponent('固原')}`, undefined, 'supervisor');
    expect(r.status).toBe(200);
    const t = truths('固原市人民政府');
    const byId = Object.fromEntries(r.body.agencies[0].indicators.map((i: Json) => [i.id, i]));
    const decided = t.filter((x) => x.decided);
    expect(byId['legality-review']).toMatchObject({ numerator: { n: decided.filter((x) => 'legality-review' in x.days).length, fact: 'ind|legality' }, denominator: { n: decided.length, fact: 'decided' } });
    expect(byId['legality-review'].formula.zh).toContain('合法性审查');
    const required = decided.filter((x) => !x.na['public-participation']);
    expect(byId['public-participation']).toMatchObject({ numerator: { n: required.filter((x) => 'public-participation' in x.days).length }, denominator: { n: required.length } });
    const reviewed = t.filter((x) => 'legality-review' in x.days);
    expect(byId['legal-adviser']).toMatchObject({ numerator: { n: reviewed.filter((x) => x.adviser).length }, denominator: { n: reviewed.length } });
    expect(byId['legal-adviser'].rate).toBeCloseTo(reviewed.filter((x) => x.adviser).length / reviewed.length, 3);
    expect(byId.overdue).toMatchObject({ numerator: { n: t.filter((x) => x.late.length).length }, denominator: { n: t.length } });
    // No catalogue of that year: a no, and nothing to open.
    expect(byId['catalogue-publication']).toMatchObject({ rate: 0, catalogue: { published: 0, of: 1, agencies: [{ agency: '固原市人民政府', catalogueId: null, version: 0 }] } });
    const num = await drill(`year=${YEAR - 1}&agency=${encodeURIComponent('固原')}&fact=${encodeURIComponent(byId['legal-adviser'].numerator.fact)}`);
    expect(num.total).toBe(byId['legal-adviser'].numerator.n);
  });

  test('Art. 3(3): the catalogue indicator says whether each decision body published its catalogue, consented to by the Party committee', async () => {
    const y = YEAR - 1;
    const cid = `yinchuan-${y}`;
    const indicator = async (agency = YINCHUAN) => {
      const r = await h.api('GET', `/api/supervision/indicators?year=${y}${agency ? `&agency=${encodeURIComponent(agency)}` : ''}`, undefined, 'supervisor');
      expect(r.status).toBe(200);
      const pick = (list: Json[]) => list.find((i: Json) => i.id === 'catalogue-publication');
      return { one: pick(r.body.agencies[0].indicators), total: pick(r.body.total), agencies: r.body.agencies.length };
    };
    expect((await indicator()).one).toMatchObject({ rate: 0, catalogue: { published: 0, of: 1, agencies: [{ agency: YINCHUAN, catalogueId: null, version: 0, publishedAt: null }] } });
    await p.post('/api/catalogues', { year: y }, 'office', 201);
    await p.post(`/api/catalogues/${cid}/draft`, { items: [{ title: '银川市城市更新专项规划', draftingUnit: '银川市住房和城乡建设局', category: 'plan', quarter: 2, basis: '《中华人民共和国城乡规划法》' }] }, 'office');
    // Drawn up but refused publication without the Party committee's consent: still a no.
    expect((await h.api('POST', `/api/catalogues/${cid}/publish`, {}, 'office')).status).toBe(409);
    expect((await indicator()).one).toMatchObject({ rate: 0, catalogue: { published: 0, agencies: [{ catalogueId: cid, version: 0 }] } });
    await p.post(`/api/catalogues/${cid}/consent`, { committee: '中共银川市委', documentRef: '银党办函〔2026〕3号', consentedOn: chinaDate(Date.now()) }, 'office');
    await p.post(`/api/catalogues/${cid}/publish`, {}, 'office');
    const after = await indicator();
    expect(after.one).toMatchObject({ rate: 1, catalogue: { published: 1, of: 1, agencies: [{ catalogueId: cid, version: 1 }] } });
    expect(Date.parse(after.one.catalogue.agencies[0].publishedAt)).toBeGreaterThan(Date.now() - 600_000);
    // Over the whole jurisdiction: one decision body of all of them.
    const all = await indicator('');
    expect(all.agencies).toBeGreaterThan(1);
    expect(all.total.catalogue).toMatchObject({ published: 1, of: all.agencies });
    expect(all.total.rate).toBeCloseTo(1 / all.agencies, 3);
  });

  test('exports: the decisions behind a figure and their records as Excel sheets and as CSV', async () => {
    const q = `year=${YEAR - 1}&agency=${encodeURIComponent('西夏')}&fact=${encodeURIComponent('k|expert-review|na|not-technical')}`;
    const want = truths('西夏区人民政府').filter((t) => t.na['expert-review'] === 'not-technical');
    const res = await fetch(`${h.baseUrl}/api/supervision/export?format=xlsx&${q}`, { headers: await h.authHeaders('supervisor') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const [decisions, records] = book.worksheets;
    expect(decisions.name).toBe('决策事项');
    expect(decisions.rowCount).toBe(want.length + 1);
    const ids = new Set(want.map((t) => t.id));
    decisions.eachRow((row, i) => {
      if (i > 1) expect(ids.has(String(row.getCell(1).value))).toBe(true);
    });
    expect(String(decisions.getRow(2).getCell(12).value)).toContain('专家论证（决策事项专业性、技术性不强）');
    const recordCount = data.filter((g) => ids.has(g.truth.id)).reduce((n, g) => n + g.records.length, 0);
    expect(records.name).toBe('办理记录');
    expect(records.rowCount).toBe(recordCount + 1);

    const csv = await fetch(`${h.baseUrl}/api/supervision/export?format=csv&what=records&${q}`, { headers: await h.authHeaders('office') });
    // The secretariat of Yinchuan sees none of Xixia's decisions: a header and nothing else.
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(1);
    const mine = await fetch(`${h.baseUrl}/api/supervision/export?format=csv&${q}`, { headers: await h.authHeaders('supervisor') });
    const bytes = Buffer.from(await mine.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
    const text = bytes.toString('utf8');
    expect(text.trim().split('\r\n')).toHaveLength(want.length + 1);
  });

  test('a rebuild from the store gives the figures the projection’s fold gave', async () => {
    const before = await countsSnapshot();
    expect(await rebuildCompliance(models, { agency: SMALL })).toBe(120);
    expect(await countsSnapshot()).toEqual(before);
  }, 300_000);

  test('figures kept by the projection, delta by delta and each delta twice, equal a rebuild from the store', async () => {
    const r = rng(99);
    const more = Array.from({ length: 40 }, (_, i) => generateDecision(i, r, { agencies: ['中卫市人民政府'], years: [YEAR - 1], today, prefix: 'PROJ' }));
    const activities = createActivities({ models });
    await inGroups(
      more,
      async (g) => {
        const summary = g.decision.summary as ProjectionDelta['summary'];
        const audit = g.audit.filter((a) => a.result === 'accepted').map((a) => ({ ...a, at: (a.at as Date).getTime() })) as unknown as ProjectionDelta['audit'];
        const records = g.records.map((x) => ({ ...x, at: (x.at as Date).getTime(), recordedAt: (x.at as Date).getTime() })) as unknown as ProjectionDelta['records'];
        const cut = [Math.ceil(summary.seq / 3), Math.ceil((2 * summary.seq) / 3), summary.seq];
        let from = 0;
        for (const upTo of cut) {
          const delta: ProjectionDelta = { summary: { ...summary, seq: upTo }, audit: audit.filter((a) => a.seq > from && a.seq <= upTo), records: records.filter((x) => x.seq > from && x.seq <= upTo) };
          await activities.projectDecision(delta);
          await activities.projectDecision(delta);
          from = upTo;
        }
      },
    );
    const d = await dashboard(`year=${YEAR - 1}&agency=${encodeURIComponent('中卫')}`);
    const want = expectedFigures(
      more.map((g) => ({ ...g.truth, refusals: {} })),
      d.today,
      d.dueSoonUntil,
    );
    expect([d.totals.started.n, d.totals.overdue.n, d.totals.late.n, d.totals.decided.n, d.totals.shortConsultation.n]).toEqual([want.started, want.overdue, want.late, want.decided, want.shortConsultation]);
    const kept = await countsSnapshot();
    await rebuildCompliance(models, { agency: '中卫市人民政府' });
    expect(await countsSnapshot()).toEqual(kept);
  }, 300_000);
});

describe('the security log', () => {
  test('filters by kind, person and date, and exports the same events', async () => {
    const wrong = await fetch(`${h.baseUrl}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fgw', password: 'wrong-password-1' }) });
    expect(wrong.status).toBe(401);
    const failed = await h.api('GET', '/api/security-events?kind=login-failed&username=fgw', undefined, 'supervisor');
    expect(failed.body.items.length).toBeGreaterThanOrEqual(1);
    expect(failed.body.items.every((e: Json) => e.kind === 'login-failed' && e.username === 'fgw')).toBe(true);
    const todayOnly = await h.api('GET', `/api/security-events?from=${daysAgo(0)}&to=${daysAgo(0)}`, undefined, 'supervisor');
    expect(todayOnly.body.items.length).toBeGreaterThan(0);
    expect(todayOnly.body.items.map((e: Json) => e.kind)).toEqual(expect.arrayContaining(['login', 'login-failed']));
    expect((await h.api('GET', `/api/security-events?to=${daysAgo(1)}`, undefined, 'supervisor')).body.items).toEqual([]);
    expect((await h.api('GET', '/api/security-events?from=yesterday', undefined, 'supervisor')).status).toBe(400);

    const csv = await fetch(`${h.baseUrl}/api/security-events/export?format=csv&kind=login-failed&username=fgw`, { headers: await h.authHeaders('supervisor') });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toContain('时间（北京时间）');
    expect(lines).toHaveLength(failed.body.items.length + 1);
    expect(lines[1]).toContain('登录失败');
    const xlsx = await fetch(`${h.baseUrl}/api/security-events/export?format=xlsx&lang=en`, { headers: await h.authHeaders('supervisor') });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(book.worksheets[0].getRow(1).getCell(1).value).toBe('Time (China)');
    expect((await fetch(`${h.baseUrl}/api/security-events/export`, { headers: await h.authHeaders('office') })).status).toBe(403);
  });
});
