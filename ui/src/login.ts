/** The login screen: login name and password, then back to where the user was going. */
import { api, ApiFailure, setSession, type RoleLabels, type SessionUser } from './api';
import { clear, h } from './dom';
import { errorNodes } from './errors';
import { t } from './i18n';

/** Render the form; a successful login moves the hash, and the router does the rest. */
export function renderLogin(root: HTMLElement, params: URLSearchParams) {
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { class: 'form-errors', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('login'));
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.replaceChildren();
        button.disabled = true;
        try {
          const r = await api<{ user: SessionUser; csrfToken: string; roleLabels: RoleLabels }>('POST', '/api/session/login', { username: username.value.trim(), password: password.value }, { noLoginRedirect: true });
          setSession(r);
          const next = params.get('next');
          location.hash = next && next.startsWith('/') && !next.startsWith('/login') ? `#${next}` : '#/';
        } catch (err) {
          password.value = '';
          error.append(h('div', { class: 'field-error', 'data-status': err instanceof ApiFailure ? err.status : 0 }, loginError(err)));
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', {}, t('loginTitle')),
    h('label', {}, t('loginName'), username),
    h('label', {}, t('password'), password),
    error,
    h('div', { class: 'form-actions' }, button),
  );
  clear(root, form);
  username.focus();
}

function loginError(err: unknown): string {
  if (!(err instanceof ApiFailure)) return String((err as Error).message);
  if (err.status === 401) return t('loginFailed');
  if (err.status === 429) {
    const seconds = Number((err.body.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds ?? 900);
    return t('tooManyAttempts', Math.max(1, Math.ceil(seconds / 60)));
  }
  return err.message;
}

/** Change one's own password: the current one, the new one twice. Other sessions end. */
export function renderPasswordChange(root: HTMLElement) {
  const current = h('input', { type: 'password', name: 'currentPassword', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'newPassword', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { type: 'password', name: 'newPasswordAgain', autocomplete: 'new-password', required: true });
  const message = h('div', { class: 'form-errors', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('changePassword'));
  const form = h(
    'form',
    {
      class: 'login password-change',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        message.replaceChildren();
        if (next.value !== again.value) return void message.append(h('div', { class: 'field-error' }, t('passwordsDiffer')));
        button.disabled = true;
        try {
          const r = await api<{ otherSessionsEnded: number }>('POST', '/api/me/password', { currentPassword: current.value, newPassword: next.value });
          form.reset();
          message.append(h('div', { class: 'form-ok' }, t('passwordChanged', r.otherSessionsEnded)));
        } catch (err) {
          message.append(...errorNodes(err));
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', {}, t('changePassword')),
    h('label', {}, t('currentPassword'), current),
    h('label', {}, t('newPassword'), next),
    h('label', {}, t('newPasswordAgain'), again),
    message,
    h('div', { class: 'form-actions' }, button),
  );
  clear(root, form);
  current.focus();
}
