/**
 * The audit trail's hash chains, as pure functions: the canonical form of an event, the link that
 * seals it, and the check of a chain. The store's sealer (audit-chain.ts), the API, the CLI and the
 * offline proof verifier (scripts/proof/) all use these, so a chain is checked the same way
 * everywhere — with nothing but the events and their links in hand.
 *
 * Two algorithms side by side, each a chain of its own over the same links: SM3 (GB/T 32905-2016,
 * what China's electronic-archive evidence rules and commercial-cryptography assessments expect)
 * and SHA-256 (FIPS 180-4, for verifiers abroad). Both are Node's own (OpenSSL) implementations.
 *
 * Canonical serialisation (version 1), so anyone can recompute a digest in any language:
 * - JSON with no whitespace; object keys sorted by UTF-16 code units (as RFC 8785 / JCS does);
 *   a key whose value is undefined is left out, null is kept;
 * - strings as JSON.stringify writes them (RFC 8785's escaping), numbers as ECMAScript prints
 *   them (shortest round-trip form; only finite numbers), booleans as true/false;
 * - a date as its ISO-8601 UTC string with milliseconds ("2026-03-01T08:00:00.000Z"), so an
 *   event read from the store and the same event read back from an exported JSON file serialise
 *   alike; any other non-JSON value (ObjectId, binary, bigint) is refused, never guessed at;
 * - the event is the stored document (its `_id` included) without the storage fields that the
 *   sealing itself or the log's paging writes: `sealed`, `seal`, `page`.
 *
 * A link, for one algorithm H (hex digests, 64 characters for both):
 *   digest = H(canonical(event))
 *   hash   = H(canonical({ v: 1, chain, seq, ref, sealedAt, digest, prev }))
 * where `ref` is "<collection>/<_id>", `prev` is the hash of link seq − 1 of the same chain
 * (64 zeros for seq 1), and `sealedAt` the ISO time of sealing. Chains: `system` (every audit
 * event, security event and definition deployment) and `decision:<id>` (one decision's events).
 * A link also keeps, per top-level field of the event, the first 16 hex digits of SM3 over that
 * field's canonical value (`fields`): not part of the proof, only there so a check can say which
 * field of an altered event changed.
 */
import crypto from 'node:crypto';

