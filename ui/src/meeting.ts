/**
 * The collective decision (Decree 713 Arts. 29-30): the office records the minutes with attendees
 * and speakers chosen from the roster on file (members first, the head last), each speaker —
 * signed in as themselves — confirms their own statement or asks for a correction, and the
 * office completes the step on the dossier as it stands. A dissent on record is the member's own.
 */
import type { ElementView, Meeting } from '../../workflows/model';
import { api } from './api';
import { postAct } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import { chinaToday, clear, fmtTime, h } from './dom';
import { generateForm, type Field, type JsonSchema } from './form';
import { colon, t, tField, tValue } from './i18n';

/** GET /api/decisions/:id/meeting: the roster on file, members then the head. */
interface RosterView {
  onFile: boolean;
  head: { username: string; name: string } | null;
  members: { username: string; name: string }[];
  sittingInNames: string[];
  speakers: { speaker: string; name: string; capacity: 'member' | 'head' }[];
}

type Statement = { speaker: string; position: string; text: string };
const POSITIONS = ['agree', 'disagree', 'abstain'];

const MINUTES_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    meetingType: { enum: ['executive', 'plenary'] },
    meetingDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    session: { type: 'string' },
    attendees: {},
    statements: {},
    decision: { enum: ['adopted', 'adopted-with-amendments', 'rejected'] },
    reasons: { type: 'string' },
    sittingIn: { type: 'array', items: { type: 'string' } },
    minutesRef: { type: 'string' },
  },
  required: ['meetingType', 'meetingDate', 'attendees', 'statements', 'decision'],
};

/** Names on the roster, the head marked. */
function namer(m: Meeting | null, roster?: RosterView) {
  const names = new Map<string, string>();
  for (const p of [...(roster?.members ?? m?.roster?.members ?? []), ...(roster?.head ? [roster.head] : m?.roster?.head ? [m.roster.head] : [])]) names.set(p.username, p.name);
  const head = roster?.head?.username ?? m?.roster?.head?.username;
  return (u: string) => `${names.get(u) ?? u}${u === head ? `（${tValue('head')}）` : ''}`;
}

/** The members attending: the roster's people, ticked. */
function attendeesField(people: { username: string; label: string }[], ticked: string[]): Field {
  const boxes = people.map((p) => {
    const cb = h('input', { type: 'checkbox', name: 'attendees', value: p.username });
    cb.checked = ticked.includes(p.username);
    return { cb, el: h('label', { class: 'choice' }, cb, p.label) };
  });
  return {
    el: h('fieldset', { class: 'group attendees', 'data-path': 'attendees' }, h('legend', {}, tField('attendees')), boxes.map((b) => b.el)),
    get: () => boxes.filter((b) => b.cb.checked).map((b) => b.cb.value),
  };
}

/** The statements in the order spoken, each speaker chosen from the roster. */
function statementsField(people: { username: string; label: string }[], start: Statement[]): Field {
  const list = h('ol', { class: 'statements-edit' });
  const rows: { el: HTMLElement; get(): Statement }[] = [];
  const renumber = () =>
    rows.forEach((r, i) => {
      r.el.dataset.path = `statements.${i}`;
      r.el.querySelectorAll<HTMLElement>('[data-sub]').forEach((f) => (f.dataset.path = `statements.${i}.${f.dataset.sub}`));
      r.el.querySelectorAll<HTMLInputElement>('[data-name]').forEach((c) => (c.name = `statements.${i}.${c.dataset.name}`));
    });
  const add = (s?: Statement) => {
    const speaker = h('select', { 'data-name': 'speaker' }, h('option', { value: '' }, t('choose')), people.map((p) => h('option', { value: p.username }, p.label)));
    speaker.value = s?.speaker ?? '';
    const position = h('select', { 'data-name': 'position' }, POSITIONS.map((p) => h('option', { value: p }, tValue(p))));
    position.value = s?.position ?? 'agree';
    const text = h('textarea', { 'data-name': 'text', rows: 2 });
    text.value = s?.text ?? '';
    const sub = (name: string, control: HTMLElement) => h('div', { class: 'field', 'data-sub': name }, h('label', { class: 'field-label' }, tField(name)), control);
    const row = {
      el: h(
        'li',
        { class: 'statement-row' },
        h('div', { class: 'statement-head' }, sub('speaker', speaker), sub('position', position)),
        sub('text', text),
        h(
          'div',
          { class: 'row-actions' },
          h('button', { type: 'button', class: 'link up', onclick: () => move(row, -1) }, t('moveUp')),
          h('button', { type: 'button', class: 'link remove', onclick: () => (rows.splice(rows.indexOf(row), 1), row.el.remove(), renumber()) }, t('remove')),
        ),
      ),
      get: () => ({ speaker: speaker.value, position: position.value, text: text.value.trim() }),
    };
    rows.push(row);
    list.append(row.el);
    renumber();
  };
  const move = (row: (typeof rows)[number], by: number) => {
    const i = rows.indexOf(row);
    if (i + by < 0) return;
    rows.splice(i, 1);
    rows.splice(i + by, 0, row);
    list.replaceChildren(...rows.map((r) => r.el));
    renumber();
  };
  for (const s of start) add(s);
  return {
    el: h('div', { class: 'field array statements', 'data-path': 'statements' }, h('label', { class: 'field-label' }, tField('statements')), list, h('button', { type: 'button', class: 'link add', onclick: () => add() }, `+ ${t('addStatement')}`)),
    get: () => rows.map((r) => r.get()),
  };
}

