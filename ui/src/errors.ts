/** API refusals as the workspace shows them: a 403 and a 409 alike carry the server's own message. */
import { ApiFailure, NetworkFailure } from './api';
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
  if (err instanceof NetworkFailure) return [`${t('errorNetwork')}：${err.message}`];
  if (!(err instanceof ApiFailure)) return [`${t('errorClient')}：${String((err as Error)?.message ?? err)}`];
  const { code, message, details } = err.body;
  if (code === 'FORBIDDEN') {
    // The server says why in both languages (details.zh beside the English message).
    const zh = (details as { zh?: unknown } | null)?.zh;
    return [`${t('forbiddenAction')}：${lang === 'zh' && typeof zh === 'string' ? zh : message}`];
  }
  if (code === 'CSRF_FAILED') return [`${t('forbiddenAction')}：${message}`];
  if (code === 'DEPENDENCY_UNAVAILABLE') {
    // Which service is missing, and what became of the act, in the server's two languages.
    const d = details as { zh?: string; en?: string; act?: { zh?: string; en?: string } } | null;
    const pick = (x?: { zh?: string; en?: string }) => (lang === 'zh' ? x?.zh : x?.en);
    return [pick(d ?? undefined) ?? message, pick(d?.act)].filter((l): l is string => Boolean(l));
  }
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

/** What kind of failure: the server's refusal or fault, no connection, or a fault of the page's own code. */
export function failureKind(err: unknown): 'api' | 'server' | 'network' | 'client' {
  if (err instanceof ApiFailure) return err.status >= 500 ? 'server' : 'api';
  if (err instanceof NetworkFailure) return 'network';
  return 'client';
}

/**
 * A whole view that could not load: forbidden, missing, the server failing, unreachable — or the
 * page's own code failing, which is said as such (with the message), never as a lost connection.
 */
export function errorPage(err: unknown): HTMLElement {
  const kind = failureKind(err);
  const status = err instanceof ApiFailure ? err.status : 0;
  const title = status === 403 ? t('forbidden') : status === 404 ? t('notFound') : status === 503 ? t('unavailable') : kind === 'server' ? t('errorServer') : kind === 'network' ? t('errorNetwork') : kind === 'client' ? t('errorClient') : t('forbiddenAction');
  const hint = kind === 'client' ? t('errorClientHint') : kind === 'server' ? t('errorServerHint') : kind === 'network' ? t('errorNetworkHint') : null;
  const roles = err instanceof ApiFailure && status === 403 ? neededRoles(err) : null;
  // A 503 names the dependency that is down and when to try again (server/dependency-errors.ts).
  const message = status === 503 ? errorLines(err).join('\n') : kind === 'client' && err instanceof Error ? `${err.name}: ${err.message}` : String((err as Error)?.message ?? err);
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-status': status, 'data-kind': kind },
    h('h2', {}, title),
    roles ? h('p', { class: 'needs-role' }, roles) : null,
    hint ? h('p', { class: 'error-hint' }, hint) : null,
    h('pre', {}, message),
  );
}
