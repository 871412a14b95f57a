/**
 * Tables streamed to the client as Excel (.xlsx) or CSV, row by row as they are read, so an
 * export of any size holds only a batch in memory. Excel through exceljs's streaming workbook
 * writer (the most used Node library that writes .xlsx as a stream; SheetJS's npm release is
 * years old and its current one is not on the npm registry); CSV is written here: UTF-8 with a
 * byte-order mark, which Excel on a Chinese Windows needs to read it as UTF-8, and RFC 4180
 * quoting. Times are written as China time text, the way the workspace shows them.
 */
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { contentDisposition } from './files';

export type Cell = string | number | boolean | null | undefined;

export interface Table {
  name: string;
  columns: { header: string; width?: number }[];
  rows: AsyncIterable<Cell[]>;
}

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Excel caps a cell at 32,767 characters. */
const CELL_MAX = 32_000;

/** China time as the workspace writes it: 2026-03-02 14:05. */
export function chinaTime(t: Date | number | null | undefined): string {
  if (t === null || t === undefined) return '';
  const ms = typeof t === 'number' ? t : t.getTime();
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A CSV cell: quoted when it must be, and a text that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR at its start) is led by an apostrophe, so an export never runs what
 * someone typed into a record (CSV injection).
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v.slice(0, CELL_MAX) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Write and wait while the client is slower than the store. */
async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', done);
      res.off('close', closed);
      if (err) reject(err);
      else resolve();
    };
    const closed = () => done(new Error('the client went away'));
    res.on('drain', done);
    res.on('close', closed);
  });
}

async function streamCsv(res: Response, table: Table): Promise<void> {
  await write(res, `\ufeff${table.columns.map((c) => csvCell(c.header)).join(',')}\r\n`);
  for await (const row of table.rows) await write(res, `${row.map(csvCell).join(',')}\r\n`);
  res.end();
}

async function streamXlsx(res: Response, tables: Table[]): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  for (const table of tables) {
    const sheet = book.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const row of table.rows) sheet.addRow(row.map((v) => (typeof v === 'string' ? v.slice(0, CELL_MAX) : (v ?? null)))).commit();
    sheet.commit();
  }
  await book.commit();
}

/**
 * Send tables as a download: every table as a sheet of one workbook, or the first as CSV. Once
 * the first bytes are out a failure cannot become an error answer: the connection is cut, so the
 * client sees a broken download rather than a short file that looks whole.
 */
export async function sendTables(res: Response, format: ExportFormat, basename: string, tables: Table[]): Promise<void> {
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', contentDisposition(`${basename}.${format}`));
  res.setHeader('Cache-Control', 'no-store');
  try {
    if (format === 'csv') await streamCsv(res, tables[0]);
    else await streamXlsx(res, tables);
  } catch (err) {
    res.destroy(err as Error);
  }
}
