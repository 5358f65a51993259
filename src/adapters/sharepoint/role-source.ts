import type { Client } from '@microsoft/microsoft-graph-client';
import type { PlanConfig } from '../../config/plan.js';
import type { RoleSource } from '../../app/ports.js';
import { RoleDirectory, type RoleEntry } from '../../domain/roles.js';
import { readAllPages } from './graph-client.js';
import { lookupIdsOf, SitePeopleCache } from './site-people.js';
import { SiteIds } from './sites.js';

/** The Roles list: role name -> people and deputies (multi-person columns) and whether the role leads a plan. */
export class SharePointRoleSource implements RoleSource {
  private readonly people: SitePeopleCache;
  private readonly sites: SiteIds;
  private cached?: { at: number; directory: Promise<RoleDirectory> };

  constructor(
    private readonly client: Client,
    private readonly config: PlanConfig['roles'],
    /** How long a read of the Roles list is reused: every card click needs it, and it changes rarely. */
    private readonly cacheMs = 60_000,
    private readonly now: () => number = Date.now,
    shared: { sites?: SiteIds; people?: SitePeopleCache } = {},
  ) {
    this.sites = shared.sites ?? new SiteIds(client);
    this.people = shared.people ?? new SitePeopleCache(client, now);
  }

  load(): Promise<RoleDirectory> {
    if (this.cached && this.now() - this.cached.at < this.cacheMs) return this.cached.directory;
    const directory = this.read();
    this.cached = { at: this.now(), directory };
    directory.catch(() => (this.cached = undefined));
    return directory;
  }

  private async read(): Promise<RoleDirectory> {
    const cfg = this.config;
    if (!cfg) return new RoleDirectory([]);
    const siteId = await this.sites.resolve(cfg.site);
    const people = this.people.for(siteId);
    const c = cfg.columns;
    const items = await readAllPages<{ fields: Record<string, unknown> }>(
      this.client,
      `/sites/${siteId}/lists/${encodeURIComponent(cfg.list)}/items?expand=fields(select=${[c.role, c.people, c.deputies, c.planLead].join(',')})&$top=5000`,
    );
    const entries: RoleEntry[] = await Promise.all(
      items
        .filter((i) => typeof i.fields[c.role] === 'string' && (i.fields[c.role] as string).trim())
        .map(async (i) => ({
          role: i.fields[c.role] as string,
          people: await people.people(lookupIdsOf(i.fields, c.people)),
          deputies: await people.people(lookupIdsOf(i.fields, c.deputies)),
          planLead: i.fields[c.planLead] === true,
        })),
    );
    return new RoleDirectory(entries);
  }
}
