import type { Task } from './task.js';
import type { TaskChanges } from './update.js';

/** One row of the Plan Updates list: one field PlanPulse changed on one task. */
export interface AuditEntry {
  ref: string;
  listKey: string;
  itemId: string;
  /** A field a card or job changes, or one an import writes. */
  field: keyof TaskChanges | 'ref' | 'title' | 'plan' | 'pillar' | 'area' | 'ownerRole' | 'dueDateText' | 'statusAsWritten';
  oldValue: string;
  newValue: string;
  actor: string;
  actorId: string;
  /** UTC instant. */
  at: string;
  /** Where the change came from, e.g. "Teams card", "sampling job". */
  channel: string;
}

const BOOKKEEPING = new Set<keyof TaskChanges>(['lastUpdate', 'lastUpdatedBy']);

/** The audit rows for writing `changes` over `task`: every field whose value actually changes. */
export function auditEntries(task: Task, changes: TaskChanges, actor: { aadObjectId: string; displayName: string }, at: string, channel: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const [field, value] of Object.entries(changes) as [keyof TaskChanges, string | undefined][]) {
    if (value === undefined || BOOKKEEPING.has(field)) continue;
    const old = String((task as unknown as Record<string, unknown>)[field] ?? '');
    if (old === value) continue;
    // Notes are appended: record the whole entry added (every line of it), not the whole log twice.
    const added = old && value.endsWith(`\n${old}`) ? value.slice(0, value.length - old.length - 1) : value;
    const [oldValue, newValue] = field === 'progressNotes' ? ['', added] : [old, value];
    entries.push({ ref: task.ref, listKey: task.listKey, itemId: task.itemId, field, oldValue, newValue, actor: actor.displayName, actorId: actor.aadObjectId, at, channel });
  }
  return entries;
}
