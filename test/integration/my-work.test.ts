/**
 * My work (GET /api/my-work): 待办 follows who may act (the step's role inside the decision's
 * organisation, an adviser's opinion during legality review, a member's own statement), 已办 is
 * what the person did, 我发起的 what their unit drafts — each with what is next and who holds it.
 */
import { apiPaths } from '../support/api-paths';
import { eventually } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { sample } from '../support/records';

let h: Harness;
let p: ReturnType<typeof apiPaths>;
beforeAll(async () => {
  h = await startHarness('my-work');
  p = apiPaths(h);
});
afterAll(async () => {
  await h?.close();
});

interface Item {
  id: string;
  tasks: { kind: string; stepId: string | null }[];
  next: { stepId: string; role: string; mine: boolean; status: string }[];
  lastAct?: { action: string };
}
type Work = { counts: { todo: number; done: number; started: number }; todo: Item[]; done: Item[]; started: Item[] };

const work = async (as: string): Promise<Work> => {
  const r = await h.api('GET', '/api/my-work', undefined, as);
  expect(r.status).toBe(200);
  return r.body;
};
const find = (items: Item[], id: string) => items.find((i) => i.id === id);

test('Art. 10: a new decision waits for the office of its agency, and for no other; the department sees it among what it started', async () => {
  const id = await p.create({}, '银川市城市道路停车收费管理办法');
  const office = await eventually(() => work('office'), (w) => Boolean(find(w.todo, id)));
  expect(find(office.todo, id)!.tasks).toEqual([expect.objectContaining({ kind: 'step', stepId: 'initiation' })]);
  expect(office.counts.todo).toBe(office.todo.length);

  const zjj = await work('zjj');
  expect(find(zjj.todo, id)).toBeUndefined();
  // Started by the department: next is the initiation, held by the office (not the department).
  expect(find(zjj.started, id)!.next).toEqual([expect.objectContaining({ stepId: 'initiation', role: 'secretariat', mine: false, status: 'enabled' })]);
  expect(find(zjj.done, id)!.lastAct).toMatchObject({ action: 'create' });
  // Another department of the same agency and another agency's office have nothing to do with it.
  for (const other of ['fgw', 'szsoffice', 'sfj', 'supervisor']) {
    const w = await work(other);
    expect({ other, todo: Boolean(find(w.todo, id)), started: Boolean(find(w.started, id)) }).toEqual({ other, todo: false, started: false });
  }
});

test('Art. 12 and Arts. 25–28: drafting waits for the drafting department; the legality review for the review body and for each adviser until they gave their opinion', async () => {
  const id = await p.create({}, '银川市物业服务收费管理办法');
  await p.perform(id, 'initiation', sample.initiation());
  const office = await eventually(() => work('office'), (w) => Boolean(find(w.done, id)) && !find(w.todo, id));
  // 已办 for the office: its act, and whom the decision waits for now.
  expect(find(office.done, id)!.next).toEqual([expect.objectContaining({ stepId: 'drafting', role: 'department', mine: false })]);
  const zjj = await eventually(() => work('zjj'), (w) => Boolean(find(w.todo, id)));
  expect(find(zjj.todo, id)!.tasks.map((t) => t.stepId)).toEqual(['drafting']);
  expect((await work('fgw')).todo.some((i) => i.id === id)).toBe(false);

  await p.draft(id, '第一条 为规范物业服务收费，制定本办法。');
  await p.perform(id, 'drafting', sample.drafting());
  await p.throughParallel(id);
  const sfj = await eventually(() => work('sfj'), (w) => Boolean(find(w.todo, id)));
  expect(find(sfj.todo, id)!.tasks).toEqual([expect.objectContaining({ kind: 'step', stepId: 'legality_review' })]);
  const lawyer = await work('lawyer');
  expect(find(lawyer.todo, id)!.tasks).toEqual([expect.objectContaining({ kind: 'legal-opinion', stepId: 'legality_review' })]);
  await p.adviserOpinion(id);
  expect(find((await work('lawyer')).todo, id)).toBeUndefined();
  // The government lawyer has not given theirs yet.
  expect(find((await work('govlawyer')).todo, id)!.tasks[0].kind).toBe('legal-opinion');
});

test('the counts agree with the lists, and refusals are not work done', async () => {
  const id = await p.create({}, '银川市城市绿化管理办法');
  // A refused attempt by the department (initiation is the office's) is not in its 已办.
  expect((await h.api('POST', `/api/decisions/${id}/steps/legality_review/start`, {}, 'sfj')).status).toBe(409);
  const sfj = await work('sfj');
  expect(find(sfj.done, id)).toBeUndefined();
  const counts = (await h.api('GET', '/api/my-work/counts', undefined, 'zjj')).body;
  const zjj = await work('zjj');
  expect(counts).toEqual(zjj.counts);
  expect(zjj.counts.started).toBe(zjj.started.length);
  expect(zjj.counts.done).toBeGreaterThanOrEqual(zjj.done.length);
});
