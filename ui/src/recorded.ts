/**
 * The decision page while its workflow cannot be asked (Temporal or the worker unavailable): the
 * state the read model last recorded — its summary at seq N, the open steps with their due dates,
 * the draft versions and the timeline — under a banner that says so and why. Nothing can be done
 * from here; the page looks for the live view every few seconds and hands over when it answers.
 */
import type { DecisionSummary } from '../../workflows/model';
import { api, ApiFailure } from './api';
import { clear, fmtTime, h } from './dom';
import { colon, lang, t, tCategory, tField, tKind, tStatus, tValue } from './i18n';
import type { AuditItem } from './timeline';

interface Recorded {
  source: 'read-model';
  seq: number;
  updatedAt: string;
  summary: DecisionSummary;
}

/** True when a failed live view means "ask the read model instead". */
export function workflowUnavailable(err: unknown): boolean {
  if (!(err instanceof ApiFailure) || err.body.code !== 'DEPENDENCY_UNAVAILABLE') return false;
  const dependency = (err.body.details as { dependency?: string } | null)?.dependency;
  return dependency === 'temporal' || dependency === 'worker';
}

/** The 503's own words, in the reader's language. */
function why(err: ApiFailure): string {
  const d = err.body.details as { zh?: string; en?: string } | null;
  return (lang === 'zh' ? d?.zh : d?.en) ?? err.body.message;
}

/**
 * Render the recorded state; `live` is called (once) when the live view answers again.
 * Returns a disposer that stops looking.
 */
export async function renderRecorded(root: HTMLElement, id: string, failure: ApiFailure, live: () => void): Promise<() => void> {
  const [rec, audit] = await Promise.all([api<Recorded>('GET', `/api/decisions/${id}/summary`), api<{ items: AuditItem[] }>('GET', `/api/decisions/${id}/audit`)]);
  const s = rec.summary;
  const stepName = (stepId?: string) => (stepId ? (s.openSteps.find((o) => o.id === stepId)?.name ?? stepId) : '');
  clear(
    root,
    h('a', { href: '#/', class: 'back' }, `← ${t('back')}`),
    h(
      'div',
      { class: 'recorded-banner', role: 'status', 'data-dependency': String((failure.body.details as { dependency?: string } | null)?.dependency ?? '') },
      h('strong', {}, t('recordedTitle')),
      h('p', {}, why(failure)),
      h('p', { class: 'small' }, t('recordedAsOf', s.seq, fmtTime(rec.updatedAt))),
    ),
    h(
      'div',
      { class: 'decision-head' },
      h('h1', {}, s.meta.title),
      h(
        'div',
        { class: 'meta' },
        h('span', { class: `status status-${s.status}` }, tStatus(s.status)),
        h('span', {}, `${tField('agency')}${colon()}${s.meta.agency}`),
        h('span', {}, `${tField('draftingUnit')}${colon()}${s.meta.draftingUnit}`),
        h('span', {}, `${tField('category')}${colon()}${tCategory(s.meta.category)}`),
        h('span', { class: 'muted' }, `${s.procedure.name} v${s.procedure.version}`),
      ),
    ),
    h(
      'section',
      { class: 'recorded-steps' },
      h('h2', {}, t('recordedOpenSteps')),
      s.openSteps.length
        ? h(
            'ul',
            {},
            s.openSteps.map((o) =>
              h(
                'li',
                { 'data-step': o.id },
                h('strong', {}, o.name),
                ` · ${tKind(o.kind)} · ${tStatus(o.status)}`,
                o.due ? ` · ${t('due')}${colon()}${o.due.date}` : '',
                o.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('none')),
    ),
    h(
      'section',
      {},
      h('h2', {}, t('drafts')),
      s.drafts.versions.length ? h('ul', {}, s.drafts.versions.map((v) => h('li', {}, `${t('version', v.version)} ${v.title} · ${fmtTime(v.addedAt)} · ${v.addedBy}`))) : h('p', { class: 'muted' }, t('none')),
    ),
    h(
      'section',
      { class: 'timeline' },
      h('h2', {}, t('timeline')),
      h(
        'ol',
        { class: 'events' },
        audit.items
          .slice()
          .reverse()
          .map((a) =>
            h(
              'li',
              { class: `event ${a.result}`, 'data-result': a.result },
              h('span', { class: 'when' }, fmtTime(a.at)),
              h('span', { class: 'who' }, a.actor),
              h('span', { class: 'what' }, a.result === 'refused' ? `${t('refused')}：` : '', tValue(a.action), a.stepId ? ` · ${stepName(a.stepId)}` : ''),
            ),
          ),
      ),
    ),
  );
  root.dataset.ready = 'true';
  root.dataset.source = 'read-model';

  let stopped = false;
  void (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 5000));
      if (stopped) return;
      try {
        await api('GET', `/api/decisions/${id}`);
      } catch {
        continue;
      }
      if (!stopped) live();
      return;
    }
  })();
  return () => {
    stopped = true;
  };
}
