/**
 * Live updates for open pages, without change streams (FerretDB has none): one watcher per API
 * instance — not per tab — asks the store once per interval whether anything changed, and fans
 * what did out to that instance's server-sent-event clients. Any number of instances may run
 * behind a load balancer; each watches the same two markers in the store:
 *
 * - the decisions' list sequence (activities/decision-index.ts): every new state of a decision
 *   takes the next place in the list, so when the sequence moved, the newest list buckets hold
 *   the decisions that changed (read by equality on their bucket);
 * - the live feed (activities/live-feed.ts): refused attempts and acts the API records itself on
 *   a decision, and inboxes that changed.
 *
 * While nobody listens the watcher sleeps; it costs two primary-key reads per interval while
 * anyone does, and a few bucket reads when something changed.
 */
import { bucketToken, LIST_SEQ } from '../activities/decision-index';
import { feedHead, marksBetween } from '../activities/live-feed';
import { inboxKey } from '../activities/inbox';
import type { Models } from '../activities/models';
import { currentSeq } from '../activities/paged-log';
import type { ReadScope } from '../activities/people';

/** One open stream: who reads it, what they may see, which decision their page shows. */
export interface LiveClient {
  username: string;
  scope: ReadScope;
  decisionId?: string;
  send(event: string, data: unknown): void;
}

/** The smallest list buckets (64 places): a change is found by reading one or two of them. */
const BUCKET_BITS = 6;
/** A decision seen in a bucket for the first time is announced when it changed this recently. */
const FRESH_MS = 30_000;
/** How far back each round reads again, for changes whose documents were written after their number was taken. */
const LAG_MS = 5_000;
/** How many decisions' last announced seq are remembered. */
const REMEMBER = 20_000;

export interface LiveStats {
  clients: number;
  /** Rounds of asking the store since the watcher began (one per interval while anyone listens). */
  polls: number;
  running: boolean;
}

export class LiveHub {
  private clients = new Set<LiveClient>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polls = 0;
  /** The markers as read in the last LAG_MS (oldest first), so a change written late is still found. */
  private heads: { at: number; list: number; feed: number }[] = [];
  private seenSeq = new Map<string, number>();
  private seenMarks = new Set<number>();
  private lastRound = Date.now();
  private failing: string | null = null;
  private starting: Promise<void> | null = null;
  /** Asking the store while anyone listens; the timer holds the next round. */
  private running = false;

  constructor(
    private models: Models,
    private intervalMs: number,
    private log: (m: string) => void = (m) => console.error(m),
  ) {}

  /**
   * Add a client; resolves, once the watcher knows where the store stands, with the function
   * that removes it (so nothing written after the stream opened is missed). The watcher runs
   * while there is a client.
   */
  async add(client: LiveClient): Promise<() => void> {
    this.clients.add(client);
    this.starting ??= this.start().finally(() => (this.starting = null));
    await this.starting;
    return () => {
      this.clients.delete(client);
    };
  }

  private async start() {
    if (this.running) return;
    this.running = true;
    await this.round();
  }

  stats(): LiveStats {
    return { clients: this.clients.size, polls: this.polls, running: this.running };
  }

  private schedule(ms: number) {
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref?.();
  }

  private async round() {
    this.timer = undefined;
    if (!this.clients.size) {
      // Nobody listens: forget the markers, so a later start does not announce the gap.
      this.running = false;
      this.heads = [];
      return;
    }
    try {
      this.polls++;
      await this.check();
      if (this.failing) this.log('Live updates: the store answers again.');
      this.failing = null;
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      if (message !== this.failing) this.log(`Live updates: cannot read the store: ${message}`);
      this.failing = message;
    }
    this.schedule(this.intervalMs);
  }

  private async check() {
    const now = Date.now();
    const [list, feed] = await Promise.all([currentSeq(this.models, LIST_SEQ), feedHead(this.models)]);
    const since = this.lastRound;
    this.lastRound = now;
    if (!this.heads.length) return void this.heads.push({ at: now, list, feed });
    // Read from where the markers stood LAG_MS ago: a change numbered before its document was
    // written (a slow write) is found on a later round; what was already told is not told again.
    while (this.heads.length > 1 && this.heads[1].at <= now - LAG_MS) this.heads.shift();
    const from = this.heads[0];
    this.heads.push({ at: now, list, feed });
    const changed = list > from.list ? await this.changedDecisions(from.list, list, since) : [];
    const marks = feed > from.feed ? (await marksBetween(this.models, from.feed, feed)).filter((m) => !this.seenMarks.has(m.n)) : [];
    for (const m of marks) this.seenMarks.add(m.n);
    for (const n of this.seenMarks) if (n <= from.feed) this.seenMarks.delete(n);
    await this.fanOut(changed, marks);
  }

  /** Decisions placed in the list after `after` (and up to `head`) whose state is new to this watcher. */
  private async changedDecisions(after: number, head: number, since: number) {
    const out: { id: string; seq: number; agency: string }[] = [];
    for (let b = Math.floor((after + 1) / 2 ** BUCKET_BITS); b <= Math.floor(head / 2 ** BUCKET_BITS); b++) {
      const docs = await this.models.Decision.find({ listBuckets: bucketToken(BUCKET_BITS, b) }, { seq: 1, agency: 1, updatedAt: 1 }).lean();
      for (const d of docs) {
        const seen = this.seenSeq.get(d._id);
        const fresh = seen === undefined ? d.updatedAt.getTime() >= since - FRESH_MS : d.seq > seen;
        if (seen === undefined || d.seq > seen) this.remember(d._id, d.seq);
        if (fresh) out.push({ id: d._id, seq: d.seq, agency: d.agency });
      }
    }
    return out;
  }

  private remember(id: string, seq: number) {
    this.seenSeq.delete(id);
    this.seenSeq.set(id, seq);
    if (this.seenSeq.size > REMEMBER) this.seenSeq.delete(this.seenSeq.keys().next().value!);
  }

  private async fanOut(changed: { id: string; seq: number; agency: string }[], marks: { decisionId?: string; username?: string }[]) {
    if (!changed.length && !marks.length) return;
    const audited = new Set(marks.flatMap((m) => (m.decisionId ? [m.decisionId] : [])));
    const inboxes = new Set(marks.flatMap((m) => (m.username ? [m.username] : [])));
    const unread = new Map<string, number>();
    for (const u of inboxes) {
      if (![...this.clients].some((c) => c.username === u)) continue;
      const counter = await this.models.Counter.findById(inboxKey(u), { unread: 1 }).lean();
      unread.set(u, Math.max(0, counter?.unread ?? 0));
    }
    for (const c of this.clients) {
      for (const d of changed) if (d.id === c.decisionId) c.send('decision', { id: d.id, seq: d.seq });
      if (c.decisionId && audited.has(c.decisionId)) c.send('audit', { id: c.decisionId });
      if (changed.some((d) => c.scope.agencies.includes(d.agency) || c.scope.ids.includes(d.id))) c.send('work', {});
      if (unread.has(c.username)) c.send('inbox', { unread: unread.get(c.username) });
    }
  }
}
