import { flagText, inert, messageCard, taskListCard } from '../../app/cards/views.js';
import type { AppDeps } from '../../app/context.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';
import { unreachableIn } from '../../app/unreachable.js';
import { languageFor } from '../../app/language.js';
import { delivered, outcomeText, reachPerson, sendCard, sendCardTo, sentBefore } from '../../app/send.js';
import { daysBetween, localDateOf, type IsoDate } from '../../domain/dates.js';
import { emptyLedger, flagsDue, recordReminder, shouldEscalate, type PersonLedger } from '../../domain/ledger.js';
import { groupReminders, ownersOf, type Reminder, type UnassignedTask } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import { flagsFor } from '../../domain/rules.js';
import { taskKeyString, type Person, type Task } from '../../domain/task.js';
import { nonWorkingReason } from '../../domain/working-days.js';
import { escalations as escalationRecords, ledgers as ledgerRecords } from './state.js';

export type ReminderOutcome =
  | 'sent'
  | 'sent, after PlanPulse installed itself in their Teams and welcomed them'
  | 'would install PlanPulse in their Teams, welcome them, then send'
  | 'already sent today'
  | 'nothing new: reminded within the cadence, or snoozed'
  | 'would send'
  | 'in doubt: a send to them was interrupted today, so it is not repeated until the next working day'
  | `not reachable: ${string}`
  | `failed: ${string}`;

export interface RemindOptions {
  dryRun: boolean;
  /** Send even on a weekend or bank holiday (an administrator asking now, not the schedule). */
  anyDay?: boolean;
}

export interface Escalation {
  to: string;
  tasks: { ref: string; daysOverdue: number; owner: string }[];
  outcome: string;
}

export interface RemindReport {
  date: IsoDate;
  dryRun: boolean;
  /** Set when today is not a working day and nothing was sent because of it. */
  skippedBecause?: string;
  reminders: (Reminder & { outcome: ReminderOutcome })[];
  unassigned: UnassignedTask[];
  escalations: Escalation[];
}

const ESCALATION_REPEAT_DAYS = 14;

/**
 * Sends each owner one card grouping what needs them today. A task is not raised again for the same reason within
 * its cadence, snoozed tasks are left out, and nobody gets two reminders on one day: the person's ledger is written
 * right after their card is sent, so a re-run (or a restart part-way) skips everyone already reminded.
 * Tasks overdue long after repeated reminders with no update then go to the owner's manager (or the plan lead).
 */
