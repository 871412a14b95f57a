/**
 * A decision decided weeks ago, entered as an import (补录) through the API the way the office
 * enters a paper file — every act dated as it happened — so tests see what time does to it
 * (an archive handover gone late) without waiting for time to pass.
 */
import type { apiPaths } from './api-paths';
import type { Harness } from './harness';
import { daysAgo, sample } from './records';

/** Imported up to the collective decision, decided `decidedDaysAgo` days ago; the import then ends and the rest is live. */
export async function importDecided(h: Harness, p: ReturnType<typeof apiPaths>, decidedDaysAgo = 40, title = '银川市城市道路桥梁养护管理办法'): Promise<string> {
  const d = (n: number) => daysAgo(decidedDaysAgo + n);
  const on = (n: number) => `?occurredOn=${d(n)}`;
  const id = (await p.post('/api/decisions', { title, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'public-policy', import: { reason: '系统上线前已按纸质流程办理，据案卷补录。', startedOn: d(20) } }, 'office', 201)).id as string;
  const step = (stepId: string, action: string, n: number, body: unknown = {}, as?: string) => p.post(`/api/decisions/${id}/steps/${stepId}/${action}${on(n)}`, body, as);
  await step('initiation', 'start', 19);
  await step('initiation', 'complete', 19, { ...sample.initiation(), startDecision: { decidedBy: '市政府常务会议', decidedOn: d(19) } });
  await step('drafting', 'start', 18);
  await p.post(`/api/decisions/${id}/drafts${on(18)}`, { title: '管理办法（草案）', content: '第一条 为加强城市道路桥梁养护管理，制定本办法。' }, 'zjj', 201);
  await step('drafting', 'complete', 17, sample.drafting());
  await step('public_participation', 'start', 16);
  const pp = sample['public-participation']() as { otherForms: Record<string, unknown>[] };
  await step('public_participation', 'complete', 12, { ...pp, otherForms: pp.otherForms.map((f) => ({ ...f, heldOn: d(14) })) });
  const opinion = (await p.post(`/api/decisions/${id}/opinions${on(11)}`, { opinion: '草案未发现违法情形。', legalBases: ['《重大行政决策程序暂行条例》'] }, 'lawyer', 201)).id as string;
  await step('legality_review', 'start', 10);
  await step('legality_review', 'complete', 3, sample['legality-review']('lawful', [opinion]));
  await step('collective_decision', 'start', 1);
  const minutes = sample.minutes({ meetingDate: d(0) });
  await p.post(`/api/decisions/${id}/meeting/minutes${on(0)}`, minutes, 'office');
  for (const who of ['vicemayor', 'mayor']) await p.post(`/api/decisions/${id}/meeting/confirm${on(0)}`, { confirm: true }, who);
  await step('collective_decision', 'complete', 0, sample['collective-decision'](1));
  await p.post(`/api/decisions/${id}/import/end`, {}, 'office');
  return id;
}
