/**
 * The chains checked in the store: one decision's (its readers ask, the workspace shows it) and
 * the system's (supervisors, the review body, `npm run juece -- audit verify`). Both recompute
 * every digest and hash from the stored events and links (audit-hash.ts) and name the first
 * broken link; events not yet sealed are counted as pending, not as broken.
 */
import { chainedModel } from './audit-chain';
import { ALGORITHMS, ChainCheck, CHAINED_COLLECTIONS, decisionChain, LINK_PAGE_SIZE, refOf, SYSTEM_CHAIN, type ChainReport, type Link } from './audit-hash';
import type { Models } from './models';

export interface VerifyResult extends ChainReport {
  algorithms: typeof ALGORITHMS;
  /** Events written but not yet sealed (the sealer links them within moments). */
  pending: number;
  /** Events looked at. */
  events: number;
  /** The first broken link, or null. */
  firstBroken: ChainReport['problems'][number] | null;
  /** An anchor the caller asked to be checked: that position still holds that hash. */
  anchor?: { seq: number; hash: string; ok: boolean };
  ms: number;
}

type Doc = Record<string, unknown> & { _id: string; sealed?: boolean; seal?: { system?: { seq?: number }; decision?: { seq?: number } } };

const result = (r: ChainReport, pending: number, events: number, started: number): VerifyResult => ({
  ...r,
  algorithms: ALGORITHMS,
  pending,
  events,
  firstBroken: r.problems[0] ?? null,
  ms: Date.now() - started,
});

/**
 * An event sealed while the check ran: the sealers keep working, so an event read after the links
 * were read may have been linked in between. Its link exists now (found by its unique claim); it
 * is counted as pending — this pass did not verify it — rather than as unlinked, which would be
 * a false alarm. An event whose link does not exist is unlinked all the same.
 */
async function sealedDuringCheck(models: Models, chain: string, ref: string): Promise<boolean> {
  return Boolean(await models.AuditLink.exists({ claim: `${chain}@${ref}` }));
}

/** One decision's chain: its links and its audit events, both read by the decision's id. */
export async function verifyDecisionChain(models: Models, decisionId: string): Promise<VerifyResult> {
  const started = Date.now();
  const chain = decisionChain(decisionId);
  const [links, events, hint] = await Promise.all([
    models.AuditLink.find({ chain }).lean() as Promise<unknown> as Promise<Link[]>,
    models.AuditEvent.find({ decisionId }).lean() as Promise<unknown> as Promise<Doc[]>,
    models.Counter.findById(`chain:${chain}`, { seq: 1 }).lean(),
  ]);
  const byRef = new Map(events.map((e) => [refOf('audit_events', e._id), e as Record<string, unknown>]));
  const check = new ChainCheck(chain, 'decision');
  check.push(links.sort((a, b) => a.seq - b.seq), (ref) => byRef.get(ref) ?? null);
  let pending = 0;
  for (const e of events) {
    const ref = refOf('audit_events', e._id);
    if (check.refs.has(ref)) continue;
    if (e.sealed === false || (await sealedDuringCheck(models, chain, ref))) pending++;
    else check.unlinked(ref, e.seal?.decision?.seq);
  }
  check.expectThrough(hint?.seq ?? 0);
  return result(check.finish(), pending, events.length, started);
}

/** Look events up by ref, a few dozen at a time, each by its _id (what FerretDB indexes). */
async function fetchEvents(models: Models, refs: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const one = async (ref: string) => {
    const slash = ref.indexOf('/');
    const collection = ref.slice(0, slash) as (typeof CHAINED_COLLECTIONS)[number];
    if (!CHAINED_COLLECTIONS.includes(collection)) return;
    const doc = (await chainedModel(models, collection).findById(ref.slice(slash + 1)).lean()) as Record<string, unknown> | null;
    if (doc) out.set(ref, doc);
  };
  for (let i = 0; i < refs.length; i += 32) await Promise.all(refs.slice(i, i + 32).map(one));
  return out;
}

/**
 * The system's chain, page by page: every link, every event it seals, then every event of the
 * three collections that no link holds (pending ones are counted). `anchor` ("<seq>:<hash>", SM3
 * or SHA-256 hex) checks that the chain still passes through a head written down earlier — what
 * tells a rewritten chain from the original.
 */
export async function verifySystemChain(models: Models, o: { anchor?: string; progress?: (links: number) => void } = {}): Promise<VerifyResult> {
  const started = Date.now();
  const check = new ChainCheck(SYSTEM_CHAIN, 'system');
  const hint = (await models.Counter.findById(`chain:${SYSTEM_CHAIN}`, { seq: 1 }).lean())?.seq ?? 0;
  const anchor = o.anchor ? parseAnchor(o.anchor) : undefined;
  let anchorHash: { sm3: string; sha256: string } | undefined;
  let lastPage = Math.floor(hint / LINK_PAGE_SIZE);
  let links = 0;
  for (let page = 0; page <= lastPage; page++) {
    const batch = ((await models.AuditLink.find({ chain: SYSTEM_CHAIN, page }).lean()) as unknown as Link[]).sort((a, b) => a.seq - b.seq);
    if (batch.length) lastPage = Math.max(lastPage, page + 1);
    const events = await fetchEvents(models, batch.map((l) => l.ref));
    check.push(batch, (ref) => events.get(ref) ?? null);
    if (anchor) anchorHash ??= batch.find((l) => l.seq === anchor.seq)?.hash;
    links += batch.length;
    o.progress?.(links);
  }
  let pending = 0;
  let events = 0;
  for (const c of CHAINED_COLLECTIONS) {
    const cursor = chainedModel(models, c).find({}, { _id: 1, sealed: 1, 'seal.system.seq': 1 }).lean().cursor();
    for await (const e of cursor as AsyncIterable<Doc>) {
      events++;
      const ref = refOf(c, e._id);
      if (check.refs.has(ref)) continue;
      if (e.sealed === false || (await sealedDuringCheck(models, SYSTEM_CHAIN, ref))) pending++;
      else check.unlinked(ref, e.seal?.system?.seq);
    }
  }
  // A head the counter remembers beyond the last link: the tail of the chain was removed.
  check.expectThrough(hint);
  const out = result(check.finish(), pending, events, started);
  if (anchor) {
    const ok = anchorHash !== undefined && (anchorHash.sm3 === anchor.hash || anchorHash.sha256 === anchor.hash);
    out.anchor = { ...anchor, ok };
    if (!ok) out.ok = false;
  }
  return out;
}

/** "<seq>:<hex>" → its parts. */
export function parseAnchor(s: string): { seq: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/i.exec(s.trim());
  if (!m) throw new TypeError('an anchor is <position>:<64 hex digits of its SM3 or SHA-256 hash>');
  return { seq: Number(m[1]), hash: m[2].toLowerCase() };
}
