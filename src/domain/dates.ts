/**
 * Calendar dates as plain `YYYY-MM-DD` strings. Improvement plans care about days, not instants, and a day is only
 * meaningful in a time zone, so every conversion from an instant names the zone.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Plans hold a few thousand distinct dates and every sweep and click computes rules for thousands of tasks, so the
 * pure conversions below remember their answers (bounded, cleared when full).
 */
function remembered<T>(limit = 50_000) {
  const cache = new Map<string, T>();
  return (key: string, compute: () => T): T => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= limit) cache.clear();
      cache.set(key, (value = compute()));
    }
    return value;
  };
}

const utcMs = remembered<number>();

function toUtcMs(date: IsoDate): number {
  return utcMs(date, () => {
    if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
    return Date.parse(`${date}T00:00:00Z`);
  });
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

// Building an Intl.DateTimeFormat costs far more than using one; lists of thousands of tasks format every date.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

function formatOnce(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) cache.set(timeZone, (format = make()));
  return format;
}

/** The calendar date an instant falls on in a time zone. */
const localDates = remembered<IsoDate>();

export function localDateOf(instant: Date | string, timeZone: string): IsoDate {
  if (typeof instant === 'string') return localDates(`${timeZone}|${instant}`, () => localDateOfInstant(new Date(instant), instant, timeZone));
  return localDateOfInstant(instant, instant, timeZone);
}

function localDateOfInstant(at: Date, instant: Date | string, timeZone: string): IsoDate {
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  // en-CA formats as YYYY-MM-DD.
  return formatOnce(dayFormats, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(at);
}

/** Minutes the zone is ahead of UTC at an instant (60 in British Summer Time, 0 in GMT). */
export function utcOffsetMinutes(at: Date, timeZone: string): number {
  const parts = formatOnce(partFormats, timeZone, () => new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  })).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The UTC instant of local midnight starting `date` in `timeZone`. SharePoint stores a date-only column as site-local
 * midnight, so 31 March in London (BST) is `2024-03-30T23:00:00Z`.
 */
export function startOfLocalDay(date: IsoDate, timeZone: string): string {
  const guess = toUtcMs(date);
  let offset = utcOffsetMinutes(new Date(guess), timeZone);
  let instant = guess - offset * 60_000;
  // The offset at the real instant can differ from the guess's when a clock change lies between them.
  offset = utcOffsetMinutes(new Date(instant), timeZone);
  instant = guess - offset * 60_000;
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "31 Mar 2024": unambiguous to UK and US readers alike. */
export function formatDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}
