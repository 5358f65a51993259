import { addDays, isIsoDate, type IsoDate } from './dates.js';

/**
 * Dates as registers write them. A month-only date means the end of that month; UK fiscal quarters end on
 * 30 Jun / 30 Sep / 31 Dec / 31 Mar. Anything else is kept as text and flagged — never guessed.
 */
export type RegisterDate = { kind: 'date'; date: IsoDate } | { kind: 'none' } | { kind: 'unreadable'; text: string };

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

function year(text: string): number {
  const n = Number(text);
  return text.length === 2 ? 2000 + n : n;
}

/** The last day of a month: what a register's month-only date means. */
export function endOfMonth(y: number, m: number): IsoDate {
  return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`, -1);
}

function dateOf(y: number, m: number, d: number): IsoDate | undefined {
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  return isIsoDate(iso) ? iso : undefined;
}

export function parseRegisterDate(raw: string | undefined | null): RegisterDate {
  const text = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return { kind: 'none' };
  const unreadable: RegisterDate = { kind: 'unreadable', text };
  let m: RegExpExecArray | null;

  if ((m = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+Z?)?$/.exec(text))) {
    const d = dateOf(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { kind: 'date', date: d } : unreadable;
  }
  // 01/12/23, 21.03.2024, 1-3-24: UK day-first.
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text))) {
    const d = dateOf(year(m[3]!), Number(m[2]), Number(m[1]));
    return d ? { kind: 'date', date: d } : unreadable;
  }
  // 30-Nov-23, 31st march 2024, 1 Sept 2024
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?,?[ -](\d{2}|\d{4})$/.exec(text))) {
    const month = MONTHS[m[2]!.toLowerCase()];
    const d = month ? dateOf(year(m[3]!), month, Number(m[1])) : undefined;
    return d ? { kind: 'date', date: d } : unreadable;
  }
  // Mar-24, Dec 23, Sept 2024, March 2024: the end of the month.
  if ((m = /^([A-Za-z]+)\.?[ '-](\d{2}|\d{4})$/.exec(text))) {
    const month = MONTHS[m[1]!.toLowerCase()];
    return month ? { kind: 'date', date: endOfMonth(year(m[2]!), month) } : unreadable;
  }
  // Q4 2022/23: UK fiscal year April–March, so Q4 ends 31 March 2023.
  if ((m = /^Q([1-4])\s*(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$/i.exec(text))) {
    const q = Number(m[1]);
    const start = Number(m[2]);
    if (year(m[3]!) !== start + 1 && Number(m[3]) !== (start + 1) % 100) return unreadable;
    const [y, month] = q === 4 ? [start + 1, 3] : [start, 3 + q * 3];
    return { kind: 'date', date: endOfMonth(y, month) };
  }
  return unreadable;
}
