import type { Client } from '@microsoft/microsoft-graph-client';
import type { PlanConfig } from '../../config/plan.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { AuditLog } from '../../app/ports.js';
import { sendInBatches } from './batch.js';
import { readAllPages } from './graph-client.js';
import { SiteIds } from './sites.js';

/** The Plan Updates list (brief schema): ActionRef, ItemId, List, Field, OldValue, NewValue, Actor, ActorId, At, Channel. */
export class SharePointAuditLog implements AuditLog {
  private readonly sites: SiteIds;

  constructor(
    private readonly client: Client,
    private readonly config: PlanConfig,
    sites?: SiteIds,
  ) {
    this.sites = sites ?? new SiteIds(client);
  }

  private async itemsPath(): Promise<string> {
    const audit = this.config.audit;
    if (!audit) throw new Error('No audit list is configured (plan config "audit")');
    return `/sites/${await this.sites.resolve(audit.site)}/lists/${encodeURIComponent(audit.list)}/items`;
  }

  /** The list column a domain field is stored in, so administrators read the names they know. */
  private columnOf(entry: AuditEntry): string {
    const list = this.config.lists.find((l) => l.key === entry.listKey);
    return (list?.columns as Record<string, string | undefined> | undefined)?.[entry.field] ?? entry.field;
  }

  /** One change's rows in one `$batch` (twenty rows a request); a row Graph refused fails the append. */
  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const path = (await this.itemsPath()).replace(/^\/+/, '/');
    const responses = await sendInBatches(
      this.client,
      entries.map((e, i) => ({
        id: String(i + 1),
        method: 'POST',
        url: path,
        body: {
          fields: {
            Title: `${e.ref} ${this.columnOf(e)}`.slice(0, 255),
            ActionRef: e.ref, ItemId: e.itemId, List: e.listKey, Field: this.columnOf(e), OldValue: e.oldValue, NewValue: e.newValue,
            Actor: e.actor, ActorId: e.actorId, At: e.at, Channel: e.channel,
          },
        },
      })),
    );
    const refused = responses.filter((r) => r.status >= 400);
    if (refused.length) throw new Error(`The Plan Updates list refused ${refused.length} of ${entries.length} rows: ${refused[0]!.status} ${refused[0]!.body?.error?.message ?? ''}`.trim());
  }

  async history(ref: string, limit: number): Promise<AuditEntry[]> {
    return (await this.rowsOf(ref)).slice(0, limit);
  }

  /** The rows of `entries` already in the list, compared as stored (column names, date-times to the second). */
  async alreadyWritten(entries: AuditEntry[]): Promise<AuditEntry[]> {
    const second = (t: string) => Math.floor(Date.parse(t) / 1000);
    const stored = new Map(await Promise.all([...new Set(entries.map((e) => e.ref))].map(async (ref) => [ref, await this.rowsOf(ref)] as const)));
    return entries.filter((e) =>
      stored.get(e.ref)!.some((x) => x.itemId === e.itemId && x.listKey === e.listKey && x.field === this.columnOf(e) && x.actorId === e.actorId && x.newValue === e.newValue && second(x.at) === second(e.at)),
    );
  }

  /** Every row about a task reference, newest first; `field` is the column name as stored. */
  private async rowsOf(ref: string): Promise<AuditEntry[]> {
    const path = await this.itemsPath();
    const filter = encodeURIComponent(`fields/ActionRef eq '${ref.replace(/'/g, "''")}'`);
    const items = await readAllPages<{ id: string; fields: Record<string, string> }>(this.client, `${path}?expand=fields&$filter=${filter}&$top=5000`);
    // Newest first; rows written in the same instant keep the order they were appended in.
    items.sort((a, b) => (b.fields.At ?? '').localeCompare(a.fields.At ?? '') || Number(b.id) - Number(a.id));
    return items.map(({ fields: f }) => ({
      ref: f.ActionRef ?? ref, listKey: f.List ?? '', itemId: f.ItemId ?? '', field: (f.Field ?? '') as AuditEntry['field'],
      oldValue: f.OldValue ?? '', newValue: f.NewValue ?? '', actor: f.Actor ?? '', actorId: f.ActorId ?? '', at: f.At ?? '', channel: f.Channel ?? '',
    }));
  }
}
