/** A daily window, in local time, when nobody is messaged ("19:00"–"07:00" wraps past midnight). */
export interface QuietHours {
  start: string;
  end: string;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** The local time of day, "HH:MM", of an instant in a time zone. */
export function localTimeOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

export function isQuiet(localTime: string, window: QuietHours | undefined): boolean {
  if (!window) return false;
  const [t, s, e] = [minutes(localTime), minutes(window.start), minutes(window.end)];
  return s <= e ? t >= s && t < e : t >= s || t < e;
}
