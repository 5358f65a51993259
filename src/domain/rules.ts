import { daysBetween, localDateOf, type IsoDate } from './dates.js';
import type { Task } from './task.js';

export interface RuleThresholds {
  /** A task due within this many days (inclusive) is "due soon". */
  dueSoonDays: number;
  /** An open task with no update for this many days is "stale". */
  staleDays: number;
}

export type Flag =
  | { kind: 'overdue'; days: number }
  | { kind: 'dueSoon'; days: number }
  | { kind: 'noEvidence' }
  | { kind: 'stale'; days: number };

export type FlagKind = Flag['kind'];

/** Most urgent first: the order flags and tasks are shown in. */
const SEVERITY: Record<FlagKind, number> = { overdue: 0, noEvidence: 1, dueSoon: 2, stale: 3 };

/**
 * The reasons a task needs its owner's attention today. A complete task is only ever flagged for a missing evidence
 * link (a sentence without a document is the gap QA keeps finding);
 * a task in an unknown status is treated as open, so a typo never hides an overdue task.
 */
export function flagsFor(task: Task, today: IsoDate, thresholds: RuleThresholds, timeZone: string): Flag[] {
  const flags: Flag[] = [];
  if (task.statusCategory === 'complete') {
    if (!task.evidenceLink?.trim()) flags.push({ kind: 'noEvidence' });
    return flags;
  }
  if (task.dueDate) {
    const daysLeft = daysBetween(today, task.dueDate);
    if (daysLeft < 0) flags.push({ kind: 'overdue', days: -daysLeft });
    else if (daysLeft <= thresholds.dueSoonDays) flags.push({ kind: 'dueSoon', days: daysLeft });
  }
  if (task.lastUpdate) {
    const idle = daysBetween(localDateOf(task.lastUpdate, timeZone), today);
    if (idle >= thresholds.staleDays) flags.push({ kind: 'stale', days: idle });
  }
  return flags.sort((a, b) => SEVERITY[a.kind] - SEVERITY[b.kind]);
}

export function severityOf(flags: Flag[]): number {
  return flags.reduce((best, f) => Math.min(best, SEVERITY[f.kind]), 99);
}

export function describeFlag(flag: Flag): string {
  switch (flag.kind) {
    case 'overdue':
      return `OVERDUE ${flag.days} day${flag.days === 1 ? '' : 's'}`;
    case 'dueSoon':
      return flag.days === 0 ? 'DUE TODAY' : `DUE SOON (${flag.days} day${flag.days === 1 ? '' : 's'})`;
    case 'noEvidence':
      return 'NO EVIDENCE';
    case 'stale':
      return `STALE (no update for ${flag.days} days)`;
  }
}
