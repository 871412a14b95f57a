/**
 * Brings a store written before the list index, title grams, inbox pages and the outbox field existed up to
 * the current read model, once per store (marked in counters `read-model`); a fresh store is
 * only marked. `npm run juece -- store recount` repairs the counts of a store in use.
 */
import { rebuildCompliance, upgradeCompliance } from './compliance';
import { rebuildListIndex } from './decision-index';
import { INBOX_PAGE_SIZE, inboxKey, recountUnread } from './inbox';
import type { Models } from './models';
import { nextSeq, pageOf, SECURITY_LOG } from './paged-log';
import { upsertRetrying } from './write-once';

/** 2: list index, inbox pages, security log pages; 3: title grams (rebuildListIndex sets them). */
const READ_MODEL_VERSION = 3;
const MARK = 'read-model';

/** Upgrade the store unless it is up to date (one _id lookup when it is). */
export async function upgradeReadModel(models: Models): Promise<void> {
  await upgradeCompliance(models);
  if (((await models.Counter.findById(MARK, { seq: 1 }).lean())?.seq ?? 0) >= READ_MODEL_VERSION) return;
  await rebuildListIndex(models);
  await pageInboxes(models);
  await pageSecurityLog(models);
  await upsertRetrying(() => models.Counter.updateOne({ _id: MARK }, { $max: { seq: READ_MODEL_VERSION } }, { upsert: true }));
}

/**
 * `npm run juece -- store recount`: the per-agency decision counts, the dashboard's figures and
 * every inbox's unread count set again from the documents (a worker that died between a write and
 * its count leaves a count one off). Reads every decision once; best run while the store is quiet.
 */
export async function recountAll(models: Models): Promise<{ decisions: number; inboxes: number }> {
  const decisions = await rebuildListIndex(models);
  await rebuildCompliance(models);
  const inboxes = (await models.Counter.find({}, { _id: 1 }).lean()).map((c) => c._id).filter((id) => id.startsWith('inbox:'));
  for (const id of inboxes) await recountUnread(models, id.slice('inbox:'.length));
  return { decisions, inboxes: inboxes.length };
}

/** Numbers taken at once from sequence `key` for `n` entries: the first of them. */
async function takeSeqs(models: Models, key: string, n: number): Promise<number> {
  return (await nextSeq(models, key, n)) - n + 1;
}

/** Notifications without a page: onto their inbox's pages in createdAt order, with their unread flag, outbox and count. */
async function pageInboxes(models: Models): Promise<void> {
  const { Notification } = models;
  const old = await Notification.find({ page: { $exists: false } }, { recipient: 1, createdAt: 1, readAt: 1, email: 1 }).lean();
  const byRecipient = new Map<string, typeof old>();
  for (const n of old) {
    if (!byRecipient.has(n.recipient)) byRecipient.set(n.recipient, []);
    byRecipient.get(n.recipient)!.push(n);
  }
  for (const [username, list] of byRecipient) {
    list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const first = await takeSeqs(models, inboxKey(username), list.length);
    for (const [i, n] of list.entries()) {
      const status = n.email?.status;
      await Notification.updateOne({ _id: n._id }, { $set: { page: pageOf(first + i, INBOX_PAGE_SIZE), unread: !n.readAt, outbox: status === 'pending' || status === 'sending' ? status : null } });
    }
    await recountUnread(models, username);
  }
}

/** Security events without a page: onto the log's pages in time order. */
async function pageSecurityLog(models: Models): Promise<void> {
  const old = await models.SecurityEvent.find({ page: { $exists: false } }, { at: 1 }).lean();
  old.sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = await takeSeqs(models, SECURITY_LOG.key, old.length);
  for (const [i, e] of old.entries()) await models.SecurityEvent.updateOne({ _id: e._id }, { $set: { page: pageOf(first + i, SECURITY_LOG.pageSize) } });
}
