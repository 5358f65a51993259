import { z } from 'zod';
import { itemId, listKey } from '../../app/card-data.js';
import type { Actor, AppDeps } from '../../app/context.js';
import { myTasksCardAfter } from '../../app/my-tasks.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { loadEditableTask } from '../../app/task-access.js';
import { formatDate, localDateOf } from '../../domain/dates.js';
import { emptyLedger, snooze } from '../../domain/ledger.js';
import { ledgers } from './state.js';

export const snoozeSchema = z.object({ listKey, itemId, days: z.union([z.literal(7), z.literal(14)], { error: 'must be 7 or 14' }) });

/** Pauses the person's reminders about one task for 7 or 14 more days; the task itself is unchanged. */
export async function snoozeTask(deps: AppDeps, data: z.infer<typeof snoozeSchema>, actor: Actor): Promise<ActionOutcome> {
  const loaded = await loadEditableTask(deps, data, actor);
  if ('kind' in loaded) return loaded;
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  let until = today;
  // Compare-and-swap: a reminder run or another snooze writing this person's ledger at the same time is kept.
  await ledgers.update(deps.store, actor.aadObjectId, (current) => {
    const snoozed = snooze(current ?? emptyLedger(), loaded.task, today, data.days);
    until = snoozed.until;
    return snoozed.ledger;
  });
  deps.log.info({ ref: loaded.task.ref, actor: actor.aadObjectId, until }, 'reminders snoozed');
  const notice = { text: `Reminders about ${loaded.task.ref} are paused until ${formatDate(until)} inclusive.`, style: 'accent' as const };
  return { kind: 'card', updateMessage: true, card: await myTasksCardAfter(deps, actor, notice), taskListNotice: notice };
}
