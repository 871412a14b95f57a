/**
 * The working-day calendar: China's statutory holidays and make-up working days (调休上班),
 * as published each year by the State Council General Office (definitions/calendars/cn-YYYY.json).
 *
 * Runs inside the Temporal workflow sandbox, so this file is PURE: no Node built-ins, no I/O,
 * no clock. Dates are ISO `YYYY-MM-DD` strings; arithmetic is done on whole days since
 * 1970-01-01 with integer civil-date conversion (no time zones involved).
 *
 * Counting rules (Decree 713 has none of its own; shared/domain/procedure-research.md, "Time units"):
 *  - Civil Code Art. 201: the start day is not counted.
 *  - Civil Code Art. 203: if the last day of a period is a statutory rest day, the period ends on
 *    the first working day after it.
 *  - "工作日" periods (e.g. Decree 713 Art. 26, legality review "一般不少于7个工作日") count working
 *    days only: weekends are rest days unless listed as make-up workdays; listed holidays are rest days.
 *
 * A day in a year whose calendar is not loaded is judged by weekends only; every result that
 * examined such a day is flagged `approximate` with the note "calendar for YYYY not loaded".
 */

/** A named day in a year's calendar (a holiday or a make-up workday). */
export interface CalendarDay {
  date: string;
  name: string;
}

/** One year's notice: every holiday and make-up workday listed explicitly. */
export interface CalendarYear {
  year: number;
  source: string;
  holidays: CalendarDay[];
  makeUpWorkdays: CalendarDay[];
}

/** Plain data, passed into workflows as input. */
export interface WorkingCalendar {
  years: Record<string, CalendarYear>;
}

/** A period's end date; `approximate` (with `notes`) when a day examined lies in a year not loaded. */
export interface PeriodResult {
  date: string;
  approximate: boolean;
  notes: string[];
  /** Only when Civil Code Art. 203 moved the end: the nominal last day, which was a rest day. */
  rolledFrom?: string;
}

/** A count of working days; `approximate` (with `notes`) when a day counted lies in a year not loaded. */
export interface CountResult {
  count: number;
  approximate: boolean;
  notes: string[];
}

/** Largest n accepted by addWorkingDays / addCalendarDays (about ten years). */
export const MAX_PERIOD = 3650;

/** Largest span, in calendar days, accepted by workingDaysBetween (about a hundred years). */
export const MAX_SPAN_DAYS = 36525;

/** Longest run of consecutive rest days tolerated when rolling forward (guards against corrupt data). */
const MAX_ROLL_DAYS = 366;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** True for a real calendar date written `YYYY-MM-DD` (years 0001–9999). */
export function isIsoDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Parses `YYYY-MM-DD` into whole days since 1970-01-01 (negative before); throws RangeError if invalid. */
export function parseIsoDate(s: string): number {
  if (!isIsoDate(s)) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(s)}`);
  const [y, m, d] = s.split('-').map(Number);
  // days_from_civil (H. Hinnant), proleptic Gregorian, exact for all years.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Formats whole days since 1970-01-01 as `YYYY-MM-DD`; throws RangeError outside years 0001–9999. */
export function formatIsoDate(days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`not a whole day number: ${days}`);
  // civil_from_days (H. Hinnant).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) throw new RangeError(`date out of range (years 0001–9999): day ${days}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Day of week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Builds the calendar from year records; throws on a duplicate year or a malformed date. */
export function makeCalendar(years: CalendarYear[]): WorkingCalendar {
  const out: Record<string, CalendarYear> = {};
  for (const y of years) {
    const key = String(y.year);
    if (!Number.isInteger(y.year)) throw new Error(`calendar year is not an integer: ${JSON.stringify(y.year)}`);
    if (out[key]) throw new Error(`calendar for ${key} given twice`);
    for (const d of [...y.holidays, ...y.makeUpWorkdays]) {
      if (!isIsoDate(d.date) || !d.date.startsWith(`${key}-`)) throw new Error(`calendar for ${key}: bad date ${JSON.stringify(d.date)}`);
    }
    out[key] = y;
  }
  return { years: out };
}

interface DayInfo {
  working: boolean;
  approximate: boolean;
  holiday?: string;
  /** Set when the day's year is not loaded. */
  missingYear?: string;
}

