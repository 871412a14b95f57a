/**
 * Draft comparison for the legality reviewer: a clause-level diff of two draft texts, refined
 * to characters inside changed clauses, so that 三十日 → 十五日 shows as a two-character edit
 * rather than a whole replaced sentence. Pure and deterministic; no dependencies.
 *
 * Chinese has no spaces, so text is cut into clauses after 。；！？ (and ASCII ;!?) and line
 * breaks, each clause keeping its delimiter and any closing quotes or brackets after it. The
 * clauses are compared with Myers' O(ND) algorithm (linear-space, divide and conquer); changed
 * runs are then paired by similarity and each pair is diffed character by character.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/** One changed clause, for jumping from change to change. */
export interface ChangedClause {
  kind: 'modified' | 'inserted' | 'deleted';
  /** Index of the clause in the `before` text (null for an inserted clause). */
  before: number | null;
  /** Index of the clause in the `after` text (null for a deleted clause). */
  after: number | null;
  /** Index into `segments` of the first insert/delete segment of this change. */
  segment: number;
}

export interface DiffResult {
  segments: DiffSegment[];
  stats: {
    /** Characters (Unicode code points) inserted. */
    inserted: number;
    /** Characters (Unicode code points) deleted. */
    deleted: number;
    /** Number of changed clauses (= changedClauses.length). */
    changedClauses: number;
  };
  changedClauses: ChangedClause[];
  /** Clause counts of the two texts. */
  clauses: { before: number; after: number };
}

export interface Clause {
  text: string;
  /** UTF-16 offsets into the text, as String.prototype.slice takes them. */
  start: number;
  end: number;
}

const DELIMITERS = new Set(['。', '；', '！', '？', ';', '!', '?', '\n', '\r']);
/** Finer cuts, for an oversized changed clause: after commas, enumeration commas and colons too. */
const PHRASE_DELIMITERS = new Set([...DELIMITERS, '，', '、', '：', ',', ':']);
/** Closing marks that belong to the clause they close (…。” or …。）). */
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '】', '〕', '》', '"', "'"]);

function splitAfter(text: string, delimiters: Set<string>): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (delimiters.has(text[i])) {
      let j = i + 1;
      while (j < n && (delimiters.has(text[j]) || CLOSERS.has(text[j]))) j++;
      out.push({ text: text.slice(start, j), start, end: j });
      start = i = j;
    } else i++;
  }
  if (start < n) out.push({ text: text.slice(start), start, end: n });
  return out;
}

/**
 * Cut a text into clauses: after 。；！？ (and ASCII ;!?) and line breaks, each clause keeping its
 * delimiters and the closing quotes or brackets right after them. Concatenated, they give the
 * text back exactly.
 */
export function splitClauses(text: string): Clause[] {
  return splitAfter(text, DELIMITERS);
}

// ---------------------------------------------------------------------------------------------
// Myers' diff on integer sequences: returns the matched index pairs of a longest common subsequence.

