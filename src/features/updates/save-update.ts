import { z } from 'zod';
import { eTag, input, itemId, listKey } from '../../app/card-data.js';
import { recoverChanges, savedBefore, writeAudited } from '../../app/audited-change.js';
import type { Actor, AppDeps } from '../../app/context.js';
import { myTasksCardAfter } from '../../app/my-tasks.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { loadEditableTask, type EditableTask } from '../../app/task-access.js';
import { mayUpdate } from '../../domain/reminders.js';
import { localDateOf } from '../../domain/dates.js';
import { QA, type Task } from '../../domain/task.js';
import { planUpdate, type UpdateRequest } from '../../domain/update.js';
import { updateFormCard } from './update-form.js';

export const saveUpdateSchema = z.object({
  listKey,
  itemId,
  eTag,
  status: input,
  note: input,
  evidenceLink: input,
  evidenceSummary: input,
  revisedDate: input,
  revisedReason: input,
});

export type SaveUpdateData = z.infer<typeof saveUpdateSchema>;

function conflictCard(editable: EditableTask, latest: Task, request: UpdateRequest): ActionOutcome {
  return {
    kind: 'card',
    card: updateFormCard({
      ...editable,
      task: latest,
      values: request,
      notice: `Someone else changed ${latest.ref} after you opened this form, so nothing was saved. The latest values are shown above and your entries are kept below: check them and press Save again.`,
    }),
  };
}

/**
 * Saves an owner's update: re-read, authorise, validate, then write only the changed fields with the eTag the form
 * was opened with. A stale form never overwrites someone else's edit.
 */
export async function saveUpdate(deps: AppDeps, data: SaveUpdateData, actor: Actor, context: { actionId: string }): Promise<ActionOutcome> {
  // Teams retrying a click whose first attempt saved (perhaps in a process that then died): say what was saved.
  const earlier = await savedBefore(deps, context.actionId);
  if (earlier) return { kind: 'card', updateMessage: true, card: await myTasksCardAfter(deps, actor, { text: earlier, style: 'good' }), taskListNotice: { text: earlier, style: 'good' } };
  await recoverChanges(deps);
  const loaded = await loadEditableTask(deps, data, actor);
  if ('kind' in loaded) return loaded;
  const { task, policy } = loaded;
  const request: UpdateRequest = {
    status: data.status, note: data.note, evidenceLink: data.evidenceLink, evidenceSummary: data.evidenceSummary, revisedDate: data.revisedDate, revisedReason: data.revisedReason,
  };
  const now = deps.clock.now();
  const plan = planUpdate(task, request, policy, { displayName: actor.name }, { instant: now.toISOString(), today: localDateOf(now, deps.timeZone) });
  if (!plan.ok) return { kind: 'card', card: updateFormCard({ ...loaded, values: request, errors: plan.errors }) };
  if (task.eTag !== data.eTag) return conflictCard(loaded, task, request);

  const saved = `Saved ${task.ref}: ${plan.summary.join('; ')}.`;
  const written = await writeAudited(deps, context.actionId, task, data.eTag, plan.changes, { aadObjectId: actor.aadObjectId, displayName: actor.name }, 'Teams card', saved);
  if (written.kind === 'conflict') {
    // The pre-check may have used the shared snapshot: the latest version decides who may see it.
    if (!mayUpdate(written.latest, actor.aadObjectId, loaded.roles)) return { kind: 'error', status: 403, message: `${task.ref} is not one of your tasks any more, so it was not updated.` };
    return conflictCard(loaded, written.latest, request);
  }
  deps.log.info({ ref: task.ref, listKey: data.listKey, itemId: data.itemId, actor: actor.aadObjectId, changes: plan.summary }, 'task updated');
  const notes = [saved];
  const { audited } = written;
  if (plan.changes.qaStatus === QA.awaiting) {
    const reviewers = await deps.qaReviews.requestReview(written.task, policy, loaded.roles);
    notes.push(reviewers.length ? `Sent to QA: ${reviewers.join(', ')}.` : 'No QA reviewer could be reached in Teams yet; the task waits as "Awaiting QA" and reviewers will see it in their next QA reminder.');
  }
  if (!audited) notes.push('The change log (Plan Updates) could not be written just now; PlanPulse keeps it and will retry.');
  const notice = { text: notes.join(' '), style: audited ? ('good' as const) : ('warning' as const) };
  return { kind: 'card', updateMessage: true, card: await myTasksCardAfter(deps, actor, notice), taskListNotice: notice };
}
