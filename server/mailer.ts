/**
 * E-mail notifications: an SMTP transport (JUECE_SMTP_URL) and the dispatcher that drains the
 * outbox kept in the notifications themselves (`email.status`, and `outbox` beside it while a
 * mail is pending or sending: a top-level field FerretDB can filter on, which a nested one is not).
 *
 * Several workers may dispatch at once. A notification is claimed with one conditional update
 * (pending → sending) and only the claimer sends it; no transactions or findOneAndUpdate, which
 * FerretDB 1.24 does not offer in the form this would need. A claim left behind by a process that
 * died mid-send is released after CLAIM_TIMEOUT_MS (the message may then go out twice, rather
 * than never). A failed send is retried with a doubling delay, and given up after MAX_ATTEMPTS.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Models } from '../activities/models';

export const MAX_ATTEMPTS = 5;
export const CLAIM_TIMEOUT_MS = 10 * 60_000;
/**
 * An e-mail not sent within this time is given up: a notice days late is noise (and SMTP
 * configured after weeks without it must not flood everyone); the in-app notification stands.
 */
export const MAX_AGE_MS = 3 * 86_400_000;

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Where the app is reached, for links in e-mails; null → no link. */
  publicUrl: string | null;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** e.g. smtp://user:pass@mail.example.gov.cn:587 or smtps://…:465 */
  smtpUrl: string;
  from: string;
  publicUrl?: string | null;
}

/** An SMTP mailer; timeouts keep a silent server from holding a dispatch round for minutes. */
export function createMailer(o: MailerOptions): Mailer {
  const defaults: SMTPTransport.Options = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
  const transport = nodemailer.createTransport(o.smtpUrl, defaults);
  return {
    publicUrl: o.publicUrl ? o.publicUrl.replace(/\/+$/, '') : null,
    async send(mail) {
      await transport.sendMail({ from: o.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}

interface MailSource {
  decisionId: string;
  message?: { zh?: string | null; en?: string | null } | null;
}

/** Subject and body of one notification: Chinese first, then English, then the link to the decision. */
export function composeMail(n: MailSource, to: string, publicUrl: string | null): OutgoingMail {
  const zh = n.message?.zh ?? '';
  const en = n.message?.en ?? '';
  const lines = [zh, '', en];
  if (publicUrl) lines.push('', `${publicUrl}/#/decisions/${encodeURIComponent(n.decisionId)}`);
  // A header cannot carry line breaks; messages are one line, but a title could smuggle one in.
  return { to, subject: `[决策] ${zh}`.replace(/[\r\n]+/g, ' '), text: `${lines.join('\n')}\n` };
}

/** How long to wait after the n-th failed attempt before the next: base, 2×base, 4×base, … */
export function retryDelay(attempts: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, attempts - 1);
}

export interface DispatchOptions {
  /** Most notifications handled in one round. */
  limit?: number;
  /** Wait after the first failure; doubled after each further one. */
  retryBaseMs?: number;
}

export interface DispatchResult {
  sent: number;
  /** Failed this round, to be tried again. */
  retrying: number;
  /** Failed for the last time. */
  failed: number;
  /** Stale claims put back to pending. */
  released: number;
  /** Pending past MAX_AGE_MS, given up. */
  expired: number;
}

/** Pending notifications whose back-off has passed: never tried, or tried n times and waited long enough. */
function dueFilter(now: number, retryBaseMs: number) {
  const retries = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => i + 1).map((n) => ({
    'email.attempts': n,
    'email.claimedAt': { $lte: new Date(now - retryDelay(n, retryBaseMs)) },
  }));
  return { outbox: 'pending' as const, 'email.status': 'pending' as const, $or: [{ 'email.attempts': 0 }, ...retries] };
}

/** Put back claims older than CLAIM_TIMEOUT_MS (their dispatcher died mid-send). */
async function releaseStaleClaims(models: Models, now: number): Promise<number> {
  const r = await models.Notification.updateMany(
    { outbox: 'sending', 'email.status': 'sending', 'email.claimedAt': { $lt: new Date(now - CLAIM_TIMEOUT_MS) } },
    { $set: { outbox: 'pending', 'email.status': 'pending', 'email.lastError': 'the dispatcher stopped before it finished sending' } },
  );
  return r.modifiedCount;
}

const errorText = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 500);

/** One round: release stale claims, then claim, send and mark up to `limit` due notifications. */
export async function dispatchOutbox(models: Models, mailer: Mailer, o: DispatchOptions = {}): Promise<DispatchResult> {
  const { limit = 20, retryBaseMs = 60_000 } = o;
  const released = await releaseStaleClaims(models, Date.now());
  const expired = (
    await models.Notification.updateMany(
      { outbox: 'pending', 'email.status': 'pending', createdAt: { $lt: new Date(Date.now() - MAX_AGE_MS) } },
      { $set: { outbox: null, 'email.status': 'failed', 'email.lastError': 'not sent within 3 days; only the in-app notification stands' } },
    )
  ).modifiedCount;
  const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, released, expired };
  const due = await models.Notification.find(dueFilter(Date.now(), retryBaseMs), { decisionId: 1, message: 1, email: 1 })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  const { Notification } = models;
  for (const n of due) {
    const attempts = n.email?.attempts ?? 0;
    const claimedAt = new Date();
    // The attempts in the filter make a claim fail if another dispatcher tried it since we read it.
    const claim = await Notification.updateOne(
      { _id: n._id, 'email.status': 'pending', 'email.attempts': attempts },
      { $set: { outbox: 'sending', 'email.status': 'sending', 'email.claimedAt': claimedAt } },
    );
    if (claim.modifiedCount !== 1) continue;
    const mine = { _id: n._id, 'email.status': 'sending' as const, 'email.claimedAt': claimedAt };
    try {
      await mailer.send(composeMail(n, n.email!.to!, mailer.publicUrl));
    } catch (err) {
      const last = attempts + 1 >= MAX_ATTEMPTS;
      await Notification.updateOne(mine, { $set: { outbox: last ? null : 'pending', 'email.status': last ? 'failed' : 'pending', 'email.attempts': attempts + 1, 'email.lastError': errorText(err) } });
      if (last) result.failed += 1;
      else result.retrying += 1;
      continue;
    }
    await Notification.updateOne(mine, { $set: { outbox: null, 'email.status': 'sent', 'email.attempts': attempts + 1, 'email.sentAt': new Date() } });
    result.sent += 1;
  }
  return result;
}
