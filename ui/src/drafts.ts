/**
 * The draft versions: each with its hash, its materials and its comment thread, the upload of
 * draft material to the current version, and the department's form for a new version while
 * drafting or a revision is open (kept across live redraws so typed text survives).
 */
import { api, upload } from './api';
import { datedPath, postAct } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import type { DecisionView } from '../../workflows/model';
import { clear, fmtTime, h, withQuery } from './dom';
import { errorLines } from './errors';
import { generateForm } from './form';
import { t } from './i18n';
import { commentThread } from './people';

interface Attachment {
  id: string;
  filename: string;
  size: number;
  draftVersion: number;
  uploadedAt: string;
  uploadedBy: string;
  /** The Word document a version's text was read from. */
  draftOriginal?: boolean;
}

/** Who may upload attachments (server/attachment-routes.ts). */
const UPLOADERS = ['department', 'secretariat', 'legality-review-body', 'legal-adviser'];

/** The "草案版本" section. */
export function draftsSection(ws: Workspace) {
  const el = h('section', { class: 'files' });
  const threads = new Map<number, ReturnType<typeof commentThread>>();
  const refresh = async () => {
    const v = ws.view();
    const current = v.currentDraft?.version ?? v.drafts.at(-1)?.version;
    for (const d of v.drafts) if (!threads.has(d.version)) threads.set(d.version, commentThread(ws, d.version, d.version === current));
    // Comment threads load side by side with the attachments.
    const comments = Promise.all([...threads.values()].map((th) => th.refresh().catch(() => undefined)));
    let attachments: Attachment[] = [];
    let originals: Attachment[] = [];
    // The decision's materials are those its workflow registered; a signed opinion's document is the opinion's, shown there.
    const registered = new Set(v.materials.map((m) => m.id));
    try {
      const all = (await api<{ items: Attachment[] }>('GET', `/api/decisions/${ws.id}/attachments`)).items;
      attachments = all.filter((a) => registered.has(a.id));
      originals = all.filter((a) => a.draftOriginal);
    } catch {
      /* attachments are optional to the view */
    }
    const input = h('input', { type: 'file', name: 'attachment', 'aria-label': t('upload') });
    const note = h('span', { class: 'muted small' });
    const dated = datedField(ws);
    const send = async () => {
      const file = input.files?.[0];
      if (!file) return;
      const missing = dated?.validate?.() ?? [];
      if (missing.length) return void (note.textContent = missing.map((m) => m.message).join(' '));
      try {
        await upload(datedPath(`/api/decisions/${ws.id}/attachments?draftVersion=${v.currentDraft!.version}`, dated), file);
        note.textContent = '';
      } catch (err) {
        note.textContent = errorLines(err).join(' ');
        void ws.audited().catch(() => undefined);
        return;
      }
      await ws.settle();
    };
    clear(
      el,
      h('h2', {}, t('drafts')),
      h(
        'ul',
        { class: 'drafts' },
        v.drafts.map((d) =>
          h(
            'li',
            { 'data-version': d.version },
            h('a', { href: `/api/decisions/${ws.id}/drafts/${d.version}`, target: '_blank' }, t('version', d.version)),
            ` ${d.title} · ${d.addedBy} · ${fmtTime(d.addedAt)} · `,
            h('code', { title: d.hash }, d.hash.slice(0, 12)),
            originals
              .filter((a) => a.draftVersion === d.version)
              .map((a) => h('div', { class: 'draft-original' }, `${t('wordOriginal')}：`, h('a', { href: `/api/decisions/${ws.id}/attachments/${a.id}`, 'data-original': a.id }, a.filename), ` (${Math.ceil(a.size / 1024)} KB)`)),
            attachments.filter((a) => a.draftVersion === d.version).map((a) => h('div', { class: 'attachment' }, '📎 ', h('a', { href: `/api/decisions/${ws.id}/attachments/${a.id}` }, a.filename), ` (${Math.ceil(a.size / 1024)} KB, ${a.uploadedBy})`)),
            threads.get(d.version)!.el,
          ),
        ),
        v.drafts.length ? null : h('li', { class: 'muted' }, t('none')),
      ),
      v.currentDraft && ws.may(UPLOADERS)
        ? h('div', { class: 'upload' }, dated?.el ?? null, input, h('button', { type: 'button', onclick: () => void send() }, `${t('upload')} → ${t('version', v.currentDraft.version)}`), note)
        : null,
    );
    await comments;
  };
  return { el, refresh };
}

/** The new-draft form of an open drafting or revision step; one per step and import state, kept across redraws. */
export function draftFormOf(ws: Workspace) {
  let kept: { key: string; el: HTMLElement } | undefined;
  return (step: string): HTMLElement => {
    const key = `${step}:${Boolean(ws.view().import?.open)}`;
    if (kept?.key === key) return kept.el;
    const dated = datedField(ws);
    const form = generateForm(
      { type: 'object', properties: { title: { type: 'string' }, content: { type: 'string' }, note: { type: 'string' } }, required: ['title', 'content'] },
      t('newDraft'),
      async (value) => {
        await postAct(ws, `/api/decisions/${ws.id}/drafts`, value, form, dated, () => (kept = undefined));
      },
      { lead: [dated] },
    );
    kept = { key, el: h('div', { class: 'draft-form' }, h('h3', {}, t('newDraft')), form.el, wordUpload(ws, dated, () => (kept = undefined))) };
    return kept.el;
  };
}

/**
 * A new draft version from a Word document (.docx): its text becomes the version (what the diff,
 * the comments and the scanner read); the original is kept and downloadable.
 */
function wordUpload(ws: Workspace, dated: ReturnType<typeof datedField>, accepted: () => void): HTMLElement {
  const input = h('input', { type: 'file', name: 'docx', accept: '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  const title = h('input', { type: 'text', name: 'docxTitle', placeholder: t('docxTitleHint') });
  const note = h('div', { class: 'form-errors', role: 'alert' });
  const button = h('button', { type: 'submit' }, t('uploadWord'));
  return h(
    'form',
    {
      class: 'word-upload',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const file = input.files?.[0];
        note.replaceChildren();
        if (!file) return void note.append(h('div', { class: 'field-error' }, t('chooseWordFile')));
        const missing = dated?.validate?.() ?? [];
        if (missing.length) return void note.append(...missing.map((m) => h('div', { class: 'field-error' }, m.message)));
        button.disabled = true;
        try {
          const r = await upload<{ decision: DecisionView }>(datedPath(withQuery(`/api/decisions/${ws.id}/drafts/docx`, { title: title.value.trim() || undefined }), dated), file);
          accepted();
          await ws.settle(r.decision);
        } catch (err) {
          note.append(...errorLines(err).map((l) => h('div', { class: 'field-error' }, l)));
          void ws.audited().catch(() => undefined);
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h4', {}, t('orWord')),
    h('p', { class: 'small muted' }, t('wordIntro')),
    h('div', { class: 'field' }, h('label', { class: 'field-label' }, t('wordFile')), input),
    h('div', { class: 'field' }, h('label', { class: 'field-label' }, t('draftTitle')), title),
    note,
    h('div', { class: 'form-actions' }, button),
  );
}
