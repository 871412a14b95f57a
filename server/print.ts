/**
 * Server-rendered pages to read and print without the workspace: the public catalogue, the
 * 决策案卷 and the 合法性审查意见书. Each is one self-contained HTML document (it also goes into the
 * archive package, opened from disk), its one <style> element allowed by its hash in the page's
 * own Content-Security-Policy: nothing else inline, no script at all.
 */
import crypto from 'node:crypto';
import type { Response } from 'express';

/** Escape text for HTML element content and attribute values. */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Print styles shared by every page: A4, 仿宋/宋体 body text, tables with rules, no colour needed. */
export const PRINT_CSS = `
@page { size: A4; margin: 25mm 22mm 22mm 25mm; }
* { box-sizing: border-box; }
body { font-family: "FangSong", "仿宋", "STFangsong", "SimSun", "宋体", "Noto Serif CJK SC", serif; font-size: 16px; line-height: 1.7; color: #000; margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 1.6rem; text-align: center; margin: 1.2rem 0 .4rem; letter-spacing: .1em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 1.15rem; margin: 1.4rem 0 .4rem; border-bottom: 1px solid #000; }
h3 { font-size: 1rem; margin: 1rem 0 .2rem; }
p.number, p.meta { text-align: center; margin: 0 0 1rem; }
p.body { text-indent: 2em; }
p.en, span.en { color: #444; font-size: .85em; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #000; padding: .25rem .4rem; vertical-align: top; text-align: left; word-break: break-all; }
th { background: #eee; }
.flag { font-weight: bold; }
.sign { margin-top: 2.5rem; text-align: right; }
.muted { color: #555; }
pre { white-space: pre-wrap; font-family: inherit; margin: 0; }
footer { margin-top: 2rem; font-size: .8rem; color: #555; border-top: 1px solid #999; }
@media (max-width: 480px) { body { font-size: 15px; padding: .5rem; } table { font-size: .8rem; } th, td { padding: .2rem; } }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } .noprint { display: none; } }
`;

/** A whole page: its title, body HTML and the print styles. */
export function page(title: string, body: string, lang = 'zh-CN'): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PRINT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const STYLE_HASH = `'sha256-${crypto.createHash('sha256').update(PRINT_CSS, 'utf8').digest('base64')}'`;

/** Send a page with a policy allowing exactly its own style element and nothing else inline. */
export function sendPage(res: Response, html: string, filename?: string): void {
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
  if (filename) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.type('html').send(html);
}

/** A download with a UTF-8 file name (RFC 6266/5987). */
export function sendDownload(res: Response, body: Buffer | string, type: string, filename: string): void {
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.type(type).send(body);
}

/** A China date (yyyy-mm-dd) as 2026年3月5日. */
export function zhDate(d: string | Date | number | null | undefined): string {
  if (d === null || d === undefined) return '';
  const iso = typeof d === 'string' ? d : new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** A moment in China time, to the minute. */
export function zhTime(d: Date | number | string | null | undefined): string {
  if (d === null || d === undefined) return '';
  const iso = new Date(new Date(d).getTime() + 8 * 3600_000).toISOString();
  return `${zhDate(iso)} ${iso.slice(11, 16)}`;
}
