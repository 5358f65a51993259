import { recoverChanges, writeAudited } from '../../app/audited-change.js';
import type { Actor, AppDeps } from '../../app/context.js';
import type { EditableTask } from '../../app/task-access.js';
import { sayIn, t } from '../../app/i18n.js';
import { localDateOf } from '../../domain/dates.js';
import { mayUpdate } from '../../domain/reminders.js';
import { QA, type Task } from '../../domain/task.js';
import { planUpdate, type UpdateRequest } from '../../domain/update.js';

export type Applied =
  | { kind: 'saved'; task: Task; notes: string[]; audited: boolean }
  | { kind: 'invalid'; errors: string[] }
  | { kind: 'conflict'; latest: Task }
  | { kind: 'not yours'; message: string };

/**
 * An owner's update, however it was asked for (the update form, a confirmed chat update, a file sent in the chat):
 * validated against the list's rules, written with the eTag it was read at and audited exactly once (`actionId`
 * makes a retry of the same request write nothing twice), then sent to QA when it completes the task.
 */
export async function applyUpdate(deps: AppDeps, actionId: string, loaded: EditableTask, eTag: string, request: UpdateRequest, actor: Actor, channel: string): Promise<Applied> {
  await recoverChanges(deps);
  const { task, policy } = loaded;
  const now = deps.clock.now();
  const say = sayIn(actor.lang ?? 'en');
  const plan = planUpdate(task, request, policy, { displayName: actor.name }, { instant: now.toISOString(), today: localDateOf(now, deps.timeZone) }, say);
  if (!plan.ok) return { kind: 'invalid', errors: plan.errors };
  if (task.eTag !== eTag) return { kind: 'conflict', latest: task };

  const saved = t(actor.lang ?? 'en', 'save.saved', { ref: task.ref, changes: plan.summary.join('; ') });
  const written = await writeAudited(deps, actionId, task, eTag, plan.changes, { aadObjectId: actor.aadObjectId, displayName: actor.name }, channel, saved);
  if (written.kind === 'conflict') {
    // The pre-check may have used the shared snapshot: the latest version decides who may see it.
    if (!mayUpdate(written.latest, actor.aadObjectId, loaded.roles)) return { kind: 'not yours', message: t(actor.lang ?? 'en', 'save.notYoursAnyMore', { ref: task.ref }) };
    return { kind: 'conflict', latest: written.latest };
  }
  deps.log.info({ ref: task.ref, listKey: task.listKey, itemId: task.itemId, actor: actor.aadObjectId, changes: plan.summary, channel }, 'task updated');
  const notes = [saved];
  if (plan.changes.qaStatus === QA.awaiting) {
    const reviewers = await deps.qaReviews.requestReview(written.task, policy, loaded.roles);
    notes.push(reviewers.length ? t(actor.lang ?? 'en', 'save.sentToQa', { names: reviewers.join(', ') }) : t(actor.lang ?? 'en', 'save.noReviewer'));
  }
  if (!written.audited) notes.push(t(actor.lang ?? 'en', 'save.auditLater'));
  return { kind: 'saved', task: written.task, notes, audited: written.audited };
}
