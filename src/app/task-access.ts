import { mayUpdate, ownersOf } from '../domain/reminders.js';
import type { RoleDirectory } from '../domain/roles.js';
import type { ListPolicy } from '../domain/policy.js';
import type { Task, TaskKey } from '../domain/task.js';
import type { Actor, AppDeps } from './context.js';
import type { ActionOutcome } from './outcomes.js';
import { t, type Lang } from './i18n.js';

export interface EditableTask {
  task: Task;
  roles: RoleDirectory;
  policy: ListPolicy;
  ownerName: string;
}

/**
 * The task a card acts on; undefined when the list or item does not exist (forged or deleted). With the card's eTag
 * it may come from the shared snapshot when that still has the same version: the write's If-Match is what guards.
 */
export async function loadTask(deps: AppDeps, key: TaskKey & { eTag?: string }): Promise<{ task: Task; policy: ListPolicy; roles: RoleDirectory } | undefined> {
  const policy = deps.tasks.policy(key.listKey);
  const read = () => (key.eTag ? deps.tasks.taskAsOf(key, key.eTag) : deps.tasks.getTask(key));
  const [task, roles] = await Promise.all([policy ? read() : undefined, deps.roles.load()]);
  return task && policy ? { task, policy, roles } : undefined;
}

/** What a person is told when the task a card acts on is gone (deleted, or a forged card). */
export const taskGone = (lang: Lang = 'en') => t(lang, 'access.gone');

export function ownerLabel(task: Task, roles: RoleDirectory): string {
  const owners = ownersOf(task, roles).people.map((p) => p.displayName);
  return task.ownerRole ? `${task.ownerRole}${owners.length ? ` (${owners.join(', ')})` : ''}` : owners.join(', ') || 'nobody';
}

/**
 * Re-reads the task and checks the clicking user may act on it. The card's own data is never trusted for this:
 * ids can be forged and ownership can change after a card was sent.
 */
export async function loadEditableTask(deps: AppDeps, key: TaskKey & { eTag?: string }, actor: Actor): Promise<EditableTask | Extract<ActionOutcome, { kind: 'error' }>> {
  const loaded = await loadTask(deps, key);
  if (!loaded) return { kind: 'error', status: 404, message: taskGone(actor.lang) };
  const ownerName = ownerLabel(loaded.task, loaded.roles);
  if (!mayUpdate(loaded.task, actor.aadObjectId, loaded.roles))
    return { kind: 'error', status: 403, message: t(actor.lang ?? 'en', 'access.notYours', { ref: loaded.task.ref, owner: ownerName }) };
  return { ...loaded, ownerName };
}
