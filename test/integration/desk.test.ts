/** The legal adviser's desk: the legality-review queue with working-day due dates. */
import { addWorkingDays } from '../../workflows/calendar';
import { eventually } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { daysAgo, sample, today } from '../support/records';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('desk');
});
afterAll(async () => {
  await h?.close();
});

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  expect(r.status).toBe(200);
  return r.body;
}

async function desk() {
  return (await h.api('GET', `/api/desk/legality-review?agency=${encodeURIComponent('银川市人民政府')}`, undefined, 'lawyer')).body;
}

test('a decision reaching legality review joins the desk with its due date on the working-day calendar, and leaves it when reviewed', async () => {
  const created = await h.api('POST', '/api/decisions', { title: '银川市城市供水价格调整方案', agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy' });
  const id = created.body.id;
  expect((await desk()).items.map((i: { id: string }) => i.id)).not.toContain(id);

  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  await h.api('POST', `/api/decisions/${id}/drafts`, { title: '调整方案（送审稿）', content: '门票价格由一百元调整为八十元。' });
  await act(id, 'drafting', 'start');
  await act(id, 'drafting', 'complete', sample.drafting());
  await act(id, 'public_participation', 'start');
  await act(id, 'public_participation', 'complete', sample['public-participation']());

  const queued = await eventually(desk, (d) => d.items.some((i: { id: string }) => i.id === id));
  const item = queued.items.find((i: { id: string }) => i.id === id);
  // The standard definition gives the review 15 working days (its boundary timer), start day not counted.
  const expected = addWorkingDays(h.deps.calendar, today(), 15);
  expect(item.due.date).toBe(expected.date);
  expect(item.remainingWorkingDays).toBe(15);
  expect(item).toMatchObject({ status: 'enabled', round: 1, overdue: false, currentDraftVersion: 1, lastReviewedDraftVersion: null });

  // Time is the system's: the review period runs from when the review opened, and no submission date is declared.
  const backdated = await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, { submittedOn: daysAgo(30) });
  expect([backdated.status, backdated.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  await act(id, 'legality_review', 'start');
  const started = await eventually(desk, (d) => d.items.find((i: { id: string }) => i.id === id)?.status === 'active');
  const active = started.items.find((i: { id: string }) => i.id === id);
  expect(active).toMatchObject({ startedBy: '赵审查 (sfj)', due: { date: expected.date }, remainingWorkingDays: 15 });

  // The review takes in the adviser's own opinion on the draft (Art. 28).
  const opinion = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '草案未发现违法情形。' }, 'lawyer');
  expect(opinion.status).toBe(201);
  await act(id, 'legality_review', 'complete', sample['legality-review']('lawful', [opinion.body.id]));
  await eventually(desk, (d) => !d.items.some((i: { id: string }) => i.id === id));
});
