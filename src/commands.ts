import type { Actor, AppDeps } from './app.js';
import { myTasksCard } from './cards/actions/my-tasks.js';
import { messageCard } from './cards/views.js';
import type { AdaptiveCard } from './cards/templates.js';
import { historyFor } from './history.js';
import { digestLeaders, runDigest } from './jobs/digest.js';

export type CommandReply = { card: AdaptiveCard } | { text: string };

const HELP = [
  '**my tasks** — your open tasks, most urgent first, each with an Update button.',
  '**history AFI1-T3** — the last changes made to a task.',
  '**digest** — (plan leads and leaders) this week\'s digest of every plan.',
  '**help** — this list.',
  '**remind** — (administrators) send today\'s reminders now.',
  'Each morning on working days PlanPulse sends you one card with anything overdue, due soon, complete without evidence, or not updated for a while.',
].join('\n\n');

export function helpCard(prefix?: string): AdaptiveCard {
  return messageCard('PlanPulse keeps your improvement-plan tasks moving', `${prefix ? `${prefix}\n\n` : ''}${HELP}`);
}

/** Typed commands in the 1:1 chat. Unknown text gets help, never silence. */
export async function handleCommand(text: string, actor: Actor, deps: AppDeps, runReminders: () => Promise<string>): Promise<CommandReply> {
  const command = text.replace(/<at>.*?<\/at>/g, '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (['my tasks', 'tasks', 'mytasks'].includes(command)) return { card: await myTasksCard(deps, actor) };
  if (command === 'help' || command === '?') return { card: helpCard() };
  if (command.startsWith('history')) {
    const ref = text.replace(/<at>.*?<\/at>/g, '').trim().slice('history'.length).trim();
    if (!ref) return { text: 'Which task? Type history followed by its reference, for example: history AFI1-T3' };
    const found = await historyFor(ref, actor, deps);
    return 'refusal' in found ? { text: found.refusal } : { card: found.card };
  }
  if (command === 'digest') {
    const roles = await deps.roles.load();
    if (!digestLeaders(deps, roles).includes(actor.aadObjectId) && !deps.isAdmin(actor.aadObjectId))
      return { text: 'The digest is for plan leads and the leaders who receive it each week. Ask your plan administrator to add you.' };
    return { card: (await runDigest(deps, { dryRun: true, send: false })).card };
  }
  if (command === 'remind') {
    if (!deps.isAdmin(actor.aadObjectId)) return { text: 'Only PlanPulse administrators can send reminders from chat. Ask your plan administrator, or wait for the scheduled run.' };
    return { text: await runReminders() };
  }
  return { card: helpCard(`I didn't understand "${text.trim().slice(0, 60)}". Here is what I can do:`) };
}