/** Split point of a[aLo,aHi) × b[bLo,bHi) on the middle snake (after Myers 1986 / diff-match-patch's bisect). */
function bisect(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number): [number, number] | null {
  const n1 = aHi - aLo;
  const n2 = bHi - bLo;
  const maxD = Math.ceil((n1 + n2) / 2);
  const vOffset = maxD;
  const vLength = 2 * maxD + 2;
  const v1 = new Int32Array(vLength).fill(-1);
  const v2 = new Int32Array(vLength).fill(-1);
  v1[vOffset + 1] = 0;
  v2[vOffset + 1] = 0;
  const delta = n1 - n2;
  const front = delta % 2 !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1Offset = vOffset + k1;
      let x1 = k1 === -d || (k1 !== d && v1[k1Offset - 1] < v1[k1Offset + 1]) ? v1[k1Offset + 1] : v1[k1Offset - 1] + 1;
      let y1 = x1 - k1;
      while (x1 < n1 && y1 < n2 && a[aLo + x1] === b[bLo + y1]) {
        x1++;
        y1++;
      }
      v1[k1Offset] = x1;
      if (x1 > n1) k1end += 2;
      else if (y1 > n2) k1start += 2;
      else if (front) {
        const k2Offset = vOffset + delta - k1;
        if (k2Offset >= 0 && k2Offset < vLength && v2[k2Offset] !== -1 && x1 >= n1 - v2[k2Offset]) return [x1, y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2Offset = vOffset + k2;
      let x2 = k2 === -d || (k2 !== d && v2[k2Offset - 1] < v2[k2Offset + 1]) ? v2[k2Offset + 1] : v2[k2Offset - 1] + 1;
      let y2 = x2 - k2;
      while (x2 < n1 && y2 < n2 && a[aHi - x2 - 1] === b[bHi - y2 - 1]) {
        x2++;
        y2++;
      }
      v2[k2Offset] = x2;
      if (x2 > n1) k2end += 2;
      else if (y2 > n2) k2start += 2;
      else if (!front) {
        const k1Offset = vOffset + delta - k2;
        if (k1Offset >= 0 && k1Offset < vLength && v1[k1Offset] !== -1) {
          const x1 = v1[k1Offset];
          const y1 = vOffset + x1 - k1Offset;
          if (x1 >= n1 - x2) return [x1, y1];
        }
      }
    }
  }
  return null;
}

function lcsInto(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, out: number[]): void {
  // Common prefix and suffix.
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
    out.push(aLo++, bLo++);
  }
  let suffix = 0;
  while (aLo < aHi - suffix && bLo < bHi - suffix && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) suffix++;
  const aEnd = aHi - suffix;
  const bEnd = bHi - suffix;
  if (aLo < aEnd && bLo < bEnd) {
    const split = bisect(a, aLo, aEnd, b, bLo, bEnd);
    if (split) {
      lcsInto(a, aLo, aLo + split[0], b, bLo, bLo + split[1], out);
      lcsInto(a, aLo + split[0], aEnd, b, bLo + split[1], bEnd, out);
    }
  }
  for (let s = 0; s < suffix; s++) out.push(aEnd + s, bEnd + s);
}

/**
 * The index pairs (i, j) with a[i] === b[j] of a longest common subsequence, in order, as a flat
 * [i0, j0, i1, j1, …] list. Elements that occur in only one sequence can never match, so they are
 * set aside first (as GNU diff does); that makes wholly rewritten texts cheap. With `maxCells`,
 * a middle part larger than that (after the common prefix and suffix) is left unmatched.
 */
export function lcs(a: ArrayLike<number>, b: ArrayLike<number>, maxCells = Infinity): number[] {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let suffix = 0;
  while (suffix < a.length - lo && suffix < b.length - lo && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const out: number[] = [];
  for (let i = 0; i < lo; i++) out.push(i, i);
  const aEnd = a.length - suffix;
  const bEnd = b.length - suffix;
  if (lo < aEnd && lo < bEnd && (aEnd - lo) * (bEnd - lo) <= maxCells) {
    const inA = new Set<number>();
    const inB = new Set<number>();
    for (let i = lo; i < aEnd; i++) inA.add(a[i]);
    for (let j = lo; j < bEnd; j++) inB.add(b[j]);
    const aIdx: number[] = [];
    const bIdx: number[] = [];
    for (let i = lo; i < aEnd; i++) if (inB.has(a[i])) aIdx.push(i);
    for (let j = lo; j < bEnd; j++) if (inA.has(b[j])) bIdx.push(j);
    const fa = Int32Array.from(aIdx, (i) => a[i]);
    const fb = Int32Array.from(bIdx, (j) => b[j]);
    const pairs: number[] = [];
    lcsInto(fa, 0, fa.length, fb, 0, fb.length, pairs);
    for (let p = 0; p < pairs.length; p += 2) out.push(aIdx[pairs[p]], bIdx[pairs[p + 1]]);
  }
  for (let s = 0; s < suffix; s++) out.push(aEnd + s, bEnd + s);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Character level.

/** Larger changed middles (after the common prefix and suffix) of one clause pair are shown whole. */
const MAX_CHAR_CELLS = 4_000_000;

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

function fromCodePoints(cps: number[], from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i += 4096) s += String.fromCodePoint(...cps.slice(i, Math.min(to, i + 4096)));
  return s;
}

function pushSeg(out: DiffSegment[], op: DiffOp, text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

type Seg = DiffSegment & { len: number };

/** Each run of edits between equalities as one deletion then one insertion. */
function normalise(segs: Seg[]): Seg[] {
  const out: Seg[] = [];
  const put = (op: DiffOp, text: string, len: number) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.op === op) {
      last.text += text;
      last.len += len;
    } else out.push({ op, text, len });
  };
  let del = '';
  let delLen = 0;
  let ins = '';
  let insLen = 0;
  const flush = () => {
    put('delete', del, delLen);
    put('insert', ins, insLen);
    del = ins = '';
    delLen = insLen = 0;
  };
  for (const s of segs) {
    if (s.op === 'equal') {
      flush();
      put('equal', s.text, s.len);
    } else if (s.op === 'delete') {
      del += s.text;
      delLen += s.len;
    } else {
      ins += s.text;
      insLen += s.len;
    }
  }
  flush();
  return out;
}

