/**
 * The opinion form: the article it addresses, the text, name and contact as the consultation
 * asks, up to three small files, and a field only robots fill. One submission key per form, kept
 * across retries, so a resend after a dropped connection gets the same receipt, never a twin.
 */
import { h } from '../dom';
import { PortalError, portalApi } from './api';
import { t } from './text';

export interface FormSpec {
  token: string;
  minFillMs: number;
  requires: { name: boolean; contact: boolean };
  attachments: { count: number; bytes: number; types: string[] };
}

const b64 = (buf: ArrayBuffer) => {
  let s = '';
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

const randomKey = () => (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join(''));

/** The form of one consultation; `done` receives the receipt. */
export function opinionForm(key: string, spec: FormSpec, clauses: { n: number; label: string }[], done: (receipt: string) => void): HTMLElement {
  const shownAt = Date.now();
  const issuedAt = Number(spec.token.split('.')[0]) || shownAt;
  const submissionKey = randomKey();
  const errors = h('div', { class: 'errors', role: 'alert' });
  const fieldError = (name: string) => h('div', { class: 'field-error', 'data-for': name });
  const need = (on: boolean) => h('span', { class: on ? 'req' : 'opt' }, on ? t('required') : t('optional'));

  const clause = h('select', { name: 'clause', id: 'f-clause' }, h('option', { value: '' }, t('wholeDraft')), clauses.map((c) => h('option', { value: String(c.n) }, c.label)));
  const text = h('textarea', { name: 'text', id: 'f-text', rows: 7, maxlength: 5000, required: true });
  const counter = h('div', { class: 'counter' }, '0 / 5000');
  text.addEventListener('input', () => (counter.textContent = `${text.value.length} / 5000`));
  const name = h('input', { name: 'name', id: 'f-name', maxlength: 50, autocomplete: 'name', required: spec.requires.name });
  const contact = h('input', { name: 'contact', id: 'f-contact', maxlength: 100, autocomplete: 'tel', inputmode: 'email', required: spec.requires.contact });
  const files = h('input', { type: 'file', name: 'attachments', id: 'f-files', multiple: true, accept: '.pdf,.doc,.docx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' });
  const honey = h('input', { name: 'website', id: 'f-website', tabindex: -1, autocomplete: 'off' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('submit'));

  const form = h(
    'form',
    { class: 'opinion-form', novalidate: true },
    h('h2', {}, t('giveOpinion')),
    h('label', { for: 'f-clause' }, t('clause')),
    clause,
    h('label', { for: 'f-text' }, t('text'), ' ', need(true)),
    text,
    counter,
    fieldError('text'),
    h('label', { for: 'f-name' }, t('name'), ' ', need(spec.requires.name)),
    name,
    fieldError('name'),
    h('label', { for: 'f-contact' }, t('contact'), ' ', need(spec.requires.contact)),
    contact,
    fieldError('contact'),
    h('label', { for: 'f-files' }, t('attachments'), ' ', need(false)),
    files,
    h('div', { class: 'help' }, t('attachmentsHelp', { n: spec.attachments.count })),
    fieldError('attachments'),
    h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: 'f-website' }, t('honeypot')), honey),
    h('p', { class: 'help' }, t('privacy')),
    errors,
    submit,
  );

  const showErrors = (messages: { path: string; message: string }[]) => {
    form.querySelectorAll('.field-error').forEach((el) => (el.textContent = ''));
    const loose: string[] = [];
    for (const m of messages) {
      const field = m.path.replace(/^body\./, '').split('.')[0];
      const slot = form.querySelector(`.field-error[data-for="${field}"]`);
      if (slot) slot.textContent = m.message;
      else loose.push(m.message);
    }
    errors.textContent = loose.join(' ');
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      const chosen = Array.from(files.files ?? []);
      if (chosen.length > spec.attachments.count) return showErrors([{ path: 'attachments', message: t('tooMany', { n: spec.attachments.count }) }]);
      const big = chosen.find((f) => f.size > spec.attachments.bytes);
      if (big) return showErrors([{ path: 'attachments', message: t('tooBig', { f: big.name }) }]);
      submit.disabled = true;
      submit.textContent = t('submitting');
      try {
        // A person needs a few seconds to write: a quicker submit waits for them rather than being refused.
        const wait = issuedAt + spec.minFillMs + 200 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const attachments = await Promise.all(chosen.map(async (f) => ({ filename: f.name, contentType: f.type || 'application/octet-stream', data: b64(await f.arrayBuffer()) })));
        const body = {
          submissionKey,
          formToken: spec.token,
          text: text.value,
          clause: clause.value ? Number(clause.value) : null,
          ...(name.value.trim() ? { name: name.value } : {}),
          ...(contact.value.trim() ? { contact: contact.value } : {}),
          ...(honey.value ? { website: honey.value } : {}),
          attachments,
        };
        const r = await portalApi<{ receipt: string }>('POST', `/api/portal/consultations/${encodeURIComponent(key)}/opinions`, body);
        done(r.body.receipt);
      } catch (err) {
        showErrors(err instanceof PortalError ? (err.fields.length ? err.fields : [{ path: '', message: err.message }]) : [{ path: '', message: String(err) }]);
      } finally {
        submit.disabled = false;
        submit.textContent = t('submit');
      }
    })();
  });
  return form;
}
