/**
 * The NUL character (U+0000) has no place in an official text, and PostgreSQL — under FerretDB,
 * the embedded store — cannot hold it in a document or a filter (SQLSTATE 22P05). It is refused at
 * the edge, naming the field, before any store sees it: otherwise the store's refusal would surface
 * as a 500, or as a projection that can never be written.
 */
import { ApiError } from './errors';

/** The path of the first string (or object key) in `value` holding U+0000; null when there is none. */
export function nulPath(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return at;
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    for (const [k, child] of Object.entries(v)) {
      const path = at ? `${at}.${k}` : k;
      if (k.includes('\u0000')) return path;
      stack.push([child, path]);
    }
  }
  return null;
}

/** Refuse a request part (params, query, body) holding U+0000 anywhere, naming the field. */
export function refuseNul(value: unknown, where: string): void {
  const at = nulPath(value);
  if (at === null) return;
  const path = [where, at].filter(Boolean).join('.');
  throw new ApiError('VALIDATION_FAILED', `Invalid ${where}: ${path} contains a NUL character (U+0000).`, [
    { path, message: '不得包含空字符（U+0000）。', en: 'contains a NUL character (U+0000), which cannot be stored' },
  ]);
}
