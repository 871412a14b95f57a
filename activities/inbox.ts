/**
 * A person's inbox (the bell): their notifications newest first, page by page, and the number
 * of unread ones, kept in the inbox's counters document (`inbox:<username>`) so the bell never
 * counts documents. Both stay cheap however many notifications a person has collected.
 */
import { announce } from './live-feed';
import { readsWholeCollections, type Models } from './models';
import { newestFirst, nextSeq, pageOf } from './paged-log';
import { inTurn } from './in-turn';
import { upsertRetrying } from './write-once';

export const INBOX_PAGE_SIZE = 32;
/** With at most this many unread, "unread only" reads them all at once rather than page by page. */
const FEW_UNREAD = 200;

/** The counters document of a person's inbox: `seq` numbers their notifications, `unread` counts them. */
export const inboxKey = (username: string) => `inbox:${username}`;

/** The page a new notification for `username` goes on. */
export async function inboxPage(models: Models, username: string): Promise<number> {
  return pageOf(await nextSeq(models, inboxKey(username)), INBOX_PAGE_SIZE);
}

/** Change the unread count by `by` (+1 for a new notification, −1 for one read); open pages hear of it. */
export async function countUnread(models: Models, username: string, by: number): Promise<void> {
  await inTurn(models, models.Counter, inboxKey(username), () => upsertRetrying(() => models.Counter.updateOne({ _id: inboxKey(username) }, { $inc: { unread: by } }, { upsert: true })));
  await announce(models, { username });
}

/** The person's newest notifications (only unread ones, when asked) and how many are unread. */
export async function readInbox(models: Models, username: string, o: { unreadOnly: boolean; limit: number }) {
  const { Notification } = models;
  const inbox = await models.Counter.findById(inboxKey(username)).lean();
  // A worker that died between a notification and its count leaves the count off by one until "read all".
  const unread = Math.max(0, inbox?.unread ?? 0);
  const mine = { recipient: username, ...(o.unreadOnly ? { unread: true } : {}) };
  const items =
    o.unreadOnly && unread <= FEW_UNREAD
      ? await Notification.find(mine).sort({ createdAt: -1, _id: 1 }).limit(o.limit).lean()
      : await newestFirst(
          pageOf(inbox?.seq ?? 0, INBOX_PAGE_SIZE),
          o.limit,
          (page) => Notification.find({ ...mine, ...(page === undefined ? {} : { page }) }).sort({ page: -1, createdAt: -1, _id: 1 }).lean(),
          { wholeCollections: readsWholeCollections(models) },
        );
  return { unread, items };
}

/** Mark one of the person's notifications read; false when they have no such notification. */
export async function markRead(models: Models, username: string, id: string): Promise<boolean> {
  const r = await models.Notification.updateOne({ _id: id, recipient: username, unread: true }, { $set: { readAt: new Date(), unread: false } });
  if (r.modifiedCount) {
    await countUnread(models, username, -1);
    return true;
  }
  return Boolean(await models.Notification.exists({ _id: id, recipient: username }));
}

/** Mark all the person's notifications read; returns how many were unread. */
export async function markAllRead(models: Models, username: string): Promise<number> {
  const r = await models.Notification.updateMany({ recipient: username, unread: true }, { $set: { readAt: new Date(), unread: false } });
  // Set from what is left (normally nothing) rather than decremented: the count is exact again.
  await recountUnread(models, username);
  await announce(models, { username });
  return r.modifiedCount;
}

/** Set a person's unread count from their unread notifications (cheap: only those are read). */
export async function recountUnread(models: Models, username: string): Promise<number> {
  const unread = await models.Notification.countDocuments({ recipient: username, unread: true });
  await inTurn(models, models.Counter, inboxKey(username), () => upsertRetrying(() => models.Counter.updateOne({ _id: inboxKey(username) }, { $set: { unread } }, { upsert: true })));
  return unread;
}
