/**
 * People's own opinions on a draft version (domain invariant 12): a legal adviser's or government
 * lawyer's (Decree 713 Art. 28) and an invited expert's, who affirms having no direct interest
 * (Arts. 19-20). Each gives theirs under their own account; the legality review body puts an
 * adviser's signed document on file, the department an invited expert's. The legality review and
 * expert review records then cite opinions on file, chosen from a list — never typed names.
 */
import type { OpinionRef } from '../../workflows/model';
import { api, upload } from './api';
import { datedPath, postAct, showFailure } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import { clear, fmtTime, h, withQuery } from './dom';
import { generateForm, textField, type Field, type GeneratedForm, type JsonSchema } from './form';
import { t, tField, tHelp, tValue } from './i18n';
import type { Participant } from './people';

/** An opinion as the store keeps it (GET /api/decisions/:id/opinions). */
export interface Opinion {
  id: string;
  draftVersion: number;
  author: string;
  authorName: string;
  capacity: 'legal-adviser' | 'government-lawyer' | 'expert';
  opinion: string;
  legalBases: string[];
  source: 'account' | 'signed-document';
  recordedBy: string;
  documentId?: string;
  noDirectInterest?: boolean;
  createdAt: string;
}

const currentVersion = (ws: Workspace) => ws.view().currentDraft?.version ?? ws.view().drafts.at(-1)?.version ?? null;

/** An expert's affirmation (Art. 20): a box that must be ticked. */
function noInterestField(path = 'noDirectInterest'): Field {
  const cb = h('input', { type: 'checkbox', name: path });
  return {
    el: h('div', { class: 'field inline no-interest', 'data-path': path }, cb, h('label', { class: 'field-label' }, tField('noDirectInterest'), h('span', { class: 'req' }, ' *'))),
    get: () => cb.checked,
    validate: () => (cb.checked ? [] : [{ path, message: t('mustDeclareNoInterest') }]),
  };
}

/** A choice of person, by login name, from those who may have signed. */
function personField(people: { username: string; label: string }[]): Field {
  const sel = h('select', { name: 'author' }, h('option', { value: '' }, t('choose')), people.map((p) => h('option', { value: p.username }, p.label)));
  return {
    el: h('div', { class: 'field', 'data-path': 'author' }, h('label', { class: 'field-label' }, tField('author'), h('span', { class: 'req' }, ' *')), sel),
    get: () => sel.value || undefined,
    validate: () => (sel.value ? [] : [{ path: 'author', message: `${tField('author')}：${t('choose')}` }]),
  };
}

function fileField(): Field & { file(): File | undefined } {
  const input = h('input', { type: 'file', name: 'file' });
  return {
    el: h('div', { class: 'field', 'data-path': 'file' }, h('label', { class: 'field-label' }, t('file'), h('span', { class: 'req' }, ' *')), input),
    get: () => undefined,
    file: () => input.files?.[0],
    validate: () => (input.files?.[0] ? [] : [{ path: 'file', message: t('chooseFile') }]),
  };
}

/** Upload a signed opinion: the document as the body, who signed it and what it says on the URL. */
async function sendSigned(ws: Workspace, form: GeneratedForm, file: File, query: Record<string, string | number | undefined>, dated: Field | null, accepted: () => void): Promise<boolean> {
  try {
    await upload(datedPath(withQuery(`/api/decisions/${ws.id}/opinions/signed`, query), dated), file);
    accepted();
    await ws.settle();
    return true;
  } catch (err) {
    showFailure(form, err);
    void ws.audited().catch(() => undefined);
    return false;
  }
}

