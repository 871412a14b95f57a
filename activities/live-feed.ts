/**
 * The live feed: marks of changes that open pages must hear of and that do not move a decision's
 * place in the list (activities/decision-index.ts; that sequence already tells of every new
 * state) — a refused attempt or an act the API records itself on a decision, a person's inbox
 * changing. Each mark takes the next number of the `live-feed` sequence and goes on page
 * floor(n / 64); a watcher (server/live.ts) reads the pages past the last number it saw, by
 * equality. Marks older than KEEP_PAGES pages are deleted by whoever opens a new page: the feed
 * is for what happens now, not a history.
 */
import type { Models } from './models';
import { currentSeq, nextSeq, pageOf } from './paged-log';

export const LIVE_FEED = { key: 'live-feed', pageSize: 64 } as const;
const KEEP_PAGES = 16;

export interface LiveMarkBody {
  decisionId?: string;
  username?: string;
}

/** Put a mark on the feed. Never throws: a lost mark delays a page's update, it must never fail an act. */
export async function announce(models: Models, mark: LiveMarkBody): Promise<void> {
  try {
    const n = await nextSeq(models, LIVE_FEED.key);
    const page = pageOf(n, LIVE_FEED.pageSize);
    await models.LiveMark.create({ _id: `live:${n}`, n, page, ...mark, at: new Date() });
    if (n % LIVE_FEED.pageSize === 0 && page >= KEEP_PAGES) await models.LiveMark.deleteMany({ page: page - KEEP_PAGES });
  } catch (err) {
    console.error(`Live feed: a change could not be announced: ${String((err as Error)?.message ?? err)}`);
  }
}

/** The feed's last number (0 before its first mark). */
export const feedHead = (models: Models) => currentSeq(models, LIVE_FEED.key);

/** The marks numbered after `after` up to `head`, page by page. */
export async function marksBetween(models: Models, after: number, head: number): Promise<{ n: number; decisionId?: string; username?: string }[]> {
  const out: { n: number; decisionId?: string; username?: string }[] = [];
  for (let page = pageOf(after + 1, LIVE_FEED.pageSize); page <= pageOf(head, LIVE_FEED.pageSize); page++) {
    for (const m of await models.LiveMark.find({ page }, { n: 1, decisionId: 1, username: 1 }).lean()) if (m.n > after && m.n <= head) out.push({ n: m.n, decisionId: m.decisionId ?? undefined, username: m.username ?? undefined });
  }
  return out.sort((a, b) => a.n - b.n);
}
