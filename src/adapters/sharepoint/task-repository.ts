import type { Client } from '@microsoft/microsoft-graph-client';
import { silentLogger } from '../../app/log.js';
import type { TaskRepository } from '../../app/ports.js';
import type { ListConfig, PlanConfig } from '../../config/plan.js';
import { localDateOf, startOfLocalDay } from '../../domain/dates.js';
import type { ListPolicy } from '../../domain/policy.js';
import { ownersOf } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import { categoryOf, type Task, type TaskKey } from '../../domain/task.js';
import type { TaskChanges } from '../../domain/update.js';
import { FIELD_TABLE, type TaskField } from './field-table.js';
import { isGraphError } from './graph-client.js';
import { ListSnapshots, type ListSnapshot, type RawItem } from './list-snapshots.js';
import { lookupIdsOf, SitePeopleCache } from './site-people.js';
import { SiteIds } from './sites.js';

const PAGE_SIZE = 5000;
/** The item properties PlanPulse uses: without $select each item carries about 700 bytes nobody reads. */
const ITEM_SELECT = 'id,eTag,webUrl,lastModifiedDateTime';
/** How old a snapshot a click may use: Teams waits about 15 s for an answer, a plan changes far more slowly. */
export const INTERACTIVE_MAX_AGE_MS = 15_000;

/** Tasks derived from one list's snapshot, rebuilt only for items that changed. */
interface DerivedTasks {
  version: number;
  byId: Map<string, { eTag: string; task: Task }>;
  tasks: Task[];
  byRef?: Map<string, Task[]>;
  owners?: { roles: RoleDirectory; byPerson: Map<string, Task[]> };
}

/**
 * Improvement-plan tasks in SharePoint lists, through the configured column mapping (the field table). Reads come from
 * delta-refreshed snapshots shared by every caller: a job refreshes them (one request per unchanged list), a click
 * uses one at most INTERACTIVE_MAX_AGE_MS old. Single items are read and written directly, with If-Match.
 */
export class SharePointTaskRepository implements TaskRepository {
  private readonly sites: SiteIds;
  private readonly people: SitePeopleCache;
  private readonly snapshots: ListSnapshots;
  private readonly derived = new Map<string, DerivedTasks>();

  constructor(
    private readonly client: Client,
    private readonly config: PlanConfig,
    private readonly timeZone: string,
    shared: { sites?: SiteIds; people?: SitePeopleCache; snapshots?: ListSnapshots } = {},
  ) {
    this.sites = shared.sites ?? new SiteIds(client);
    this.people = shared.people ?? new SitePeopleCache(client);
    this.snapshots = shared.snapshots ?? new ListSnapshots(client, undefined, silentLogger);
  }

