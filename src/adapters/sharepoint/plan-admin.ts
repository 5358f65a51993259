import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { ImportAction, ImportRow, ListColumn, PlanAdmin } from '../../app/ports.js';
import type { ListConfig, PlanConfig } from '../../config/plan.js';
import { startOfLocalDay } from '../../domain/dates.js';
import { closest } from '../../domain/similar.js';
import { sendInBatches, type BatchRequest } from './batch.js';
import { columnType, FIELD_BY_NAME, type ColumnSpec } from './field-table.js';
import { isGraphError, readAllPages } from './graph-client.js';
import { listsToProvision, provision } from './provision.js';
import { addRoleHolder } from './roles-admin.js';
import { SiteIds } from './sites.js';

type Fields = Record<string, string | null>;

function changedFields(wanted: Fields, current: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(wanted)) {
    const now = current[k] ?? null;
    if ((v ?? null) !== now && !(v === null && now === '')) out[k] = v;
  }
  return out;
}

/** The administrator's operations on the plan's lists, through Graph. */
export class SharePointPlanAdmin implements PlanAdmin {
  constructor(
    private readonly client: Client,
    private readonly plan: PlanConfig,
    private readonly timeZone: string,
    private readonly sites: SiteIds,
    private readonly credential?: TokenCredential,
  ) {}

  provision(options: { dryRun: boolean }) {
    return provision(this.client, listsToProvision(this.plan), options, this.sites);
  }

  resolveSite(site: string): Promise<string> {
    return this.sites.resolve(site);
  }

  private async listPath(site: string, list: string): Promise<string> {
    return `/sites/${await this.sites.resolve(site)}/lists/${encodeURIComponent(list)}`;
  }

  async columnsOf(site: string, list: string): Promise<ListColumn[]> {
    const found = (await this.client.api(`${await this.listPath(site, list)}?expand=columns`).get()) as { columns: (Partial<ColumnSpec> & { name: string })[] };
    return found.columns.map((c) => ({ name: c.name, type: columnType(c) }));
  }

  async valuesOf(site: string, list: string, column: string): Promise<unknown[]> {
    const items = await readAllPages<{ fields: Record<string, unknown> }>(this.client, `${await this.listPath(site, list)}/items?expand=fields(select=${column})&$top=5000`);
    return items.map((i) => i.fields[column]);
  }

  /** A row's fields in the list's column names; dates become the start of the day in the plan's time zone. */
  private columnsFor(list: ListConfig, row: ImportRow): Fields {
    const fields: Fields = {};
    for (const [field, value] of Object.entries(row.fields) as [keyof ImportRow['fields'], string | null | undefined][]) {
      const column = list.columns[field];
      if (!column || value === undefined) continue;
      fields[column] = value !== null && FIELD_BY_NAME.get(field)?.value === 'date' ? startOfLocalDay(value, this.timeZone) : value;
    }
    return fields;
  }

  /**
   * Upserts rows by reference: new refs are created, changed rows updated (only the changed fields, with the item's
   * eTag), identical rows left alone. Writes go in Graph batches of 20 and each row's failure is reported on its own.
   */
  async upsertByRef(listKey: string, rows: ImportRow[], options: { dryRun: boolean; onProgress?: (done: number, total: number) => void }): Promise<ImportAction[]> {
    const list = this.plan.lists.find((l) => l.key === listKey);
    if (!list) throw new Error(`No list "${listKey}" in the plan config`);
    const itemsPath = `${await this.listPath(list.site, list.list)}/items`;
    const refColumn = list.columns.ref;
    const existing = new Map(
      (await readAllPages<{ id: string; eTag: string; fields: Record<string, unknown> }>(this.client, `${itemsPath}?expand=fields&$top=5000`)).map((i) => [String(i.fields[refColumn] ?? ''), i]),
    );
    const actions: ImportAction[] = [];
    const requests: BatchRequest[] = [];
    const refs = new Map<string, number>();
    for (const row of rows) {
      const fields = this.columnsFor(list, row);
      const current = existing.get(row.ref);
      const id = String(requests.length + 1);
      if (!current) {
        actions.push({ ref: row.ref, action: 'create' });
        requests.push({ id, method: 'POST', url: itemsPath, body: { fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) } });
      } else {
        const changes = changedFields(fields, current.fields);
        if (Object.keys(changes).length === 0) {
          actions.push({ ref: row.ref, action: 'unchanged' });
          continue;
        }
        actions.push({ ref: row.ref, action: 'update' });
        requests.push({ id, method: 'PATCH', url: `${itemsPath}/${current.id}/fields`, headers: { 'If-Match': current.eTag }, body: changes });
      }
      refs.set(id, actions.length - 1);
    }
    if (options.dryRun || requests.length === 0) return actions;
    for (const response of await sendInBatches(this.client, requests, options.onProgress)) {
      if (response.status < 400) continue;
      const at = refs.get(response.id)!;
      actions[at] = { ref: actions[at]!.ref, action: 'failed', message: `${response.status} ${response.body?.error?.message ?? ''}`.trim() };
    }
    return actions;
  }

  async checkMapping(): Promise<string[]> {
    const lists = [
      ...this.plan.lists.map((l) => ({ site: l.site, list: l.list, columns: Object.entries(l.columns).filter(([, c]) => c) as [string, string][] })),
      ...(this.plan.roles ? [{ site: this.plan.roles.site, list: this.plan.roles.list, columns: Object.entries(this.plan.roles.columns) }] : []),
    ];
    const problems: string[] = [];
    for (const { site, list, columns } of lists) {
      let existing: ListColumn[];
      try {
        existing = await this.columnsOf(site, list);
      } catch (e) {
        problems.push(isGraphError(e, 404) ? `The list "${list}" was not found on the site ${site}. Check "list" in the plan config, or run "planpulse provision".` : `The list "${list}" on ${site} cannot be read: ${(e as Error).message}`);
        continue;
      }
      const names = existing.map((c) => c.name);
      for (const [field, column] of columns) {
        if (names.includes(column)) continue;
        const near = closest(column, names);
        problems.push(`The list "${list}" on ${site} has no column with the internal name "${column}" (mapped as ${field}).${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Internal names are case-sensitive and can differ from what SharePoint shows.`);
      }
    }
    return problems;
  }

  addRoleHolder(role: string, person: string): Promise<string> {
    if (!this.plan.roles) throw new Error('The plan config has no "roles" entry, so there is no Roles list to add to.');
    return addRoleHolder(this.client, this.plan.roles, role, person, this.sites);
  }

  async checkCredential() {
    if (!this.credential) return undefined;
    try {
      await this.credential.getToken('https://graph.microsoft.com/.default');
      return { ok: true as const, detail: 'a Graph token was issued' };
    } catch (e) {
      return { ok: false as const, detail: `no Graph token: ${(e as Error).message.split('\n')[0]}` };
    }
  }
}
