import { z } from 'zod';
import { eTag, input, itemId, listKey } from '../../app/card-data.js';
import { savedBefore } from '../../app/audited-change.js';
import type { Actor, AppDeps } from '../../app/context.js';
import { myTasksCardAfter } from '../../app/my-tasks.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { loadEditableTask, type EditableTask } from '../../app/task-access.js';
import type { Task } from '../../domain/task.js';
import type { UpdateRequest } from '../../domain/update.js';
import { applyUpdate } from './apply-update.js';
import { updateFormCard } from './update-form.js';
import { t, type Lang } from '../../app/i18n.js';

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

function conflictCard(editable: EditableTask, latest: Task, request: UpdateRequest, lang: Lang = 'en'): ActionOutcome {
  return {
    kind: 'card',
    card: updateFormCard({
      ...editable,
      task: latest,
      values: request,
      notice: t(lang, 'save.conflict', { ref: latest.ref }),
      lang,
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
  const loaded = await loadEditableTask(deps, data, actor);
  if ('kind' in loaded) return loaded;
  const request: UpdateRequest = {
    status: data.status, note: data.note, evidenceLink: data.evidenceLink, evidenceSummary: data.evidenceSummary, revisedDate: data.revisedDate, revisedReason: data.revisedReason,
  };
  const applied = await applyUpdate(deps, context.actionId, loaded, data.eTag, request, actor, 'Teams card');
  switch (applied.kind) {
    case 'invalid':
      return { kind: 'card', card: updateFormCard({ ...loaded, values: request, errors: applied.errors, lang: actor.lang }) };
    case 'conflict':
      return conflictCard(loaded, applied.latest, request, actor.lang);
    case 'not yours':
      return { kind: 'error', status: 403, message: applied.message };
    case 'saved': {
      const notice = { text: applied.notes.join(' '), style: applied.audited ? ('good' as const) : ('warning' as const) };
      return { kind: 'card', updateMessage: true, card: await myTasksCardAfter(deps, actor, notice), taskListNotice: notice };
    }
  }
}
