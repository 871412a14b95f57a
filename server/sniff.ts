/**
 * What a file really is, read from its bytes: the few kinds a decision's dossier holds — PDF, Word
 * (.docx, and .doc's OLE container), Excel (.xlsx), OFD (GB/T 33190, China's fixed-layout
 * e-document), JPEG, PNG and UTF-8 text. A short magic-number table rather than a library:
 * `file-type` is ESM-only (this project and its Jest run are CommonJS), knows no OFD, and
 * cannot tell text; telling docx, xlsx and OFD apart needs only the zip's directory of names.
 */

export type FileKind = 'pdf' | 'docx' | 'xlsx' | 'ofd' | 'doc' | 'jpeg' | 'png' | 'text';

/** Each kind with its canonical media type and the declared types that name it. */
export const KINDS: Record<FileKind, { type: string; also: string[] }> = {
  pdf: { type: 'application/pdf', also: [] },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', also: ['application/zip'] },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', also: ['application/zip'] },
  ofd: { type: 'application/ofd', also: ['application/x-ofd', 'application/zip'] },
  // The OLE container is shared by .doc and .xls; both are common in government files.
  doc: { type: 'application/msword', also: ['application/vnd.ms-excel'] },
  jpeg: { type: 'image/jpeg', also: ['image/jpg', 'image/pjpeg'] },
  png: { type: 'image/png', also: [] },
  text: { type: 'text/plain', also: [] },
};

/** Declared types that say nothing (a browser that does not know .ofd sends one of these). */
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

const startsWith = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/** The names in a zip's central directory (at most `max`), or null when it is not a readable zip. */
function zipNames(b: Buffer, max = 2000): string[] | null {
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  const floor = Math.max(0, b.length - 65_557);
  let eocd = -1;
  for (let i = b.length - 22; i >= floor; i--)
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && n < max; n++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) return names.length ? names : null;
    const nameLength = b.readUInt16LE(at + 28);
    const extra = b.readUInt16LE(at + 30);
    const comment = b.readUInt16LE(at + 32);
    names.push(b.toString('utf8', at + 46, Math.min(b.length, at + 46 + nameLength)));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

function zipKind(b: Buffer): FileKind | null {
  const names = zipNames(b);
  if (!names) return null;
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (names.some((n) => n === 'OFD.xml' || n.endsWith('/OFD.xml'))) return 'ofd';
  return null;
}

/** UTF-8 text: decodes strictly, and holds no control characters but tab, line and page breaks. */
function isText(b: Buffer): boolean {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(s);
}

/** The kind of file these bytes are, or null for anything the dossier does not take. */
export function sniff(b: Buffer): FileKind | null {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'doc';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return zipKind(b);
  return isText(b) ? 'text' : null;
}

/**
 * The media type to store for a file declared as `declared`: the declared one when the bytes agree
 * (keeping a text charset), the sniffed one when the declaration said nothing; else why not.
 */
export function checkedType(declared: string, bytes: Buffer): { type: string } | { refused: string } {
  const kind = sniff(bytes);
  const essence = declared.split(';')[0].trim().toLowerCase();
  if (!kind) return { refused: 'not a file type the dossier accepts (PDF, Word, Excel, OFD, JPEG, PNG or UTF-8 text)' };
  const k = KINDS[kind];
  if (GENERIC.has(essence)) return { type: k.type };
  if (essence === k.type || k.also.includes(essence)) return { type: kind === 'text' ? declared : k.type };
  return { refused: `declared ${essence}, but the content is ${k.type}` };
}
