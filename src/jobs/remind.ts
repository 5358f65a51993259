import type { AppDeps } from '../app.js';
import { formatDate, localDateOf, type IsoDate } from '../domain/dates.js';
import { groupReminders, type Reminder, type UnassignedTask } from '../domain/reminders.js';
import { describeFlag } from '../domain/rules.js';
import { nonWorkingReason } from '../domain/working-days.js';
import { taskListCard } from '../cards/views.js';

export type ReminderOutcome = 'sent' | 'already sent today' | 'would send' | 'not reachable: PlanPulse is not installed in their Teams' | `failed: ${string}`;

export interface RemindOptions {
  dryRun: boolean;
  /** Send even on a weekend or bank holiday (an administrator asking now, not the schedule). */
  anyDay?: boolean;
}

export interface RemindReport {
  date: IsoDate;
  dryRun: boolean;
  /** Set when today is not a working day and nothing was sent because of it. */
  skippedBecause?: string;
  reminders: (Reminder & { outcome: ReminderOutcome })[];
  unassigned: UnassignedTask[];
}

interface LedgerEntry {
  activityId: string;
  sentAt: string;
  tasks: string[];
}

/**
 * Sends each owner one card grouping everything that needs them today. A person is sent at most one reminder a
 * day: the ledger entry written after each send makes a re-run (or a restart part-way) skip them.
 */
export async function runReminders(deps: AppDeps, options: RemindOptions): Promise<RemindReport> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const nonWorking = nonWorkingReason(today);
  if (nonWorking && !options.anyDay && !options.dryRun) return { date: today, dryRun: false, skippedBecause: nonWorking, reminders: [], unassigned: [] };
  const [tasks, roles] = await Promise.all([deps.tasks.listTasks(), deps.roles.load()]);
  const { reminders, unassigned } = groupReminders(tasks, roles, today, deps.rules, deps.timeZone);
  const report: RemindReport = { date: today, dryRun: options.dryRun, reminders: [], unassigned };

  for (const reminder of reminders) {
    const ledgerKey = `reminders/${today}/${reminder.person.aadObjectId}`;
    const outcome = await (async (): Promise<ReminderOutcome> => {
      if (await deps.store.get<LedgerEntry>(ledgerKey)) return 'already sent today';
      const conversation = await deps.conversations.get(deps.tenantId, reminder.person.aadObjectId);
      if (!conversation) return 'not reachable: PlanPulse is not installed in their Teams';
      if (options.dryRun) return 'would send';
      const card = taskListCard({ heading: `Good morning ${reminder.person.displayName.split(' ')[0]} · improvement-plan tasks for ${formatDate(today)}`, tasks: reminder.tasks, today });
      try {
        const activityId = await deps.messenger.sendCard(conversation, card, `${reminder.tasks.length} improvement-plan tasks need you`);
        await deps.store.put<LedgerEntry>(ledgerKey, { activityId, sentAt: deps.clock.now().toISOString(), tasks: reminder.tasks.map((t) => t.task.ref) });
        return 'sent';
      } catch (e) {
        deps.log.warn({ err: e, person: reminder.person.aadObjectId }, 'reminder send failed');
        return `failed: ${(e as Error).message}`;
      }
    })();
    report.reminders.push({ ...reminder, outcome });
  }
  deps.log.info({ date: today, dryRun: options.dryRun, people: report.reminders.length, unassigned: unassigned.length }, 'reminder run finished');
  return report;
}

/** Human-readable report: who gets which tasks and why. */
export function formatRemindReport(report: RemindReport): string {
  const lines: string[] = [];
  if (report.skippedBecause)
    return `No reminders sent: ${formatDate(report.date)} is not a working day (${report.skippedBecause}). Reminders go out on working days only; add --any-day to send now anyway.`;
  const nonWorking = nonWorkingReason(report.date);
  if (report.dryRun && nonWorking) lines.push(`Note: ${formatDate(report.date)} is not a working day (${nonWorking}); a real run today would send nothing unless --any-day is given.`);
  const taskCount = report.reminders.reduce((n, r) => n + r.tasks.length, 0);
  lines.push(`${report.dryRun ? 'DRY RUN — nothing sent. ' : ''}Reminders for ${formatDate(report.date)}: ${report.reminders.length} people, ${taskCount} task reminders.`);
  for (const r of report.reminders) {
    lines.push('', `${r.person.displayName} <${r.person.email ?? r.person.aadObjectId}> — ${r.tasks.length} task${r.tasks.length === 1 ? '' : 's'} — ${r.outcome}`);
    for (const t of r.tasks) lines.push(`  ${t.task.ref.padEnd(10)} ${t.flags.map(describeFlag).join(', ').padEnd(44)} ${t.task.title.slice(0, 70)}`);
  }
  if (report.unassigned.length) {
    lines.push('', `Nobody to remind — ${report.unassigned.length} task${report.unassigned.length === 1 ? '' : 's'} need an owner mapping (add the role to the Roles list):`);
    for (const u of report.unassigned) lines.push(`  ${u.task.ref.padEnd(10)} ${u.reason}`);
  }
  return lines.join('\n');
}

export function summariseRemindReport(report: RemindReport): string {
  const count = (o: string) => report.reminders.filter((r) => r.outcome === o).length;
  return `Reminder run for ${formatDate(report.date)}: ${count('sent')} sent, ${count('already sent today')} already reminded today, ${report.reminders.filter((r) => r.outcome.startsWith('not reachable')).length} not reachable, ${report.reminders.filter((r) => r.outcome.startsWith('failed')).length} failed; ${report.unassigned.length} tasks have nobody to remind.`;
}
