import type { Client } from '@microsoft/microsoft-graph-client';
import type { Person } from '../../domain/task.js';
import { isGraphError, readAllPages } from './graph-client.js';

interface UserInfoFields {
  Title?: string;
  EMail?: string;
  UserName?: string;
}

/** People change rarely; re-reading the site's users every few minutes keeps new ones visible without a restart. */
export const PEOPLE_CACHE_MS = 5 * 60_000;

/** One SitePeople per site, replaced when older than PEOPLE_CACHE_MS. */
export class SitePeopleCache {
  private readonly bySite = new Map<string, { at: number; people: SitePeople }>();

  constructor(private readonly client: Client, private readonly now: () => number = Date.now) {}

  for(siteId: string): SitePeople {
    const cached = this.bySite.get(siteId);
    if (cached && this.now() - cached.at < PEOPLE_CACHE_MS) return cached.people;
    const people = new SitePeople(this.client, siteId);
    this.bySite.set(siteId, { at: this.now(), people });
    return people;
  }
}

/**
 * Turns a site's person-column lookup ids into Entra users. SharePoint only gives a lookup id into the hidden
 * "User Information List"; its UserName is the UPN, and `/users/{upn}` gives the object id Teams knows.
 */
export class SitePeople {
  private byLookupId?: Promise<Map<number, UserInfoFields>>;
  private readonly users = new Map<string, Promise<Person | undefined>>();

  constructor(private readonly client: Client, private readonly siteId: string) {}

  private siteUsers(): Promise<Map<number, UserInfoFields>> {
    this.byLookupId ??= readAllPages<{ id: string; fields: UserInfoFields }>(
      this.client,
      `/sites/${this.siteId}/lists/${encodeURIComponent('User Information List')}/items?expand=fields(select=Title,EMail,UserName)&$top=5000`,
    ).then((items) => new Map(items.map((i) => [Number(i.id), i.fields])));
    return this.byLookupId;
  }

  async person(lookupId: number): Promise<Person | undefined> {
    const info = (await this.siteUsers()).get(lookupId);
    if (!info?.UserName) return undefined;
    const upn = info.UserName;
    if (!this.users.has(upn)) {
      this.users.set(
        upn,
        this.client
          .api(`/users/${encodeURIComponent(upn)}`)
          .select('id,displayName,mail')
          .get()
          .then((u: { id: string; displayName: string; mail?: string }) => ({ aadObjectId: u.id, displayName: u.displayName, email: u.mail ?? info.EMail }))
          .catch((e: unknown) => {
            if (isGraphError(e, 404)) return undefined;
            throw e;
          }),
      );
    }
    return this.users.get(upn);
  }

  async people(lookupIds: number[]): Promise<Person[]> {
    const found = await Promise.all(lookupIds.map((id) => this.person(id)));
    return found.filter((p): p is Person => p !== undefined);
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
