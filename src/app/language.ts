import { z } from 'zod';
import type { AppDeps } from './context.js';
import { langOfLocale, type Lang } from './i18n.js';
import { stateRecord } from './state.js';

/**
 * Each person's language: the one they chose in the chat ("iaith cymraeg", "language english"), else their Teams
 * locale as last seen. Scheduled cards, sent when no activity says the locale, use what is remembered here.
 */
const languages = stateRecord('language', z.object({ lang: z.enum(['en', 'cy']), chosen: z.boolean() }), 'app/language');

/** Per store (each running bot has one): languages already read, so a click does not read its record again. */
const cache = new WeakMap<object, Map<string, { lang: Lang; chosen: boolean; at: number }>>();
/** Another instance may record a choice: a remembered language is read again after this long. */
const FRESH_MS = 5 * 60_000;
const knownIn = (deps: AppDeps) => {
  let known = cache.get(deps.store);
  if (!known) cache.set(deps.store, (known = new Map()));
  return known;
};

/** The language to answer a person in: their choice, else the locale of the activity they sent (remembered). */
export async function languageFor(deps: AppDeps, aadObjectId: string, locale?: string): Promise<Lang> {
  const known = knownIn(deps);
  const cached = known.get(aadObjectId);
  const saved = cached && Date.now() - cached.at < FRESH_MS ? cached : await languages.get(deps.store, aadObjectId);
  if (saved) known.set(aadObjectId, { ...saved, at: cached === saved ? cached.at : Date.now() });
  if (saved?.chosen) return saved.lang;
  if (locale === undefined) return saved?.lang ?? 'en';
  const lang = langOfLocale(locale);
  // English is the default: only a change is written, so most people's clicks write nothing.
  if (saved ? saved.lang !== lang : lang !== 'en') await languages.put(deps.store, aadObjectId, { lang, chosen: false });
  known.set(aadObjectId, { lang, chosen: false, at: Date.now() });
  return lang;
}

/** A person's own choice of language, kept until they choose again. */
export async function chooseLanguage(deps: AppDeps, aadObjectId: string, lang: Lang): Promise<void> {
  await languages.put(deps.store, aadObjectId, { lang, chosen: true });
  knownIn(deps).set(aadObjectId, { lang, chosen: true, at: Date.now() });
}