/** Where each speaker stands on their own statement in the current minutes. */
function confirmation(m: Meeting, u: string): { state: 'confirmed' | 'pending' | 'disputed'; dispute?: string; at?: number } {
  const c = m.confirmations[u];
  if (!c || c.minutesVersion !== m.minutes!.version) return { state: 'pending' };
  return c.confirm ? { state: 'confirmed', at: c.at } : { state: 'disputed', dispute: c.dispute, at: c.at };
}

/** The meeting in the collective decision's panel: roster, minutes, confirmations, and what the reader may do. */
export function meetingBox(ws: Workspace, e: ElementView): HTMLElement | null {
  const v = ws.view();
  const m = v.meeting;
  if (e.kind !== 'collective-decision' || !m || e.status !== 'active') return null;
  const name = namer(m);
  const slot = h('div', { class: 'meeting-form' });
  const me = ws.viewer().username;
  const speakers = m.minutes ? [...new Set(m.minutes.statements.map((s) => s.speaker))] : [];

  const recordMinutes = async () => {
    ws.hold(true);
    const roster = await api<RosterView>('GET', `/api/decisions/${ws.id}/meeting`).catch(() => null);
    if (!roster?.head) return void clear(slot, h('p', { class: 'field-error' }, t('noRoster')));
    const label = namer(m, roster);
    const people = [...roster.members, roster.head].map((p) => ({ username: p.username, label: label(p.username) }));
    const prior = m.minutes;
    const dated = datedField(ws);
    const form = generateForm(MINUTES_SCHEMA, prior ? t('rerecordMinutes') : t('recordMinutes'), async (value) => void (await postAct(ws, `/api/decisions/${ws.id}/meeting/minutes`, value, form, dated)), {
      initial: prior ? { ...prior } : { meetingType: 'executive', meetingDate: chinaToday(), sittingIn: roster.sittingInNames, decision: 'adopted' },
      custom: {
        attendees: attendeesField(people, prior?.attendees ?? people.map((p) => p.username)),
        statements: statementsField(people, prior?.statements ?? roster.speakers.map((s) => ({ speaker: s.speaker, position: 'agree', text: '' }))),
      },
      lead: [dated],
      onCancel: () => ws.hold(false),
    });
    form.el.classList.add('minutes-form');
    clear(slot, h('h4', {}, prior ? t('rerecordMinutes') : t('recordMinutes')), h('p', { class: 'form-note small' }, t('prefilledRoster')), form.el);
  };

  // The speaker's own statement: confirm it, or ask for a correction (Arts. 30, 38).
  const mine = () => {
    if (!me || !m.minutes || !speakers.includes(me) || !ws.may(['decision-body'])) return null;
    const own = m.minutes.statements.filter((s) => s.speaker === me);
    const c = confirmation(m, me);
    const path = `/api/decisions/${ws.id}/meeting/confirm`;
    const datedConfirm = datedField(ws);
    const confirmForm = generateForm({ type: 'object', properties: {} }, t('confirmStatement'), async () => void (await postAct(ws, path, { confirm: true }, confirmForm, datedConfirm)), { lead: [datedConfirm] });
    confirmForm.el.classList.add('confirm-form');
    const datedDispute = datedField(ws);
    const disputeForm = generateForm({ type: 'object', properties: { dispute: { type: 'string' } }, required: ['dispute'] }, t('disputeStatement'), async (value) => void (await postAct(ws, path, value, disputeForm, datedDispute)), { lead: [datedDispute] });
    disputeForm.el.classList.add('dispute-form');
    return h(
      'div',
      { class: `my-statement ${c.state}`, 'data-state': c.state },
      h('h4', {}, t('myStatement')),
      own.map((s) => h('blockquote', {}, `${tValue(s.position)}${colon()}${s.text}`)),
      h('p', { class: 'small' }, stateText(c)),
      c.state === 'confirmed' ? null : h('div', { class: 'confirm-actions' }, confirmForm.el, h('details', { class: 'dispute' }, h('summary', {}, t('disputeStatement')), disputeForm.el)),
    );
  };
  const stateText = (c: ReturnType<typeof confirmation>) => (c.state === 'confirmed' ? `${t('confirmed')} · ${fmtTime(c.at)}` : c.state === 'disputed' ? `${t('disputed')}${colon()}${c.dispute ?? ''}` : t('pendingConfirm'));

  const minutes = m.minutes;
  return h(
    'section',
    { class: 'meeting-box' },
    h('h3', {}, minutes ? t('minutesVersion', minutes.version) : tValue('minutes')),
    m.roster?.head ? h('p', { class: 'small muted' }, `${t('roster')}${colon()}${[...m.roster.members.map((p) => p.username), m.roster.head.username].map(name).join('、')}`) : h('p', { class: 'field-error' }, t('noRoster')),
    minutes
      ? h(
          'div',
          { class: 'minutes' },
          h(
            'dl',
            {},
            [
              [tField('meetingType'), tValue(minutes.meetingType)],
              [tField('meetingDate'), minutes.meetingDate],
              [tField('session'), minutes.session ?? ''],
              [tField('attendees'), minutes.attendees.map(name).join('、')],
              [tField('sittingIn'), minutes.sittingIn.join('、')],
              [tField('decision'), tValue(minutes.decision)],
              [tField('reasons'), minutes.reasons ?? ''],
            ]
              .filter(([, x]) => x)
              .map(([k, x]) => [h('dt', {}, k), h('dd', {}, x)]),
          ),
          h(
            'ol',
            { class: 'statements' },
            minutes.statements.map((s) => {
              const c = confirmation(m, s.speaker);
              return h('li', { 'data-speaker': s.speaker }, h('strong', {}, name(s.speaker)), ` · ${tValue(s.position)}${colon()}${s.text} `, h('span', { class: `confirm-state ${c.state}` }, stateText(c)));
            }),
          ),
          h('p', { class: 'small muted' }, `${minutes.by} · ${fmtTime(minutes.at)}`),
        )
      : null,
    mine(),
    ws.may(['secretariat'])
      ? h('button', { type: 'button', class: 'record-minutes', onclick: (ev: Event) => ((ev.currentTarget as HTMLElement).hidden = true, void recordMinutes()) }, minutes ? t('rerecordMinutes') : t('recordMinutes'))
      : null,
    slot,
  );
}

/**
 * The completion form's draft version: the current one, shown read-only with the dossier the
 * meeting decided on (Art. 29) — the reviewed draft and the legality review's conclusion.
 */
export function dossierField(ws: Workspace): Field {
  const v = ws.view();
  const version = v.currentDraft?.version ?? v.drafts.at(-1)?.version;
  const review = [...v.records].reverse().find((r) => r.kind === 'legality-review' && r.action === 'complete');
  return {
    el: h(
      'div',
      { class: 'field dossier', 'data-path': 'draftVersion' },
      h('label', { class: 'field-label' }, tField('draftVersion')),
      h('input', { type: 'text', name: 'draftVersion', value: version ? t('version', version) : '—', readonly: true }),
      h('p', { class: 'small muted' }, `${t('dossier')}${colon()}${v.currentDraft ? `${v.currentDraft.title} · ` : ''}${review ? t('dossierLegality', tValue(String(review.data.outcome))) : ''}`),
    ),
    get: () => version,
  };
}
