import type { Client } from '@microsoft/microsoft-graph-client';
import { localDateOf, startOfLocalDay } from '../domain/dates.js';
import type { TaskRepository } from '../domain/ports.js';
import type { ListPolicy } from '../domain/policy.js';
import { categoryOf, type Task, type TaskKey } from '../domain/task.js';
import type { TaskChanges } from '../domain/update.js';
import type { ListConfig, PlanConfig } from '../config/plan.js';
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

  async listTasks(): Promise<Task[]> {
    const perList = await Promise.all(
      this.config.lists.map(async (list) => {
        const items = await readAllPages<ListItem>(this.client, `${await this.itemsPath(list)}?expand=fields(select=${this.selectFor(list)})&$top=${PAGE_SIZE}`);
        return Promise.all(items.map((item) => this.toTask(list, item)));
      }),
    );
    return perList.flat();
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
    const c = list.columns;
    const out: Record<string, unknown> = {};
    const put = (column: string | undefined, value: unknown) => {
      if (column && value !== undefined) out[column] = value;
    };
    put(c.status, changes.status);
    put(c.progressNotes, changes.progressNotes);
    put(c.evidenceLink, changes.evidenceLink);
    put(c.evidenceSummary, changes.evidenceSummary);
    put(c.dueDate, changes.dueDate && startOfLocalDay(changes.dueDate, this.timeZone));
    put(c.originalDueDate, changes.originalDueDate && startOfLocalDay(changes.originalDueDate, this.timeZone));
    put(c.revisedDateReason, changes.revisedDateReason);
    put(c.lastUpdate, changes.lastUpdate);
    put(c.lastUpdatedBy, changes.lastUpdatedBy);
    put(c.qaStatus, changes.qaStatus);
    put(c.qaReviewer, changes.qaReviewer);
    put(c.qaReviewerId, changes.qaReviewerId);
    put(c.qaDate, changes.qaDate && startOfLocalDay(changes.qaDate, this.timeZone));
    put(c.qaComment, changes.qaComment);
    put(c.sampleStatus, changes.sampleStatus);
    put(c.sampledBy, changes.sampledBy);
    put(c.sampledById, changes.sampledById);
    put(c.sampleDate, changes.sampleDate && startOfLocalDay(changes.sampleDate, this.timeZone));
    put(c.sampleComment, changes.sampleComment);
    return out;
  }

  private async toTask(list: ListConfig, item: ListItem): Promise<Task> {
    const f = item.fields;
    const c = list.columns;
    const text = (column: string | undefined): string | undefined => {
      const v = column ? f[column] : undefined;
      return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined;
    };
    const date = (column: string | undefined) => {
      const v = text(column);
      return v && !Number.isNaN(Date.parse(v)) ? localDateOf(v, this.timeZone) : undefined;
    };
    const siteId = await this.sites.resolve(list.site);
    const ownerPeople = c.owner ? await this.people.for(siteId).people(lookupIdsOf(f, c.owner)) : [];
    const status = text(c.status) ?? '';
    return {
      listKey: list.key,
      itemId: item.id,
      eTag: item.eTag ?? (f['@odata.etag'] as string),
      ref: text(c.ref) ?? `#${item.id}`,
      title: text(c.title) ?? '(untitled)',
      plan: text(c.plan) ?? list.plan,
      pillar: text(c.pillar),
      area: text(c.area),
      ownerPeople,
      ownerRole: text(c.ownerRole),
      dueDate: date(c.dueDate),
      dueDateText: text(c.dueDateText),
      originalDueDate: date(c.originalDueDate),
      revisedDateReason: text(c.revisedDateReason),
      status,
      statusCategory: categoryOf(status, list.statuses),
      progressNotes: text(c.progressNotes),
      evidenceLink: text(c.evidenceLink),
      evidenceSummary: text(c.evidenceSummary),
      lastUpdate: text(c.lastUpdate) ?? text('Modified') ?? item.lastModifiedDateTime,
      webUrl: item.webUrl,
      qaStatus: text(c.qaStatus),
      qaReviewer: text(c.qaReviewer),
      qaReviewerId: text(c.qaReviewerId),
      qaDate: date(c.qaDate),
      qaComment: text(c.qaComment),
      sampleStatus: text(c.sampleStatus),
      sampledBy: text(c.sampledBy),
      sampledById: text(c.sampledById),
      sampleDate: date(c.sampleDate),
      sampleComment: text(c.sampleComment),
    };
  }
}
