import { z } from 'zod';
import type { AuditEntry } from '../domain/audit.js';
import type { Logger } from './log.js';
import type { AuditLog, StateStore } from './ports.js';
import { stateRecord } from './state.js';

/** One Plan Updates row, as kept in state until it is written. */
export const auditEntrySchema = z.object({
  ref: z.string(), listKey: z.string(), itemId: z.string(), field: z.string() as z.ZodType<AuditEntry['field']>, oldValue: z.string(), newValue: z.string(),
  actor: z.string(), actorId: z.string(), at: z.string(), channel: z.string(),
});

const outbox = stateRecord('audit/outbox', z.array(auditEntrySchema), 'app/audit-trail');

const sameRow = (a: AuditEntry, b: AuditEntry) => a.itemId === b.itemId && a.listKey === b.listKey && a.field === b.field && a.at === b.at && a.actorId === b.actorId && a.newValue === b.newValue;

/**
 * Writes audit rows exactly once: rows that cannot be written go to a durable outbox and are retried before every
 * later write (and by `flush`). A failed `$batch` may still have written some of its rows (or all, with the answer
 * lost), so rows of uncertain outcome are looked up in the list before they are written again. Callers learn whether
 * the rows are in the list yet, to tell the user.
 */
export class AuditTrail {
  /** Rows asked for while a write is under way: they go together in the next write (one $batch, not one each). */
  private waiting: { entries: AuditEntry[]; uncertain: boolean; done: (written: boolean) => void }[] = [];
  private writing?: Promise<void>;

  constructor(
    private readonly log: AuditLog,
    private readonly store: StateStore,
    private readonly logger: Logger,
  ) {}

  /**
   * True when the rows are in the Plan Updates list; false when they wait in the outbox for a retry. `uncertain`:
   * some may be there already (a change completed after a crash), so only the missing ones are written.
   */
  record(entries: AuditEntry[], options: { uncertain?: boolean } = {}): Promise<boolean> {
    const written = new Promise<boolean>((done) => this.waiting.push({ entries, uncertain: options.uncertain ?? false, done }));
    this.writing ??= this.writeWaiting().finally(() => (this.writing = undefined));
    return written;
  }

  /** Writes, one group at a time, everything asked for so far, with whatever the outbox still holds. */
  private async writeWaiting(): Promise<void> {
    while (this.waiting.length) {
      const group = this.waiting;
      this.waiting = [];
      let written = false;
      try {
        const uncertain = [...((await outbox.get(this.store)) ?? []), ...group.filter((g) => g.uncertain).flatMap((g) => g.entries)];
        written = await this.write(uncertain, group.filter((g) => !g.uncertain).flatMap((g) => g.entries));
      } catch (e) {
        this.logger.error({ err: e }, 'the audit outbox could not be read or written');
      } finally {
        for (const g of group) g.done(written);
      }
    }
  }

  private async write(uncertain: AuditEntry[], fresh: AuditEntry[]): Promise<boolean> {
    if (uncertain.length + fresh.length === 0) return true;
    try {
      await this.log.append([...(await this.notYetWritten(uncertain)), ...fresh]);
      await outbox.delete(this.store);
      return true;
    } catch (e) {
      // Whatever this attempt may have written is looked up before the retry writes it.
      await outbox.put(this.store, undefined, [...uncertain, ...fresh]);
      this.logger.warn({ err: e, waiting: uncertain.length + fresh.length }, 'audit rows could not be written; kept for retry');
      return false;
    }
  }

  /** The rows not already in the list, each once. */
  private async notYetWritten(entries: AuditEntry[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    const written = await this.log.alreadyWritten(entries);
    const missing: AuditEntry[] = [];
    for (const e of entries) if (!written.includes(e) && !missing.some((m) => sameRow(m, e))) missing.push(e);
    return missing;
  }

  /** Retries the outbox; returns how many rows are still waiting. */
  async flush(): Promise<number> {
    await this.record([]);
    return ((await outbox.get(this.store)) ?? []).length;
  }

  history(ref: string, limit = 10): Promise<AuditEntry[]> {
    return this.log.history(ref, limit);
  }
}
