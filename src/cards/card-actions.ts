import type { AppDeps } from '../app.js';
import { CardActionRouter } from './action-router.js';
import { emptySchema, saveUpdateSchema, taskRefSchema } from './action-schemas.js';
import { myTasksCard } from './actions/my-tasks.js';
import { openUpdate } from './actions/open-update.js';
import { saveUpdate } from './actions/save-update.js';

/** Every Action.Execute verb PlanPulse's cards use, and the handler that answers it. */
export function createCardActions(deps: AppDeps): CardActionRouter {
  return new CardActionRouter(deps.store)
    .on('myTasks', emptySchema, async (_data, actor) => ({ kind: 'card', card: await myTasksCard(deps, actor) }))
    .on('openUpdate', taskRefSchema, (key, actor) => openUpdate(deps, key, actor))
    .on('saveUpdate', saveUpdateSchema, (data, actor) => saveUpdate(deps, data, actor), { idempotent: true });
}
