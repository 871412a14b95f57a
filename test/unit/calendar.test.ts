/** The working-day calendar: statutory holidays, make-up workdays, Civil Code Arts. 201/203, unloaded years, the loader. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCalendar } from '../../definitions/calendars';
import {
  addCalendarDays,
  addWorkingDays,
  formatIsoDate,
  isIsoDate,
  isWorkingDay,
  makeCalendar,
  parseIsoDate,
  workingDaysBetween,
  type CalendarYear,
  type WorkingCalendar,
} from '../../workflows/calendar';

const cal: WorkingCalendar = loadCalendar();
const only2026 = makeCalendar([cal.years['2026']]);

describe('ISO dates', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(['2026-02-28', '2024-02-29', '2000-02-29'].map(isIsoDate)).toEqual([true, true, true]);
    expect(['2026-02-29', '1900-02-29', '2026-13-01', '2026-2-3', '2026-04-31', '2026-01-01T00:00', ''].map(isIsoDate)).toEqual([false, false, false, false, false, false, false]);
  });

  it('parses and formats day numbers both ways', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(parseIsoDate('2026-10-01')).toBe(Date.UTC(2026, 9, 1) / 86_400_000);
    expect(formatIsoDate(parseIsoDate('2028-02-29') + 1)).toBe('2028-03-01');
    expect(formatIsoDate(-1)).toBe('1969-12-31');
    expect(() => parseIsoDate('2026-02-30')).toThrow(RangeError);
  });
});

describe('loaded notices (2025, 2026)', () => {
  it('loads one year per cn-YYYY.json, every holiday date listed', () => {
    expect(Object.keys(cal.years).sort()).toEqual(['2025', '2026']);
    // 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28 holidays, 5 make-up days; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33, 6 make-up days.
    expect([cal.years['2025'].holidays.length, cal.years['2025'].makeUpWorkdays.length]).toEqual([28, 5]);
    expect([cal.years['2026'].holidays.length, cal.years['2026'].makeUpWorkdays.length]).toEqual([33, 6]);
  });

  it('2026 National Day holiday (1–7 Oct) is a rest day, weekdays included', () => {
    expect(isWorkingDay(cal, '2026-10-01')).toEqual({ working: false, approximate: false, holiday: '国庆节' }); // Thursday
    expect(isWorkingDay(cal, '2026-10-07')).toEqual({ working: false, approximate: false, holiday: '国庆节' }); // Wednesday
    expect(isWorkingDay(cal, '2026-10-08')).toEqual({ working: true, approximate: false }); // Thursday
  });

  it('2026-10-10, a Saturday make-up workday, is a working day', () => {
    expect(isWorkingDay(cal, '2026-10-10')).toEqual({ working: true, approximate: false });
    expect(isWorkingDay(cal, '2026-10-11')).toEqual({ working: false, approximate: false }); // ordinary Sunday
  });

  it('2026-01-04, a Sunday make-up workday after New Year, is a working day', () => {
    expect(isWorkingDay(cal, '2026-01-04')).toEqual({ working: true, approximate: false });
    expect(isWorkingDay(cal, '2026-01-02')).toEqual({ working: false, approximate: false, holiday: '元旦' }); // Friday
  });

  it('2025 rules: 8-day National Day + Mid-Autumn, make-up Saturday 11 Oct', () => {
    expect(isWorkingDay(cal, '2025-10-08').working).toBe(false);
    expect(isWorkingDay(cal, '2025-10-11').working).toBe(true);
    expect(isWorkingDay(cal, '2025-09-28').working).toBe(true); // Sunday make-up
  });
});

describe('working-day periods (Civil Code Art. 201; Decree 713 Art. 26)', () => {
  it('the start day is not counted', () => {
    // 2026-03-02 is a Monday: 1 working day later is Tuesday 03-03, not Monday itself.
    expect(addWorkingDays(cal, '2026-03-02', 1)).toEqual({ date: '2026-03-03', approximate: false, notes: [] });
    // Starting on Friday 2026-03-06: Sat/Sun skipped, 1st working day is Monday 03-09.
    expect(addWorkingDays(cal, '2026-03-06', 1).date).toBe('2026-03-09');
    expect(addWorkingDays(cal, '2026-03-02', 0).date).toBe('2026-03-02');
    expect(workingDaysBetween(cal, '2026-03-02', '2026-03-02').count).toBe(0);
    expect(workingDaysBetween(cal, '2026-03-02', '2026-03-03').count).toBe(1);
  });

  it('7 working days from 2026-09-28 land on 2026-10-13, across Mid-Autumn/National Day', () => {
    // Start Mon 09-28 (not counted). Tue 09-29 = 1, Wed 09-30 = 2, 10-01..10-07 holiday,
    // Thu 10-08 = 3, Fri 10-09 = 4, Sat 10-10 (make-up) = 5, Sun 10-11 rest, Mon 10-12 = 6, Tue 10-13 = 7.
    expect(addWorkingDays(cal, '2026-09-28', 7)).toEqual({ date: '2026-10-13', approximate: false, notes: [] });
    expect(workingDaysBetween(cal, '2026-09-28', '2026-10-13').count).toBe(7);
  });

  it('a period that crosses 2025 into 2026 is exact when both years are loaded', () => {
    // Start Mon 2025-12-29. Tue 12-30 = 1, Wed 12-31 = 2, 01-01..01-03 holiday, Sun 01-04 (make-up) = 3, Mon 01-05 = 4.
    expect(addWorkingDays(cal, '2025-12-29', 4)).toEqual({ date: '2026-01-05', approximate: false, notes: [] });
  });

  it('workingDaysBetween across Spring Festival 2026', () => {
    // (Fri 02-13, Fri 02-27]: Sat 02-14 make-up = 1, 02-15..02-23 holiday, Tue 02-24..Fri 02-27 = 4 → 5.
    expect(workingDaysBetween(cal, '2026-02-13', '2026-02-27')).toEqual({ count: 5, approximate: false, notes: [] });
    // Whole of February (Sun 02-01 not counted): 20 weekdays − 6 holiday weekdays (16–20, 23) + 2 make-up Saturdays (14, 28) = 16.
    expect(workingDaysBetween(cal, '2026-02-01', '2026-02-28').count).toBe(16);
  });

  it('end <= start counts 0', () => {
    expect(workingDaysBetween(cal, '2026-10-13', '2026-09-28')).toEqual({ count: 0, approximate: false, notes: [] });
  });
});

describe('calendar-day periods (Civil Code Art. 203)', () => {
  it('a period ending on a holiday rolls to the next working day', () => {
    // 2026-09-01 + 30 days = 2026-10-01 (September has 30 days) — National Day; 10-02..10-07 also holiday → Thu 10-08.
    expect(addCalendarDays(cal, '2026-09-01', 30)).toEqual({ date: '2026-10-08', approximate: false, notes: [], rolledFrom: '2026-10-01' });
  });

  it('a period ending on an ordinary weekend rolls to Monday', () => {
    // 2026-03-02 + 5 = Sat 03-07 → Mon 03-09.
    expect(addCalendarDays(cal, '2026-03-02', 5)).toEqual({ date: '2026-03-09', approximate: false, notes: [], rolledFrom: '2026-03-07' });
  });

  it('a period ending on a make-up Saturday does not roll', () => {
    // 2026-09-10 + 30 = 2026-10-10, a make-up workday.
    expect(addCalendarDays(cal, '2026-09-10', 30)).toEqual({ date: '2026-10-10', approximate: false, notes: [] });
  });

  it('the start day is not counted', () => {
    expect(addCalendarDays(cal, '2026-03-02', 1).date).toBe('2026-03-03');
  });
});

describe('years not loaded: weekends only, approximate, with a note', () => {
  it('a working-day period reaching into 2027 is approximate', () => {
    // Start Mon 2026-12-28. Tue 12-29 = 1, Wed 12-30 = 2, Thu 12-31 = 3, Fri 2027-01-01 = 4 (weekends only),
    // Sat/Sun skipped, Mon 2027-01-04 = 5.
    expect(addWorkingDays(cal, '2026-12-28', 5)).toEqual({ date: '2027-01-04', approximate: true, notes: ['calendar for 2027 not loaded'] });
  });

  it('a calendar-day period ending in 2027 is approximate; one merely passing through is not', () => {
    expect(addCalendarDays(cal, '2026-12-01', 31)).toEqual({ date: '2027-01-01', approximate: true, notes: ['calendar for 2027 not loaded'] });
    expect(addCalendarDays(only2026, '2024-12-31', 400)).toEqual({ date: '2026-02-04', approximate: false, notes: [] });
  });

  it('one note per unloaded year, in order', () => {
    // (2026-12-31, 2028-01-03]: 2027 starts on a Friday and has 365 days → 261 weekdays; 2028-01-03 (Mon) adds 1.
    expect(workingDaysBetween(cal, '2026-12-31', '2028-01-03')).toEqual({ count: 262, approximate: true, notes: ['calendar for 2027 not loaded', 'calendar for 2028 not loaded'] });
  });

  it('isWorkingDay in an unloaded year uses weekends only', () => {
    expect(isWorkingDay(cal, '2027-01-01')).toEqual({ working: true, approximate: true });
    expect(isWorkingDay(cal, '2027-01-02')).toEqual({ working: false, approximate: true });
    expect(isWorkingDay(only2026, '2025-10-01')).toEqual({ working: true, approximate: true }); // 2025 not in only2026
  });
});

describe('guards', () => {
  it('refuses absurd or malformed input', () => {
    expect(() => addWorkingDays(cal, '2026-01-05', 3651)).toThrow(RangeError);
    expect(() => addCalendarDays(cal, '2026-01-05', -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2026-01-05', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2026/01/05', 1)).toThrow(RangeError);
    expect(() => workingDaysBetween(cal, '1900-01-01', '2026-01-01')).toThrow(RangeError);
    expect(addWorkingDays(cal, '2026-01-05', 3650).approximate).toBe(true);
  });

  it('makeCalendar refuses a year given twice', () => {
    expect(() => makeCalendar([cal.years['2026'], cal.years['2026']])).toThrow('calendar for 2026 given twice');
  });
});

describe('loader (definitions/calendars.ts)', () => {
  const good: CalendarYear = {
    year: 2026,
    source: 'test notice',
    holidays: [{ date: '2026-10-01', name: '国庆节' }],
    makeUpWorkdays: [{ date: '2026-10-10', name: '国庆节调休上班' }],
  };
  const dirs: string[] = [];
  const dirWith = (files: Record<string, unknown>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-cal-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('loads a well-formed folder, ignoring files not named cn-*.json', () => {
    const c = loadCalendar(dirWith({ 'cn-2026.json': good, 'README.md': 'x' }));
    expect(Object.keys(c.years)).toEqual(['2026']);
    expect(isWorkingDay(c, '2026-10-01').working).toBe(false);
  });

  it('refuses a date that is both a holiday and a make-up workday', () => {
    const dir = dirWith({ 'cn-2026.json': { ...good, makeUpWorkdays: [{ date: '2026-10-01', name: 'x' }] } });
    expect(() => loadCalendar(dir)).toThrow(/cn-2026\.json.*makeUpWorkdays\[0\]\.date: 2026-10-01 is both a holiday and a make-up workday/);
  });

  it("refuses a date outside the file's year", () => {
    const dir = dirWith({ 'cn-2026.json': { ...good, holidays: [{ date: '2027-01-01', name: '元旦' }] } });
    expect(() => loadCalendar(dir)).toThrow(/cn-2026\.json.*holidays\[0\]\.date: 2027-01-01 is outside the file's year 2026/);
  });

  it('refuses a malformed date', () => {
    const dir = dirWith({ 'cn-2026.json': { ...good, holidays: [{ date: '2026-10-1', name: '国庆节' }] } });
    expect(() => loadCalendar(dir)).toThrow(/cn-2026\.json.*holidays\[0\]\.date: must be a real date written YYYY-MM-DD/);
  });

  it('refuses a make-up workday on a weekday, a missing field, bad JSON and a mismatched file name', () => {
    expect(() => loadCalendar(dirWith({ 'cn-2026.json': { ...good, makeUpWorkdays: [{ date: '2026-10-09', name: 'x' }] } }))).toThrow(/makeUpWorkdays\[0\]\.date: 2026-10-09 is a weekday/);
    expect(() => loadCalendar(dirWith({ 'cn-2026.json': { ...good, source: undefined } }))).toThrow(/cn-2026\.json is invalid: source:/);
    expect(() => loadCalendar(dirWith({ 'cn-2026.json': '{ "year": 2026,' }))).toThrow(/cn-2026\.json: cannot read JSON/);
    expect(() => loadCalendar(dirWith({ 'cn-2025.json': good }))).toThrow(/cn-2025\.json: year: 2026 does not match the file name/);
  });

  it('refuses an empty folder', () => {
    expect(() => loadCalendar(dirWith({}))).toThrow(/no calendar files/);
  });
});
