/**
 * The people around one decision: who is attached to it (legal advisers intervening early,
 * invited experts, meeting invitees) and the form to invite them; comments on each draft version
 * (提前介入意见), quoting a passage selected in the draft's text. Each form is built once and
 * kept across live re-renders, so what the user is typing survives.
 */
import { api } from './api';
import type { DecisionContext } from './context';
import { clear, fmtTime, h } from './dom';
import { errorNodes } from './errors';
import { t, tField, tRole, tValue } from './i18n';
import { onSelectionIn, selectedPassage } from './quote';
import { canAct } from './roles';

export interface Participant {
  id: string;
  username: string;
  name: string;
  role: string;
  purpose: 'early-intervention' | 'expert-review' | 'meeting';
  invitedBy: string;
  invitedAt: string;
  note?: string;
}

interface Comment {
  id: string;
  draftVersion: number;
  authorName: string;
  role: string;
  text: string;
  quote: string | null;
  createdAt: string;
}

interface Person {
  username: string;
  name: string;
  org: string;
  lawyerType: string | null;
}

interface Expert {
  username: string;
  name: string;
  field: string | null;
  affiliation: string | null;
  conflicts: { party: string; note?: string }[];
}

const PURPOSES = ['early-intervention', 'meeting', 'expert-review'] as const;
/** Who may invite, and who may comment on drafts (server/people-routes.ts). */
export const INVITERS = ['department', 'secretariat', 'legality-review-body'];
export const COMMENTERS = ['legal-adviser', 'legality-review-body', 'department', 'secretariat'];

