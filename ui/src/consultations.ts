/**
 * Public participation's open consultations (Decree 713 Art. 15): the department opens one in the
 * system — it opens today and runs at least 30 days unless the shortening reason is stated now —
 * and the panel lists each with its period and days left. The completion form's `consultations`
 * start from those on file, so only the comments received are typed.
 */
import type { ElementView } from '../../workflows/model';
import { postAct } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import { addDays, chinaToday, clear, daysBetween, h } from './dom';
import { generateForm, type JsonSchema } from './form';
import { t, tField, tValue } from './i18n';

const OPEN_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    channel: { enum: ['government-website', 'new-media', 'press', 'radio-tv', 'other'] },
    closesOn: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    shorteningReason: { type: 'string' },
    noticeUrl: { type: 'string' },
    explanation: { type: 'string' },
    requires: { type: 'object', properties: { name: { type: 'boolean' }, contact: { type: 'boolean' } } },
  },
  required: ['channel', 'closesOn'],
};

/** The consultations on file and, for the department while the step is in progress, the form to open one. */
export function consultationsBox(ws: Workspace, e: ElementView): HTMLElement | null {
  if (e.kind !== 'public-participation') return null;
  const v = ws.view();
  const today = chinaToday();
  const slot = h('div', { class: 'consultation-form' });
  const open = () => {
    ws.hold(true);
    const dated = datedField(ws);
    const form = generateForm(OPEN_SCHEMA, t('openConsultation'), async (value) => void (await postAct(ws, `/api/decisions/${ws.id}/consultations`, value, form, dated)), {
      initial: { channel: 'government-website', closesOn: addDays(today, 30) },
      lead: [dated],
      onCancel: () => ws.hold(false),
    });
    clear(slot, h('h4', {}, t('openConsultation')), h('p', { class: 'small muted' }, t('consultationOpensToday')), form.el);
  };
  const mayOpen = e.status === 'active' && ws.may(['department']);
  if (!v.consultations.length && !mayOpen) return null;
  return h(
    'section',
    { class: 'consultations-box' },
    h('h3', {}, tField('consultations')),
    v.consultations.length
      ? h(
          'ul',
          { class: 'consultations' },
          v.consultations.map((c) => {
            const left = daysBetween(today, c.closesOn);
            const isOpen = left >= 0;
            return h(
              'li',
              { 'data-id': c.id, 'data-open': String(isOpen) },
              h('strong', {}, c.id),
              ` · ${tValue(c.channel)} · ${c.opensOn} — ${c.closesOn} `,
              h('span', { class: `chip ${isOpen ? 'open' : 'closed'}` }, isOpen ? `${t('consultationOpen')} · ${t('daysLeftCal', left)}` : t('consultationClosed')),
              c.shorteningReason ? h('div', { class: 'small' }, `${tField('shorteningReason')}：${c.shorteningReason}`) : null,
              c.noticeUrl ? h('div', { class: 'small' }, h('a', { href: c.noticeUrl, target: '_blank', rel: 'noopener' }, c.noticeUrl)) : null,
              h('div', { class: 'small' }, h('a', { class: 'portal-link', href: `/portal/#/c/${encodeURIComponent(`${ws.id}-${c.id}`)}`, target: '_blank', rel: 'noopener' }, t('onPortal'))),
              h('div', { class: 'small muted' }, c.openedBy, c.imported ? h('span', { class: 'chip imported' }, t('imported')) : null),
            );
          }),
        )
      : h('p', { class: 'muted' }, t('none')),
    mayOpen ? h('button', { type: 'button', class: 'open-consultation', onclick: open }, t('openConsultation')) : null,
    slot,
  );
}

/** The completion form's starting `consultations`: one row per consultation on file, its number fixed. */
export function consultationRows(ws: Workspace): { id: string; commentsReceived?: number }[] {
  return ws.view().consultations.map((c) => ({ id: c.id }));
}

/** Make the pre-filled consultation numbers read-only in a generated form. */
export function fixConsultationIds(form: HTMLElement) {
  form.querySelectorAll<HTMLInputElement>('input[name^="consultations."][name$=".id"]').forEach((i) => (i.readOnly = true));
}
