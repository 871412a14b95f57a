/** The pure checks at the API's edge: a file's type from its bytes, JSON depth, password strength. */
import { jsonDepth } from '../../server/body';
import { checkStrength } from '../../server/password-strength';
import { checkedType, sniff } from '../../server/sniff';

/** A zip whose central directory lists `names` (stored, empty entries): all the sniffer reads. */
function zipOf(names: string[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  for (const name of names) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(n.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(n.length, 28);
    entry.writeUInt32LE(parts.reduce((s, b) => s + b.length, 0), 42);
    parts.push(local, n);
    central.push(entry, n);
  }
  const offset = parts.reduce((s, b) => s + b.length, 0);
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

describe('a file is what its bytes say', () => {
  test.each([
    ['pdf', Buffer.from('%PDF-1.7\n')],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xdb])],
    ['doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['docx', zipOf(['[Content_Types].xml', 'word/document.xml'])],
    ['xlsx', zipOf(['[Content_Types].xml', 'xl/workbook.xml'])],
    ['ofd', zipOf(['OFD.xml', 'Doc_0/Document.xml'])],
    ['text', Buffer.from('第一条\t本办法。\r\n')],
  ])('%s', (kind, bytes) => expect(sniff(bytes)).toBe(kind));

  test('nothing else: programs, plain zips, binary, text with control characters, broken UTF-8', () => {
    for (const bytes of [Buffer.from('MZ\x90\x00'), zipOf(['a.txt']), Buffer.from([0, 1, 2, 255]), Buffer.from('a\u0000b'), Buffer.from([0xe4, 0xb8]), Buffer.from('PK\x03\x04 truncated')]) expect(sniff(bytes)).toBeNull();
  });

  test('the declared type must agree; a generic one takes the sniffed type; text keeps its charset', () => {
    const pdf = Buffer.from('%PDF-1.7\n');
    expect(checkedType('application/pdf', pdf)).toEqual({ type: 'application/pdf' });
    expect(checkedType('application/octet-stream', pdf)).toEqual({ type: 'application/pdf' });
    expect(checkedType('', zipOf(['OFD.xml']))).toEqual({ type: 'application/ofd' });
    expect(checkedType('text/plain; charset=utf-8', Buffer.from('意见'))).toEqual({ type: 'text/plain; charset=utf-8' });
    expect(checkedType('image/png', pdf)).toEqual({ refused: 'declared image/png, but the content is application/pdf' });
    expect(checkedType('application/pdf', Buffer.from('MZ'))).toHaveProperty('refused');
  });
});

test('JSON depth is counted without recursion, and stops counting past the limit', () => {
  expect(jsonDepth('x')).toBe(0);
  expect(jsonDepth({ a: [1, { b: null }] })).toBe(3);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  expect(jsonDepth(deep, 16)).toBe(17);
});

test('a password must be hard to guess, not only long enough', () => {
  for (const weak of ['password123456', '1234567890', 'qwertyuiop', 'woaini5201314', 'zhangwei1988', 'yinchuan2026'])
    expect({ weak, refused: Boolean(checkStrength(weak)) }).toEqual({ weak, refused: true });
  // Built on the person's own login or name.
  expect(checkStrength('liuxiaoming88', ['liuxiaoming'])).toBeDefined();
  for (const strong of ['correct horse battery staple', 'Tq7#vLp2!mZ9', 'a-long-passphrase'])
    expect({ strong, refused: Boolean(checkStrength(strong)) }).toEqual({ strong, refused: false });
  expect(checkStrength('weak')?.zh).toContain('密码过于简单');
});
