/**
 * Notifications end to end: a step enabled for your role reaches you in the app and by e-mail
 * (through a real SMTP server started here), nobody outside the role and agency hears of it,
 * reminders before a review falls due count working days across a holiday, an overdue step
 * is announced, and a failed SMTP delivery is retried until it goes through.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../../activities';
import { insertNotification, sweepDueSoon } from '../../activities/notify';
import type { DecisionSummary } from '../../workflows/model';
import { createMailer, dispatchOutbox, type Mailer } from '../../server/mailer';
import { startNotificationLoops } from '../../server/notify-loops';
import { eventually, notified } from '../support/eventually';
import { startHarness, type Harness } from '../support/harness';
import { sample, today } from '../support/records';

interface Received {
  to: string[];
  subject: string;
  body: string;
}

let h: Harness;
let smtp: SMTPServer;
let smtpUrl: string;
let mailer: Mailer;
/** While true the SMTP server refuses every recipient, as a full or broken mail system would. */
let refusing = false;
const inbox: Received[] = [];

beforeAll(async () => {
  h = await startHarness('notifications');
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!refusing) return callback();
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), ...parseMail(Buffer.concat(chunks).toString('latin1')) });
        callback();
      });
    },
  });
  const listening = smtp.listen(0, '127.0.0.1');
  await new Promise((r) => listening.once('listening', r));
  smtpUrl = `smtp://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  mailer = createMailer({ smtpUrl, from: 'Juece 决策 <noreply@juece.test>', publicUrl: 'https://juece.test/' });
  // Everyone told in this file has an address, except fgw and szsjt, who must hear nothing anyway.
  for (const u of ['zjj', 'office', 'sfj', 'lawyer']) await h.deps.models.User.updateOne({ _id: u }, { $set: { email: `${u}@yinchuan.example.gov.cn` } });
});
afterAll(async () => {
  mailer?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  await h?.close();
});

/** Raw RFC 5322 text (read as latin1, i.e. bytes) → the decoded subject and plain-text body. */
function parseMail(raw: string): { subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(head)?.[1] ?? '';
  const bodyBytes = raw.slice(split + 4);
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const body = encoding === 'base64' ? Buffer.from(bodyBytes.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? quotedPrintable(bodyBytes.replace(/=\r\n/g, '')) : Buffer.from(bodyBytes, 'latin1');
  return { subject: encodedWords(header('Subject')), body: body.toString('utf8').replace(/\r\n/g, '\n') };
}

function quotedPrintable(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words; adjacent words are joined as bytes, since a character may straddle two. */
function encodedWords(value: string): string {
  const word = /=\?[^?]+\?([BQ])\?([^?]*)\?=/gi;
  const parts: (string | Buffer)[] = [];
  let at = 0;
  for (let m = word.exec(value); m; m = word.exec(value)) {
    const between = value.slice(at, m.index);
    if (!(parts.length && Buffer.isBuffer(parts[parts.length - 1]) && /^\s*$/.test(between))) parts.push(between);
    parts.push(m[1].toUpperCase() === 'B' ? Buffer.from(m[2], 'base64') : quotedPrintable(m[2].replace(/_/g, ' ')));
    at = m.index + m[0].length;
  }
  parts.push(value.slice(at));
  let out = '';
  for (let i = 0; i < parts.length; ) {
    if (!Buffer.isBuffer(parts[i])) out += parts[i++] as string;
    else {
      const run: Buffer[] = [];
      while (i < parts.length && Buffer.isBuffer(parts[i])) run.push(parts[i++] as Buffer);
      out += Buffer.concat(run).toString('utf8');
    }
  }
  return out;
}

interface Note {
  id: string;
  decisionId: string;
  stepId: string;
  kind: string;
  role: string;
  message: { zh: string; en: string };
  readAt: string | null;
  email: string;
}

/** A person's notifications about a decision, once its notifications have caught up with it. */
async function notes(as: string, decisionId: string): Promise<Note[]> {
  await notified(h.deps.models, decisionId);
  const r = await h.api('GET', '/api/notifications', undefined, as);
  expect(r.status).toBe(200);
  return (r.body.items as Note[]).filter((n) => n.decisionId === decisionId);
}

async function act(id: string, step: string, action: string, data: unknown = {}) {
  const r = await h.api('POST', `/api/decisions/${id}/steps/${step}/${action}`, data);
  expect(r.status).toBe(200);
}

const TITLE = '银川市老旧小区改造三年行动计划';
let id: string;

test('a new decision tells the secretariat of its agency that initiation is open, and nobody else', async () => {
  const created = await h.api('POST', '/api/decisions', { title: TITLE, agency: '银川市人民政府', draftingUnit: '银川市住房和城乡建设局', category: 'plan' }, 'zjj');
  expect(created.status).toBe(201);
  id = created.body.id;

  const [n] = await eventually(() => notes('office', id), (l) => l.length > 0);
  expect(n).toMatchObject({ id: `${id}:initiation:1:enabled:office`, stepId: 'initiation', kind: 'step-enabled', role: 'secretariat', email: 'pending' });
  // Unread. (FerretDB 1.24 drops the null readAt of an upsert's $setOnInsert; `readAt: null` filters still match.)
  expect(n.readAt ?? null).toBeNull();
  const unread = await h.api('GET', '/api/notifications?unread=true', undefined, 'office');
  expect(unread.body.unread).toBe(1);
  expect(unread.body.items.map((i: Note) => i.id)).toEqual([n.id]);
  expect(n.message.zh).toBe(`"${TITLE}"的"决策启动"已可办理（您的角色：决策机关办公厅（室））。`);
  expect(n.message.en).toContain('Initiation');
  for (const other of ['zjj', 'sfj', 'szsjt']) expect(await notes(other, id)).toEqual([]);
});

test('the drafting step is announced to the drafting department only, not to another department of the agency or another city', async () => {
  await act(id, 'initiation', 'start');
  await act(id, 'initiation', 'complete', sample.initiation());
  const mine = await notes('zjj', id);
  expect(mine.map((n) => [n.stepId, n.kind])).toEqual([['drafting', 'step-enabled']]);
  expect(await notes('fgw', id)).toEqual([]);
  expect(await notes('szsjt', id)).toEqual([]);
  // The initiation step was announced once, however many projections ran since.
  expect((await notes('office', id)).length).toBe(1);
});

test('the outbox e-mails them through SMTP, and a notification can be marked read', async () => {
  const result = await dispatchOutbox(h.deps.models, mailer);
  expect(result).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
  const toOffice = inbox.find((m) => m.to.includes('office@yinchuan.example.gov.cn'))!;
  expect(toOffice.subject).toBe(`[决策] "${TITLE}"的"决策启动"已可办理（您的角色：决策机关办公厅（室））。`);
  expect(toOffice.body).toContain('Initiation');
  expect(toOffice.body).toContain(`https://juece.test/#/decisions/${id}`);
  expect(inbox.find((m) => m.to.includes('zjj@yinchuan.example.gov.cn'))!.subject).toContain('"拟订决策草案"已可办理');
  expect((await notes('office', id))[0].email).toBe('sent');
  // Nothing is sent twice.
  expect(await dispatchOutbox(h.deps.models, mailer)).toMatchObject({ sent: 0 });
  expect(inbox.length).toBe(2);

  const nid = encodeURIComponent(`${id}:initiation:1:enabled:office`);
  expect((await h.api('POST', `/api/notifications/${nid}/read`, {}, 'zjj')).status).toBe(404);
  expect((await h.api('POST', `/api/notifications/${nid}/read`, {}, 'office')).status).toBe(200);
  expect((await notes('office', id))[0].readAt).not.toBeNull();
  expect((await h.api('GET', '/api/notifications?unread=true', undefined, 'office')).body.items).toEqual([]);
});

