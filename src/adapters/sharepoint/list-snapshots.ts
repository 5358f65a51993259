import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { Logger } from '../../app/log.js';
import { ServiceBusyError, type StateStore } from '../../app/ports.js';
import { stateRecord } from '../../app/state.js';
import { GraphBusyError } from './graph-gateway.js';
import { isGraphError } from './graph-client.js';

/** A list item as PlanPulse keeps it: the item properties it uses and the selected fields. */
export interface RawItem {
  id: string;
  eTag: string;
  webUrl?: string;
  lastModifiedDateTime?: string;
  fields: Record<string, unknown>;
}

const rawItemSchema = z.object({ id: z.string(), eTag: z.string(), webUrl: z.string().optional(), lastModifiedDateTime: z.string().optional(), fields: z.record(z.string(), z.unknown()) });

/**
 * Per list: the delta link and the items as of that link, so that a later run (or another process) reads only what
 * changed. `resumeLink` is set when an enumeration stopped part-way (SharePoint throttling): the next run goes on
 * from there instead of starting again.
 */
const snapshots = stateRecord(
  'sharepoint/snapshots',
  z.object({ deltaLink: z.string().optional(), resumeLink: z.string().optional(), chunks: z.number().int().min(0) }),
  'adapters/sharepoint',
);

/** A snapshot's items, CHUNK at a time: a 50,000-item list is never one 30 MB string in memory. */
const snapshotItems = stateRecord('sharepoint/snapshot-items', z.array(rawItemSchema), 'adapters/sharepoint', { checkWrites: false });
const CHUNK = 2000;

/** A read of a list stopped because SharePoint kept refusing: names the list, how far it got and when to retry. */
export class ListReadStoppedError extends ServiceBusyError {
  constructor(
    readonly list: string,
    readonly site: string,
    readonly itemsRead: number,
    retryAt: Date,
  ) {
    super(
      `Reading the list "${list}" on ${site} stopped after ${itemsRead} changed or new items: SharePoint is throttling PlanPulse and asked it to wait until ${retryAt.toISOString()}. Nothing was sent or written from a partial read. What was read is kept; the next run (any time after ${retryAt.toISOString()}) goes on from there.`,
      retryAt,
    );
    this.name = 'ListReadStoppedError';
  }
}

export class ListSnapshot {
  readonly items = new Map<string, RawItem>();
  deltaLink?: string;
  resumeLink?: string;
  /** Increases whenever an item is added, changed or removed: lets derived indexes know they are stale. */
  version = 0;
  refreshedAt = 0;
  loaded = false;

  upsert(item: RawItem): void {
    const before = this.items.get(item.id);
    if (before?.eTag === item.eTag) return;
    this.items.set(item.id, item);
    this.version += 1;
  }

  remove(id: string): void {
    if (this.items.delete(id)) this.version += 1;
  }
}