export const ALGORITHMS = ['sm3', 'sha256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export type Digests = Record<Algorithm, string>;
/** How the algorithms are written for people. */
export const ALGORITHM_LABELS: Record<Algorithm, string> = { sm3: 'SM3', sha256: 'SHA-256' };

export const GENESIS: Digests = { sm3: '0'.repeat(64), sha256: '0'.repeat(64) };
export const SYSTEM_CHAIN = 'system';
export const decisionChain = (decisionId: string) => `decision:${decisionId}`;
/** Where the sealed events live; the order here is also the order a batch is merged in. */
export const CHAINED_COLLECTIONS = ['audit_events', 'security_events', 'definitions'] as const;
export type ChainedCollection = (typeof CHAINED_COLLECTIONS)[number];
/** Fields written by the sealing or the log's paging, never part of what is sealed. */
const STORAGE_FIELDS = new Set(['sealed', 'seal', 'page']);
/** Links per ledger page: a chain is read page by page (an equality filter FerretDB can index). */
export const LINK_PAGE_SIZE = 256;

/** The canonical JSON of a value (see the module comment). */
export function canonical(value: unknown): string {
  if (value === null) return 'null';
  // Tagged, not instanceof: values may come from another realm (a vm context, a test sandbox).
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Date]') {
    const d = value as Date;
    if (Number.isNaN(d.getTime())) throw new TypeError('canonical: invalid date');
    return JSON.stringify(d.toISOString());
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      // A plain object of any realm: its prototype is null or a root prototype.
      if (proto !== null && (tag !== '[object Object]' || Object.getPrototypeOf(proto) !== null)) throw new TypeError(`canonical: cannot serialise a ${proto?.constructor?.name ?? 'value'}`);
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical: cannot serialise a ${typeof value}`);
  }
}

const hex = (alg: Algorithm, s: string) => crypto.createHash(alg).update(s, 'utf8').digest('hex');
const both = (s: string): Digests => ({ sm3: hex('sm3', s), sha256: hex('sha256', s) });

/** What of a stored document is sealed: everything but the storage fields. */
export function eventContent(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !STORAGE_FIELDS.has(k)));
}

/** Digests of an event's canonical form. */
export const eventDigests = (doc: Record<string, unknown>): Digests => both(canonical(eventContent(doc)));

/** Per top-level field, a short SM3 of its canonical value: says which field of an altered event changed. */
export function fieldDigests(doc: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(eventContent(doc))
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, hex('sm3', canonical(v)).slice(0, 16)]),
  );
}

/** One link of a chain, as the ledger keeps it (and a proof bundle carries it). */
export interface Link {
  chain: string;
  seq: number;
  /** "<collection>/<_id>" of the sealed event. */
  ref: string;
  /** ISO time of sealing (a Date in the store). */
  sealedAt: string | Date;
  digest: Digests;
  prev: Digests;
  hash: Digests;
  fields?: Record<string, string>;
}

const iso = (d: string | Date) => new Date(d).toISOString();

/** The hash of a link, for one algorithm, from its parts. */
export function linkHash(alg: Algorithm, l: Pick<Link, 'chain' | 'seq' | 'ref' | 'sealedAt' | 'digest' | 'prev'>): string {
  return hex(alg, canonical({ v: 1, chain: l.chain, seq: l.seq, ref: l.ref, sealedAt: iso(l.sealedAt), digest: l.digest[alg], prev: l.prev[alg] }));
}

/** The link that seals `doc` at `seq` of `chain`, after a link whose hash is `prev`. */
export function makeLink(chain: string, seq: number, ref: string, doc: Record<string, unknown>, prev: Digests, sealedAt: Date): Link {
  const base = { chain, seq, ref, sealedAt, digest: eventDigests(doc), prev };
  return { ...base, hash: { sm3: linkHash('sm3', base), sha256: linkHash('sha256', base) }, fields: fieldDigests(doc) };
}

export const refOf = (collection: string, id: string) => `${collection}/${id}`;

/** What went wrong at one link; `zh` and `en` say it to a person. */
export interface ChainProblem {
  chain: string;
  /** The link's position; absent for an event that is in no link at all. */
  seq?: number;
  ref?: string;
  check: 'missing-link' | 'duplicate-link' | 'link-altered' | 'prev' | 'event-missing' | 'event-altered' | 'seal-copy' | 'unlinked';
  /** The stored field that disagrees: hash.sm3, prev.sha256, digest.sm3, an event field, seal.decision… */
  field?: string;
  zh: string;
  en: string;
}

export interface ChainReport {
  chain: string;
  /** Links checked. */
  links: number;
  head: { seq: number; hash: Digests } | null;
  /** The first broken link (lowest position) and the others after it, up to a few dozen. */
  problems: ChainProblem[];
  ok: boolean;
}

/** How a chain's events are found: the stored document, or null when it is gone. */
export type EventLookup = (ref: string) => Record<string, unknown> | null;

const MAX_PROBLEMS = 50;

/**
 * Checks one chain, fed its links in position order (a page at a time, so a long chain is never
 * held whole): every position 1..head held by exactly one link, each link's hash recomputed from
 * its parts, each `prev` the hash of the link before, each event present with the digest sealed
 * for it, and the event's own copy of its link (`seal.<which>`) the same as the ledger's.
 * `which` names that copy: `system` or `decision`.
 */
export class ChainCheck {
  private readonly problems: ChainProblem[] = [];
  private prev: Link | null = null;
  private seen = 0;
  private count = 0;
  /** Every event ref the chain holds (for finding events that are in no link). */
  readonly refs = new Set<string>();

  constructor(
    readonly chain: string,
    private readonly which: 'system' | 'decision',
  ) {}

  private add(p: Omit<ChainProblem, 'chain'>) {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ chain: this.chain, ...p });
  }

  /** The next links, in position order, with a lookup for their events. */
  push(links: readonly Link[], eventOf: EventLookup): void {
    for (const l of links) {
      this.count++;
      this.refs.add(l.ref);
      if (l.seq === this.seen) {
        this.add({ seq: l.seq, ref: l.ref, check: 'duplicate-link', zh: `第${l.seq}环有多条记录（另有 ${l.ref}）：有记录被插入。`, en: `Link ${l.seq} is held more than once (also by ${l.ref}): a link was inserted.` });
        continue;
      }
      if (l.seq > this.seen + 1) {
        this.missing(this.seen + 1, l.seq - 1);
        this.prev = null;
      }
      this.check(l, eventOf);
      this.seen = l.seq;
      this.prev = l;
    }
  }

  private check(l: Link, eventOf: EventLookup) {
    const seq = l.seq;
    for (const alg of ALGORITHMS) {
      const expected = seq === 1 ? GENESIS[alg] : this.prev?.hash[alg];
      if (expected !== undefined && l.prev[alg] !== expected) {
        this.add({ seq, ref: l.ref, check: 'prev', field: `prev.${alg}`, zh: `第${seq}环（${l.ref}）的前一环哈希（prev.${alg}）与第${seq - 1}环不符：两环之间有记录被删除、插入或改动。`, en: `Link ${seq} (${l.ref}): prev.${alg} is not the hash of link ${seq - 1} — a link between them was removed, inserted or altered.` });
        break;
      }
    }
    for (const alg of ALGORITHMS)
      if (linkHash(alg, l) !== l.hash[alg]) {
        this.add({ seq, ref: l.ref, check: 'link-altered', field: `hash.${alg}`, zh: `第${seq}环（${l.ref}）的哈希（hash.${alg}）与其内容不符：该环被改动。`, en: `Link ${seq} (${l.ref}): hash.${alg} does not match the link's own parts — the link was altered.` });
        break;
      }
    const doc = eventOf(l.ref);
    if (!doc) {
      this.add({ seq, ref: l.ref, check: 'event-missing', zh: `第${seq}环所封存的记录 ${l.ref} 已不存在：该记录被删除。`, en: `Link ${seq}: the sealed event ${l.ref} is gone — it was deleted.` });
      return;
    }
    const digest = eventDigests(doc);
    const altered = ALGORITHMS.filter((alg) => digest[alg] !== l.digest[alg]);
    if (altered.length) {
      const changed = changedFields(l.fields, doc);
      const what = changed.length ? changed.join(', ') : 'content';
      this.add({ seq, ref: l.ref, check: 'event-altered', field: changed[0] ?? `digest.${altered[0]}`, zh: `第${seq}环：记录 ${l.ref} 在封存后被改动（字段：${what}；digest.${altered.join('、digest.')} 不符）。`, en: `Link ${seq}: event ${l.ref} was altered after sealing (field: ${what}; digest.${altered.join(', digest.')} differs).` });
    }
    const copy = (doc.seal as Record<string, { seq?: number; hash?: Digests }> | undefined)?.[this.which];
    if (copy && (copy.seq !== l.seq || copy.hash?.sm3 !== l.hash.sm3 || copy.hash?.sha256 !== l.hash.sha256))
      this.add({ seq, ref: l.ref, check: 'seal-copy', field: `seal.${this.which}`, zh: `记录 ${l.ref} 自带的封存信息（seal.${this.which}）与第${seq}环不符。`, en: `Event ${l.ref}: its own copy of the link (seal.${this.which}) differs from link ${seq}.` });
  }

  private missing(from: number, to: number) {
    for (let seq = from; seq <= Math.min(to, from + MAX_PROBLEMS); seq++) this.add({ seq, check: 'missing-link', zh: `第${seq}环缺失：该环已被删除。`, en: `Link ${seq} is missing: it was deleted.` });
  }

  /** Positions up to `seq` were taken (the store's head counter says so): links past the last one seen were removed. */
  expectThrough(seq: number): void {
    if (seq > this.seen) this.missing(this.seen + 1, seq);
  }

  /** An event of this chain's scope that no link holds, and that is not pending: it entered the store outside the application, or its link was removed. */
  unlinked(ref: string, claimed?: number): void {
    const where = claimed ? { zh: `，却自称位于第${claimed}环`, en: `, yet claims link ${claimed}` } : { zh: '', en: '' };
    this.add({ seq: claimed, ref, check: 'unlinked', field: 'sealed', zh: `记录 ${ref} 不在链中${where.zh}：它未经本系统写入，或其链环被删除。`, en: `Event ${ref} is in no link${where.en}: it was written outside the application, or its link was removed.` });
  }

  finish(): ChainReport {
    const problems = [...this.problems].sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
    return { chain: this.chain, links: this.count, head: this.prev && this.prev.seq === this.seen ? { seq: this.prev.seq, hash: this.prev.hash } : null, problems, ok: problems.length === 0 };
  }
}

/** Check a whole chain held in memory (a decision's, or a proof bundle's). */
export function verifyChain(chain: string, links: readonly Link[], eventOf: EventLookup, which: 'system' | 'decision'): ChainReport {
  const c = new ChainCheck(chain, which);
  c.push([...links].sort((a, b) => a.seq - b.seq), eventOf);
  return c.finish();
}

/** The fields whose short digests differ from those sealed (changed, added or removed). */
function changedFields(sealed: Record<string, string> | undefined, doc: Record<string, unknown>): string[] {
  if (!sealed) return [];
  const now = fieldDigests(doc);
  return [...new Set([...Object.keys(sealed), ...Object.keys(now)])].filter((k) => sealed[k] !== now[k]).sort();
}
