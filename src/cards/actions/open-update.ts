import type { Actor, AppDeps } from '../../app.js';
import type { TaskKey } from '../../domain/task.js';
import type { ActionOutcome } from '../action-router.js';
import { updateFormCard } from '../views.js';
import { loadEditableTask } from './task-access.js';

export async function openUpdate(deps: AppDeps, key: TaskKey, actor: Actor): Promise<ActionOutcome> {
  const loaded = await loadEditableTask(deps, key, actor);
  if ('kind' in loaded) return loaded;
  return { kind: 'card', card: updateFormCard(loaded) };
}
