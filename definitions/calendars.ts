/**
 * Loads the working-day calendar from definitions/calendars/cn-YYYY.json (one file per year, from the
 * State Council General Office's annual holiday notice). Runs OUTSIDE workflows: the result is plain
 * data passed into them as input. A new year is added by dropping in its cn-YYYY.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isIsoDate, makeCalendar, parseIsoDate, type CalendarYear, type WorkingCalendar } from '../workflows/calendar';

const FILE_PATTERN = /^cn-.*\.json$/;
const YEAR_FILE = /^cn-(\d{4})\.json$/;

const isoDate = z.string().refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

const calendarDay = z.strictObject({ date: isoDate, name: z.string().trim().min(1, 'must not be empty') });

/** Schema of one cn-YYYY.json file, with the cross-field rules of the notice. */
export const CalendarYearSchema = z
  .strictObject({
    year: z.number().int().min(1949).max(9999),
    source: z.string().trim().min(1, 'must name the notice'),
    holidays: z.array(calendarDay),
    makeUpWorkdays: z.array(calendarDay),
  })
  .superRefine((y, ctx) => {
    const holidayDates = new Set<string>();
    const lists = [
      ['holidays', y.holidays],
      ['makeUpWorkdays', y.makeUpWorkdays],
    ] as const;
    for (const [field, days] of lists) {
      const seen = new Set<string>();
      days.forEach((d, i) => {
        const p = [field, i, 'date'];
        if (!isIsoDate(d.date)) return; // already reported by the field schema
        if (!d.date.startsWith(`${y.year}-`)) ctx.addIssue({ code: 'custom', path: p, message: `${d.date} is outside the file's year ${y.year}` });
        if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path: p, message: `${d.date} is listed twice` });
        seen.add(d.date);
        if (field === 'holidays') holidayDates.add(d.date);
        else {
          if (holidayDates.has(d.date)) ctx.addIssue({ code: 'custom', path: p, message: `${d.date} is both a holiday and a make-up workday` });
          const wd = (((parseIsoDate(d.date) + 4) % 7) + 7) % 7;
          if (wd !== 0 && wd !== 6) ctx.addIssue({ code: 'custom', path: p, message: `${d.date} is a weekday; a make-up workday is always a Saturday or Sunday` });
        }
      });
    }
  });

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') || '(root)';
}

/** Reads and validates one calendar file; throws an Error naming the file and the field. */
export function loadCalendarFile(file: string): CalendarYear {
  const name = path.basename(file);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`calendar file ${file}: cannot read JSON: ${(e as Error).message}`, { cause: e });
  }
  const r = CalendarYearSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    throw new Error(`calendar file ${file} is invalid: ${issues}`);
  }
  const m = YEAR_FILE.exec(name);
  if (!m) throw new Error(`calendar file ${file}: name must be cn-YYYY.json`);
  if (Number(m[1]) !== r.data.year) throw new Error(`calendar file ${file}: year: ${r.data.year} does not match the file name`);
  return r.data;
}

/** Loads every cn-*.json in the folder into a WorkingCalendar; throws if none is found or any is invalid. */
export function loadCalendar(dir = path.join(__dirname, 'calendars')): WorkingCalendar {
  const files = fs
    .readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort();
  if (!files.length) throw new Error(`no calendar files (cn-YYYY.json) in ${dir}`);
  return makeCalendar(files.map((f) => loadCalendarFile(path.join(dir, f))));
}
