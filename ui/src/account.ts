/**
 * Pages about people rather than decisions: an expert's conflict-of-interest declarations (which
 * keep them from being invited where they have an interest). The supervisors' security events
 * page is ui/src/security-log.ts.
 */
import { api } from './api';
import { clear, fmtTime, h } from './dom';
import { errorNodes } from './errors';
import { t } from './i18n';

interface Conflict {
  party: string;
  note?: string;
  declaredAt?: string;
}

export async function renderConflicts(root: HTMLElement) {
  const me = await api<{ name: string; expert: { field: string; affiliation: string; conflicts: Conflict[] } | null }>('GET', '/api/me');
  const list = (conflicts: Conflict[]) =>
    h(
      'ul',
      { class: 'conflict-list' },
      conflicts.length ? conflicts.map((c) => h('li', {}, h('strong', {}, c.party), c.note ? ` — ${c.note}` : '', c.declaredAt ? h('span', { class: 'muted small' }, ` · ${fmtTime(c.declaredAt)}`) : null)) : h('li', { class: 'muted' }, t('none')),
    );
  const current = h('div', {}, list(me.expert?.conflicts ?? []));
  const party = h('input', { type: 'text', name: 'party', required: true, placeholder: t('conflictPartyHint') });
  const note = h('input', { type: 'text', name: 'note' });
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'conflict-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        errors.replaceChildren();
        try {
          const r = await api<{ conflicts: Conflict[] }>('POST', '/api/me/conflicts', { party: party.value.trim(), note: note.value.trim() });
          form.reset();
          clear(current, list(r.conflicts));
        } catch (err) {
          errors.append(...errorNodes(err));
        }
      },
    },
    h('label', {}, t('conflictParty'), party),
    h('label', {}, t('conflictNote'), note),
    errors,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('declareConflict'))),
  );
  clear(
    root,
    h('h1', {}, t('myConflicts')),
    me.expert ? h('p', { class: 'muted' }, `${me.name} · ${me.expert.field} · ${me.expert.affiliation}`) : null,
    h('p', { class: 'muted small' }, t('conflictsIntro')),
    current,
    form,
  );
}
