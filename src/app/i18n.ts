import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { formatDate } from '../domain/dates.js';
import type { Say } from '../domain/say.js';
import { packageRoot } from './paths.js';

/** The languages PlanPulse speaks: English, and Welsh for services under the Welsh Language Standards. */
export type Lang = 'en' | 'cy';

/** A Teams locale ("cy-GB", "en-US") as one of PlanPulse's languages: Welsh for any Welsh locale, else English. */
export function langOfLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('cy') ? 'cy' : 'en';
}

/** A resource file's entry: the text, or the text with a note that it still wants a native speaker's review. */
type Entry = string | { text: string; review?: boolean | string };

export const LOCALE_DIR = join(packageRoot, 'locales');

const loaded = new Map<Lang, Record<string, string>>();

/** Every string of a language, by key (ICU MessageFormat: `{name}`, `{n, plural, one {…} other {…}}`). */
export function resources(lang: Lang): Record<string, string> {
  let strings = loaded.get(lang);
  if (!strings) {
    const raw = JSON.parse(readFileSync(join(LOCALE_DIR, `${lang}.json`), 'utf8')) as Record<string, Entry>;
    strings = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('$')).map(([k, v]) => [k, typeof v === 'string' ? v : v.text]));
    loaded.set(lang, strings);
  }
  return strings;
}

const formats = new Map<string, IntlMessageFormat>();

/**
 * A string in the person's language with its values filled in. A key missing from the language is an error in the
 * resource files (the test renders every key in both), never shown to a person as a key: English stands in.
 */
export function t(lang: Lang, key: string, values: Record<string, string | number> = {}): string {
  const text = resources(lang)[key] ?? resources('en')[key];
  if (text === undefined) throw new Error(`No string "${key}" in locales/en.json`);
  const id = `${lang}\u0000${key}`;
  let format = formats.get(id);
  if (!format) formats.set(id, (format = new IntlMessageFormat(text, lang === 'cy' ? 'cy-GB' : 'en-GB', undefined, { ignoreTag: true })));
  return String(format.format(values));
}

/** A date as people write it in their language: "6 Sep 2026", "6 Medi 2026". */
export function dateIn(lang: Lang, iso: string): string {
  if (lang === 'en') return formatDate(iso);
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('cy-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * The strings of one card template (`tpl.<template>.<name>`) as its `t` object, each filled in with the card's own
 * top-level values, so a template says `${t.heading}` and holds no words of its own.
 */
export function templateStrings(template: string, lang: Lang, data: object): Record<string, string> {
  const prefix = `tpl.${template}.`;
  const values = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>;
  return Object.fromEntries(Object.keys(resources('en')).filter((k) => k.startsWith(prefix)).map((k) => [k.slice(prefix.length), t(lang, k, values)]));
}

/** The domain's way of wording things (`Say`), in one language. */
export function sayIn(lang: Lang): Say {
  return Object.assign((key: string, values?: Record<string, string | number>) => t(lang, key, values), { date: (iso: string) => dateIn(lang, iso) });
}