test('legality review is announced to the review body and to the adviser intervening early', async () => {
  expect((await h.api('POST', `/api/decisions/${id}/participants`, { username: 'lawyer', purpose: 'early-intervention' }, 'zjj')).status).toBe(201);
  expect((await h.api('POST', `/api/decisions/${id}/drafts`, { title: '行动计划（送审稿）', content: '三年内改造老旧小区120个。' }, 'zjj')).status).toBe(201);
  await act(id, 'drafting', 'start');
  await act(id, 'drafting', 'complete', sample.drafting());
  await act(id, 'public_participation', 'start');
  await act(id, 'public_participation', 'complete', sample['public-participation']());

  expect((await notes('sfj', id)).map((n) => [n.stepId, n.kind, n.role])).toEqual([['legality_review', 'step-enabled', 'legality-review-body']]);
  const adviser = (await notes('lawyer', id)).filter((n) => n.kind === 'step-enabled');
  expect(adviser.map((n) => [n.stepId, n.role])).toEqual([['legality_review', 'legal-adviser']]);
  expect(adviser[0].message.zh).toContain('提前介入');
  expect(await notes('szsjt', id)).toEqual([]);

  // Empty the outbox (the invitation, the department's steps, the review) so the next tests see only their own mail.
  expect(await dispatchOutbox(h.deps.models, mailer, { limit: 100 })).toMatchObject({ retrying: 0, failed: 0 });
  expect(inbox.filter((m) => m.to.includes('lawyer@yinchuan.example.gov.cn')).map((m) => m.subject)).toEqual(
    expect.arrayContaining([expect.stringContaining('提前介入'), expect.stringContaining('"合法性审查"')]),
  );
  expect(inbox.some((m) => m.to.includes('sfj@yinchuan.example.gov.cn') && m.subject.includes('"合法性审查"已可办理'))).toBe(true);
});

