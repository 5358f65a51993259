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

/**
 * Writes audit rows, never dropping one: rows that cannot be written go to a durable outbox and are retried before
 * every later write (and by `flush`). Callers learn whether the rows are in the list yet, to tell the user.
 */
export class AuditTrail {
  /** Rows asked for while a write is under way: they go together in the next write (one $batch, not one each). */
  private waiting: { entries: AuditEntry[]; done: (written: boolean) => void }[] = [];
  private writing?: Promise<void>;

  constructor(
    private readonly log: AuditLog,
    private readonly store: StateStore,
    private readonly logger: Logger,
  ) {}

  /** True when the rows are in the Plan Updates list; false when they wait in the outbox for a retry. */
  record(entries: AuditEntry[]): Promise<boolean> {
    const written = new Promise<boolean>((done) => this.waiting.push({ entries, done }));
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
        written = await this.write([...((await outbox.get(this.store)) ?? []), ...group.flatMap((g) => g.entries)]);
      } catch (e) {
        this.logger.error({ err: e }, 'the audit outbox could not be read or written');
      } finally {
        for (const g of group) g.done(written);
      }
    }
  }

  private async write(pending: AuditEntry[]): Promise<boolean> {
    if (pending.length === 0) return true;
    try {
      await this.log.append(pending);
      await outbox.delete(this.store);
      return true;
    } catch (e) {
      // Rows appended before the failure would be written twice on retry; a duplicate row beats a missing one.
      await outbox.put(this.store, undefined, pending);
      this.logger.warn({ err: e, waiting: pending.length }, 'audit rows could not be written; kept for retry');
      return false;
    }
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
