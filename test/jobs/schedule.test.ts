import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePlanConfig } from '../../src/config/plan.js';
import { isQuiet, localTimeOf } from '../../src/domain/quiet-hours.js';
import { jobNamed } from '../../src/main/compose.js';
import { fireJob, jobTask } from '../../src/app/scheduler.js';
import { ServiceBusyError, soleInstance } from '../../src/app/ports.js';
import type { Job } from '../../src/app/feature.js';
import { startBot } from '../helpers/harness.js';
import { ConfigError } from '../../src/config/env.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { openChat, type DemoPerson } from '../helpers/teams-client.js';

afterEach(() => vi.useRealTimers());

function nextRuns(expression: string, from: string, count: number): string[] {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(from));
  return jobTask('remind', expression, 'Europe/London', async () => undefined).getNextRuns(count).map((d) => d.toISOString());
}

describe('schedules in Europe/London', () => {
  it('fires at 09:00 local time on working days either side of the October clock change', () => {
    // BST ends at 02:00 on Sunday 25 Oct 2026: 09:00 local is 08:00Z before and 09:00Z after.
    expect(nextRuns('0 9 * * 1-5', '2026-10-22T12:00:00Z', 3)).toEqual(['2026-10-23T08:00:00.000Z', '2026-10-26T09:00:00.000Z', '2026-10-27T09:00:00.000Z']);
  });

  it('fires the Monday digest at 08:00 local across the March clock change', () => {
    // BST starts at 01:00 on Sunday 29 Mar 2026.
    expect(nextRuns('0 8 * * 1', '2026-03-20T12:00:00Z', 2)).toEqual(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('validates cron expressions and quiet hours in the plan config', () => {
    const base = { lists: [{ key: 'a', site: 's', list: 'l', plan: 'p', columns: { ownerRole: 'OwnerRole' } }] };
    expect(parsePlanConfig(base, 'cfg').schedule).toEqual({ remind: '0 9 * * 1-5', qaNudge: '30 9 * * 1-5', sample: '0 7 * * 1', digest: '0 8 * * 1', housekeeping: '30 3 * * *' });
    try {
      parsePlanConfig({ ...base, schedule: { remind: 'every morning', quietHours: { start: '25:00', end: '07:00' } } }, 'cfg');
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        'cfg schedule.remind: is not a valid cron expression (minute hour day-of-month month day-of-week)',
        'cfg schedule.quietHours.start: must be a time such as 07:00',
      ]);
    }
  });
});

describe('quiet hours', () => {
  it('handle windows that wrap past midnight, in local time', () => {
    const window = { start: '19:00', end: '07:00' };
    expect(isQuiet('18:59', window)).toBe(false);
    expect(isQuiet('19:00', window)).toBe(true);
    expect(isQuiet('03:00', window)).toBe(true);
    expect(isQuiet('07:00', window)).toBe(false);
    expect(isQuiet('12:30', { start: '12:00', end: '13:00' })).toBe(true);
    expect(isQuiet('12:30', undefined)).toBe(false);
    expect(localTimeOf(new Date('2026-07-01T18:30:00Z'), 'Europe/London')).toBe('19:30');
    expect(localTimeOf(new Date('2026-12-01T18:30:00Z'), 'Europe/London')).toBe('18:30');
  });
});

describe('firing jobs in the quiet hours', () => {
  it('holds back jobs that message people, but not housekeeping', async () => {
    const bot = await startBot();
    try {
      const night = { ...bot.core.deps, clock: { now: () => new Date('2026-11-24T03:30:00Z') } };
      const schedule = { ...parsePlanConfig({ lists: [{ key: 'a', site: 's', list: 'l', plan: 'p', columns: { ownerRole: 'OwnerRole' } }] }, 'cfg').schedule, quietHours: { start: '19:00', end: '07:00' } };
      expect(await fireJob(jobNamed('remind')!, night, schedule, soleInstance)).toBe('quiet hours');
      expect(await fireJob(jobNamed('digest')!, night, schedule, soleInstance)).toBe('quiet hours');
      expect(await fireJob(jobNamed('housekeeping')!, night, schedule, soleInstance)).toBe('ran');
    } finally {
      await bot.stop();
    }
  });
});

describe('a run stopped because SharePoint was busy', () => {
  it('is tried again later the same day, at most three times, never before SharePoint said', async () => {
    const bot = await startBot();
    try {
      const deps = { ...bot.core.deps, clock: { now: () => new Date('2026-11-24T09:00:00Z') } };
      const schedule = parsePlanConfig({ lists: [{ key: 'a', site: 's', list: 'l', plan: 'p', columns: { ownerRole: 'OwnerRole' } }] }, 'cfg').schedule;
      const busy: Job = { name: 'busy', schedule: 'remind', messagesPeople: false, run: async () => Promise.reject(new ServiceBusyError('SharePoint is busy', new Date('2026-11-24T10:00:00Z'))) };
      const later: { delayMs: number; attempt: number }[] = [];
      const retry = (attempt: number) => ({ attempt, later: (delayMs: number, next: number) => void later.push({ delayMs, attempt: next }) });
      expect(await fireJob(busy, deps, schedule, soleInstance, retry(0))).toBe('failed: retry scheduled');
      expect(later).toEqual([{ delayMs: 60 * 60_000, attempt: 1 }]); // when SharePoint said, not sooner
      expect(await fireJob(busy, deps, schedule, soleInstance, retry(3))).toBe('failed'); // the third retry was the last
      const broken: Job = { ...busy, run: async () => Promise.reject(new Error('a bug')) };
      expect(await fireJob(broken, deps, schedule, soleInstance, retry(0))).toBe('failed'); // not transient: not retried
      expect(later).toHaveLength(1);
    } finally {
      await bot.stop();
    }
  });
});

describe('a run that could not reach some people for a reason that may pass', () => {
  it('is tried again later the same day, for them only', async () => {
    const people = DEMO_PEOPLE as DemoPerson[];
    const alex = people[0]!;
    const chat = await openChat({}, people);
    try {
      const deps = { ...chat.bot.core.deps, clock: { now: () => new Date('2026-11-24T09:00:00Z') } };
      const schedule = parsePlanConfig({ lists: [{ key: 'a', site: 's', list: 'l', plan: 'p', columns: { ownerRole: 'OwnerRole' } }] }, 'cfg').schedule;
      const later: { delayMs: number; attempt: number }[] = [];
      const retry = (attempt: number) => ({ attempt, later: (delayMs: number, next: number) => void later.push({ delayMs, attempt: next }) });
      chat.connector.clear();
      // Teams fails Alex's card once (a 500 is not retried on the spot).
      chat.connector.failNext({ conversationId: `a:chat-${alex.id}`, status: 500, count: 1 });
      expect(await fireJob(jobNamed('remind')!, deps, schedule, soleInstance, retry(0))).toBe('ran: some people failed, retry scheduled');
      expect(later).toEqual([{ delayMs: 15 * 60_000, attempt: 1 }]);
      const delivered = () => chat.connector.sent().map((c) => c.conversationId);
      const first = delivered();
      expect(first.length).toBeGreaterThan(1);
      expect(first).not.toContain(`a:chat-${alex.id}`);

      expect(await fireJob(jobNamed('remind')!, deps, schedule, soleInstance, retry(1))).toBe('ran');
      expect(delivered().slice(first.length)).toEqual([`a:chat-${alex.id}`]);
      expect(later).toHaveLength(1);
    } finally {
      await chat.close();
    }
  });
});
