import type { Actor, AppDeps } from '../../app.js';
import { formatDate, localDateOf } from '../../domain/dates.js';
import { tasksOf } from '../../domain/reminders.js';
import { taskListCard, type TaskListView } from '../views.js';
import type { AdaptiveCard } from '../templates.js';

/** The person's open and evidence-less tasks, most urgent first: what `my tasks` and the Refresh button show. */
export async function myTasksCard(deps: AppDeps, actor: Actor, notice?: TaskListView['notice']): Promise<AdaptiveCard> {
  const [tasks, roles] = await Promise.all([deps.tasks.listTasks(), deps.roles.load()]);
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const mine = tasksOf(actor, tasks, roles, today, deps.rules, deps.timeZone);
  return taskListCard({ heading: `Your improvement-plan tasks · ${formatDate(today)}`, tasks: mine, today, notice });
}