test('the due-soon sweep counts working days across the National Day holiday and reminds once per visit', async () => {
  // The review opened today, so it falls due within weeks with no holiday in between; move its due
  // date to the Friday after National Day (1–7 October 2026), as if it had opened in September.
  const due = await h.deps.models.Decision.findById(id, { summary: 1 }).lean();
  const summary = due!.summary as DecisionSummary;
  summary.openSteps.find((s) => s.id === 'legality_review')!.due!.date = '2026-10-09';
  await h.deps.models.Decision.updateOne({ _id: id }, { $set: { summary } });
  const cal = h.deps.calendar;
  // 24 September: five working days are left (the Mid-Autumn weekend and National Day are not counted).
  expect(await sweepDueSoon(h.deps.models, cal, '2026-09-24', 3)).toBe(0);
  // 30 September: nine calendar days, but only 8 and 9 October are working days.
  expect(await sweepDueSoon(h.deps.models, cal, '2026-09-30', 3)).toBe(1);
  expect(await sweepDueSoon(h.deps.models, cal, '2026-10-08', 3)).toBe(0);

  const reminders = (await notes('sfj', id)).filter((n) => n.kind === 'due-soon');
  expect(reminders.map((n) => n.id)).toEqual([`${id}:legality_review:1:due-soon:sfj`]);
  expect(reminders[0].message.zh).toBe(`"${TITLE}"的"合法性审查"将于2026-10-09到期，还剩2个工作日。`);
  expect(reminders[0].message.en).toContain('2 working days left');
  expect(await notes('lawyer', id).then((l) => l.filter((n) => n.kind === 'due-soon'))).toEqual([]);
});

test('an SMTP failure leaves the e-mail pending with the error, backs off, and sends once the server accepts again', async () => {
  const reminderId = `${id}:legality_review:1:due-soon:sfj`;
  const emailOf = async () => (await h.deps.models.Notification.findById(reminderId).lean())!.email;
  expect(await emailOf()).toMatchObject({ status: 'pending', attempts: 0 });
  const before = inbox.length;

  refusing = true;
  expect(await dispatchOutbox(h.deps.models, mailer)).toMatchObject({ sent: 0, retrying: 1 });
  expect(await emailOf()).toMatchObject({ status: 'pending', attempts: 1, to: 'sfj@yinchuan.example.gov.cn' });
  expect((await emailOf())?.lastError).toMatch(/550|Mailbox unavailable/);

  refusing = false;
  // Within the back-off (a minute after the first failure) it is not tried again …
  expect(await dispatchOutbox(h.deps.models, mailer)).toMatchObject({ sent: 0, retrying: 0 });
  // … and once it has passed, it is sent.
  expect(await dispatchOutbox(h.deps.models, mailer, { retryBaseMs: 0 })).toMatchObject({ sent: 1 });
  expect(await emailOf()).toMatchObject({ status: 'sent', attempts: 2 });
  const mail = inbox.slice(before).find((m) => m.to.includes('sfj@yinchuan.example.gov.cn'))!;
  expect(mail.subject).toBe(`[决策] "${TITLE}"的"合法性审查"将于2026-10-09到期，还剩2个工作日。`);
});

