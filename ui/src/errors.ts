/** API refusals as the workspace shows them: a 403 and a 409 alike carry the server's own message. */
import { ApiFailure } from './api';
import { h } from './dom';
import type { FieldError } from './form';
import { ROLE_LABELS } from '../../definitions/statute';
import { lang, t, tArticle, tField, tReason, tRole } from './i18n';

type Detail = FieldError | { zh: string; en: string; article: string };

/** A 403 names the roles it needed (server/access.ts): said in the user's language too. */
function neededRoles(err: ApiFailure): string | null {
  const required = (err.body.details as { required?: unknown } | null)?.required;
  const roles = Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string' && r in ROLE_LABELS) : [];
  return roles.length ? t('needsRole', roles.map(tRole).join(t('or'))) : null;
}

/** The lines to show for a failed request. */
export function errorLines(err: unknown): string[] {
  if (!(err instanceof ApiFailure)) return [String((err as Error)?.message ?? err)];
  const { code, message, details } = err.body;
  if (code === 'FORBIDDEN') {
    // The server says why in both languages (details.zh beside the English message).
    const zh = (details as { zh?: unknown } | null)?.zh;
    return [`${t('forbiddenAction')}：${lang === 'zh' && typeof zh === 'string' ? zh : message}`];
  }
  if (code === 'CSRF_FAILED') return [`${t('forbiddenAction')}：${message}`];
  if (code === 'CONFLICT_OF_INTEREST') {
    const d = Array.isArray(details) ? (details as FieldError[]).map((x) => x.message) : [];
    return [`${t('conflictOfInterest')}：${message}`, ...d];
  }
  if (Array.isArray(details) && details.length)
    return (details as Detail[]).map((d) =>
      'zh' in d ? `${tReason(d)}（${tArticle(d.article)}）` : d.path ? `${tField(d.path.split('.').pop()!)}：${lang === 'en' && d.en ? d.en : d.message}` : d.message,
    );
  return [message];
}

/** The error lines as elements for an error area. */
export function errorNodes(err: unknown): HTMLElement[] {
  const code = err instanceof ApiFailure ? err.body.code : 'ERROR';
  return errorLines(err).map((l) => h('div', { class: 'field-error', 'data-code': code }, l));
}

/** A whole view that could not load: forbidden, missing, or unreachable. */
export function errorPage(err: unknown): HTMLElement {
  const status = err instanceof ApiFailure ? err.status : 0;
  const title = status === 403 ? t('forbidden') : status === 404 ? t('notFound') : t('errorNetwork');
  const roles = err instanceof ApiFailure && status === 403 ? neededRoles(err) : null;
  return h('div', { class: 'error', 'data-status': status }, h('h2', {}, title), roles ? h('p', { class: 'needs-role' }, roles) : null, h('pre', {}, String((err as Error).message)));
}
