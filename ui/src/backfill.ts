/**
 * 补录 — a procedure carried out before the system, entered afterwards by the office: the banner
 * that says so (who, why, since when, still open or ended, and the office's button to end it),
 * and the 实际办理日期 every act carries while the import is open (sent as ?occurredOn=).
 */
import { REASONS } from '../../definitions/statute';
import { api } from './api';
import type { Workspace } from './context';
import { chinaToday, fmtTime, h } from './dom';
import { errorNodes } from './errors';
import type { Field } from './form';
import { lang, t, tField } from './i18n';

/** The date an imported act happened: required while the import is open; null on a live decision. */
export function datedField(ws: Workspace): Field | null {
  const imp = ws.view().import;
  if (!imp?.open) return null;
  const input = h('input', { type: 'date', name: 'occurredOn', min: imp.lastOn, max: chinaToday(), required: true });
  const el = h(
    'div',
    { class: 'field occurred-on', 'data-path': 'occurredOn' },
    h('label', { class: 'field-label' }, tField('occurredOn'), h('span', { class: 'req', title: t('required') }, ' *'), h('span', { class: 'help small muted' }, t('occurredOnHint', imp.lastOn))),
    input,
  );
  return {
    el,
    get: () => input.value || undefined,
    validate: () => (input.value ? [] : [{ path: 'occurredOn', message: REASONS.BACKFILL_REQUIRED.zh, en: REASONS.BACKFILL_REQUIRED.en }]),
  };
}

/** The banner of an imported decision; null for one done in the system. */
export function importBanner(ws: Workspace): HTMLElement | null {
  const imp = ws.view().import;
  if (!imp) return null;
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const end = async (button: HTMLButtonElement) => {
    button.disabled = true;
    errors.replaceChildren();
    try {
      await ws.settle(await api('POST', `/api/decisions/${ws.id}/import/end`, {}));
    } catch (err) {
      errors.append(...errorNodes(err));
      button.disabled = false;
    }
  };
  const mayEnd = imp.open && ws.may(['secretariat']);
  return h(
    'section',
    { class: `import-banner ${imp.open ? 'open' : 'ended'}`, 'data-open': String(imp.open) },
    h('strong', {}, t('importBanner')),
    h('span', { class: 'chip' }, imp.open ? t('importOpen') : `${t('importEnded')}${imp.endedAt ? ` · ${fmtTime(imp.endedAt)}` : ''}`),
    h('span', { class: 'small' }, `${imp.by} · ${t('importStartedOn', imp.startedOn)}${imp.open ? ` · ${t('importLastOn', imp.lastOn)}` : ''}`),
    h('p', { class: 'import-reason' }, `${t('importReason')}${lang === 'zh' ? '：' : ': '}${imp.reason}`),
    imp.open ? h('p', { class: 'small muted' }, t('importIntro')) : null,
    mayEnd ? h('button', { type: 'button', class: 'end-import', onclick: (e: Event) => void end(e.currentTarget as HTMLButtonElement) }, t('endImport')) : null,
    errors,
  );
}