test('an overdue review is announced to the review body and the adviser intervening early, once', async () => {
  // As if the boundary timer had fired: the review's summary says it is overdue.
  await notified(h.deps.models, id);
  const doc = await h.deps.models.Decision.findById(id, { summary: 1 }).lean();
  const summary = doc!.summary as DecisionSummary;
  summary.openSteps.find((s) => s.id === 'legality_review')!.overdue = true;
  await h.deps.models.Decision.updateOne({ _id: id }, { $set: { summary } });
  const activities = createActivities({ models: h.deps.models });
  await activities.notifyOverdue({ decisionId: id, stepId: 'notify_overdue' });
  await activities.notifyOverdue({ decisionId: id, stepId: 'notify_overdue' });
  for (const who of ['sfj', 'lawyer']) {
    const overdue = (await notes(who, id)).filter((n) => n.kind === 'overdue');
    expect(overdue.map((n) => n.id)).toEqual([`${id}:legality_review:1:overdue:${who}`]);
    expect(overdue[0].message.zh).toContain('已超期');
  }
  expect((await notes('zjj', id)).filter((n) => n.kind === 'overdue')).toEqual([]);
});

test('the collective decision invites the adviser to the meeting, and the running outbox loop mails the invitation', async () => {
  await act(id, 'legality_review', 'start');
  // The review takes in the opinion the adviser intervening early gives on the draft (Art. 28).
  const opinion = await h.api('POST', `/api/decisions/${id}/opinions`, { opinion: '草案未发现违法情形。' }, 'lawyer');
  expect(opinion.status).toBe(201);
  await act(id, 'legality_review', 'complete', sample['legality-review']('lawful', [opinion.body.id]));
  expect((await notes('office', id)).map((n) => n.stepId)).toContain('collective_decision');
  const invitation = (await notes('lawyer', id)).find((n) => n.kind === 'meeting-invitation')!;
  expect(invitation).toMatchObject({ id: `${id}:collective_decision:1:meeting-invitation:lawyer`, stepId: 'collective_decision', email: 'pending' });
  // The head of the decision body hears that the item is ready for the meeting.
  expect((await notes('mayor', id)).map((n) => n.kind)).toEqual(['meeting-invitation']);

  const loops = startNotificationLoops({ models: h.deps.models, calendar: h.deps.calendar, mailer: createMailer({ smtpUrl, from: 'noreply@juece.test' }), dueSoonDays: 3, outboxEveryMs: 100 });
  try {
    await eventually(async () => inbox.filter((m) => m.subject.includes('列席决策会议')), (l) => l.length === 1);
  } finally {
    await loops.stop();
  }
  expect(inbox.find((m) => m.subject.includes('列席决策会议'))!.to).toEqual(['lawyer@yinchuan.example.gov.cn']);
});

