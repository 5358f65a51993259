import type { Client } from '@microsoft/microsoft-graph-client';
import type { PlanConfig } from '../config/plan.js';
import type { RoleSource } from '../domain/ports.js';
import { RoleDirectory, type RoleEntry } from '../domain/roles.js';
import { readAllPages } from './graph-client.js';
import { lookupIdsOf, SitePeople } from './site-people.js';
import { SiteIds } from './sites.js';

/** The Roles list: role name -> people and deputies (multi-person columns) and whether the role leads a plan. */
export class SharePointRoleSource implements RoleSource {
  constructor(
    private readonly client: Client,
    private readonly config: PlanConfig['roles'],
  ) {}

  async load(): Promise<RoleDirectory> {
    const cfg = this.config;
    if (!cfg) return new RoleDirectory([]);
    const siteId = await new SiteIds(this.client).resolve(cfg.site);
    const people = new SitePeople(this.client, siteId);
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
