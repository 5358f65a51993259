import { emptySchema, taskRefSchema } from '../../app/card-data.js';
import { cardVerb, type Feature } from '../../app/feature.js';
import { t } from '../../app/i18n.js';
import { myTasksCard } from '../../app/my-tasks.js';
import { answerChatUpdate } from './chat-update.js';
import { attachEvidence, attachEvidenceSchema, receiveEvidenceFile } from './evidence-file.js';
import { openUpdate } from './open-update.js';
import { saveUpdate, saveUpdateSchema } from './save-update.js';

/** Updates: an owner's own task list, the update form, plain-words updates and evidence files, saved back to the list. */
export const updates: Feature = {
  name: 'updates',
  verbs: [
    cardVerb({ verb: 'myTasks', schema: emptySchema, handle: async (deps, _data, actor) => ({ kind: 'card', card: await myTasksCard(deps, actor) }) }),
    cardVerb({ verb: 'openUpdate', schema: taskRefSchema, handle: openUpdate }),
    cardVerb({ verb: 'saveUpdate', schema: saveUpdateSchema, idempotent: true, handle: saveUpdate }),
    cardVerb({ verb: 'attachEvidence', schema: attachEvidenceSchema, idempotent: true, handle: attachEvidence }),
  ],
  commands: [
    {
      words: ['my tasks', 'tasks', 'mytasks', 'fy nhasgau', 'tasgau'],
      help: 'help.myTasks',
      handle: async (deps, { actor }) => ({ card: await myTasksCard(deps, actor) }),
    },
    { words: [], freeText: true, help: 'help.chatUpdate', handle: (deps, { actor, argument }) => answerChatUpdate(deps, actor, argument) },
    {
      words: ['evidence', 'tystiolaeth'],
      takesArgument: true,
      takesFiles: true,
      help: 'help.evidence',
      handle: async (deps, { actor, argument, message }) =>
        message?.files.length || message?.pastedPictures
          ? receiveEvidenceFile(deps, actor, message)
          : { text: t(actor.lang ?? 'en', 'evidence.howTo', { ref: argument || 'AFI3-T2' }) },
    },
  ],
};
