import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { IMPORT_FIELDS, type ImportedItem, type ImportFields, type ImportWrite, type ImportWriteResult, type ListColumn, type PlanAdmin } from '../../app/ports.js';
import type { ListConfig, PlanConfig } from '../../config/plan.js';
import { localDateOf, startOfLocalDay } from '../../domain/dates.js';
import { closest } from '../../domain/similar.js';
import { sendInBatches, type BatchRequest } from './batch.js';
import { columnType, FIELD_BY_NAME, type ColumnSpec } from './field-table.js';
import { isGraphError, readAllPages } from './graph-client.js';
import { listsToProvision, provision } from './provision.js';
import { addRoleHolder } from './roles-admin.js';
import { SiteIds } from './sites.js';

type Fields = Record<string, string | null>;

const IMPORTED = new Set<string>(IMPORT_FIELDS);

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

  /** Import fields in the list's column names; dates become the start of the day in the plan's time zone. */
  private columnsFor(list: ListConfig, fields: ImportFields): Fields {
    const out: Fields = {};
    for (const [field, value] of Object.entries(fields) as [keyof ImportFields, string | null | undefined][]) {
      const column = list.columns[field];
      if (!column || value === undefined) continue;
      out[column] = value !== null && FIELD_BY_NAME.get(field)?.value === 'date' ? startOfLocalDay(value, this.timeZone) : value;
    }
    return out;
  }

  private taskList(listKey: string): ListConfig {
    const list = this.plan.lists.find((l) => l.key === listKey);
    if (!list) throw new Error(`No list "${listKey}" in the plan config`);
    return list;
  }

  async importedItems(listKey: string): Promise<ImportedItem[]> {
    const list = this.taskList(listKey);
    const items = await readAllPages<{ id: string; eTag: string; fields: Record<string, unknown> }>(this.client, `${await this.listPath(list.site, list.list)}/items?expand=fields&$top=5000`);
    return items.map((item) => {
      const fields: ImportFields = {};
      for (const [field, column] of Object.entries(list.columns) as [keyof ImportFields, string | undefined][]) {
        if (!column || !IMPORTED.has(field)) continue;
        const raw = item.fields[column];
        const value = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
        fields[field] = !value ? null : FIELD_BY_NAME.get(field)?.value === 'date' ? localDateOf(value, this.timeZone) : value;
      }
      fields.plan ??= list.plan;
      return { itemId: item.id, eTag: item.eTag, fields };
    });
  }

  async applyImport(listKey: string, writes: ImportWrite[], onProgress?: (done: number, total: number) => void): Promise<ImportWriteResult[]> {
    const list = this.taskList(listKey);
    const itemsPath = `${await this.listPath(list.site, list.list)}/items`;
    const requests: BatchRequest[] = writes.map((w, i) => {
      const fields = this.columnsFor(list, w.fields);
      return w.itemId
        ? { id: String(i + 1), method: 'PATCH', url: `${itemsPath}/${w.itemId}/fields`, headers: { 'If-Match': w.eTag ?? '*' }, body: fields }
        : { id: String(i + 1), method: 'POST', url: itemsPath, body: { fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) } };
    });
    const responses = await sendInBatches(this.client, requests, onProgress);
    return responses.map((r, i): ImportWriteResult => {
      const w = writes[i]!;
      if (r.status === 412) return { ref: w.ref, outcome: 'changed since read', message: 'the item was changed in SharePoint while the import ran; run the import again' };
      if (r.status >= 400) return { ref: w.ref, outcome: 'failed', message: `${r.status} ${r.body?.error?.message ?? ''}`.trim() };
      return { ref: w.ref, outcome: w.itemId ? 'updated' : 'created', itemId: w.itemId ?? String((r.body as { id?: unknown } | undefined)?.id ?? '') };
    });
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
