import type { Actor, AppDeps } from '../../app/context.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { loadEditableTask } from '../../app/task-access.js';
import type { TaskKey } from '../../domain/task.js';
import { updateFormCard } from './update-form.js';

export async function openUpdate(deps: AppDeps, key: TaskKey, actor: Actor): Promise<ActionOutcome> {
  const loaded = await loadEditableTask(deps, key, actor);
  if ('kind' in loaded) return loaded;
  return { kind: 'card', card: updateFormCard({ ...loaded, lang: actor.lang }) };
}
