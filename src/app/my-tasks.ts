import { formatDate, localDateOf } from '../domain/dates.js';
import { tasksOf } from '../domain/reminders.js';
import type { AdaptiveCard } from './cards/templates.js';
import { taskListCard, type TaskListView } from './cards/views.js';
import type { Actor, AppDeps } from './context.js';

/**
 * The person's open and evidence-less tasks, most urgent first: what `my tasks` shows and what a card becomes after
 * a save or a snooze. Reads only the person's own tasks.
 */
export async function myTasksCard(deps: AppDeps, actor: Actor, notice?: TaskListView['notice']): Promise<AdaptiveCard> {
  const roles = await deps.roles.load();
  const tasks = await deps.tasks.tasksOwnedBy(actor.aadObjectId, roles);
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const mine = tasksOf(actor, tasks, roles, today, deps.rules, deps.timeZone);
  return taskListCard({ heading: `Your improvement-plan tasks · ${formatDate(today)}`, tasks: mine, today, notice });
}