/** The "意见" section: every opinion on file, the form to give one's own, and the signed-document upload. */
export function opinionsSection(ws: Workspace) {
  const el = h('section', { class: 'opinions', id: 'opinions' });
  const note = h('div', { class: 'form-note', role: 'status' });
  let items: Opinion[] = [];
  /** Forms survive live redraws (what is typed stays) until what they depend on changes. */
  const forms = new Map<string, HTMLElement>();
  const kept = (key: string, make: () => HTMLElement) => {
    if (!forms.has(key)) forms.set(key, make());
    return forms.get(key)!;
  };
  /** A form whose opinion is on file gives way to a fresh one at the redraw. */
  const done = (key: string) => {
    forms.delete(key);
    note.textContent = t('opinionRecorded');
  };

  const ownForm = (expert: boolean, v: number) => {
    const key = `own:${expert}:${v}:${Boolean(ws.view().import?.open)}`;
    return kept(key, () => {
      const dated = datedField(ws);
      const schema: JsonSchema = expert
        ? { type: 'object', properties: { opinion: { type: 'string' }, noDirectInterest: { type: 'boolean' } }, required: ['opinion', 'noDirectInterest'] }
        : { type: 'object', properties: { opinion: { type: 'string' }, legalBases: { type: 'array', items: { type: 'string' } } }, required: ['opinion'] };
      const form = generateForm(schema, expert ? t('recordExpertOpinion') : t('recordOpinion'), async (value) => {
        note.replaceChildren();
        await postAct(ws, `/api/decisions/${ws.id}/opinions`, { ...value, draftVersion: v }, form, dated, () => done(key));
      }, { initial: expert ? {} : { legalBases: [''] }, custom: { opinion: textField('opinion', tField('opinionText'), { required: true, long: true, min: 2 }), ...(expert ? { noDirectInterest: noInterestField() } : {}) }, lead: [dated] });
      form.el.classList.add('opinion-form');
      return h('div', { class: 'opinion-form-box' }, h('h3', {}, expert ? t('recordExpertOpinion') : t('recordOpinion'), h('span', { class: 'muted small' }, ` · ${t('version', v)}`)), form.el);
    });
  };

  /** The review body files an adviser's signed opinion; the department or office an invited expert's. */
  const signedForm = async (expert: boolean, v: number) => {
    const key = `signed:${expert}:${v}:${Boolean(ws.view().import?.open)}`;
    if (forms.has(key)) return forms.get(key)!;
    const people = expert
      ? (await api<{ items: Participant[] }>('GET', `/api/decisions/${ws.id}/participants`)).items.filter((p) => p.purpose === 'expert-review').map((p) => ({ username: p.username, label: `${p.name}（${p.username}）` }))
      : (await api<{ items: { username: string; name: string; org: string; lawyerType: string | null }[] }>('GET', '/api/people?role=legal-adviser')).items.map((p) => ({ username: p.username, label: `${p.name}（${tValue(p.lawyerType ?? 'legal-adviser')}，${p.org}）` }));
    if (expert && !people.length) return h('p', { class: 'small muted signed-none' }, t('noInvitedExperts'));
    return kept(key, () => {
      const dated = datedField(ws);
      const file = fileField();
      const schema = { type: 'object', properties: { author: {}, summary: { type: 'string' }, draftVersion: { type: 'integer' }, ...(expert ? { noDirectInterest: {} } : {}), file: {} }, required: ['summary', 'draftVersion'] };
      const form = generateForm(schema, t('uploadSigned'), async (value) => {
        note.replaceChildren();
        const q = { author: value.author as string, summary: value.summary as string, draftVersion: value.draftVersion as number, ...(expert ? { noDirectInterest: 'true' } : {}) };
        await sendSigned(ws, form, file.file()!, q, dated, () => done(key));
      }, { initial: { draftVersion: v }, custom: { author: personField(people), file, ...(expert ? { noDirectInterest: noInterestField() } : {}) }, lead: [dated] });
      form.el.classList.add('signed-opinion-form');
      return h('details', { class: 'opinion-form-box signed' }, h('summary', {}, expert ? t('signedExpert') : t('signedAdviser')), form.el);
    });
  };

  const item = (o: Opinion) =>
    h(
      'li',
      { class: 'opinion', 'data-id': o.id, 'data-author': o.author, 'data-capacity': o.capacity },
      h(
        'div',
        { class: 'small muted' },
        h('strong', { class: 'author' }, o.authorName),
        ` · ${tValue(o.capacity)} · ${t('version', o.draftVersion)} · ${t(`opinionSource.${o.source}`)}${o.source === 'signed-document' ? `（${t('recordedBy')} ${o.recordedBy}）` : ''} · ${fmtTime(o.createdAt)}`,
        o.capacity === 'expert' && o.noDirectInterest ? h('span', { class: 'chip no-interest' }, t('noDirectInterestDeclared')) : null,
      ),
      h('div', { class: 'opinion-text' }, o.opinion),
      o.legalBases.length ? h('div', { class: 'small' }, `${t('basis')}：${o.legalBases.join('；')}`) : null,
      o.documentId ? h('a', { class: 'small', href: `/api/decisions/${ws.id}/attachments/${o.documentId}` }, `📎 ${t('opinionSource.signed-document')}`) : null,
    );

  const refresh = async (): Promise<Opinion[]> => {
    items = (await api<{ items: Opinion[] }>('GET', `/api/decisions/${ws.id}/opinions`)).items;
    const v = currentVersion(ws);
    const actAs = ws.actAs();
    const own = v && ws.may(['legal-adviser', 'expert']) ? ownForm(!actAs.includes('legal-adviser'), v) : null;
    const signedAdviser = v && ws.may(['legality-review-body']) ? await signedForm(false, v).catch(() => null) : null;
    const signedExpert = v && ws.view().effectiveFacts.technical && ws.may(['department', 'secretariat']) ? await signedForm(true, v).catch(() => null) : null;
    clear(
      el,
      h('h2', {}, t('opinions')),
      h('ol', { class: 'opinion-list' }, items.length ? items.map(item) : h('li', { class: 'muted' }, t('none'))),
      note,
      own,
      signedAdviser,
      signedExpert,
    );
    return items;
  };
  return { el, refresh };
}

/**
 * The opinions a record cites, chosen from those on file: a legality review's advisers' opinions
 * (all on the current draft selected — leaving one out is refused, Art. 28), an expert review's
 * experts' opinions (all selected, Art. 19).
 */
export function opinionPicker(ws: Workspace, path: 'adviserOpinions' | 'opinions'): Field {
  const adviser = path === 'adviserOpinions';
  const v = currentVersion(ws);
  const onFile = ws.view().opinions.filter((o) => (o.capacity === 'expert') !== adviser);
  const boxes = onFile.map((o: OpinionRef) => {
    const cb = h('input', { type: 'checkbox', name: path, value: o.id });
    cb.checked = adviser ? o.draftVersion === v : true;
    const label = `${o.authorName}（${tValue(o.capacity)}）· ${t('version', o.draftVersion)} · ${t(`opinionSource.${o.source}`)} · ${fmtTime(o.at)}`;
    return { cb, el: h('label', { class: 'choice opinion-choice', 'data-author': o.author }, cb, label, o.capacity === 'expert' && o.noDirectInterest ? h('span', { class: 'chip no-interest' }, t('noDirectInterestDeclared')) : null) };
  });
  const help = tHelp(path);
  return {
    el: h(
      'fieldset',
      { class: 'group opinion-picker', 'data-path': path },
      h('legend', {}, tField(path)),
      h('p', { class: 'small muted' }, adviser ? t('pickAdvisers') : t('pickExperts'), help ? ` ${help}` : ''),
      boxes.length ? boxes.map((b) => b.el) : h('p', { class: 'muted' }, t('noOpinionsOnFile')),
    ),
    get: () => boxes.filter((b) => b.cb.checked).map((b) => b.cb.value),
  };
}