/** A per-call classifier with the year lookups indexed once (the input stays plain data). */
function classifier(cal: WorkingCalendar): (days: number, iso: string) => DayInfo {
  const index = new Map<string, { holidays: Map<string, string>; makeUp: Set<string> } | null>();
  const yearIndex = (key: string) => {
    let ix = index.get(key);
    if (ix === undefined) {
      const y = cal.years[key];
      ix = y ? { holidays: new Map(y.holidays.map((h) => [h.date, h.name])), makeUp: new Set(y.makeUpWorkdays.map((d) => d.date)) } : null;
      index.set(key, ix);
    }
    return ix;
  };
  return (days, iso) => {
    const key = String(Number(iso.slice(0, 4)));
    const weekend = weekday(days) === 0 || weekday(days) === 6;
    const ix = yearIndex(key);
    if (!ix) return { working: !weekend, approximate: true, missingYear: key };
    const holiday = ix.holidays.get(iso);
    // A listed holiday is a rest day even if (in corrupt data) also listed as a make-up day.
    if (holiday !== undefined) return { working: false, approximate: false, holiday };
    if (ix.makeUp.has(iso)) return { working: true, approximate: false };
    return { working: !weekend, approximate: false };
  };
}

/** Collects "calendar for YYYY not loaded" notes, once per year, in the order met. */
function noteCollector() {
  const notes: string[] = [];
  const seen = new Set<string>();
  return {
    notes,
    see(info: DayInfo) {
      if (info.missingYear && !seen.has(info.missingYear)) {
        seen.add(info.missingYear);
        notes.push(`calendar for ${info.missingYear} not loaded`);
      }
    },
  };
}

function checkN(n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: n must be a whole number ≥ 0, got ${n}`);
  if (n > MAX_PERIOD) throw new RangeError(`${fn}: n = ${n} exceeds ${MAX_PERIOD}`);
}

/** Whether a date is a working day; weekend-only and `approximate` when its year is not loaded. */
export function isWorkingDay(cal: WorkingCalendar, date: string): { working: boolean; approximate: boolean; holiday?: string } {
  const info = classifier(cal)(parseIsoDate(date), date);
  return info.holiday !== undefined ? { working: info.working, approximate: info.approximate, holiday: info.holiday } : { working: info.working, approximate: info.approximate };
}

/**
 * Civil Code Art. 201: the start day is not counted; the result is the n-th working day after start.
 * Used for "工作日" periods such as the legality review's 7 working days (Decree 713 Art. 26).
 * n = 0 returns start unchanged.
 */
export function addWorkingDays(cal: WorkingCalendar, start: string, n: number): PeriodResult {
  checkN(n, 'addWorkingDays');
  const classify = classifier(cal);
  const c = noteCollector();
  let day = parseIsoDate(start);
  let iso = start;
  // Art. 201: begin with the day after start.
  for (let counted = 0; counted < n; ) {
    day += 1;
    iso = formatIsoDate(day);
    const info = classify(day, iso);
    c.see(info);
    if (info.working) counted += 1;
  }
  return { date: iso, approximate: c.notes.length > 0, notes: c.notes };
}

/**
 * Calendar-day period: start + n days; if that day is a rest day (weekend that is not a make-up workday,
 * or a holiday), it rolls to the next working day (Civil Code Art. 203). Start is not counted (Art. 201).
 */
export function addCalendarDays(cal: WorkingCalendar, start: string, n: number): PeriodResult {
  checkN(n, 'addCalendarDays');
  const classify = classifier(cal);
  const c = noteCollector();
  let day = parseIsoDate(start) + n;
  const nominal = formatIsoDate(day);
  let iso = nominal;
  // Only the last day (and any day it rolls over) matters for a calendar-day period.
  for (let rolled = 0; ; rolled++) {
    const info = classify(day, iso);
    c.see(info);
    if (info.working) break;
    if (rolled >= MAX_ROLL_DAYS) throw new RangeError(`addCalendarDays: no working day within ${MAX_ROLL_DAYS} days after ${nominal}`);
    day += 1;
    iso = formatIsoDate(day);
  }
  const result: PeriodResult = { date: iso, approximate: c.notes.length > 0, notes: c.notes };
  if (iso !== nominal) result.rolledFrom = nominal;
  return result;
}

/** Working days in (start, end] — start not counted (Civil Code Art. 201), end counted. 0 when end <= start. */
export function workingDaysBetween(cal: WorkingCalendar, start: string, end: string): CountResult {
  const from = parseIsoDate(start);
  const to = parseIsoDate(end);
  if (to - from > MAX_SPAN_DAYS) throw new RangeError(`workingDaysBetween: span of ${to - from} days exceeds ${MAX_SPAN_DAYS}`);
  const classify = classifier(cal);
  const c = noteCollector();
  let count = 0;
  for (let day = from + 1; day <= to; day++) {
    const info = classify(day, formatIsoDate(day));
    c.see(info);
    if (info.working) count += 1;
  }
  return { count, approximate: c.notes.length > 0, notes: c.notes };
}
