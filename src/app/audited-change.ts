import { z } from 'zod';
import { auditEntries } from '../domain/audit.js';
import type { Task, TaskKey } from '../domain/task.js';
import type { TaskChanges } from '../domain/update.js';
import { auditEntrySchema } from './audit-trail.js';
import type { AppDeps } from './context.js';
import { stateRecord } from './state.js';


/**
 * A change about to be written to a list, recorded before the write: the item, the version it was read at, the
 * fields written and the audit rows they make. Removed once the rows are safely in the audit trail (or its outbox),
 * so the folder holds only changes that may need completing.
 */
const intents = stateRecord(
  'audit/intents',
  z.object({
    at: z.string(),
    key: z.object({ listKey: z.string(), itemId: z.string() }),
    eTagBefore: z.string(),
    changes: z.record(z.string(), z.string()),
    entries: z.array(auditEntrySchema),
    summary: z.string(),
  }),
  'app/audited-change',
);

/** Finished changes by action id, kept a day so a retried click can be told what was saved. */
const finished = stateRecord('audit/finished', z.object({ at: z.string(), summary: z.string() }), 'app/audited-change', { durable: false });

export type AuditedWrite = { kind: 'updated'; task: Task; audited: boolean } | { kind: 'conflict'; latest: Task };

let lastLook = Number.NEGATIVE_INFINITY;

/** How long a finished change is remembered for a retried click to be answered with it. */
const KEEP_DONE_MS = 24 * 60 * 60_000;

/**
 * Writes a change to a task and its audit rows exactly once, whatever fails and whenever the process dies. The intent
 * is durable before the list write; after it, the rows go to the audit trail (whose outbox survives a failed append)
 * and the change is recorded as finished. If the process dies in between, `recoverChanges` finds the intent, checks whether
 * the write applied (the item carries the change's own LastUpdate instant or values), and writes the rows only if
 * they are not already in the Plan Updates list.
 */
export async function writeAudited(
  deps: AppDeps,
  id: string,
  task: Task,
  eTag: string,
  changes: TaskChanges,
  actor: { aadObjectId: string; displayName: string },
  channel: string,
  summary: string,
): Promise<AuditedWrite> {
  const at = deps.clock.now().toISOString();
  const entries = auditEntries(task, changes, actor, at, channel);
  await intents.put(deps.store, id, { at, key: { listKey: task.listKey, itemId: task.itemId }, eTagBefore: eTag, changes: definedOnly(changes), entries, summary });
  const written = await deps.tasks.updateTask(task, eTag, changes);
  if (written.kind === 'conflict') {
    await intents.delete(deps.store, id);
    return written;
  }
  const audited = await deps.audit.record(entries);
  await finish(deps, id, at, summary);
  return { kind: 'updated', task: written.task, audited };
}

/** What an earlier attempt of the same action already saved (its summary), if it did. */
export async function savedBefore(deps: AppDeps, id: string): Promise<string | undefined> {
  if (await intents.get(deps.store, id)) await recoverOne(deps, id);
  return (await finished.get(deps.store, id))?.summary;
}

async function finish(deps: AppDeps, id: string, at: string, summary: string): Promise<void> {
  await finished.put(deps.store, id, { at, summary });
  await intents.delete(deps.store, id);
}

function definedOnly(changes: TaskChanges): Record<string, string> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** Did the write land? The item still holds every value it wrote (LastUpdate alone is unique to this change). */
function applied(task: Task, changes: Record<string, string>): boolean {
  const has = (field: string, value: string) => String((task as unknown as Record<string, unknown>)[field] ?? '') === value;
  // SharePoint keeps date-times to the second.
  const second = (t: unknown) => Math.floor(new Date(String(t)).getTime() / 1000);
  if (changes.lastUpdate !== undefined) return has('lastUpdate', changes.lastUpdate) || second(task.lastUpdate) === second(changes.lastUpdate);
  return Object.entries(changes).every(([f, v]) => f === 'lastUpdatedBy' || has(f, v) || (f.endsWith('Date') && String((task as unknown as Record<string, unknown>)[f]).startsWith(v.slice(0, 10))));
}

async function recoverOne(deps: AppDeps, id: string): Promise<'audited' | 'not applied' | 'gone'> {
  const intent = await intents.get(deps.store, id);
  if (!intent) return 'gone';
  const task = await deps.tasks.getTask(intent.key as TaskKey);
  if (!task || task.eTag === intent.eTagBefore || !applied(task, intent.changes)) {
    await intents.delete(deps.store, id);
    return task ? 'not applied' : 'gone';
  }
  // Rows already written (the process died after the append) are not written twice.
  const audited = await deps.audit.record(intent.entries, { uncertain: true });
  if (!audited) return 'not applied';
  await finish(deps, id, intent.at, intent.summary);
  deps.log.warn({ id, ref: intent.entries[0]?.ref }, 'a change interrupted before its audit rows was completed');
  return 'audited';
}

/**
 * Completes every change interrupted between its list write and its audit rows (at start-up, before each change,
 * and by housekeeping), and forgets finished ones after a day. Returns how many were completed.
 */
export async function recoverChanges(deps: AppDeps, options: { olderThanMs?: number } = {}): Promise<number> {
  // Before a change, look at most once a minute: interrupted changes are rare, clicks are not.
  const now = deps.clock.now().getTime();
  if (options.olderThanMs === undefined && now - lastLook < 60_000 && now >= lastLook) return 0;
  lastLook = now;
  let completed = 0;
  for (const id of await intents.ids(deps.store)) {
    const intent = await intents.get(deps.store, id);
    if (!intent) continue;
    // A change another request may still be writing is left alone (at start-up nothing is in flight: 0).
    if (deps.clock.now().getTime() - Date.parse(intent.at) < (options.olderThanMs ?? 60_000)) continue;
    if ((await recoverOne(deps, id)) === 'audited') completed += 1;
  }
  return completed;
}

/** Forgets finished changes older than a day (housekeeping). */
export function sweepFinishedChanges(deps: AppDeps): Promise<number> {
  return finished.sweep(deps.store, (record) => deps.clock.now().getTime() - Date.parse(record.at) > KEEP_DONE_MS);
}
