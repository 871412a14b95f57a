/**
 * The sealer: links every audit event, security event and definition deployment into the hash
 * chains (audit-hash.ts) — the system's chain and, for audit events, their decision's.
 *
 * Why a sealer, and why links are claimed by insertion. The events have many writers: the
 * workflow's projection (insert-once, retried, sometimes late), every API instance (refusals,
 * accepted API-side acts, security events), the start-up (deployments). The store has no
 * transactions, and on FerretDB 1.24 over PostgreSQL a conditional update is not a
 * compare-and-swap: with eight concurrent `updateOne({_id, seq: n}, {$set: {seq: n + 1}})`,
 * several (up to all eight) report a modification, and 100 concurrent `$inc`s add 25 (measured
 * for this design, 50 rounds). A chain extended by writers with a conditional update on its head
 * would fork. What the store does keep atomic is a unique key: of eight concurrent inserts of one
 * `_id`, or of one value of a unique index, exactly one succeeds (0 failures in 50 rounds each).
 * So writers only insert their events, unsealed (`sealed: false`), and stay as simple as they
 * were; the sealer links them in the order it finds them, one event at a time, and takes each
 * position of a chain by inserting its link `<chain>#<seq>` into the ledger (`audit_links`) —
 * two sealers cannot take one position — with a unique `claim` (`<chain>@<event>`) so one event
 * cannot enter a chain twice. Any number of sealers may run (each worker runs one) and any may
 * die at any point: an event is marked sealed only once its links exist, and a sealer that finds
 * its claim taken reuses the link already there, so a retry finishes the work and duplicates
 * nothing. Between insertion and sealing (well under a second while a worker runs) an event is
 * pending: checks report it as such, not as broken.
 */
import type { Model } from 'mongoose';
import { isDuplicateKey, type Models } from './models';
import { CHAINED_COLLECTIONS, decisionChain, GENESIS, LINK_PAGE_SIZE, makeLink, refOf, SYSTEM_CHAIN, type ChainedCollection, type Digests, type Link } from './audit-hash';
import { upsertRetrying } from './write-once';

type Doc = Record<string, unknown> & { _id: string };

/** The model of each chained collection. */
export function chainedModel(models: Models, collection: ChainedCollection): Model<never> {
  const byName: Record<ChainedCollection, unknown> = { audit_events: models.AuditEvent, security_events: models.SecurityEvent, definitions: models.Definition };
  return byName[collection] as Model<never>;
}

/** Where a chain's head was last seen: a hint (it may lag behind; never ahead of the head). */
const hintKey = (chain: string) => `chain:${chain}`;
const linkId = (chain: string, seq: number) => `${chain}#${seq}`;

/** The head of a chain: from the hint, then forward link by link while the next position is taken. */
async function headOf(models: Models, chain: string, atLeast = 0): Promise<{ seq: number; hash: Digests }> {
  let seq = Math.max(atLeast, (await models.Counter.findById(hintKey(chain), { seq: 1 }).lean())?.seq ?? 0);
  let last: Link | null = seq ? ((await models.AuditLink.findById(linkId(chain, seq)).lean()) as Link | null) : null;
  for (;;) {
    const next = (await models.AuditLink.findById(linkId(chain, seq + 1)).lean()) as Link | null;
    if (!next) break;
    last = next;
    seq += 1;
  }
  // A deleted head cannot be followed: sealing into this chain stops, loudly, rather than paper over it.
  if (seq && !last) throw new Error(`chain ${chain}: link ${seq} is missing — run \`npm run juece -- audit verify\``);
  return { seq, hash: last?.hash ?? GENESIS };
}

/** Link `doc` into `chain` once: a new position at the head, or the link it already has. */
async function appendLink(models: Models, chain: string, ref: string, doc: Doc): Promise<Link> {
  const claim = `${chain}@${ref}`;
  let head = await headOf(models, chain);
  for (;;) {
    const seq = head.seq + 1;
    const link = makeLink(chain, seq, ref, doc, head.hash, new Date());
    try {
      await models.AuditLink.collection.insertOne({ _id: linkId(chain, seq), page: Math.floor(seq / LINK_PAGE_SIZE), claim, ...link } as never);
      // The hint only moves forward in intent; a lost race leaves it behind, which headOf walks past.
      await upsertRetrying(() => models.Counter.updateOne({ _id: hintKey(chain) }, { $max: { seq } }, { upsert: true }));
      return link;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either this event is in the chain already (a sealer before us got that far), or another
      // event took the position: then the head has moved on.
      const existing = (await models.AuditLink.findOne({ claim }).lean()) as Link | null;
      if (existing) return existing;
      head = await headOf(models, chain, seq);
    }
  }
}

