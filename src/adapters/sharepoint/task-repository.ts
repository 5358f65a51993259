import type { Client } from '@microsoft/microsoft-graph-client';
import type { TaskRepository } from '../../app/ports.js';
import type { ListConfig, PlanConfig } from '../../config/plan.js';
import { localDateOf, startOfLocalDay } from '../../domain/dates.js';
import type { ListPolicy } from '../../domain/policy.js';
import { ownersOf } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import { categoryOf, type Task, type TaskKey } from '../../domain/task.js';
import type { TaskChanges } from '../../domain/update.js';
import { FIELD_TABLE, type TaskField } from './field-table.js';
import { isGraphError, readAllPages } from './graph-client.js';
import { lookupIdsOf, SitePeopleCache } from './site-people.js';
import { SiteIds } from './sites.js';

type Fields = Record<string, unknown>;
interface ListItem {
  id: string;
  eTag: string;
  webUrl?: string;
  lastModifiedDateTime?: string;
  fields: Fields;
}

const PAGE_SIZE = 5000;

/** Improvement-plan tasks in SharePoint lists, read and written through Graph with the configured column mapping. */
export class SharePointTaskRepository implements TaskRepository {
  private readonly sites: SiteIds;
  private readonly people: SitePeopleCache;

  constructor(
    private readonly client: Client,
    private readonly config: PlanConfig,
    private readonly timeZone: string,
    shared: { sites?: SiteIds; people?: SitePeopleCache } = {},
  ) {
    this.sites = shared.sites ?? new SiteIds(client);
    this.people = shared.people ?? new SitePeopleCache(client);
  }

  policy(listKey: string): ListPolicy | undefined {
    const list = this.listConfig(listKey);
    return list && { vocabulary: list.statuses, qa: list.qa, sampling: list.sampling };
  }

  private listConfig(listKey: string): ListConfig | undefined {
    return this.config.lists.find((l) => l.key === listKey);
  }

  private async itemsPath(list: ListConfig): Promise<string> {
    const siteId = await this.sites.resolve(list.site);
    return `/sites/${siteId}/lists/${encodeURIComponent(list.list)}/items`;
  }

  private selectFor(list: ListConfig): string {
    const c = list.columns;
    const names = new Set<string>(['Modified']);
    for (const value of Object.values(c)) if (value) names.add(value);
    if (c.owner) names.add(`${c.owner}LookupId`);
    return [...names].join(',');
  }

  async allTasks(): Promise<Task[]> {
    const perList = await Promise.all(
      this.config.lists.map(async (list) => {
        const items = await readAllPages<ListItem>(this.client, `${await this.itemsPath(list)}?expand=fields(select=${this.selectFor(list)})&$top=${PAGE_SIZE}`);
        return Promise.all(items.map((item) => this.toTask(list, item)));
      }),
    );
    return perList.flat();
  }

  /** An indexed filter on the ref column of each list: one small request per list, whatever the plan's size. */
  async findByRef(ref: string): Promise<Task[]> {
    const wanted = ref.trim();
    if (!wanted) return [];
    const perList = await Promise.all(
      this.config.lists.map(async (list) => {
        const filter = encodeURIComponent(`fields/${list.columns.ref} eq '${wanted.replace(/'/g, "''")}'`);
        const items = await readAllPages<ListItem>(this.client, `${await this.itemsPath(list)}?expand=fields(select=${this.selectFor(list)})&$filter=${filter}&$top=${PAGE_SIZE}`);
        return Promise.all(items.map((item) => this.toTask(list, item)));
      }),
    );
    // SharePoint compares text case-insensitively, so "afi4-t1" finds AFI4-T1.
    return perList.flat();
  }

  /**
   * The tasks a person answers for. Owner cells hold free role text ("HR Manager / Geo Support"), which no
   * indexed filter can match exactly, so this reads the lists and keeps the person's own; issue 10 replaces the read
   * with a delta-refreshed snapshot shared by every click.
   */
  async tasksOwnedBy(aadObjectId: string, roles: RoleDirectory): Promise<Task[]> {
    return (await this.allTasks()).filter((t) => ownersOf(t, roles).people.some((p) => p.aadObjectId === aadObjectId));
  }

  async getTask(key: TaskKey): Promise<Task | undefined> {
    const list = this.listConfig(key.listKey);
    if (!list || !/^\d{1,9}$/.test(key.itemId)) return undefined;
    try {
      const item = (await this.client.api(`${await this.itemsPath(list)}/${key.itemId}?expand=fields(select=${this.selectFor(list)})`).get()) as ListItem;
      return await this.toTask(list, item);
    } catch (e) {
      if (isGraphError(e, 404)) return undefined;
      throw e;
    }
  }

  async updateTask(key: TaskKey, eTag: string, changes: TaskChanges): Promise<{ kind: 'updated'; task: Task } | { kind: 'conflict'; latest: Task }> {
    const list = this.listConfig(key.listKey);
    if (!list) throw new Error(`Unknown list ${key.listKey}`);
    const fields = this.toFields(list, changes);
    try {
      await this.client.api(`${await this.itemsPath(list)}/${key.itemId}/fields`).header('If-Match', eTag).patch(fields);
    } catch (e) {
      if (!isGraphError(e, 412)) throw e;
      const latest = await this.getTask(key);
      if (!latest) throw e;
      return { kind: 'conflict', latest };
    }
    const task = await this.getTask(key);
    if (!task) throw new Error(`Task ${key.listKey}/${key.itemId} vanished after it was written`);
    return { kind: 'updated', task };
  }

  private toFields(list: ListConfig, changes: TaskChanges): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const spec of FIELD_TABLE) {
      const column = list.columns[spec.field];
      const value = (changes as Partial<Record<TaskField, string>>)[spec.field];
      if (!column || value === undefined) continue;
      out[column] = spec.value === 'date' && value ? startOfLocalDay(value, this.timeZone) : value;
    }
    return out;
  }

  private async toTask(list: ListConfig, item: ListItem): Promise<Task> {
    const f = item.fields;
    const c = list.columns;
    const text = (column: string | undefined): string | undefined => {
      const v = column ? f[column] : undefined;
      return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined;
    };
    const values: Partial<Record<TaskField, string>> = {};
    for (const spec of FIELD_TABLE) {
      const v = text(c[spec.field]);
      if (v === undefined || spec.value === 'people') continue;
      if (spec.value !== 'date') values[spec.field] = v;
      else if (!Number.isNaN(Date.parse(v))) values[spec.field] = localDateOf(v, this.timeZone);
    }
    const siteId = await this.sites.resolve(list.site);
    const ownerPeople = c.owner ? await this.people.for(siteId).people(lookupIdsOf(f, c.owner)) : [];
    const status = values.status ?? '';
    const { owner: _owner, lastUpdatedBy: _by, ...taskValues } = values;
    return {
      ...taskValues,
      listKey: list.key,
      itemId: item.id,
      eTag: item.eTag ?? (f['@odata.etag'] as string),
      ref: values.ref ?? `#${item.id}`,
      title: values.title ?? '(untitled)',
      plan: values.plan ?? list.plan,
      ownerPeople,
      status,
      statusCategory: categoryOf(status, list.statuses),
      lastUpdate: values.lastUpdate ?? text('Modified') ?? item.lastModifiedDateTime,
      webUrl: item.webUrl,
    };
  }
}
