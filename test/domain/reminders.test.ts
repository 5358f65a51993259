import { describe, expect, it } from 'vitest';
import { groupReminders, mayUpdate, tasksOf } from '../../src/domain/reminders.js';
import { RoleDirectory } from '../../src/domain/roles.js';
import { describeFlag, flagsFor } from '../../src/domain/rules.js';
import type { Person, Task } from '../../src/domain/task.js';

const TZ = 'Europe/London';
const TODAY = '2026-11-23';
const rules = { dueSoonDays: 14, staleDays: 30 };
const alex: Person = { aadObjectId: 'alex', displayName: 'Alex Wilber' };
const megan: Person = { aadObjectId: 'megan', displayName: 'Megan Bowen' };
const deputy: Person = { aadObjectId: 'dep', displayName: 'Dee Puty' };
const roles = new RoleDirectory([
  { role: 'GM Community Safety', people: [alex], deputies: [deputy], planLead: false },
  { role: 'HR Manager', people: [megan], deputies: [], planLead: false },
  { role: 'Head of L&D', people: [megan], deputies: [], planLead: false },
]);

let id = 0;
function task(over: Partial<Task>): Task {
  id += 1;
  return { listKey: 'l', itemId: String(id), eTag: `"g,1"`, ref: `T${id}`, title: `Task ${id}`, plan: 'P', ownerPeople: [], status: 'On Target', statusCategory: 'onTrack', lastUpdate: '2026-11-20T10:00:00Z', ...over };
}

describe('reminder rules', () => {
  it('flags overdue with the number of days, in the configured time zone', () => {
    expect(flagsFor(task({ dueDate: '2026-11-11' }), TODAY, rules, TZ)).toEqual([{ kind: 'overdue', days: 12 }]);
    expect(flagsFor(task({ dueDate: TODAY }), TODAY, rules, TZ)).toEqual([{ kind: 'dueSoon', days: 0 }]);
    expect(flagsFor(task({ dueDate: '2026-12-07' }), TODAY, rules, TZ)).toEqual([{ kind: 'dueSoon', days: 14 }]);
    expect(flagsFor(task({ dueDate: '2026-12-08' }), TODAY, rules, TZ)).toEqual([]);
  });

  it('flags complete tasks only for a missing evidence link', () => {
    const done = { status: 'Complete', statusCategory: 'complete' as const, dueDate: '2026-01-01', lastUpdate: '2025-01-01T00:00:00Z' };
    expect(flagsFor(task(done), TODAY, rules, TZ)).toEqual([{ kind: 'noEvidence' }]);
    expect(flagsFor(task({ ...done, evidenceSummary: 'a sentence but no document' }), TODAY, rules, TZ)).toEqual([{ kind: 'noEvidence' }]);
    expect(flagsFor(task({ ...done, evidenceLink: 'https://x.example/e.pdf' }), TODAY, rules, TZ)).toEqual([]);
  });

  it('flags stale open tasks and treats an unknown status as open', () => {
    const flags = flagsFor(task({ status: 'Amber?', statusCategory: undefined, dueDate: '2026-11-01', lastUpdate: '2026-10-01T08:00:00Z' }), TODAY, rules, TZ);
    expect(flags).toEqual([{ kind: 'overdue', days: 22 }, { kind: 'stale', days: 53 }]);
    expect(flags.map(describeFlag)).toEqual(['OVERDUE 22 days', 'STALE (no update for 53 days)']);
  });
});

describe('grouping reminders per person', () => {
  it('sends one reminder per person, most urgent first, and reports tasks nobody can be told about', () => {
    const tasks = [
      task({ ref: 'A-soon', ownerRole: 'GM Community Safety', dueDate: '2026-11-30' }),
      task({ ref: 'A-late', ownerRole: 'gm  community safety', dueDate: '2026-11-01' }),
      task({ ref: 'A-later', ownerPeople: [alex], dueDate: '2026-10-01' }),
      task({ ref: 'both', ownerRole: 'HR Manager / GM Community Safety', dueDate: '2026-11-20' }),
      task({ ref: 'fine', ownerRole: 'HR Manager', dueDate: '2027-06-01' }),
      task({ ref: 'orphan', ownerRole: 'CM / HP', dueDate: '2026-11-01' }),
      task({ ref: 'nobody', dueDate: '2026-11-01' }),
    ];
    const { reminders, unassigned } = groupReminders(tasks, roles, TODAY, rules, TZ);
    expect(reminders.map((r) => [r.person.displayName, r.tasks.map((t) => t.task.ref)])).toEqual([
      ['Alex Wilber', ['A-later', 'A-late', 'both', 'A-soon']],
      ['Megan Bowen', ['both']],
    ]);
    expect(unassigned.map((u) => [u.task.ref, u.reason])).toEqual([
      ['orphan', 'unmapped role "CM / HP"'],
      ['nobody', 'no owner'],
    ]);
  });

  it('resolves roles whose names contain separators before splitting', () => {
    expect(roles.resolve('Head of L&D').people).toEqual([megan]);
    expect(roles.resolve('Head of L&D/HR Manager').people).toEqual([megan]);
    expect(roles.resolve('SE Prevention SE People').unmapped).toEqual(['SE Prevention SE People']);
    const mixed = new RoleDirectory([{ role: 'Corporate Risk & Resilience', people: [alex], deputies: [], planLead: false }]).resolve('Corporate Risk & Resilience, Fire Control & System Replacement Project');
    expect(mixed).toEqual({ people: [alex], deputies: [], unmapped: ['Fire Control & System Replacement Project'] });
  });

  it('lets owners, role holders and deputies update, nobody else', () => {
    const t = task({ ownerRole: 'GM Community Safety' });
    expect(mayUpdate(t, 'alex', roles)).toBe(true);
    expect(mayUpdate(t, 'dep', roles)).toBe(true);
    expect(mayUpdate(t, 'megan', roles)).toBe(false);
    expect(mayUpdate(task({ ownerPeople: [megan] }), 'megan', roles)).toBe(true);
  });

  it('"my tasks" lists open work even when nothing is flagged, and hides finished work with evidence', () => {
    const mine = tasksOf(alex, [
      task({ ref: 'open', ownerPeople: [alex], dueDate: '2027-06-01' }),
      task({ ref: 'done', ownerPeople: [alex], status: 'Complete', statusCategory: 'complete', evidenceLink: 'https://e.example/x' }),
      task({ ref: 'done-no-link', ownerPeople: [alex], status: 'Complete', statusCategory: 'complete' }),
    ], roles, TODAY, rules, TZ);
    expect(mine.map((t) => t.task.ref)).toEqual(['done-no-link', 'open']);
  });
});
