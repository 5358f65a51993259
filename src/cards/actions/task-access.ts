import type { Actor, AppDeps } from '../../app.js';
import { mayUpdate, ownersOf } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import type { StatusVocabulary, Task, TaskKey } from '../../domain/task.js';
import type { ActionOutcome } from '../action-router.js';

export interface EditableTask {
  task: Task;
  roles: RoleDirectory;
  vocabulary: StatusVocabulary;
  ownerName: string;
}

/**
 * Re-reads the task and checks the clicking user may act on it. The card's own data is never trusted for this:
 * ids can be forged and ownership can change after a card was sent.
 */
export async function loadEditableTask(deps: AppDeps, key: TaskKey, actor: Actor): Promise<EditableTask | Extract<ActionOutcome, { kind: 'error' }>> {
  const vocabulary = deps.tasks.vocabulary(key.listKey);
  const [task, roles] = await Promise.all([vocabulary ? deps.tasks.getTask(key) : undefined, deps.roles.load()]);
  if (!task || !vocabulary)
    return { kind: 'error', status: 404, message: 'That task no longer exists in the plan (it may have been deleted in SharePoint). Type "my tasks" for your current list.' };
  const owners = ownersOf(task, roles).people.map((p) => p.displayName);
  const ownerName = task.ownerRole ? `${task.ownerRole}${owners.length ? ` (${owners.join(', ')})` : ''}` : owners.join(', ') || 'nobody';
  if (!mayUpdate(task, actor.aadObjectId, roles))
    return { kind: 'error', status: 403, message: `${task.ref} is not one of your tasks, so you cannot update it. Its owner is ${ownerName}.` };
  return { task, roles, vocabulary, ownerName };
}
