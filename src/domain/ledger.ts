import { addDays, daysBetween, localDateOf, type IsoDate } from './dates.js';
import type { FlaggedTask } from './reminders.js';
import type { FlagKind } from './rules.js';
import { taskKeyString, type Task } from './task.js';

/** How often one person may be reminded about the same task for the same reason. */
export type Cadence = Record<FlagKind, number>;

export const DEFAULT_CADENCE: Cadence = { overdue: 3, dueSoon: 7, noEvidence: 7, stale: 7 };

/** What one person has been reminded about: per task, when each rule last fired and how many reminders in all. */
export interface PersonLedger {
  lastSent?: IsoDate;
  lastActivityId?: string;
  tasks: Record<string, { rules: Partial<Record<FlagKind, IsoDate>>; reminders: number; firstReminded: IsoDate }>;
  /** Task key -> the last day it is snoozed. */
  snoozedUntil: Record<string, IsoDate>;
}

export const emptyLedger = (): PersonLedger => ({ tasks: {}, snoozedUntil: {} });

/**
 * The flags still worth a reminder today: not snoozed, and not already reminded for the same rule within its
 * cadence. Tasks left with no flags drop out.
 */
export function flagsDue(flagged: FlaggedTask[], ledger: PersonLedger, today: IsoDate, cadence: Cadence): FlaggedTask[] {
  return flagged
    .filter((t) => !(ledger.snoozedUntil[taskKeyString(t.task)] && ledger.snoozedUntil[taskKeyString(t.task)]! >= today))
    .map((t) => {
      const seen = ledger.tasks[taskKeyString(t.task)]?.rules ?? {};
      return { ...t, flags: t.flags.filter((f) => !seen[f.kind] || daysBetween(seen[f.kind]!, today) >= cadence[f.kind]) };
    })
    .filter((t) => t.flags.length > 0);
}

export function recordReminder(ledger: PersonLedger, sent: FlaggedTask[], today: IsoDate, activityId: string): PersonLedger {
  const tasks = { ...ledger.tasks };
  for (const t of sent) {
    const key = taskKeyString(t.task);
    const entry = tasks[key] ?? { rules: {}, reminders: 0, firstReminded: today };
    tasks[key] = { rules: { ...entry.rules, ...Object.fromEntries(t.flags.map((f) => [f.kind, today])) }, reminders: entry.reminders + 1, firstReminded: entry.firstReminded };
  }
  return { ...ledger, tasks, lastSent: today, lastActivityId: activityId };
}

/** Snoozing again extends: the days are added to a snooze still running, or start today. */
export function snooze(ledger: PersonLedger, task: Task, today: IsoDate, days: 7 | 14): { ledger: PersonLedger; until: IsoDate } {
  const running = ledger.snoozedUntil[taskKeyString(task)];
  const until = addDays(running && running >= today ? running : addDays(today, -1), days);
  return { ledger: { ...ledger, snoozedUntil: { ...ledger.snoozedUntil, [taskKeyString(task)]: until } }, until };
}

export interface EscalationPolicy {
  /** Escalate a task overdue by more than this many days… */
  overdueDays: number;
  /** …after at least this many reminders with no update since the first of them. */
  afterReminders: number;
}

/**
 * Whether an overdue task has gone unanswered long enough to go to the owner's manager: overdue more than N days,
 * reminded at least K times, and not updated since the first of those reminders.
 */
export function shouldEscalate(task: Task, overdueDays: number, ledgers: PersonLedger[], policy: EscalationPolicy, timeZone: string): boolean {
  if (overdueDays <= policy.overdueDays) return false;
  const entries = ledgers.map((l) => l.tasks[taskKeyString(task)]).filter((e) => e !== undefined);
  const reminders = entries.reduce((n, e) => n + e.reminders, 0);
  if (reminders < policy.afterReminders) return false;
  const first = entries.map((e) => e.firstReminded).sort()[0]!;
  return !task.lastUpdate || localDateOf(task.lastUpdate, timeZone) < first;
}
