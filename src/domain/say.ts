/**
 * How the domain words what it tells people, without knowing their language: a message by key with its values,
 * and a date as the reader writes it. The app passes one backed by the resource files (locales/); the domain holds
 * no sentences of its own.
 */
export interface Say {
  (key: string, values?: Record<string, string | number>): string;
  date(iso: string): string;
}

/** Something the domain has to say, by key and values, for the app to word in the reader's language. */
export interface Wording {
  key: string;
  values?: Record<string, string | number>;
}
