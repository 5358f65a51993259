import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { StateStore } from '../../app/ports.js';
import { stateRecord } from '../../app/state.js';
import type { Person } from '../../domain/task.js';
import { sendInBatches } from './batch.js';
import { readAllPages } from './graph-client.js';

interface UserInfoFields {
  Title?: string;
  EMail?: string;
  UserName?: string;
}

/** How long a site's user list is trusted when it knows every lookup id asked for (new people are read at once). */
export const SITE_USERS_CACHE_MS = 24 * 60 * 60_000;
/** How long a person's Entra record is trusted: their object id never changes, a display name rarely. */
export const DIRECTORY_CACHE_MS = 7 * 24 * 60 * 60_000;

/** Entra users by UPN (null: no such user), with when they were read; shared by every site and process. */
const directory = stateRecord(
  'sharepoint/people',
  z.record(z.string(), z.object({ at: z.number(), person: z.object({ aadObjectId: z.string(), displayName: z.string(), email: z.string().optional() }).nullable() })),
  'adapters/sharepoint',
);

/** Per site: its User Information List (lookup id -> name, email, UPN) as last read. */
const siteUserLists = stateRecord(
  'sharepoint/site-users',
  z.object({ at: z.number(), users: z.array(z.tuple([z.number(), z.object({ Title: z.string().optional(), EMail: z.string().optional(), UserName: z.string().optional() })])) }),
  'adapters/sharepoint',
);

/** One SitePeople per site, sharing one directory of Entra users. */
export class SitePeopleCache {
  private readonly bySite = new Map<string, SitePeople>();
  private readonly users = new Map<string, { at: number; person: Person | null }>();
  private loaded?: Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly now: () => number = Date.now,
    private readonly store?: StateStore,
  ) {}

  for(siteId: string): SitePeople {
    let people = this.bySite.get(siteId);
    if (!people) this.bySite.set(siteId, (people = new SitePeople(this.client, siteId, this, this.now, this.store)));
    return people;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const saved = this.store ? await directory.get(this.store).catch(() => undefined) : undefined;
      for (const [upn, entry] of Object.entries(saved ?? {})) this.users.set(upn, entry);
    })();
    return this.loaded;
  }

  user(upn: string): Person | undefined {
    return this.users.get(upn.toLowerCase())?.person ?? undefined;
  }

  /**
   * Makes sure every UPN has a fresh Entra record: the unknown and stale ones are read with `$batch`, twenty users a
   * request, instead of one `/users/{upn}` each.
   */
  async ensure(upns: string[]): Promise<void> {
    await this.load();
    const wanted = [...new Set(upns.map((u) => u.toLowerCase()))].filter((upn) => {
      const known = this.users.get(upn);
      return !known || this.now() - known.at > DIRECTORY_CACHE_MS;
    });
    if (wanted.length === 0) return;
    const responses = await sendInBatches(
      this.client,
      wanted.map((upn, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${encodeURIComponent(upn)}?$select=id,displayName,mail` })),
    );
    const at = this.now();
    responses.forEach((response, i) => {
      const upn = wanted[i]!;
      const u = response.body as { id?: string; displayName?: string; mail?: string } | undefined;
      if (response.status === 200 && u?.id) this.users.set(upn, { at, person: { aadObjectId: u.id, displayName: u.displayName ?? upn, email: u.mail ?? undefined } });
      else if (response.status === 404) this.users.set(upn, { at, person: null });
      else throw new Error(`Graph could not read the Entra user ${upn}: ${response.status} ${response.body?.error?.message ?? ''}`.trim());
    });
    if (this.store) await directory.put(this.store, undefined, Object.fromEntries(this.users));
  }
}

/**
 * Turns a site's person-column lookup ids into Entra users. SharePoint only gives a lookup id into the hidden "User
 * Information List"; its UserName is the UPN, which the shared directory turns into the object id Teams knows. The
 * user list is read again only when an item names someone it does not know yet, or after a day.
 */
export class SitePeople {
  private siteUsers?: { at: number; byLookupId: Map<number, UserInfoFields> };
  private reading?: Promise<void>;

  private restored = false;

  constructor(
    private readonly client: Client,
    private readonly siteId: string,
    private readonly directory: SitePeopleCache,
    private readonly now: () => number,
    private readonly store?: StateStore,
  ) {}

  private readSiteUsers(): Promise<void> {
    this.reading ??= readAllPages<{ id: string; fields: UserInfoFields }>(
      this.client,
      `/sites/${this.siteId}/lists/${encodeURIComponent('User Information List')}/items?$select=id&expand=fields(select=Title,EMail,UserName)&$top=5000`,
    )
      .then(async (items) => {
        this.siteUsers = { at: this.now(), byLookupId: new Map(items.map((i) => [Number(i.id), i.fields])) };
        if (this.store) await siteUserLists.put(this.store, this.siteId, { at: this.siteUsers.at, users: [...this.siteUsers.byLookupId] });
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** A new process starts from the user list the last one read. */
  private async restore(): Promise<void> {
    if (this.restored || !this.store) return;
    this.restored = true;
    const saved = await siteUserLists.get(this.store, this.siteId).catch(() => undefined);
    if (saved && !this.siteUsers) this.siteUsers = { at: saved.at, byLookupId: new Map(saved.users) };
  }

  /** Reads what is needed to resolve these lookup ids: the site's users if one is unknown, and their Entra records. */
  async preload(lookupIds: Iterable<number>): Promise<void> {
    const ids = [...new Set(lookupIds)];
    if (ids.length === 0) return;
    await this.restore();
    const stale = !this.siteUsers || this.now() - this.siteUsers.at > SITE_USERS_CACHE_MS || ids.some((id) => !this.siteUsers!.byLookupId.has(id));
    if (stale) await this.readSiteUsers();
    const upns = ids.map((id) => this.siteUsers!.byLookupId.get(id)?.UserName).filter((u): u is string => Boolean(u));
    await this.directory.ensure(upns);
  }

  /** The person behind a lookup id, once `preload` has run for it. */
  person(lookupId: number): Person | undefined {
    const info = this.siteUsers?.byLookupId.get(lookupId);
    if (!info?.UserName) return undefined;
    const person = this.directory.user(info.UserName);
    return person && { ...person, email: person.email ?? info.EMail };
  }
}

/** Lookup ids from a person column read with `select=X`: a single `XLookupId` string, or a multi-person array. */
export function lookupIdsOf(fields: Record<string, unknown>, column: string): number[] {
  const single = fields[`${column}LookupId`];
  if (typeof single === 'string' || typeof single === 'number') return [Number(single)];
  const multi = fields[column];
  if (Array.isArray(multi)) return multi.map((v) => Number((v as { LookupId?: unknown }).LookupId ?? v)).filter((n) => Number.isInteger(n));
  return [];
}