/** The "参与人员 / People" section. */
export function participantsSection(ctx: DecisionContext, onInvited: () => Promise<void>) {
  const el = h('section', { class: 'people', id: 'people' });
  let form: HTMLElement | undefined;
  let items: Participant[] = [];

  const inviteForm = () => {
    if (form) return form;
    const purpose = h('select', { name: 'purpose' }, PURPOSES.map((p) => h('option', { value: p }, t(`purpose.${p}`))));
    const person = h('select', { name: 'username', required: true });
    const info = h('div', { class: 'expert-info small' });
    const note = h('input', { type: 'text', name: 'note', placeholder: tField('note') });
    const errors = h('div', { class: 'form-errors', role: 'alert' });
    let advisers: Person[] | undefined;
    let experts: Expert[] | undefined;
    const describe = (x: Expert) =>
      h(
        'div',
        { class: 'expert', 'data-username': x.username },
        h('strong', {}, x.name),
        ` · ${x.field ?? '—'} · ${x.affiliation ?? '—'}`,
        h('div', { class: x.conflicts.length ? 'conflicts has-conflicts' : 'conflicts muted' }, x.conflicts.length ? `${t('conflicts')}：${x.conflicts.map((c) => c.party + (c.note ? `（${c.note}）` : '')).join('；')}` : t('noConflicts')),
      );
    const fill = async () => {
      errors.replaceChildren();
      info.replaceChildren();
      try {
        if (purpose.value === 'expert-review') {
          experts ??= (await api<{ items: Expert[] }>('GET', '/api/experts')).items;
          clear(
            person,
            h('option', { value: '' }, t('choose')),
            experts.map((x) => h('option', { value: x.username }, `${x.name}（${[x.field, x.affiliation].filter(Boolean).join('，')}）${x.conflicts.length ? ` ⚠ ${t('conflicts')}` : ''}`)),
          );
          info.append(...experts.map(describe));
        } else {
          advisers ??= (await api<{ items: Person[] }>('GET', '/api/people?role=legal-adviser')).items;
          clear(person, h('option', { value: '' }, t('choose')), advisers.map((p) => h('option', { value: p.username }, `${p.name}（${p.lawyerType ? tValue(p.lawyerType) : tRole('legal-adviser')}，${p.org}）`)));
        }
      } catch (err) {
        errors.append(...errorNodes(err));
      }
    };
    purpose.addEventListener('change', () => void fill());
    const button = h('button', { type: 'submit', class: 'primary' }, t('invite'));
    form = h(
      'form',
      {
        class: 'invite-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          errors.replaceChildren();
          if (!person.value) return void errors.append(h('div', { class: 'field-error' }, `${tField('username')}：${t('choose')}`));
          button.disabled = true;
          try {
            await api('POST', `/api/decisions/${ctx.id}/participants`, { username: person.value, purpose: purpose.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
            note.value = '';
            person.value = '';
            await refresh();
            await onInvited();
          } catch (err) {
            errors.append(...errorNodes(err));
          } finally {
            button.disabled = false;
          }
        },
      },
      h('h3', {}, t('inviteTitle')),
      h('div', { class: 'invite-row' }, h('label', {}, tField('purpose'), purpose), h('label', {}, tField('username'), person), note, button),
      info,
      errors,
    );
    void fill();
    return form;
  };

  const refresh = async (): Promise<Participant[]> => {
    items = (await api<{ items: Participant[] }>('GET', `/api/decisions/${ctx.id}/participants`)).items;
    const mayInvite = !ctx.closed() && canAct(INVITERS, ctx.actAs(), ctx.scope()).ok;
    clear(
      el,
      h('h2', {}, t('people')),
      h(
        'ul',
        { class: 'participants' },
        items.length
          ? items.map((p) =>
              h(
                'li',
                { class: 'participant', 'data-username': p.username, 'data-purpose': p.purpose },
                h('strong', {}, p.name),
                ` (${p.username}) · ${t(`purpose.${p.purpose}`)} · ${tRole(p.role)}`,
                h('span', { class: 'small muted' }, ` · ${t('invitedBy')}：${p.invitedBy} · ${fmtTime(p.invitedAt)}`),
                p.note ? h('div', { class: 'small muted' }, p.note) : null,
              ),
            )
          : h('li', { class: 'muted' }, t('none')),
      ),
      mayInvite ? inviteForm() : null,
    );
    return items;
  };
  return { el, refresh, items: () => items };
}

/**
 * One draft version's comments, its full text (select a passage to quote it) and the comment
 * form; the current version's comments start unfolded.
 */
export function commentThread(ctx: DecisionContext, version: number, unfolded: boolean) {
  const el = h('div', { class: 'comment-thread', 'data-version': version });
  const list = h('ul', { class: 'comments' });
  const heading = h('summary', {}, t('commentsN', 0));
  // A textarea: a passage across line ends keeps them (a text input would drop them).
  const quote = h('textarea', { name: 'quote', rows: 2, placeholder: t('quoteHint') });
  const text = h('textarea', { name: 'text', rows: 3 });
  const errors = h('div', { class: 'form-errors', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('addComment'));
  const full = h('div', { class: 'draft-text', 'data-offset': 0 }, '…');
  let loaded = false;
  let content = '';
  const fullText = h(
    'details',
    {
      class: 'draft-full',
      ontoggle: async () => {
        if (loaded || !fullText.open) return;
        loaded = true;
        try {
          content = (await api<{ content: string | null }>('GET', `/api/decisions/${ctx.id}/drafts/${version}`)).content ?? '';
          full.textContent = content;
        } catch (err) {
          loaded = false;
          clear(full, errorNodes(err));
        }
      },
    },
    h('summary', {}, t('fullText')),
    full,
  );
  // Selecting a passage of the draft — by mouse, keyboard or touch, across lines — quotes it exactly.
  onSelectionIn(full, () => {
    const passage = loaded ? selectedPassage(full, content) : null;
    if (passage) quote.value = passage.slice(0, 2000);
  });
  const form = h(
    'form',
    {
      class: 'comment-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        errors.replaceChildren();
        button.disabled = true;
        try {
          await api('POST', `/api/decisions/${ctx.id}/drafts/${version}/comments`, { text: text.value, ...(quote.value.trim() ? { quote: quote.value.trim() } : {}) });
          text.value = '';
          quote.value = '';
          await refresh();
        } catch (err) {
          errors.append(...errorNodes(err));
        } finally {
          button.disabled = false;
        }
      },
    },
    h('label', { class: 'field-label' }, tField('quote')),
    quote,
    h('label', { class: 'field-label' }, t('addComment')),
    text,
    errors,
    h('div', { class: 'form-actions' }, button),
  );
  const box = h('details', { class: 'comments-box', open: unfolded }, heading, list);

  const refresh = async () => {
    const items = (await api<{ items: Comment[] }>('GET', `/api/decisions/${ctx.id}/drafts/${version}/comments`)).items;
    heading.textContent = t('commentsN', items.length);
    if (items.length) box.open = true;
    clear(
      list,
      items.length
        ? items.map((c) =>
            h(
              'li',
              { class: 'comment', 'data-id': c.id },
              h('div', { class: 'small muted' }, `${c.authorName} · ${tRole(c.role)} · ${fmtTime(c.createdAt)}`),
              c.quote ? h('blockquote', {}, c.quote) : null,
              h('div', { class: 'comment-text' }, c.text),
            ),
          )
        : h('li', { class: 'muted' }, t('none')),
    );
    const mayComment = !ctx.closed() && canAct(COMMENTERS, ctx.actAs(), ctx.scope()).ok;
    if (mayComment && !form.isConnected) box.append(form);
    if (!mayComment) form.remove();
  };
  el.append(fullText, box);
  return { el, refresh };
}
