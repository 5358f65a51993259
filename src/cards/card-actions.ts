import type { AppDeps } from '../app.js';
import { CardActionRouter } from './action-router.js';
import { decisionSchema, emptySchema, saveUpdateSchema, snoozeSchema, taskRefSchema } from './action-schemas.js';
import { snoozeTask } from './actions/snooze.js';
import { decide, openDecision, QA_STAGE, SAMPLE_STAGE } from './actions/decisions.js';
import { myTasksCard } from './actions/my-tasks.js';
import { openUpdate } from './actions/open-update.js';
import { saveUpdate } from './actions/save-update.js';

/** Every Action.Execute verb PlanPulse's cards use, and the handler that answers it. */
export function createCardActions(deps: AppDeps): CardActionRouter {
  return new CardActionRouter(deps.store, () => deps.clock.now())
    .on('myTasks', emptySchema, async (_data, actor) => ({ kind: 'card', card: await myTasksCard(deps, actor) }))
    .on('openUpdate', taskRefSchema, (key, actor) => openUpdate(deps, key, actor))
    .on('saveUpdate', saveUpdateSchema, (data, actor) => saveUpdate(deps, data, actor), { idempotent: true })
    .on('snooze', snoozeSchema, (data, actor) => snoozeTask(deps, data, actor), { idempotent: true })
    .on('qaOpen', taskRefSchema, (key, actor) => openDecision(deps, QA_STAGE, key, actor))
    .on('qaApprove', decisionSchema, (data, actor) => decide(deps, QA_STAGE, 'approve', data, actor), { idempotent: true })
    .on('qaReturn', decisionSchema, (data, actor) => decide(deps, QA_STAGE, 'return', data, actor), { idempotent: true })
    .on('sampleOpen', taskRefSchema, (key, actor) => openDecision(deps, SAMPLE_STAGE, key, actor))
    .on('sampleConfirm', decisionSchema, (data, actor) => decide(deps, SAMPLE_STAGE, 'confirm', data, actor), { idempotent: true })
    .on('sampleChallenge', decisionSchema, (data, actor) => decide(deps, SAMPLE_STAGE, 'challenge', data, actor), { idempotent: true });
}