test('recorded minutes ask each speaker to confirm their own statement, once per version of the minutes', async () => {
  await h.deps.models.User.updateOne({ _id: 'vicemayor' }, { $set: { email: 'vicemayor@yinchuan.example.gov.cn' } });
  await act(id, 'collective_decision', 'start');
  const minutes = sample.minutes({ statements: [{ speaker: 'vicemayor', position: 'agree', text: '同意，建议分批实施。' }, { speaker: 'mayor', position: 'agree', text: '原则通过。' }] });
  expect((await h.api('POST', `/api/decisions/${id}/meeting/minutes`, minutes, 'office')).status).toBe(200);

  const asked = async (who: string) => (await notes(who, id)).filter((n) => n.kind === 'confirm-statement');
  const [v1] = await asked('vicemayor');
  expect(v1).toMatchObject({ id: `${id}:collective_decision:1:confirm-statement:v1:vicemayor`, stepId: 'collective_decision', role: 'decision-body', email: 'pending' });
  expect(v1.message.zh).toBe(`"${TITLE}"的"集体讨论决定"会议记录（常务会议，${today()}，第1版）已形成，请核对记录中您本人的发言并予以确认；记录与发言不符的，请提出更正。`);
  expect(v1.message.en).toBe(`The minutes of the collective decision on "${TITLE}" (executive meeting, ${today()}, version 1) are recorded: please check your own statement and confirm it, or ask for a correction if it is not what you said.`);
  expect((await asked('mayor')).map((n) => n.id)).toEqual([`${id}:collective_decision:1:confirm-statement:v1:mayor`]);
  // Only the speakers are asked: not the office that recorded the minutes, nor anyone else.
  for (const other of ['office', 'zjj', 'sfj', 'lawyer', 'fgw', 'szsjt']) expect(await asked(other)).toEqual([]);

  // A projection carried again (a retried activity) tells nobody twice.
  const doc = await h.deps.models.Decision.findById(id, { seq: 1 }).lean();
  await createActivities({ models: h.deps.models }).notifyChanges({ decisionId: id, seq: doc!.seq, since: 0, minutesRecorded: true });
  expect((await asked('vicemayor')).length).toBe(1);
  expect((await asked('mayor')).length).toBe(1);

  // The vice-mayor asks for a correction; the office records the minutes again: version 2 is confirmed anew by every speaker.
  expect((await h.api('POST', `/api/decisions/${id}/meeting/confirm`, { dispute: '我的发言是建议分批实施、先行试点。' }, 'vicemayor')).status).toBe(200);
  expect((await h.api('POST', `/api/decisions/${id}/meeting/confirm`, { confirm: true }, 'mayor')).status).toBe(200);
  // Answering the minutes asks nobody anything.
  expect((await asked('vicemayor')).length).toBe(1);
  const corrected = { ...minutes, statements: [{ speaker: 'vicemayor', position: 'agree', text: '同意，建议分批实施、先行试点。' }, minutes.statements[1]] };
  expect((await h.api('POST', `/api/decisions/${id}/meeting/minutes`, corrected, 'office')).status).toBe(200);
  expect((await asked('vicemayor')).map((n) => n.id).sort()).toEqual([`${id}:collective_decision:1:confirm-statement:v1:vicemayor`, `${id}:collective_decision:1:confirm-statement:v2:vicemayor`]);
  expect((await asked('mayor')).map((n) => n.id).sort()).toEqual([`${id}:collective_decision:1:confirm-statement:v1:mayor`, `${id}:collective_decision:1:confirm-statement:v2:mayor`]);
  expect((await asked('vicemayor')).find((n) => n.id.includes(':v2:'))!.message.zh).toContain('第2版');

  // The request reaches the speaker by e-mail too.
  expect(await dispatchOutbox(h.deps.models, mailer, { limit: 100 })).toMatchObject({ retrying: 0, failed: 0 });
  const mails = inbox.filter((m) => m.to.includes('vicemayor@yinchuan.example.gov.cn')).map((m) => m.subject);
  expect(mails).toEqual(expect.arrayContaining([expect.stringContaining('第1版'), expect.stringContaining('第2版')]));
});

test('an e-mail still unsent after three days is given up; the in-app notification stands', async () => {
  const old = new Date(Date.now() - 4 * 86_400_000);
  // Written as every notification is, then aged.
  await insertNotification(h.deps.models, { id: 'stale-notice:sfj', to: { username: 'sfj', email: 'sfj@juece.test' }, decisionId: 'D-stale', kind: 'step-enabled', zh: '旧通知', en: 'old notice' });
  await h.deps.models.Notification.updateOne({ _id: 'stale-notice:sfj' }, { $set: { createdAt: old } });
  expect(await dispatchOutbox(h.deps.models, mailer)).toMatchObject({ expired: 1 });
  const doc = await h.deps.models.Notification.findById('stale-notice:sfj').lean();
  expect(doc!.email).toMatchObject({ status: 'failed', attempts: 0, lastError: expect.stringContaining('3 days') });
  const inbox = (await h.api('GET', '/api/notifications', undefined, 'sfj')).body.items;
  expect(inbox.find((n: { id: string }) => n.id === 'stale-notice:sfj')).toMatchObject({ email: 'failed' });
});
