import Holidays from 'date-holidays';
import { addDays, dayOfWeek, type IsoDate } from './dates.js';

// England and Wales share one set of bank holidays; date-holidays models them as GB-ENG "public" days.
const englandAndWales = new Holidays('GB', 'ENG');

export function bankHolidayName(date: IsoDate): string | undefined {
  const found = englandAndWales.isHoliday(new Date(`${date}T12:00:00Z`));
  if (!found) return undefined;
  return found.find((h) => h.type === 'public' || h.type === 'bank')?.name;
}

/** Why `date` is not a working day, or undefined when it is one. */
export function nonWorkingReason(date: IsoDate): string | undefined {
  const dow = dayOfWeek(date);
  if (dow === 0) return 'Sunday';
  if (dow === 6) return 'Saturday';
  const holiday = bankHolidayName(date);
  return holiday ? `bank holiday (${holiday})` : undefined;
}

export function isWorkingDay(date: IsoDate): boolean {
  return nonWorkingReason(date) === undefined;
}

/** Working days after `from` up to and including `to` (0 when `to` is not later). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count += 1;
  return count;
}
