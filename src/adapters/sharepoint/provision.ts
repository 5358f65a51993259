import type { Client } from '@microsoft/microsoft-graph-client';
import type { PlanConfig } from '../../config/plan.js';
import { columnType, PLAN_UPDATE_COLUMNS, ROLE_COLUMNS, taskListColumns, type ColumnSpec } from './field-table.js';
import { SiteIds } from './sites.js';

interface ExistingColumn extends Partial<ColumnSpec> {
  id: string;
  name: string;
  indexed: boolean;
}

export interface ListSpec {
  site: string;
  displayName: string;
  columns: ColumnSpec[];
}

/** The lists a plan config needs: each configured task list, the Roles list and the Plan Updates list. */
export function listsToProvision(config: PlanConfig): ListSpec[] {
  const specs: ListSpec[] = config.lists.map((l) => ({ site: l.site, displayName: l.list, columns: taskListColumns(l.columns) }));
  if (config.roles) specs.push({ site: config.roles.site, displayName: config.roles.list, columns: ROLE_COLUMNS });
  if (config.audit) specs.push({ site: config.audit.site, displayName: config.audit.list, columns: PLAN_UPDATE_COLUMNS });
  const seen = new Set<string>();
  return specs.filter((s) => !seen.has(`${s.site}|${s.displayName}`) && seen.add(`${s.site}|${s.displayName}`));
}

/**
 * Creates what is missing and changes nothing else: a missing list is created with all its columns, a missing
 * column is added, an unindexed filter column is indexed. Existing columns are never deleted or retyped; a type
 * that differs is reported for a person to decide. Returns one line per thing done or found.
 */
export async function provision(client: Client, specs: ListSpec[], options: { dryRun: boolean }, sites = new SiteIds(client)): Promise<{ lines: string[]; changes: number; problems: number }> {
  const lines: string[] = [];
  let changes = 0;
  let problems = 0;
  const act = async (line: string, work: () => Promise<unknown>) => {
    changes += 1;
    lines.push(`${options.dryRun ? 'would ' : ''}${line}`);
    if (!options.dryRun) await work();
  };
  for (const spec of specs) {
    const siteId = await sites.resolve(spec.site);
    const filter = encodeURIComponent(`displayName eq '${spec.displayName.replace(/'/g, "''")}'`);
    const found = ((await client.api(`/sites/${siteId}/lists?$filter=${filter}`).get()) as { value: { id: string }[] }).value[0];
    if (!found) {
      await act(`create list "${spec.displayName}" with ${spec.columns.length} columns (${spec.columns.filter((c) => c.indexed).map((c) => c.name).join(', ')} indexed)`, () =>
        client.api(`/sites/${siteId}/lists`).post({ displayName: spec.displayName, columns: spec.columns, list: { template: 'genericList' } }),
      );
      continue;
    }
    const existing = ((await client.api(`/sites/${siteId}/lists/${found.id}/columns`).get()) as { value: ExistingColumn[] }).value;
    for (const column of spec.columns) {
      const current = existing.find((c) => c.name.toLowerCase() === column.name.toLowerCase());
      if (!current) {
        await act(`add column "${column.name}" (${columnType(column)}) to "${spec.displayName}"`, () => client.api(`/sites/${siteId}/lists/${found.id}/columns`).post(column));
        continue;
      }
      if (columnType(current) !== columnType(column)) {
        problems += 1;
        lines.push(`column "${column.name}" in "${spec.displayName}" is ${columnType(current)}, PlanPulse expects ${columnType(column)}: left as it is; change it in SharePoint or map another column`);
        continue;
      }
      if (column.indexed && !current.indexed)
        await act(`index column "${column.name}" in "${spec.displayName}"`, () => client.api(`/sites/${siteId}/lists/${found.id}/columns/${current.id}`).patch({ indexed: true }));
    }
  }
  if (changes === 0 && problems === 0) lines.push('Everything is already in place: nothing to do.');
  return { lines, changes, problems };
}
