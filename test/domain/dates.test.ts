import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatDate, isIsoDate, localDateOf, startOfLocalDay, utcOffsetMinutes } from '../../src/domain/dates.js';
import { bankHolidayName, isWorkingDay, nonWorkingReason } from '../../src/domain/working-days.js';

describe('calendar dates', () => {
  it('rejects impossible dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('31/03/2024')).toBe(false);
  });

  it('counts days across month, year and clock changes', () => {
    expect(daysBetween('2024-03-30', '2024-04-01')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2); // BST ends 25 Oct 2026
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(formatDate('2024-03-31')).toBe('31 Mar 2024');
  });

  it('knows which London day an instant falls on either side of midnight in BST and GMT', () => {
    expect(localDateOf('2024-03-30T23:00:00Z', 'Europe/London')).toBe('2024-03-30'); // GMT still: 23:00
    expect(localDateOf('2024-06-30T23:30:00Z', 'Europe/London')).toBe('2024-07-01'); // BST: 00:30 next day
    expect(localDateOf('2024-12-31T23:30:00Z', 'Europe/London')).toBe('2024-12-31');
  });

  it('stores a date-only column as site-local midnight, like SharePoint', () => {
    expect(startOfLocalDay('2024-03-31', 'Europe/London')).toBe('2024-03-31T00:00:00Z'); // clocks go forward at 01:00
    expect(startOfLocalDay('2024-04-01', 'Europe/London')).toBe('2024-03-31T23:00:00Z');
    expect(startOfLocalDay('2024-10-27', 'Europe/London')).toBe('2024-10-26T23:00:00Z');
    expect(startOfLocalDay('2024-10-28', 'Europe/London')).toBe('2024-10-28T00:00:00Z');
    expect(utcOffsetMinutes(new Date('2024-07-01T12:00:00Z'), 'Europe/London')).toBe(60);
    for (const d of ['2024-03-31', '2024-04-01', '2024-10-27', '2024-10-28', '2025-01-15'])
      expect(localDateOf(startOfLocalDay(d, 'Europe/London'), 'Europe/London')).toBe(d);
  });
});

describe('working days (England and Wales)', () => {
  it('skips weekends', () => {
    expect(nonWorkingReason('2026-11-21')).toBe('Saturday');
    expect(nonWorkingReason('2026-11-22')).toBe('Sunday');
    expect(isWorkingDay('2026-11-23')).toBe(true);
  });

  it('skips bank holidays, including substitute days', () => {
    expect(bankHolidayName('2026-12-25')).toBe('Christmas Day');
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day falls on a Saturday: substitute Monday
    expect(isWorkingDay('2026-08-31')).toBe(false); // Summer bank holiday (England, not Scotland)
    expect(isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay('2026-03-17')).toBe(true); // St Patrick's Day is not an England & Wales bank holiday
    expect(isWorkingDay('2026-11-30')).toBe(true); // St Andrew's Day likewise
  });
});