/**
 * Fold small coincidental equalities into the surrounding edit (after diff-match-patch's semantic
 * cleanup): 三十日 → 十五日 reads as "三十" → "十五", not "三" deleted, "十" kept, "五" inserted.
 * An equality no longer than the larger side of the edits on each side of it is folded in.
 */
function cleanupSemantic(input: DiffSegment[]): DiffSegment[] {
  let segs = normalise(input.map((s) => ({ ...s, len: [...s.text].length })));
  const editSize = (from: number, dir: 1 | -1): [number, number] => {
    let ins = 0;
    let del = 0;
    let j = from;
    for (; j >= 0 && j < segs.length && segs[j].op !== 'equal'; j += dir) {
      if (segs[j].op === 'insert') ins += segs[j].len;
      else del += segs[j].len;
    }
    return [Math.max(ins, del), j];
  };
  let i = 1;
  while (i < segs.length - 1) {
    if (segs[i].op === 'equal') {
      const [before, prevEq] = editSize(i - 1, -1);
      const [after] = editSize(i + 1, 1);
      const l = segs[i].len;
      if (before > 0 && after > 0 && l <= before && l <= after) {
        const { text, len } = segs[i];
        segs = normalise([...segs.slice(0, i), { op: 'delete', text, len }, { op: 'insert', text, len }, ...segs.slice(i + 1)]);
        // The edit run grew: the equality before it may now fold too.
        i = Math.max(prevEq, 1);
        continue;
      }
    }
    i++;
  }
  return segs.map(({ op, text }) => ({ op, text }));
}

/**
 * Character diff of one pair of changed clauses. When the changed middle (after the common prefix
 * and suffix) is too large for a character diff, it is compared phrase by phrase first (cut after
 * commas too), and only paired phrases are refined to characters.
 */