export async function runReminders(deps: AppDeps, options: RemindOptions): Promise<RemindReport> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const nonWorking = nonWorkingReason(today);
  if (nonWorking && !options.anyDay && !options.dryRun) return { date: today, dryRun: false, skippedBecause: nonWorking, reminders: [], unassigned: [], escalations: [] };
  const [tasks, roles] = await Promise.all([deps.tasks.allTasks(), deps.roles.load()]);
  const { reminders, unassigned } = groupReminders(tasks, roles, today, deps.rules, deps.timeZone);
  const report: RemindReport = { date: today, dryRun: options.dryRun, reminders: [], unassigned, escalations: [] };
  const ledgers = new Map<string, PersonLedger>();

  for (const reminder of reminders) {
    const id = reminder.person.aadObjectId;
    let due = reminder;
    // One person's trouble (a damaged record, a store that failed) is theirs alone: the run goes on for the others.
    const outcome = await (async (): Promise<ReminderOutcome> => {
      const ledger = (await ledgerRecords.get(deps.store, id)) ?? emptyLedger();
      ledgers.set(id, ledger);
      if (ledger.lastSent === today) return 'already sent today';
      due = { ...reminder, tasks: flagsDue(reminder.tasks, ledger, today, deps.rules.cadenceDays) };
      const once = `reminder/${today}`;
      if ((await sentBefore(deps, once, id)) === 'in doubt') return 'in doubt: a send to them was interrupted today, so it is not repeated until the next working day';
      if (due.tasks.length === 0) return 'nothing new: reminded within the cadence, or snoozed';
      const found = await reachPerson(deps, reminder.person.aadObjectId, 'owner', { dryRun: options.dryRun });
      if ('wouldInstall' in found) return 'would install PlanPulse in their Teams, welcome them, then send';
      if ('unreachable' in found) return `not reachable: ${found.unreachable}`;
      if (options.dryRun) return 'would send';
      const lang = await languageFor(deps, id);
      const card = taskListCard({ heading: t(lang, 'tasks.morning', { name: reminder.person.displayName.split(' ')[0]!, date: dateIn(lang, today) }), tasks: due.tasks, today, lang });
      // Once a day per person, whatever crashes: a send interrupted today is in doubt and not repeated.
      const sent = await sendCardTo(deps, found.conversation, card, t(lang, 'notify.reminder', { n: due.tasks.length }), { once });
      if (sent.kind === 'in doubt') return 'in doubt: a send to them was interrupted today, so it is not repeated until the next working day';
      if (sent.kind === 'unreachable') return `not reachable: ${sent.reason}`;
      if (sent.kind === 'failed') return `failed: ${sent.reason}`;
      // From the ledger as it is now: a snooze clicked during the run is kept.
      const tasksSent = due.tasks;
      ledgers.set(id, await ledgerRecords.update(deps.store, id, (current) => recordReminder(current ?? emptyLedger(), tasksSent, today, sent.activityId)));
      if (sent.kind !== 'sent') return 'already sent today';
      return found.installed === 'newly installed' ? 'sent, after PlanPulse installed itself in their Teams and welcomed them' : 'sent';
    })().catch((e: unknown): ReminderOutcome => {
      deps.log.error({ err: e, person: id }, 'reminder for one person failed; the run goes on');
      return `failed: ${(e as Error).message}`;
    });
    report.reminders.push({ ...due, outcome });
  }
  report.escalations = await escalate(deps, tasks, roles, ledgers, today, options.dryRun);
  deps.log.info({ date: today, dryRun: options.dryRun, people: report.reminders.length, unassigned: unassigned.length, escalations: report.escalations.length }, 'reminder run finished');
  return report;
}

async function escalate(deps: AppDeps, tasks: Task[], roles: RoleDirectory, ledgers: Map<string, PersonLedger>, today: IsoDate, dryRun: boolean): Promise<Escalation[]> {
  const byManager = new Map<string, { manager: Person; tasks: { task: Task; daysOverdue: number; owner: string }[] }>();
  const planLeads = roles.entries.filter((e) => e.planLead).flatMap((e) => e.people);
  for (const task of tasks) {
    const overdue = flagsFor(task, today, deps.rules, deps.timeZone).find((f) => f.kind === 'overdue');
    if (!overdue || overdue.kind !== 'overdue') continue;
    const owners = ownersOf(task, roles).people;
    const owned = owners.map((o) => ledgers.get(o.aadObjectId)).filter((l): l is PersonLedger => l !== undefined);
    if (!shouldEscalate(task, overdue.days, owned, deps.rules.escalation, deps.timeZone)) continue;
    const last = await escalationRecords.get(deps.store, taskKeyString(task));
    if (last && daysBetween(last.date, today) < ESCALATION_REPEAT_DAYS) continue;
    const owner = owners[0]!;
    // No manager in Entra ID (404): the plan lead hears instead.
    const manager = await deps.people.managerOf(owner.aadObjectId);
    const managers = (manager ? [manager] : planLeads).filter((m) => !owners.some((o) => o.aadObjectId === m.aadObjectId));
    for (const manager of managers) {
      const entry = byManager.get(manager.aadObjectId) ?? { manager, tasks: [] };
      entry.tasks.push({ task, daysOverdue: overdue.days, owner: task.ownerRole ? `${task.ownerRole} (${owners.map((o) => o.displayName).join(', ')})` : owner.displayName });
      byManager.set(manager.aadObjectId, entry);
    }
  }
  const escalations: Escalation[] = [];
  for (const { manager, tasks: list } of byManager.values()) {
    let outcome = 'would send';
    if (!dryRun) {
      const lang = await languageFor(deps, manager.aadObjectId);
      const text = list.map((line) => `**${line.task.ref}** ${inert(line.task.title.slice(0, 80))} — ${line.owner} · ${t(lang, 'escalation.line', { days: line.daysOverdue })}`).join('\n\n');
      const card = messageCard(t(lang, 'escalation.heading', { n: list.length }), text, 'attention', { lang });
      const sent = await sendCard(deps, manager.aadObjectId, card, t(lang, 'notify.escalation'), { once: `escalation/${today}`, mayInstall: true });
      outcome = outcomeText(sent);
      if (delivered(sent)) for (const t of list) await escalationRecords.put(deps.store, taskKeyString(t.task), { date: today });
    }
    escalations.push({ to: manager.displayName, tasks: list.map((t) => ({ ref: t.task.ref, daysOverdue: t.daysOverdue, owner: t.owner })), outcome });
  }
  return escalations;
}

