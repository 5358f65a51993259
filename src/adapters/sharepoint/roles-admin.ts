import type { Client } from '@microsoft/microsoft-graph-client';
import type { PlanConfig } from '../../config/plan.js';
import { normaliseRole } from '../../domain/roles.js';
import { readAllPages } from './graph-client.js';
import { lookupIdsOf } from './site-people.js';
import { SiteIds } from './sites.js';

/**
 * Adds a person to a role in the Roles list, creating the role's row if needed. Graph cannot add someone to a site's
 * User Information List (there is no ensureUser), so the person must already be known to the site.
 */
export async function addRoleHolder(client: Client, roles: NonNullable<PlanConfig['roles']>, role: string, person: string, sites = new SiteIds(client)): Promise<string> {
  const siteId = await sites.resolve(roles.site);
  const wanted = person.trim().toLowerCase();
  const uil = await readAllPages<{ id: string; fields: { Title?: string; EMail?: string; UserName?: string } }>(
    client,
    `/sites/${siteId}/lists/${encodeURIComponent('User Information List')}/items?expand=fields(select=Title,EMail,UserName)&$top=5000`,
  );
  let user = uil.find((u) => [u.fields.UserName, u.fields.EMail].some((v) => v?.toLowerCase() === wanted));
  if (!user && /^[0-9a-f-]{36}$/i.test(wanted)) {
    const upn = ((await client.api(`/users/${wanted}`).select('userPrincipalName').get()) as { userPrincipalName: string }).userPrincipalName.toLowerCase();
    user = uil.find((u) => u.fields.UserName?.toLowerCase() === upn);
  }
  if (!user) throw new Error(`${person} is not known to the site yet. Add them to the site (or have them open it once), then try again: Graph cannot add people to a site.`);
  const c = roles.columns;
  const path = `/sites/${siteId}/lists/${encodeURIComponent(roles.list)}/items`;
  const items = await readAllPages<{ id: string; eTag: string; fields: Record<string, unknown> }>(client, `${path}?expand=fields(select=${c.role},${c.people})&$top=5000`);
  const row = items.find((i) => normaliseRole(String(i.fields[c.role] ?? '')) === normaliseRole(role));
  const id = Number(user.id);
  if (!row) {
    await client.api(path).post({ fields: { Title: role, [c.role]: role, [`${c.people}LookupId@odata.type`]: 'Collection(Edm.Int32)', [`${c.people}LookupId`]: [id] } });
    return `added role "${role}" held by ${user.fields.Title}`;
  }
  const current = lookupIdsOf(row.fields, c.people);
  if (current.includes(id)) return `${user.fields.Title} already holds "${role}"`;
  await client.api(`${path}/${row.id}/fields`).header('If-Match', row.eTag).patch({ [`${c.people}LookupId@odata.type`]: 'Collection(Edm.Int32)', [`${c.people}LookupId`]: [...current, id] });
  return `${user.fields.Title} now holds "${role}"`;
}
