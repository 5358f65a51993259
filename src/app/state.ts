import type { z } from 'zod';
import type { StateStore } from './ports.js';

/** Damaged records, moved aside whole so a person can look at them; nothing reads them back. */
const DAMAGED = 'damaged';

async function moveAside(store: StateStore, key: string, raw: unknown, detail: string): Promise<undefined> {
  const movedTo = `${DAMAGED}/${key.replace(/\//g, '~')}@${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await store.put(movedTo, { key, detail, raw: raw ?? null });
  await store.delete(key);
  reportDamage(key, movedTo, detail);
  return undefined;
}

/** One kind of state record: a key prefix owned by one module, and the schema every read and write is checked with. */
export interface StateRecord<T> {
  readonly prefix: string;
  /** The record, or undefined when absent; a damaged record is moved aside (reported) and reads as absent. */
  get(store: StateStore, id?: string): Promise<T | undefined>;
  /**
   * Read-modify-write that never loses a concurrent update: `change` runs on the current value and the result is
   * written only if nobody wrote in between (compare-and-swap), else it runs again on the newer value.
   */
  update(store: StateStore, id: string | undefined, change: (current: T | undefined) => T): Promise<T>;
  put(store: StateStore, id: string | undefined, value: T): Promise<void>;
  delete(store: StateStore, id?: string): Promise<void>;
  /** The ids of every record of this kind. */
  ids(store: StateStore): Promise<string[]>;
  /** Deletes the records `stale` says are done with (and any that read as absent); returns how many went. */
  sweep(store: StateStore, stale: (value: T) => boolean): Promise<number>;
}

const owners = new Map<string, string>([['damaged', 'app/state']]);

/** Where damaged records are reported (the composition root sets the logger). */
let reportDamage: (key: string, movedTo: string, detail: string) => void = (key, movedTo, detail) => console.error(`State record ${key} is damaged (${detail}); moved to ${movedTo}.`);
export function onDamagedState(report: typeof reportDamage): void {
  reportDamage = report;
}

const MAX_SWAPS = 50;

/**
 * Declares a kind of state record. Each prefix may be declared once, by the module that owns it: a second
 * declaration (two modules writing the same keys) fails at start-up rather than corrupting each other's records.
 * A record is stored at `prefix/id`, or at `prefix` alone for a singleton.
 */
export function stateRecord<S extends z.ZodType>(prefix: string, schema: S, owner: string, options: { checkWrites?: boolean; durable?: boolean } = {}): StateRecord<z.infer<S>> {
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
      let raw: unknown;
      try {
        raw = await store.get(key);
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        return moveAside(store, key, (e as SyntaxError & { rawText?: string }).rawText, `not JSON: ${e.message}`);
      }
      if (raw === undefined) return undefined;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return moveAside(store, key, raw, parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).slice(0, 3).join('; '));
      return parsed.data;
    },
    async update(store, id, change) {
      const key = keyOf(id);
      for (let attempt = 0; attempt < MAX_SWAPS; attempt++) {
        let current: { value: unknown; version: string | null };
        try {
          current = await store.getVersioned(key);
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
          await moveAside(store, key, (e as SyntaxError & { rawText?: string }).rawText, `not JSON: ${e.message}`);
          continue;
        }
        const parsed = current.value === undefined ? undefined : schema.safeParse(current.value);
        if (parsed && !parsed.success) {
          await moveAside(store, key, current.value, parsed.error.issues.map((i) => i.message).slice(0, 3).join('; '));
          continue;
        }
        const next = change(parsed?.data);
        if (await store.putIfVersion(key, schema.parse(next), current.version)) return next;
        // Someone wrote first: read again after a short, growing, jittered pause so writers spread out.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
      throw new Error(`State record ${key} kept changing under PlanPulse (${MAX_SWAPS} attempts)`);
    },
    async put(store, id, value) {
      // Large records built by their owner from checked data (list snapshots) skip the copy a write check makes.
      await store.put(keyOf(id), options.checkWrites === false ? value : schema.parse(value), { durable: options.durable });
    },
    delete: (store, id) => store.delete(keyOf(id)),
    async ids(store) {
      return (await store.list(`${prefix}/`)).map((key) => key.slice(prefix.length + 1));
    },
    async sweep(store, stale) {
      let swept = 0;
      for (const id of await this.ids(store)) {
        const value = await this.get(store, id);
        if (value !== undefined && !stale(value)) continue;
        await this.delete(store, id);
        swept += 1;
      }
      return swept;
    },
  };
}
