import type { Actor, AppDeps } from '../../app.js';
import { formatDate, localDateOf } from '../../domain/dates.js';
import { emptyLedger, snooze, type PersonLedger } from '../../domain/ledger.js';
import type { TaskKey } from '../../domain/task.js';
import { ledgerKey } from '../../jobs/remind.js';
import type { ActionOutcome } from '../action-router.js';
import { myTasksCard } from './my-tasks.js';
import { loadEditableTask } from './task-access.js';

/** Pauses the person's reminders about one task for 7 or 14 days; the task itself is unchanged. */
export async function snoozeTask(deps: AppDeps, data: TaskKey & { days: 7 | 14 }, actor: Actor): Promise<ActionOutcome> {
  const loaded = await loadEditableTask(deps, data, actor);
  if ('kind' in loaded) return loaded;
  const key = ledgerKey(actor.aadObjectId);
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const { ledger, until } = snooze((await deps.store.get<PersonLedger>(key)) ?? emptyLedger(), loaded.task, today, data.days);
  await deps.store.put(key, ledger);
  deps.log.info({ ref: loaded.task.ref, actor: actor.aadObjectId, until }, 'reminders snoozed');
  return { kind: 'card', updateMessage: true, card: await myTasksCard(deps, actor, { text: `Reminders about ${loaded.task.ref} are paused until ${formatDate(until)} inclusive.`, style: 'accent' }) };
}