const copy = (l: Link) => ({ seq: l.seq, prev: l.prev, hash: l.hash });

/** Seal one event: its links in the system chain and, for an audit event, its decision's; then mark it. */
export async function sealEvent(models: Models, collection: ChainedCollection, doc: Doc): Promise<void> {
  const ref = refOf(collection, doc._id);
  const seal: Record<string, ReturnType<typeof copy>> = { system: copy(await appendLink(models, SYSTEM_CHAIN, ref, doc)) };
  if (collection === 'audit_events') seal.decision = copy(await appendLink(models, decisionChain(String(doc.decisionId)), ref, doc));
  await chainedModel(models, collection).updateOne({ _id: doc._id } as never, { $set: { sealed: true, seal } } as never);
}

/** Time order of the events in a batch, whatever their collection. */
const timeOf = (collection: ChainedCollection, d: Doc) => new Date((collection === 'definitions' ? d.storedAt : d.at) as string).getTime() || 0;

/**
 * Seal up to `limit` pending events, oldest first; how many were sealed. An event that cannot be
 * sealed (its chain is broken at the head) is reported through `onError` and left pending; the
 * others are sealed all the same.
 */
export async function sealPending(models: Models, limit = 100, onError: (err: unknown) => void = (err) => { throw err; }): Promise<number> {
  const batches = await Promise.all(
    CHAINED_COLLECTIONS.map(async (c) =>
      ((await chainedModel(models, c).find({ sealed: false } as never).sort(c === 'definitions' ? { storedAt: 1 } : { at: 1 }).limit(limit).lean()) as unknown as Doc[]).map((d) => ({ c, d })),
    ),
  );
  const pending = batches.flat().sort((a, b) => timeOf(a.c, a.d) - timeOf(b.c, b.d) || (a.d._id < b.d._id ? -1 : 1));
  let sealed = 0;
  for (const { c, d } of pending.slice(0, limit)) {
    try {
      await sealEvent(models, c, d);
      sealed++;
    } catch (err) {
      onError(err);
    }
  }
  return sealed;
}

const ADOPTED = 'audit-chain';

/**
 * A store written before the chains: its events have no `sealed` field; they are queued once, in
 * time order with everything after them (marked in counters `audit-chain`).
 */
export async function adoptUnchainedEvents(models: Models): Promise<void> {
  if ((await models.Counter.findById(ADOPTED, { seq: 1 }).lean())?.seq) return;
  for (const c of CHAINED_COLLECTIONS) await chainedModel(models, c).updateMany({ sealed: { $exists: false } } as never, { $set: { sealed: false } } as never);
  await upsertRetrying(() => models.Counter.updateOne({ _id: ADOPTED }, { $max: { seq: 1 } }, { upsert: true }));
}

/** How many events wait to be sealed (`limit` caps the count: FerretDB counts by reading them). */
export async function pendingCount(models: Models, filter: Record<string, unknown> = {}, limit = 1000): Promise<number> {
  let n = 0;
  for (const c of CHAINED_COLLECTIONS) {
    if (c !== 'audit_events' && 'decisionId' in filter) continue;
    n += (await chainedModel(models, c).find({ ...filter, sealed: false } as never, { _id: 1 }).limit(limit).lean()).length;
  }
  return n;
}

export interface AuditSealer {
  /** Stop after the event in hand; resolves when it is done. */
  stop(): Promise<void>;
}

/**
 * Run the sealer: seal what is pending, then look again every `idleMs`. Errors are logged once
 * each and retried; nothing is lost, since pending events stay pending until sealed.
 */
export function startAuditSealer(models: Models, o: { idleMs?: number; log?: (m: string) => void } = {}): AuditSealer {
  const idleMs = o.idleMs ?? 200;
  const log = o.log ?? ((m: string) => console.error(m));
  let stopped = false;
  let lastError: string | null = null;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    let adopted = false;
    while (!stopped) {
      try {
        if (!adopted) {
          await adoptUnchainedEvents(models);
          adopted = true;
        }
        let failure: string | null = null;
        const sealed = await sealPending(models, 100, (err) => (failure = String((err as Error)?.message ?? err)));
        if (failure !== null) throw new Error(failure);
        if (lastError !== null) log('Audit chain: the sealer works again.');
        lastError = null;
        if (!sealed) await new Promise<void>((r) => ((wake = r), setTimeout(r, idleMs)));
      } catch (err) {
        const message = String((err as Error)?.message ?? err);
        if (message !== lastError) log(`Audit chain: events could not be sealed yet: ${message}`);
        lastError = message;
        await new Promise<void>((r) => ((wake = r), setTimeout(r, Math.max(idleMs, 1000))));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
