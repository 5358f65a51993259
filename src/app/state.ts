import type { z } from 'zod';
import type { StateStore } from './ports.js';

/** A stored record that does not match its schema: named, so an administrator can find and fix or remove it. */
export class CorruptStateError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`The state record "${key}" is damaged (${detail}).`);
    this.name = 'CorruptStateError';
  }
}

/** One kind of state record: a key prefix owned by one module, and the schema every read and write is checked with. */
export interface StateRecord<T> {
  readonly prefix: string;
  get(store: StateStore, id?: string): Promise<T | undefined>;
  put(store: StateStore, id: string | undefined, value: T): Promise<void>;
  delete(store: StateStore, id?: string): Promise<void>;
  /** The ids of every record of this kind. */
  ids(store: StateStore): Promise<string[]>;
}

const owners = new Map<string, string>();

/**
 * Declares a kind of state record. Each prefix may be declared once, by the module that owns it: a second
 * declaration (two modules writing the same keys) fails at start-up rather than corrupting each other's records.
 * A record is stored at `prefix/id`, or at `prefix` alone for a singleton.
 */
export function stateRecord<S extends z.ZodType>(prefix: string, schema: S, owner: string, options: { checkWrites?: boolean } = {}): StateRecord<z.infer<S>> {
  const earlier = owners.get(prefix);
  if (earlier && earlier !== owner) throw new Error(`State prefix "${prefix}" is declared by both ${earlier} and ${owner}`);
  for (const [other, by] of owners)
    if (other !== prefix && (other.startsWith(`${prefix}/`) || prefix.startsWith(`${other}/`))) throw new Error(`State prefix "${prefix}" (${owner}) overlaps "${other}" (${by})`);
  owners.set(prefix, owner);
  const keyOf = (id?: string) => (id === undefined ? prefix : `${prefix}/${id}`);
  return {
    prefix,
    async get(store, id) {
      const key = keyOf(id);
      const raw = await store.get(key);
      if (raw === undefined) return undefined;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new CorruptStateError(key, parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).slice(0, 3).join('; '));
      return parsed.data;
    },
    async put(store, id, value) {
      // Large records built by their owner from checked data (list snapshots) skip the copy a write check makes.
      await store.put(keyOf(id), options.checkWrites === false ? value : schema.parse(value));
    },
    delete: (store, id) => store.delete(keyOf(id)),
    async ids(store) {
      return (await store.list(`${prefix}/`)).map((key) => key.slice(prefix.length + 1));
    },
  };
}
