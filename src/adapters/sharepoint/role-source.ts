import type { Client } from '@microsoft/microsoft-graph-client';
import { silentLogger } from '../../app/log.js';
import type { RoleSource } from '../../app/ports.js';
import type { PlanConfig } from '../../config/plan.js';
import { RoleDirectory, type RoleEntry } from '../../domain/roles.js';
import { ListSnapshots } from './list-snapshots.js';
import { lookupIdsOf, SitePeopleCache } from './site-people.js';
import { SiteIds } from './sites.js';

/** The Roles list: role name -> people and deputies (multi-person columns) and whether the role leads a plan. */
export class SharePointRoleSource implements RoleSource {
  private readonly people: SitePeopleCache;
  private readonly sites: SiteIds;
  private readonly snapshots: ListSnapshots;
  private cached?: { at: number; directory: Promise<RoleDirectory> };
  private built?: { version: number; directory: RoleDirectory };

  constructor(
    client: Client,
    private readonly config: PlanConfig['roles'],
    /** How long a read of the Roles list is reused: every card click needs it, and it changes rarely. */
    private readonly cacheMs = 60_000,
    private readonly now: () => number = Date.now,
    shared: { sites?: SiteIds; people?: SitePeopleCache; snapshots?: ListSnapshots } = {},
  ) {
    this.sites = shared.sites ?? new SiteIds(client);
    this.people = shared.people ?? new SitePeopleCache(client, now);
    this.snapshots = shared.snapshots ?? new ListSnapshots(client, undefined, silentLogger);
  }

  load(): Promise<RoleDirectory> {
    if (this.cached && this.now() - this.cached.at < this.cacheMs) return this.cached.directory;
    const directory = this.read();
    this.cached = { at: this.now(), directory };
    directory.catch(() => (this.cached = undefined));
    return directory;
  }

  /** The Roles list through delta: an unchanged list costs one request and gives back the same directory. */
  private async read(): Promise<RoleDirectory> {
    const cfg = this.config;
    if (!cfg) return new RoleDirectory([]);
    const siteId = await this.sites.resolve(cfg.site);
    const c = cfg.columns;
    const snapshot = await this.snapshots.get(
      'roles',
      async () => `/sites/${siteId}/lists/${encodeURIComponent(cfg.list)}/items/delta?$select=id,eTag&expand=fields(select=${[c.role, c.people, c.deputies, c.planLead].join(',')})&$top=5000`,
      { list: cfg.list, site: cfg.site },
    );
    if (this.built?.version === snapshot.version) return this.built.directory;
    const items = [...snapshot.items.values()].filter((i) => typeof i.fields[c.role] === 'string' && (i.fields[c.role] as string).trim());
    const people = this.people.for(siteId);
    await people.preload(items.flatMap((i) => [...lookupIdsOf(i.fields, c.people), ...lookupIdsOf(i.fields, c.deputies)]));
    const entries: RoleEntry[] = items.map((i) => ({
      role: i.fields[c.role] as string,
      people: lookupIdsOf(i.fields, c.people).flatMap((id) => people.person(id) ?? []),
      deputies: lookupIdsOf(i.fields, c.deputies).flatMap((id) => people.person(id) ?? []),
      planLead: i.fields[c.planLead] === true,
    }));
    this.built = { version: snapshot.version, directory: new RoleDirectory(entries) };
    return this.built.directory;
  }
}
