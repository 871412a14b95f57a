/**
 * The security log filtered by kind, person and date, newest first, read as a stream so the page
 * and an export of any length share one reader. One person's events come from their own index;
 * a date range walks the log's pages (activities/paged-log.ts) back to its first day and stops;
 * a kind alone comes from the kind's index.
 */
import { z } from 'zod';
import { currentSeq, pageOf, SECURITY_LOG } from '../activities/paged-log';
import { readsWholeCollections, type Models } from '../activities/models';
import { SECURITY_EVENT_KINDS } from '../definitions/security-events';
import { isoDate, Username } from '../workflows/records';
import { chinaTime, type Cell, type Table } from './exports';

/** The filters of the security events page and its exports. */
export const SecurityFilterSchema = z.object({
  kind: z.string().regex(/^[a-z-]{1,40}$/, 'not an event kind').optional().describe('event kind, e.g. login-failed'),
  username: Username.optional().describe('the login name concerned'),
  from: isoDate.optional().describe('first day (China time)'),
  to: isoDate.optional().describe('last day (China time)'),
});
export type SecurityFilter = z.infer<typeof SecurityFilterSchema>;

interface EventDoc {
  _id: string;
  at: Date;
  kind: string;
  username?: string;
  ip?: string;
  route?: string;
  detail?: string;
  detailEn?: string;
}

const dayStart = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
const newestFirst = (a: EventDoc, b: EventDoc) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : -1);
const FIELDS = { page: 0 } as const;

/** The events that match, newest first. */
export async function* securityEvents(models: Models, f: SecurityFilter): AsyncGenerator<EventDoc> {
  const from = f.from ? dayStart(f.from) : -Infinity;
  const to = f.to ? dayStart(f.to) + 86_400_000 : Infinity;
  const fits = (e: EventDoc) => (!f.kind || e.kind === f.kind) && (!f.username || e.username === f.username) && e.at.getTime() >= from && e.at.getTime() < to;
  const { SecurityEvent } = models;
  // FerretDB on SQLite reads the whole collection for any query: one query is then the cheapest.
  if (readsWholeCollections(models)) {
    yield* ((await SecurityEvent.find({}, FIELDS).lean()) as EventDoc[]).filter(fits).sort(newestFirst);
    return;
  }
  if (f.username || (f.kind && !f.from)) {
    const filter = { ...(f.username ? { username: f.username } : {}), ...(f.kind ? { kind: f.kind } : {}) };
    yield* ((await SecurityEvent.find(filter, FIELDS).lean()) as EventDoc[]).filter(fits).sort(newestFirst);
    return;
  }
  for (let page = pageOf(await currentSeq(models, SECURITY_LOG.key), SECURITY_LOG.pageSize); page >= 0; page--) {
    const events = ((await SecurityEvent.find({ page }, FIELDS).lean()) as EventDoc[]).sort(newestFirst);
    yield* events.filter(fits);
    // Pages follow the log's order: once a whole page is older than the range, so is every page before it.
    if (events.length && events[0].at.getTime() < from) return;
  }
}

/** The first `limit` events that match, as the API shows them. */
export async function readSecurityLog(models: Models, f: SecurityFilter, limit: number) {
  const items: (Omit<EventDoc, '_id'> & { id: string })[] = [];
  for await (const { _id, ...e } of securityEvents(models, f)) {
    items.push({ id: _id, ...e });
    if (items.length >= limit) break;
  }
  return { items };
}

/** The matching events as a table for an export, in the reader's language. */
export function securityTable(models: Models, f: SecurityFilter, lang: 'zh' | 'en'): Table {
  const zh = lang === 'zh';
  async function* rows(): AsyncGenerator<Cell[]> {
    for await (const e of securityEvents(models, f))
      yield [chinaTime(e.at), SECURITY_EVENT_KINDS[e.kind]?.[lang] ?? e.kind, e.kind, e.username ?? '', e.ip ?? '', e.route ?? '', (zh ? e.detail : (e.detailEn ?? e.detail)) ?? ''];
  }
  return {
    name: zh ? '安全事件' : 'Security events',
    columns: (zh ? ['时间（北京时间）', '事件', '事件代码', '登录名', 'IP地址', '请求', '说明'] : ['Time (China)', 'Event', 'Event code', 'Login name', 'IP address', 'Request', 'Detail']).map((header, i) => ({
      header,
      width: [18, 22, 18, 14, 16, 30, 50][i],
    })),
    rows: rows(),
  };
}