/** A person's outcome in the reader's language (the outcome itself stays as recorded). */
function outcomeIn(lang: Lang, outcome: ReminderOutcome): string {
  if (outcome.startsWith('not reachable: ')) return t(lang, 'remind.o.unreachable', { reason: lang === 'en' ? outcome.slice('not reachable: '.length) : unreachableIn(lang, outcome.slice('not reachable: '.length)) });
  if (outcome.startsWith('failed: ')) return t(lang, 'remind.o.failed', { reason: outcome.slice('failed: '.length) });
  const key = ({
    sent: 'sent', 'sent, after PlanPulse installed itself in their Teams and welcomed them': 'sentInstalled', 'would install PlanPulse in their Teams, welcome them, then send': 'wouldInstall',
    'already sent today': 'already', 'nothing new: reminded within the cadence, or snoozed': 'nothingNew', 'would send': 'wouldSend',
    'in doubt: a send to them was interrupted today, so it is not repeated until the next working day': 'inDoubt',
  } as Record<string, string>)[outcome];
  return key ? t(lang, `remind.o.${key}`) : outcome;
}

/** Human-readable report: who gets which tasks and why. */
export function formatRemindReport(report: RemindReport, lang: Lang = 'en'): string {
  const lines: string[] = [];
  const date = dateIn(lang, report.date);
  if (report.skippedBecause) return t(lang, 'remind.skipped', { date, why: report.skippedBecause });
  const nonWorking = nonWorkingReason(report.date);
  if (report.dryRun && nonWorking) lines.push(t(lang, 'remind.note', { date, why: nonWorking }));
  const taskCount = report.reminders.reduce((n, r) => n + r.tasks.length, 0);
  lines.push(`${report.dryRun ? t(lang, 'remind.dry') : ''}${t(lang, 'remind.head', { date, people: report.reminders.length, tasks: taskCount })}`);
  for (const r of report.reminders) {
    lines.push('', `${r.person.displayName} <${r.person.email ?? r.person.aadObjectId}> — ${t(lang, 'remind.person', { count: r.tasks.length })} — ${outcomeIn(lang, r.outcome)}`);
    for (const task of r.tasks) lines.push(`  ${task.task.ref.padEnd(10)} ${task.flags.map((f) => flagText(f, lang)).join(', ').padEnd(48)} ${task.task.title.slice(0, 70)}`);
  }
  if (report.unassigned.length) {
    lines.push('', t(lang, 'remind.unassigned', { n: report.unassigned.length }));
    for (const u of report.unassigned) lines.push(`  ${u.task.ref.padEnd(10)} ${u.reason}`);
  }
  for (const e of report.escalations)
    lines.push('', t(lang, 'remind.escalated', { to: e.to, outcome: e.outcome, tasks: e.tasks.map((x) => t(lang, 'remind.escalatedTask', { ref: x.ref, days: x.daysOverdue, owner: x.owner })).join('; ') }));
  return lines.join('\n');
}

export function summariseRemindReport(report: RemindReport, lang: Lang = 'en'): string {
  const count = (o: string) => report.reminders.filter((r) => r.outcome.startsWith(o)).length;
  const installed = count('sent, after PlanPulse installed');
  return t(lang, 'remind.summary', {
    date: dateIn(lang, report.date), sent: count('sent'), installed: installed ? t(lang, 'remind.summaryInstalled', { n: installed }) : '', already: count('already sent today'),
    nothing: count('nothing new'), unreachable: count('not reachable'), failed: count('failed'), unassigned: report.unassigned.length, escalations: report.escalations.length,
  });
}
