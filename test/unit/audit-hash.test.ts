/**
 * The audit trail's hash chains as pure functions: SM3 as GB/T 32905 defines it, the canonical
 * form every verifier recomputes, and a chain that names the first broken link — an altered
 * event (and which field), a deleted event, a deleted or inserted link, an altered link.
 */
import crypto from 'node:crypto';
import vm from 'node:vm';
import { canonical, eventDigests, GENESIS, makeLink, verifyChain, type Link } from '../../activities/audit-hash';

test('SM3 is GB/T 32905-2016: its two worked examples', () => {
  expect(crypto.createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  expect(crypto.createHash('sm3').update('abcd'.repeat(16)).digest('hex')).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
});

test('the canonical form: sorted keys, no whitespace, dates as ISO strings, undefined left out', () => {
  const at = new Date('2026-03-01T08:00:00.000Z');
  expect(canonical({ b: 1, a: [true, null, 'x'], c: undefined, d: at, e: { z: 1.5, y: '引号"' } })).toBe('{"a":[true,null,"x"],"b":1,"d":"2026-03-01T08:00:00.000Z","e":{"y":"引号\\"","z":1.5}}');
  // A stored event and the same event read back from an exported JSON file serialise alike.
  const stored = { _id: 'D1:1', at, reasons: [{ code: 'X', zh: '理由' }], seq: 1 };
  expect(canonical(JSON.parse(JSON.stringify(stored)))).toBe(canonical(stored));
  // Objects of another realm (a vm context) are plain objects and dates all the same.
  expect(canonical(vm.runInNewContext('({ d: new Date(0), a: [{ b: 1 }] })'))).toBe('{"a":[{"b":1}],"d":"1970-01-01T00:00:00.000Z"}');
  expect(() => canonical({ n: NaN })).toThrow(/finite/);
  expect(() => canonical({ id: new (class ObjectId {})() })).toThrow(/ObjectId/);
  // The sealing's own fields are not what is sealed.
  expect(eventDigests({ ...stored, sealed: true, seal: { x: 1 }, page: 3 })).toEqual(eventDigests(stored));
});

function chainOf(n: number) {
  const events = new Map<string, Record<string, unknown>>();
  const links: Link[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const doc: Record<string, unknown> = { _id: `D1:${seq}`, decisionId: 'D1', at: new Date(Date.UTC(2026, 0, 1, 0, seq)), actor: '张明 (zjj)', action: 'start', summary: `act ${seq}`, result: 'accepted', seq };
    const link = makeLink('decision:D1', seq, `audit_events/D1:${seq}`, doc, prev, new Date(Date.UTC(2026, 0, 1, 0, seq, 1)));
    doc.sealed = true;
    doc.seal = { decision: { seq, prev: link.prev, hash: link.hash } };
    events.set(link.ref, doc);
    links.push(link);
    prev = link.hash;
  }
  const check = () => verifyChain('decision:D1', links, (ref) => events.get(ref) ?? null, 'decision');
  return { events, links, check };
}

test('an untouched chain verifies, both algorithms, and reports its head', () => {
  const { check, links } = chainOf(6);
  const r = check();
  expect(r).toMatchObject({ ok: true, links: 6, problems: [] });
  expect(r.head).toEqual({ seq: 6, hash: links[5].hash });
  expect(links[0].prev).toEqual(GENESIS);
  expect(links[1].prev).toEqual(links[0].hash);
});

test('an event altered after sealing is named, with the field that changed', () => {
  const { events, check } = chainOf(6);
  events.get('audit_events/D1:3')!.summary = 'something else';
  const r = check();
  expect(r.ok).toBe(false);
  expect(r.problems[0]).toMatchObject({ seq: 3, ref: 'audit_events/D1:3', check: 'event-altered', field: 'summary' });
  expect(r.problems[0].zh).toContain('summary');
});

test('a deleted event is named at its link', () => {
  const { events, check } = chainOf(6);
  events.delete('audit_events/D1:4');
  expect(check().problems[0]).toMatchObject({ seq: 4, check: 'event-missing' });
});

test('a deleted link is named as the gap it leaves', () => {
  const { links, check } = chainOf(6);
  links.splice(2, 1);
  const r = check();
  expect(r.problems.map((p) => [p.seq, p.check])).toEqual([[3, 'missing-link']]);
});

test('a link inserted into the chain is named: a second holder of a position, then a broken prev', () => {
  const { links, events, check } = chainOf(6);
  const forged = { _id: 'D1:forged', decisionId: 'D1', actor: 'x', action: 'start', summary: 'backdated', result: 'accepted' };
  events.set('audit_events/D1:forged', forged);
  links.splice(3, 0, makeLink('decision:D1', 4, 'audit_events/D1:forged', forged, links[2].hash, new Date()));
  const r = check();
  expect(r.ok).toBe(false);
  expect(r.problems.map((p) => p.check)).toContain('duplicate-link');
  // Re-numbering the rest to make room breaks the hash of every renumbered link instead.
  const again = chainOf(6);
  again.links.splice(3, 0, makeLink('decision:D1', 4, 'audit_events/D1:forged', forged, again.links[2].hash, new Date()));
  again.events.set('audit_events/D1:forged', forged);
  for (const l of again.links.slice(4)) l.seq += 1;
  expect(again.check().problems[0]).toMatchObject({ seq: 5, check: 'prev', field: 'prev.sm3' });
});

test("a link's own hash altered, or the event's copy of it, is named", () => {
  const a = chainOf(4);
  a.links[1].hash = { ...a.links[1].hash, sha256: 'f'.repeat(64) };
  expect(a.check().problems.map((p) => [p.seq, p.check, p.field])).toEqual([
    [2, 'link-altered', 'hash.sha256'],
    [2, 'seal-copy', 'seal.decision'],
    [3, 'prev', 'prev.sha256'],
  ]);
  const b = chainOf(4);
  (b.events.get('audit_events/D1:2')!.seal as { decision: { seq: number } }).decision.seq = 9;
  expect(b.check().problems[0]).toMatchObject({ seq: 2, check: 'seal-copy' });
});
