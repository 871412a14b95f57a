/**
 * The audit trail's integrity, shown above the timeline: the decision's hash chain recomputed by
 * the server (SM3, with SHA-256 beside it) — verified, or the first broken link named — and the
 * proof bundle to download, which anyone can check offline (`npm run juece -- verify-decision`).
 */
import { api } from './api';
import { clear, h } from './dom';
import { lang, t } from './i18n';

interface ChainProblem {
  seq?: number;
  ref?: string;
  field?: string;
  zh: string;
  en: string;
}
interface ChainVerdict {
  ok: boolean;
  links: number;
  pending: number;
  head: { seq: number; hash: { sm3: string; sha256: string } } | null;
  firstBroken: ChainProblem | null;
  problems: ChainProblem[];
}

/** The integrity line and the proof download for decision `id`; `refresh` checks the chain again. */
export function integritySection(id: string) {
  const el = h('div', { class: 'integrity', 'data-integrity': 'checking' }, t('integrityChecking'));
  const refresh = async () => {
    let v: ChainVerdict;
    try {
      v = await api<ChainVerdict>('GET', `/api/decisions/${id}/audit/verify`);
    } catch {
      el.dataset.integrity = 'unknown';
      clear(el, t('integrityUnknown'));
      return;
    }
    const state = !v.ok ? 'broken' : 'verified';
    el.dataset.integrity = state;
    el.className = `integrity ${state}`;
    const proof = h('a', { class: 'proof-download', href: `/api/decisions/${id}/proof`, download: `proof-${id}.json` }, t('proofDownload'));
    if (!v.ok) {
      const p = v.firstBroken!;
      clear(
        el,
        h('strong', {}, t('integrityBroken')),
        h('div', { class: 'broken-link' }, lang === 'en' ? p.en : p.zh),
        v.problems.length > 1 ? h('div', { class: 'small muted' }, t('integrityMore', v.problems.length - 1)) : null,
        proof,
      );
      return;
    }
    clear(
      el,
      h('strong', {}, t('integrityVerified')),
      h(
        'span',
        { class: 'small muted' },
        ` ${t('integrityDetail', v.links, v.head ? v.head.hash.sm3.slice(0, 12) : '—')}`,
        v.pending ? ` ${t('integrityPending', v.pending)}` : '',
      ),
      proof,
    );
  };
  return { el, refresh };
}
