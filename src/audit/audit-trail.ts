import type { AuditEntry } from '../domain/audit.js';
import type { AuditLog } from '../domain/ports.js';
import type { Logger } from '../log.js';
import type { StateStore } from '../state/store.js';

const OUTBOX = 'audit/outbox';

/**
 * Writes audit rows, never dropping one: rows that cannot be written go to a durable outbox and are retried before
 * every later write (and by `flush`). Callers learn whether the rows are in the list yet, to tell the user.
 */
export class AuditTrail {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: AuditLog,
    private readonly store: StateStore,
    private readonly logger: Logger,
  ) {}

  /** True when the rows are in the Plan Updates list; false when they wait in the outbox for a retry. */
  record(entries: AuditEntry[]): Promise<boolean> {
    return this.serially(async () => {
      const pending = [...((await this.store.get<AuditEntry[]>(OUTBOX)) ?? []), ...entries];
      if (pending.length === 0) return true;
      try {
        await this.log.append(pending);
        await this.store.delete(OUTBOX);
        return true;
      } catch (e) {
        // Rows appended before the failure would be written twice on retry; a duplicate row beats a missing one.
        await this.store.put(OUTBOX, pending);
        this.logger.warn({ err: e, waiting: pending.length }, 'audit rows could not be written; kept for retry');
        return false;
      }
    });
  }

  /** Retries the outbox; returns how many rows are still waiting. */
  async flush(): Promise<number> {
    await this.record([]);
    return ((await this.store.get<AuditEntry[]>(OUTBOX)) ?? []).length;
  }

  history(ref: string, limit = 10): Promise<AuditEntry[]> {
    return this.log.history(ref, limit);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