export function diffChars(before: string, after: string, phrases = true): DiffSegment[] {
  const a = codePoints(before);
  const b = codePoints(after);
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let suffix = 0;
  while (suffix < a.length - lo && suffix < b.length - lo && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  if (phrases && (a.length - lo - suffix) * (b.length - lo - suffix) > MAX_CHAR_CELLS) {
    const out: DiffSegment[] = [];
    pushSeg(out, 'equal', fromCodePoints(a, 0, lo));
    const inner = diffTokens(splitAfter(fromCodePoints(a, lo, a.length - suffix), PHRASE_DELIMITERS).map((c) => c.text), splitAfter(fromCodePoints(b, lo, b.length - suffix), PHRASE_DELIMITERS).map((c) => c.text), (x, y) => diffChars(x, y, false));
    for (const seg of inner.raw) pushSeg(out, seg.op, seg.text);
    pushSeg(out, 'equal', fromCodePoints(a, a.length - suffix, a.length));
    return out;
  }
  const pairs = lcs(a, b, MAX_CHAR_CELLS);
  const raw: DiffSegment[] = [];
  let i = 0;
  let j = 0;
  for (let p = 0; p <= pairs.length; p += 2) {
    const ai = p < pairs.length ? pairs[p] : a.length;
    const bj = p < pairs.length ? pairs[p + 1] : b.length;
    pushSeg(raw, 'delete', fromCodePoints(a, i, ai));
    pushSeg(raw, 'insert', fromCodePoints(b, j, bj));
    if (p < pairs.length) {
      // Gather the run of consecutive matches.
      let q = p;
      while (q + 2 < pairs.length && pairs[q + 2] === pairs[q] + 1 && pairs[q + 3] === pairs[q + 1] + 1) q += 2;
      pushSeg(raw, 'equal', fromCodePoints(a, ai, pairs[q] + 1));
      i = pairs[q] + 1;
      j = pairs[q + 1] + 1;
      p = q;
    }
  }
  return cleanupSemantic(raw);
}


// ---------------------------------------------------------------------------------------------
// Pairing changed clauses.

/** Pairs of changed clauses less similar than this are shown as a deletion and an insertion. */
const PAIR_THRESHOLD = 0.4;
/** Larger changed runs are paired greedily rather than by dynamic programming. */
const MAX_PAIRING_CELLS = 40_000;

/** A clause's character bigrams (one character for a one-character clause) as sorted codes. */
type Profile = Float64Array;

function profile(s: string): Profile {
  const cps = codePoints(s.replace(/[\r\n]+$/, ''));
  if (cps.length === 1) return Float64Array.of(cps[0]);
  const grams = new Float64Array(Math.max(cps.length - 1, 0));
  for (let i = 0; i + 1 < cps.length; i++) grams[i] = cps[i] * 0x110000 + cps[i + 1];
  return grams.sort();
}

/** Dice coefficient of the two bigram multisets, 0…1. */
function similarity(p: Profile, q: Profile): number {
  if (p.length === 0 || q.length === 0) return 0;
  let common = 0;
  for (let i = 0, j = 0; i < p.length && j < q.length; ) {
    if (p[i] === q[j]) {
      common++;
      i++;
      j++;
    } else if (p[i] < q[j]) i++;
    else j++;
  }
  return (2 * common) / (p.length + q.length);
}

/** Which deleted clause becomes which inserted clause: an order-preserving pairing maximising similarity. */
function pairClauses(dels: string[], inss: string[]): Array<[number, number]> {
  const k = dels.length;
  const m = inss.length;
  if (k === 0 || m === 0) return [];
  const dp = dels.map(profile);
  const ip = inss.map(profile);
  const sim = (i: number, j: number) => {
    const s = similarity(dp[i], ip[j]);
    return s >= PAIR_THRESHOLD ? s : 0;
  };
  const pairs: Array<[number, number]> = [];
  if (k * m <= MAX_PAIRING_CELLS) {
    const w = m + 1;
    const score = new Float64Array((k + 1) * w);
    const s = new Float64Array((k + 1) * w);
    for (let i = 1; i <= k; i++)
      for (let j = 1; j <= m; j++) {
        s[i * w + j] = sim(i - 1, j - 1);
        const diag = s[i * w + j] > 0 ? score[(i - 1) * w + j - 1] + s[i * w + j] : -1;
        score[i * w + j] = Math.max(score[(i - 1) * w + j], score[i * w + j - 1], diag);
      }
    let i = k;
    let j = m;
    while (i > 0 && j > 0) {
      const here = score[i * w + j];
      if (s[i * w + j] > 0 && here === score[(i - 1) * w + j - 1] + s[i * w + j]) {
        pairs.push([i - 1, j - 1]);
        i--;
        j--;
      } else if (here === score[(i - 1) * w + j]) i--;
      else j--;
    }
    return pairs.reverse();
  }
  // Greedy: walk both runs, pairing with a small look-ahead.
  const WINDOW = 8;
  let i = 0;
  let j = 0;
  while (i < k && j < m) {
    if (sim(i, j) > 0) {
      pairs.push([i++, j++]);
      continue;
    }
    let found = false;
    for (let step = 1; step <= WINDOW && !found; step++) {
      if (j + step < m && sim(i, j + step) > 0) {
        j += step;
        found = true;
      } else if (i + step < k && sim(i + step, j) > 0) {
        i += step;
        found = true;
      }
    }
    if (!found) {
      i++;
      j++;
    }
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------

interface RawChange {
  kind: ChangedClause['kind'];
  before: number | null;
  after: number | null;
  /** Index into `raw` of the change's first insert/delete segment. */
  raw: number;
}

/** Diff two token lists; unmatched runs are paired by similarity and each pair refined with `refine`. */
function diffTokens(ca: string[], cb: string[], refine: (before: string, after: string) => DiffSegment[]): { raw: DiffSegment[]; changes: RawChange[] } {
  const ids = new Map<string, number>();
  const id = (s: string) => {
    let v = ids.get(s);
    if (v === undefined) ids.set(s, (v = ids.size));
    return v;
  };
  const pairs = lcs(
    ca.map((s) => id(s)),
    cb.map((s) => id(s)),
  );

  const raw: DiffSegment[] = [];
  const changes: RawChange[] = [];
  const hunk = (aFrom: number, aTo: number, bFrom: number, bTo: number) => {
    if (aFrom === aTo && bFrom === bTo) return;
    const dels = ca.slice(aFrom, aTo);
    const inss = cb.slice(bFrom, bTo);
    let di = 0;
    let ij = 0;
    const flushUntil = (dTo: number, iTo: number) => {
      for (; di < dTo; di++) {
        changes.push({ kind: 'deleted', before: aFrom + di, after: null, raw: raw.length });
        raw.push({ op: 'delete', text: dels[di] });
      }
      for (; ij < iTo; ij++) {
        changes.push({ kind: 'inserted', before: null, after: bFrom + ij, raw: raw.length });
        raw.push({ op: 'insert', text: inss[ij] });
      }
    };
    for (const [d, i] of pairClauses(dels, inss)) {
      flushUntil(d, i);
      const segs = refine(dels[d], inss[i]);
      const first = segs.findIndex((s) => s.op !== 'equal');
      changes.push({ kind: 'modified', before: aFrom + d, after: bFrom + i, raw: raw.length + Math.max(first, 0) });
      raw.push(...segs);
      di = d + 1;
      ij = i + 1;
    }
    flushUntil(dels.length, inss.length);
  };

  let ai = 0;
  let bj = 0;
  for (let p = 0; p < pairs.length; p += 2) {
    hunk(ai, pairs[p], bj, pairs[p + 1]);
    raw.push({ op: 'equal', text: ca[pairs[p]] });
    ai = pairs[p] + 1;
    bj = pairs[p + 1] + 1;
  }
  hunk(ai, ca.length, bj, cb.length);
  return { raw, changes };
}

/** Compare two draft texts clause by clause, refining changed clauses to characters. */
export function diffDrafts(before: string, after: string): DiffResult {
  const ca = splitClauses(before).map((c) => c.text);
  const cb = splitClauses(after).map((c) => c.text);
  const { raw, changes } = diffTokens(ca, cb, (x, y) => diffChars(x, y));

  // Merge neighbours with the same op, remembering where each raw segment went.
  const segments: DiffSegment[] = [];
  const where = new Int32Array(raw.length + 1);
  for (let r = 0; r < raw.length; r++) {
    const s = raw[r];
    const last = segments[segments.length - 1];
    if (last && last.op === s.op) last.text += s.text;
    else if (s.text) segments.push({ op: s.op, text: s.text });
    where[r] = Math.max(segments.length - 1, 0);
  }
  let inserted = 0;
  let deleted = 0;
  for (const s of segments) {
    if (s.op === 'insert') inserted += [...s.text].length;
    else if (s.op === 'delete') deleted += [...s.text].length;
  }
  const changedClauses = changes.map(({ raw: r, ...c }) => ({ ...c, segment: where[r] }));
  return { segments, stats: { inserted, deleted, changedClauses: changedClauses.length }, changedClauses, clauses: { before: ca.length, after: cb.length } };
}