  policy(listKey: string): ListPolicy | undefined {
    const list = this.listConfig(listKey);
    if (!list) return undefined;
    // The tenant's SharePoint host: "contoso.sharepoint.com:/sites/Plans" or a site id "contoso.sharepoint.com,<guid>,<guid>".
    const siteHost = list.site.split(/[:,]/)[0]!.toLowerCase();
    const files = list.input.evidenceFiles;
    return {
      vocabulary: list.statuses,
      qa: list.qa,
      sampling: list.sampling,
      input: {
        evidenceHosts: list.input.evidenceHosts ?? [siteHost],
        revisedDateMaxYears: list.input.revisedDateMaxYears,
        evidenceFiles: { maxBytes: Math.round(files.maxSizeMb * 1024 * 1024), types: files.types, folder: files.folder.replace(/^\/+|\/+$/g, '') },
      },
    };
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

  private snapshot(list: ListConfig, maxAgeMs: number): Promise<ListSnapshot> {
    return this.snapshots.get(`tasks/${list.key}`, async () => `${await this.itemsPath(list)}/delta?$select=${ITEM_SELECT}&expand=fields(select=${this.selectFor(list)})&$top=${PAGE_SIZE}`, { list: list.list, site: list.site }, maxAgeMs);
  }

  /** Every list's tasks, each list brought up to date (maxAgeMs 0: jobs always see the latest). */
  private async tasksOfAllLists(maxAgeMs: number): Promise<DerivedTasks[]> {
    return Promise.all(this.config.lists.map(async (list) => this.derive(list, await this.snapshot(list, maxAgeMs))));
  }

  private async derive(list: ListConfig, snapshot: ListSnapshot): Promise<DerivedTasks> {
    const before = this.derived.get(list.key);
    if (before?.version === snapshot.version) return before;
    const changed = [...snapshot.items.values()].filter((item) => before?.byId.get(item.id)?.eTag !== item.eTag);
    const siteId = await this.sites.resolve(list.site);
    if (list.columns.owner) await this.people.for(siteId).preload(changed.flatMap((i) => lookupIdsOf(i.fields, list.columns.owner!)));
    const byId = new Map<string, { eTag: string; task: Task }>();
    for (const item of snapshot.items.values()) {
      const kept = before?.byId.get(item.id);
      byId.set(item.id, kept?.eTag === item.eTag ? kept : { eTag: item.eTag, task: this.toTask(list, item, siteId) });
    }
    const derived: DerivedTasks = { version: snapshot.version, byId, tasks: [...byId.values()].map((t) => t.task).sort((a, b) => Number(a.itemId) - Number(b.itemId)) };
    this.derived.set(list.key, derived);
    return derived;
  }

  async allTasks(): Promise<Task[]> {
    return (await this.tasksOfAllLists(0)).flatMap((d) => d.tasks);
  }

  async findByRef(ref: string): Promise<Task[]> {
    const wanted = ref.trim().toLowerCase();
    if (!wanted) return [];
    return (await this.tasksOfAllLists(INTERACTIVE_MAX_AGE_MS)).flatMap((d) => {
      d.byRef ??= d.tasks.reduce((index, t) => index.set(t.ref.toLowerCase(), [...(index.get(t.ref.toLowerCase()) ?? []), t]), new Map<string, Task[]>());
      return d.byRef.get(wanted) ?? [];
    });
  }

  /** A person's tasks from an index built once per snapshot and role directory, so a click costs no scan. */
  async tasksOwnedBy(aadObjectId: string, roles: RoleDirectory): Promise<Task[]> {
    return (await this.tasksOfAllLists(INTERACTIVE_MAX_AGE_MS)).flatMap((d) => {
      if (d.owners?.roles !== roles) {
        const byPerson = new Map<string, Task[]>();
        for (const t of d.tasks) for (const p of ownersOf(t, roles).people) byPerson.set(p.aadObjectId, [...(byPerson.get(p.aadObjectId) ?? []), t]);
        d.owners = { roles, byPerson };
      }
      return d.owners.byPerson.get(aadObjectId) ?? [];
    });
  }

  async getTask(key: TaskKey): Promise<Task | undefined> {
    const list = this.listConfig(key.listKey);
    if (!list || !/^\d{1,9}$/.test(key.itemId)) return undefined;
    try {
      const item = (await this.client.api(`${await this.itemsPath(list)}/${key.itemId}?$select=${ITEM_SELECT}&expand=fields(select=${this.selectFor(list)})`).get()) as RawItem;
      return await this.remember(list, item);
    } catch (e) {
      if (isGraphError(e, 404)) return undefined;
      throw e;
    }
  }

  async taskAsOf(key: TaskKey, eTag: string): Promise<Task | undefined> {
    const known = this.derived.get(key.listKey)?.byId.get(key.itemId);
    return known?.eTag === eTag ? known.task : this.getTask(key);
  }

  /**
   * A freshly read or written item also refreshes the shared snapshot, so the person's next card shows it. When it is
   * the only change since the tasks were derived, they are patched in place: a save does not rebuild 10,000 tasks.
   */
  private async remember(list: ListConfig, item: RawItem): Promise<Task> {
    const siteId = await this.sites.resolve(list.site);
    if (list.columns.owner) await this.people.for(siteId).preload(lookupIdsOf(item.fields, list.columns.owner));
    const task = this.toTask(list, item, siteId);
    const snapshot = this.snapshots.peek(`tasks/${list.key}`);
    if (!snapshot) return task;
    const versionBefore = snapshot.version;
    snapshot.upsert(item);
    const derived = this.derived.get(list.key);
    if (derived && derived.version === versionBefore && snapshot.version === versionBefore + 1) {
      this.patch(derived, derived.byId.get(item.id)?.task, task);
      derived.byId.set(item.id, { eTag: item.eTag, task });
      derived.version = snapshot.version;
    }
    return task;
  }

  /** Replaces one task in the derived list and its indexes. */
  private patch(derived: DerivedTasks, old: Task | undefined, task: Task): void {
    const at = old ? derived.tasks.indexOf(old) : -1;
    if (at >= 0) derived.tasks[at] = task;
    else {
      derived.tasks.push(task);
      derived.tasks.sort((a, b) => Number(a.itemId) - Number(b.itemId));
    }
    const swap = (index: Map<string, Task[]>, oldKeys: string[], newKeys: string[]) => {
      for (const k of oldKeys) index.set(k, (index.get(k) ?? []).filter((t) => t !== old));
      for (const k of newKeys) index.set(k, [...(index.get(k) ?? []), task]);
    };
    if (derived.byRef) swap(derived.byRef, old ? [old.ref.toLowerCase()] : [], [task.ref.toLowerCase()]);
    if (derived.owners) {
      const { roles, byPerson } = derived.owners;
      swap(byPerson, old ? ownersOf(old, roles).people.map((p) => p.aadObjectId) : [], ownersOf(task, roles).people.map((p) => p.aadObjectId));
    }
  }

  async updateTask(key: TaskKey, eTag: string, changes: TaskChanges): Promise<{ kind: 'updated'; task: Task } | { kind: 'conflict'; latest: Task }> {
    const list = this.listConfig(key.listKey);
    if (!list) throw new Error(`Unknown list ${key.listKey}`);
    let written: Record<string, unknown>;
    try {
      written = (await this.client.api(`${await this.itemsPath(list)}/${key.itemId}/fields`).header('If-Match', eTag).patch(this.toFields(list, changes))) as Record<string, unknown>;
    } catch (e) {
      if (!isGraphError(e, 412)) throw e;
      const latest = await this.getTask(key);
      if (!latest) throw e;
      return { kind: 'conflict', latest };
    }
    // The PATCH answers with the item's fields and new eTag: no second read.
    const known = this.snapshots.peek(`tasks/${list.key}`)?.items.get(key.itemId);
    const item: RawItem = { id: key.itemId, eTag: String(written['@odata.etag']), webUrl: known?.webUrl, lastModifiedDateTime: String(written.Modified ?? ''), fields: { ...known?.fields, ...written } };
    return { kind: 'updated', task: await this.remember(list, item) };
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

  /** The task an item holds, through the field table; owner lookup ids must have been preloaded. */
  private toTask(list: ListConfig, item: RawItem, siteId: string): Task {
    const f = item.fields;
    const c = list.columns;
    const text = (column: string | undefined): string | undefined => {
      const v = column ? f[column] : undefined;
      return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined;
    };
    const people = this.people.for(siteId);
    const task = {
      listKey: list.key,
      itemId: item.id,
      eTag: item.eTag ?? (f['@odata.etag'] as string),
      ownerPeople: c.owner ? lookupIdsOf(f, c.owner).flatMap((id) => people.person(id) ?? []) : [],
      webUrl: item.webUrl,
    } as Task;
    const set = task as unknown as Record<string, unknown>;
    // Tasks are built for every item of every list: straight into the object, no intermediate copies.
    for (const spec of FIELD_TABLE) {
      if (spec.value === 'people' || spec.field === 'lastUpdatedBy') continue;
      const v = text(c[spec.field]);
      if (v === undefined) continue;
      if (spec.value !== 'date') set[spec.field] = v;
      else if (!Number.isNaN(Date.parse(v))) set[spec.field] = localDateOf(v, this.timeZone);
    }
    task.ref ??= `#${item.id}`;
    task.title ??= '(untitled)';
    task.plan ??= list.plan;
    task.status ??= '';
    task.statusCategory = categoryOf(task.status, list.statuses);
    task.lastUpdate ??= text('Modified') ?? item.lastModifiedDateTime;
    return task;
  }
}
