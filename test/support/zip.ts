/** Read a ZIP (an archive package, an .xlsx) back into its entries, with yauzl. */
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** The UTF-8 name flag (bit 11) was set, so non-ASCII names read the same everywhere. */
  utf8: boolean;
}

export function readZip(buf: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks), utf8: (entry.generalPurposeBitFlag & 0x800) !== 0 });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
