/**
 * The decision's timeline: every accepted act and every refused attempt, newest first. A refusal
 * is shown by its class — an attempt the statute forbids (a skip attempt) apart from a form
 * error, a step already done, or someone acting outside their role — and an imported act (补录)
 * with the date it actually happened.
 */
import type { Reason } from '../../workflows/model';
import { api } from './api';
import type { Workspace } from './context';
import { clear, fmtTime, h } from './dom';
import { lang, t, tArticle, tField, tReason, tValue } from './i18n';
import { integritySection } from './integrity';

/** One entry of a decision's audit trail as GET /api/decisions/:id/audit gives it. */
export interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  stepId?: string;
  result: 'accepted' | 'refused';
  class?: 'statutory' | 'input' | 'state' | 'authorization';
  occurredOn?: string;
  code?: string;
  summary: string;
  reasons?: (Reason | { path: string; message: string; en?: string })[];
}

const reasonLine = (r: NonNullable<AuditItem['reasons']>[number]) =>
  'zh' in r ? `${tReason(r)}（${tArticle(r.article)}）` : `${tField(r.path.split('.').pop()!)}：${lang === 'en' && r.en ? r.en : r.message}`;

/** The timeline section; `refresh` returns how many events it shows (the live poll compares it). */
export function timelineSection(ws: Workspace) {
  const el = h('section', { class: 'timeline' });
  const integrity = integritySection(ws.id);
  const refresh = async (): Promise<number> => {
    const [{ items }] = await Promise.all([api<{ items: AuditItem[] }>('GET', `/api/decisions/${ws.id}/audit`), integrity.refresh()]);
    const elements = ws.view().elements;
    const statutory = items.filter((a) => a.result === 'refused' && a.class === 'statutory').length;
    clear(
      el,
      h('h2', {}, t('timeline'), statutory ? h('span', { class: 'chip statutory-count' }, t('statutoryCount', statutory)) : null),
      integrity.el,
      h(
        'ol',
        { class: 'events' },
        items
          .slice()
          .reverse()
          .map((a) => {
            const refused = a.result === 'refused';
            const cls = refused ? (a.class ?? 'state') : undefined;
            return h(
              'li',
              { class: `event ${a.result}${cls ? ` ${cls}` : ''}${a.occurredOn ? ' imported' : ''}`, 'data-result': a.result, 'data-class': cls ?? null },
              h('span', { class: 'when' }, fmtTime(a.at)),
              h('span', { class: 'who' }, a.actor),
              h(
                'span',
                { class: 'what' },
                cls ? h('span', { class: `refusal-class ${cls}` }, `${tValue(cls)}（${t('refusedTag')}）`) : null,
                cls ? '：' : '',
                tValue(a.action),
                a.stepId ? ` · ${elements[a.stepId]?.name ?? a.stepId}` : '',
              ),
              // An imported act: when it actually happened, beside when the system recorded it.
              a.occurredOn ? h('div', { class: 'occurred-on' }, h('span', { class: 'chip imported' }, t('imported')), ` ${t('happenedOn', a.occurredOn)}`) : null,
              refused
                ? h('ul', { class: 'why' }, (a.reasons ?? []).map((r) => h('li', {}, reasonLine(r))), !(a.reasons ?? []).length ? h('li', {}, a.summary) : null)
                : a.action === 'draft'
                  ? h('div', { class: 'summary muted' }, t('version', /version (\d+)/.exec(a.summary)?.[1] ?? '?'))
                  : null,
            );
          }),
      ),
    );
    return items.length;
  };
  return { el, refresh };
}