interface DeltaPage {
  value: (RawItem & { deleted?: { state: string } })[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * Keeps lists in step through Graph delta (`…/items/delta`): the first read enumerates the list, later reads follow
 * the delta link and cost one request per unchanged list. A 410 (the delta token expired) means a logged full
 * resync. Snapshots are shared by every caller in the process (one refresh at a time per list) and persisted in the
 * state store, so a new process starts from the last delta link too.
 */
export class ListSnapshots {
  private readonly byKey = new Map<string, ListSnapshot>();
  private readonly refreshing = new Map<string, Promise<ListSnapshot>>();

  constructor(
    private readonly client: Client,
    private readonly store: StateStore | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * The list's snapshot, refreshed through delta unless it was refreshed less than `maxAgeMs` ago. `firstUrl` is the
   * delta URL with the $select and expand the caller needs; `names` say which list it is, for messages.
   */
  async get(key: string, firstUrl: () => Promise<string>, names: { list: string; site: string }, maxAgeMs = 0): Promise<ListSnapshot> {
    const snapshot = await this.loaded(key);
    if (snapshot.refreshedAt && Date.now() - snapshot.refreshedAt < maxAgeMs) return snapshot;
    const running = this.refreshing.get(key);
    if (running) return running;
    const refresh = this.refresh(key, snapshot, firstUrl, names).finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, refresh);
    return refresh;
  }

  /** The in-memory snapshot, if any (to apply one written item without a read). */
  peek(key: string): ListSnapshot | undefined {
    return this.byKey.get(key);
  }

  private async loaded(key: string): Promise<ListSnapshot> {
    let snapshot = this.byKey.get(key);
    if (snapshot?.loaded) return snapshot;
    snapshot ??= new ListSnapshot();
    this.byKey.set(key, snapshot);
    const saved = this.store ? await snapshots.get(this.store, key).catch((e: unknown) => this.log.warn({ err: e, list: key }, 'saved list snapshot unreadable; reading the list again')) : undefined;
    if (saved && !snapshot.loaded) {
      for (let i = 0; i < saved.chunks; i++) for (const item of (await snapshotItems.get(this.store!, `${key}/${i}`)) ?? []) snapshot.items.set(item.id, item);
      snapshot.deltaLink = saved.deltaLink;
      snapshot.resumeLink = saved.resumeLink;
      snapshot.version += 1;
    }
    snapshot.loaded = true;
    return snapshot;
  }

  private async refresh(key: string, snapshot: ListSnapshot, firstUrl: () => Promise<string>, names: { list: string; site: string }): Promise<ListSnapshot> {
    const versionBefore = snapshot.version;
    // A full enumeration collects into a fresh map so items deleted meanwhile do not linger.
    let full = !snapshot.deltaLink && !snapshot.resumeLink;
    let seen = full ? new Map<string, RawItem>() : undefined;
    let next: string | undefined = snapshot.resumeLink ?? snapshot.deltaLink ?? (await firstUrl());
    let read = 0;
    while (next) {
      let page: DeltaPage;
      try {
        page = (await this.client.api(next).get()) as DeltaPage;
      } catch (e) {
        if (isGraphError(e, 410)) {
          this.log.warn({ list: names.list, site: names.site }, 'the delta link expired (410 Gone): reading the whole list again');
          full = true;
          seen = new Map();
          snapshot.deltaLink = snapshot.resumeLink = undefined;
          next = await firstUrl();
          continue;
        }
        if (isGraphError(e, 404)) throw new Error(`The list "${names.list}" was not found on the site ${names.site}. Check "list" in the plan config (the list's name or id), or run "planpulse provision".`);
        if (e instanceof GraphBusyError) {
          snapshot.resumeLink = next;
          if (seen) for (const item of seen.values()) snapshot.upsert(item);
          await this.save(key, snapshot);
          throw new ListReadStoppedError(names.list, names.site, read, e.retryAt);
        }
        throw e;
      }
      for (const entry of page.value) {
        read += 1;
        if (entry.deleted) {
          seen?.delete(entry.id);
          snapshot.remove(entry.id);
          continue;
        }
        const item: RawItem = { id: entry.id, eTag: entry.eTag ?? (entry.fields?.['@odata.etag'] as string), webUrl: entry.webUrl, lastModifiedDateTime: entry.lastModifiedDateTime, fields: entry.fields ?? {} };
        if (seen) seen.set(item.id, item);
        else snapshot.upsert(item);
      }
      if (page['@odata.deltaLink']) {
        snapshot.deltaLink = page['@odata.deltaLink'];
        snapshot.resumeLink = undefined;
      }
      next = page['@odata.nextLink'];
    }
    if (seen) {
      for (const id of [...snapshot.items.keys()]) if (!seen.has(id)) snapshot.remove(id);
      for (const item of seen.values()) snapshot.upsert(item);
    }
    snapshot.refreshedAt = Date.now();
    if (snapshot.version !== versionBefore || full) await this.save(key, snapshot);
    return snapshot;
  }

  private async save(key: string, snapshot: ListSnapshot): Promise<void> {
    if (!this.store) return;
    const items = [...snapshot.items.values()];
    const chunks = Math.ceil(items.length / CHUNK);
    // Items first, then the record that points at them: a crash in between leaves the previous delta link, whose
    // changes are applied again (harmless: delta reapplies by id).
    for (let i = 0; i < chunks; i++) await snapshotItems.put(this.store, `${key}/${i}`, items.slice(i * CHUNK, (i + 1) * CHUNK));
    await snapshots.put(this.store, key, { deltaLink: snapshot.deltaLink, resumeLink: snapshot.resumeLink, chunks });
  }
}
