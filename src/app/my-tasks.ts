import { localDateOf } from '../domain/dates.js';
import { dateIn, t } from './i18n.js';
import { tasksOf } from '../domain/reminders.js';
import type { AdaptiveCard } from './cards/templates.js';
import { messageCard, taskListCard, type TaskListView } from './cards/views.js';
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
  const lang = actor.lang ?? 'en';
  return taskListCard({ heading: t(lang, 'tasks.heading', { date: dateIn(lang, today) }), tasks: mine, today, notice, lang });
}

/**
 * The card to answer with after something was done (a save, a snooze): the refreshed list, or — if the list cannot
 * be read just now — what was done, so the person is never told less than what happened.
 */
export async function myTasksCardAfter(deps: AppDeps, actor: Actor, notice: NonNullable<TaskListView['notice']>): Promise<AdaptiveCard> {
  try {
    return await myTasksCard(deps, actor, notice);
  } catch (e) {
    deps.log.warn({ err: e }, 'task list could not be refreshed after a change');
    const lang = actor.lang ?? 'en';
    return messageCard(t(lang, 'tasks.done'), `${notice.text}\n\n${t(lang, 'tasks.notRefreshed')}`, notice.style === 'warning' ? 'warning' : 'good', { lang });
  }
}
