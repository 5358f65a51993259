import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE, emptyLedger, flagsDue, recordReminder, shouldEscalate, snooze } from '../../src/domain/ledger.js';
import type { FlaggedTask } from '../../src/domain/reminders.js';
import type { Task } from '../../src/domain/task.js';

const task = (id: string, over: Partial<Task> = {}): Task => ({ listKey: 'l', itemId: id, eTag: '"e,1"', ref: `T${id}`, title: 't', plan: 'P', ownerPeople: [], status: 'On Target', lastUpdate: '2026-10-01T09:00:00Z', ...over });
const overdue = (t: Task, days = 20): FlaggedTask => ({ task: t, flags: [{ kind: 'overdue', days }, { kind: 'stale', days: 50 }] });

describe('reminder ledger rules', () => {
  it('holds back each rule until its cadence has passed', () => {
    const t = overdue(task('1'));
    const ledger = recordReminder(emptyLedger(), [t], '2026-11-23', 'act-1');
    expect(ledger).toMatchObject({ lastSent: '2026-11-23', lastActivityId: 'act-1', tasks: { 'l/1': { rules: { overdue: '2026-11-23', stale: '2026-11-23' }, reminders: 1, firstReminded: '2026-11-23' } } });
    expect(flagsDue([t], ledger, '2026-11-25', DEFAULT_CADENCE)).toEqual([]);
    expect(flagsDue([t], ledger, '2026-11-26', DEFAULT_CADENCE)).toEqual([{ task: t.task, flags: [{ kind: 'overdue', days: 20 }] }]);
    expect(flagsDue([t], ledger, '2026-11-30', DEFAULT_CADENCE)[0]!.flags.map((f) => f.kind)).toEqual(['overdue', 'stale']);
  });

  it('snoozes for 7 or 14 days, inclusive of today', () => {
    const t = overdue(task('2'));
    const { ledger, until } = snooze(emptyLedger(), t.task, '2026-11-23', 7);
    expect(until).toBe('2026-11-29');
    expect(flagsDue([t], ledger, '2026-11-29', DEFAULT_CADENCE)).toEqual([]);
    expect(flagsDue([t], ledger, '2026-11-30', DEFAULT_CADENCE)).toHaveLength(1);
    expect(snooze(emptyLedger(), t.task, '2026-11-23', 14).until).toBe('2026-12-06');
  });

  it('escalates only overdue-enough tasks reminded enough times with no update since the first reminder', () => {
    const policy = { overdueDays: 14, afterReminders: 3 };
    let ledger = emptyLedger();
    for (const day of ['2026-11-23', '2026-11-26', '2026-11-30']) ledger = recordReminder(ledger, [overdue(task('3'))], day, 'a');
    expect(shouldEscalate(task('3'), 20, [ledger], policy, 'Europe/London')).toBe(true);
    expect(shouldEscalate(task('3'), 14, [ledger], policy, 'Europe/London')).toBe(false); // not overdue by *more than* 14
    expect(shouldEscalate(task('3', { lastUpdate: '2026-11-24T10:00:00Z' }), 20, [ledger], policy, 'Europe/London')).toBe(false); // updated since
    const twice = recordReminder(recordReminder(emptyLedger(), [overdue(task('3'))], '2026-11-23', 'a'), [overdue(task('3'))], '2026-11-26', 'a');
    expect(shouldEscalate(task('3'), 20, [twice], policy, 'Europe/London')).toBe(false);
    // Reminders to several holders of the owner role add up.
    expect(shouldEscalate(task('3'), 20, [twice, recordReminder(emptyLedger(), [overdue(task('3'))], '2026-11-23', 'b')], policy, 'Europe/London')).toBe(true);
  });
});
