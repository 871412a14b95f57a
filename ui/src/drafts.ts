/**
 * The draft versions: each with its hash, its materials and its comment thread, the upload of
 * draft material to the current version, and the department's form for a new version while
 * drafting or a revision is open (kept across live redraws so typed text survives).
 */
import { api, upload } from './api';
import { datedPath, postAct } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import { clear, fmtTime, h } from './dom';
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
    // The decision's materials are those its workflow registered; a signed opinion's document is the opinion's, shown there.
    const registered = new Set(v.materials.map((m) => m.id));
    try {
      attachments = (await api<{ items: Attachment[] }>('GET', `/api/decisions/${ws.id}/attachments`)).items.filter((a) => registered.has(a.id));
    } catch {
      /* attachments are optional to the view */
    }
    const input = h('input', { type: 'file', name: 'attachment' });
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
    kept = { key, el: h('div', { class: 'draft-form' }, h('h3', {}, t('newDraft')), form.el) };
    return kept.el;
  };
}
