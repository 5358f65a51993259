import type { IsoDate } from './dates.js';
import { RoleDirectory, uniquePeople } from './roles.js';
import { flagsFor, severityOf, type Flag, type RuleThresholds } from './rules.js';
import type { Person, Task } from './task.js';

export interface FlaggedTask {
  task: Task;
  flags: Flag[];
}

/** Everything one person is reminded about, in one message. */
export interface Reminder {
  person: Person;
  tasks: FlaggedTask[];
}

export interface UnassignedTask {
  task: Task;
  reason: string;
}

/** The people who answer for a task: its owner person column, else the holders of its owner role. */
export function ownersOf(task: Task, roles: RoleDirectory): { people: Person[]; problem?: string } {
  if (task.ownerPeople.length > 0) return { people: task.ownerPeople };
  if (!task.ownerRole?.trim()) return { people: [], problem: 'no owner' };
  const resolved = roles.resolve(task.ownerRole);
  if (resolved.people.length === 0) return { people: [], problem: `unmapped role "${task.ownerRole}"` };
  return {
    people: resolved.people,
    problem: resolved.unmapped.length ? `unmapped role "${resolved.unmapped.join('", "')}"` : undefined,
  };
}

/** May this person act as the task's owner? Owners, role holders and their deputies may. */
export function mayUpdate(task: Task, aadObjectId: string, roles: RoleDirectory): boolean {
  if (task.ownerPeople.some((p) => p.aadObjectId === aadObjectId)) return true;
  if (!task.ownerRole) return false;
  const resolved = roles.resolve(task.ownerRole);
  return [...resolved.people, ...resolved.deputies].some((p) => p.aadObjectId === aadObjectId);
}

export function compareFlagged(a: FlaggedTask, b: FlaggedTask): number {
  const bySeverity = severityOf(a.flags) - severityOf(b.flags);
  if (bySeverity !== 0) return bySeverity;
  const overdue = (t: FlaggedTask) => (t.flags[0]?.kind === 'overdue' ? t.flags[0].days : 0);
  if (overdue(a) !== overdue(b)) return overdue(b) - overdue(a);
  return (a.task.dueDate ?? '9999').localeCompare(b.task.dueDate ?? '9999') || a.task.ref.localeCompare(b.task.ref);
}

/**
 * One reminder per person, never one per task. Tasks with flags but nobody to tell are returned separately so they
 * are reported rather than dropped.
 */
export function groupReminders(
  tasks: Task[],
  roles: RoleDirectory,
  today: IsoDate,
  thresholds: RuleThresholds,
  timeZone: string,
): { reminders: Reminder[]; unassigned: UnassignedTask[] } {
  const byPerson = new Map<string, Reminder>();
  const unassigned: UnassignedTask[] = [];
  for (const task of tasks) {
    const flags = flagsFor(task, today, thresholds, timeZone);
    if (flags.length === 0) continue;
    const owners = ownersOf(task, roles);
    if (owners.people.length === 0) {
      unassigned.push({ task, reason: owners.problem ?? 'no owner' });
      continue;
    }
    for (const person of uniquePeople(owners.people)) {
      const reminder = byPerson.get(person.aadObjectId) ?? { person, tasks: [] };
      reminder.tasks.push({ task, flags });
      byPerson.set(person.aadObjectId, reminder);
    }
  }
  const reminders = [...byPerson.values()]
    .map((r) => ({ ...r, tasks: r.tasks.sort(compareFlagged) }))
    .sort((a, b) => a.person.displayName.localeCompare(b.person.displayName));
  return { reminders, unassigned };
}

/** All of one person's open or evidence-less tasks, flagged or not: the "my tasks" view. */
export function tasksOf(
  person: Pick<Person, 'aadObjectId'>,
  tasks: Task[],
  roles: RoleDirectory,
  today: IsoDate,
  thresholds: RuleThresholds,
  timeZone: string,
): FlaggedTask[] {
  return tasks
    .filter((t) => ownersOf(t, roles).people.some((p) => p.aadObjectId === person.aadObjectId))
    .map((task) => ({ task, flags: flagsFor(task, today, thresholds, timeZone) }))
    .filter((t) => t.task.statusCategory !== 'complete' || t.flags.length > 0)
    .sort(compareFlagged);
}
