/**
 * Where in the draft a flag stands, as the draft itself numbers it: the article (第三条) whose
 * heading opens the line the flag is in or the nearest one before it. And one flag per category
 * and clause: two rules firing on the same clause are one prompt to the reviewer, not two.
 */
import type { Flag } from './scanner';

/** An article heading at the start of a line: 第三条, 第十二条, 第3条 (full-width spaces allowed before it). */
const HEADING = /(?:^|\n)[ \t\u3000]*(第[一二三四五六七八九十百千零〇两\d]+条)/g;

/** The draft's article headings with where each starts, in order. */
export function articleHeadings(text: string): { at: number; label: string }[] {
  const out: { at: number; label: string }[] = [];
  for (const m of text.matchAll(HEADING)) out.push({ at: m.index + m[0].indexOf(m[1]), label: m[1] });
  return out;
}

/** The article an offset lies in (the last heading at or before it), or null before the first. */
export function articleAt(headings: { at: number; label: string }[], offset: number): string | null {
  let lo = 0;
  let hi = headings.length - 1;
  let found: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (headings[mid].at <= offset) {
      found = headings[mid].label;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A flag as the reviewer's bench shows it: with its article, and how many hits of its category its clause had. */
export type ReviewFlag = Flag & { article: string | null; hits: number };

/** Name each flag's article and keep one flag per category and clause (the first), counting the hits. */
export function annotateFlags(text: string, flags: readonly Flag[]): ReviewFlag[] {
  const headings = articleHeadings(text);
  const kept = new Map<string, ReviewFlag>();
  for (const f of flags) {
    const key = `${f.category}:${f.clauseIndex}`;
    const seen = kept.get(key);
    if (seen) seen.hits++;
    else kept.set(key, { ...f, article: articleAt(headings, f.start), hits: 1 });
  }
  return [...kept.values()];
}
