import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { digestCard } from '../../src/features/digest/digest-card.js';
import { cardBytes, CARD_BYTE_BUDGET } from '../../src/app/cards/templates.js';
import { buildDigest, committeeTable, lastWeeksSnapshot, snapshotOf } from '../../src/domain/digest.js';
import { RoleDirectory } from '../../src/domain/roles.js';
import type { StatusCategory, Task } from '../../src/domain/task.js';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');
const TZ = 'Europe/London';
const TODAY = '2026-11-23';
const rules = { dueSoonDays: 14, staleDays: 30 };
const alex = { aadObjectId: 'alex', displayName: 'Alex Wilber' };
const roles = new RoleDirectory([{ role: 'GM', people: [alex], deputies: [], planLead: true }]);
const STATUS: Record<StatusCategory, string> = { complete: 'Complete', onTrack: 'On Target', behind: 'Behind Target', notStarted: 'Yet to Start', blocked: 'Blocked' };

let n = 0;
function task(plan: string, pillar: string | undefined, category: StatusCategory | undefined, over: Partial<Task> = {}): Task {
  n += 1;
  return {
    listKey: 'l', itemId: String(n), eTag: '"e,1"', ref: `T${n}`, title: `Task ${n}`, plan, pillar, ownerPeople: [], ownerRole: 'GM',
    status: category ? STATUS[category] : 'Amber', statusCategory: category, dueDate: '2027-06-30', lastUpdate: '2026-11-20T09:00:00Z',
    evidenceLink: category === 'complete' ? 'https://e.example/x.pdf' : undefined, ...over,
  };
}

describe('digest maths', () => {
  const tasks = [
    task('LFRS', 'Effectiveness', 'complete'),
    task('LFRS', 'Effectiveness', 'complete'),
    task('LFRS', 'Effectiveness', 'onTrack', { dueDate: '2026-11-01' }),
    task('LFRS', 'Effectiveness', 'behind', { dueDate: '2026-10-01' }),
    task('LFRS', 'People', 'notStarted'),
    task('LFRS', 'People', 'complete', { evidenceLink: undefined }),
    task('LFRS', 'People', 'complete', { qaStatus: 'Awaiting QA', lastUpdate: '2026-11-16T09:00:00Z' }),
    task('ECFRS', undefined, 'blocked', { ownerRole: 'CM / HP' }),
    task('ECFRS', undefined, undefined, { ownerRole: undefined, dueDate: undefined, dueDateText: 'ongoing. Review Dec 23' }),
    task('ECFRS', undefined, 'onTrack', { dueDate: '2027-02-28', originalDueDate: '2026-12-31', revisedDateReason: 'Waiting on the national body', lastUpdate: '2026-11-20T09:00:00Z' }),
  ];

  it('counts per plan and pillar, like the committee table', () => {
    const d = buildDigest(tasks, roles, TODAY, rules, TZ);
    expect(d.rows.map((r) => [r.plan, r.pillar, r.total, r.complete, r.onTrack, r.behind, r.blocked, r.notStarted, r.unknown, r.pctComplete])).toEqual([
      ['ECFRS', 'No pillar', 3, 0, 1, 0, 1, 0, 1, 0],
      ['LFRS', 'Effectiveness', 4, 2, 1, 1, 0, 0, 0, 50],
      ['LFRS', 'People', 3, 2, 0, 0, 0, 1, 0, 67],
    ]);
    expect(d.totals).toMatchObject({ total: 10, complete: 4, pctComplete: 40 });
    expect(committeeTable(d).split('\n')).toEqual([
      'Plan / pillar         Total  Completed  In progress  Still to start  % complete  Change',
      '--------------------  -----  ---------  -----------  --------------  ----------  ------',
      'ECFRS / No pillar         3          0            3               0          0%       —',
      'LFRS / Effectiveness      4          2            2               0         50%       —',
      'LFRS / People             3          2            0               1         67%       —',
      'Total                    10          4            5               1         40%       —',
    ]);
  });

  it('lists the oldest overdue first, QA waits, missing evidence, revised dates and data-quality problems', () => {
    const d = buildDigest(tasks, roles, TODAY, rules, TZ);
    expect(d.overdue.map((l) => l.detail)).toEqual(['53 days overdue', '22 days overdue']);
    expect(d.awaitingQa.map((l) => l.detail)).toEqual(['waiting 5 working days']);
    // When PlanPulse knows the submission time, later notes do not restart the wait.
    const awaiting = tasks[6]!;
    const known = buildDigest(tasks, roles, TODAY, rules, TZ, undefined, { [`${awaiting.listKey}/${awaiting.itemId}`]: '2026-11-09T09:00:00Z' });
    expect(known.awaitingQa.map((l) => l.detail)).toEqual(['waiting 10 working days']);
    expect(d.noEvidence.map((l) => l.task.ref)).toEqual([tasks[5]!.ref]);
    expect(d.revisedDates.map((l) => l.detail)).toEqual(['2026-12-31 → 2027-02-28: Waiting on the national body']);
    expect(d.dataQuality.map((l) => l.detail)).toEqual([
      'unmapped role "CM / HP"',
      'no owner',
      'due date "ongoing. Review Dec 23" cannot be read',
      'status "Amber" is not in the list\'s vocabulary',
    ]);
  });

  it('shows movement since the snapshot taken a week earlier', () => {
    const lastWeek = snapshotOf(buildDigest(tasks.slice(0, 5), roles, '2026-11-16', rules, TZ), tasks.slice(0, 5));
    const older = { ...lastWeek, date: '2026-11-09' };
    const tooRecent = { ...lastWeek, date: '2026-11-20' };
    expect(lastWeeksSnapshot([older, lastWeek, tooRecent], TODAY)).toBe(lastWeek);
    const d = buildDigest(tasks, roles, TODAY, rules, TZ, lastWeek);
    expect(d.since).toBe('2026-11-16');
    expect(d.rows.map((r) => r.completeChange)).toEqual([0, 0, 2]);
    expect(d.totals.completeChange).toBe(2);
  });

  it('fits a 2,000-task plan in one card that parses without warnings', () => {
    const pillars = ['Effectiveness', 'Efficiency', 'People', 'Culture'];
    const categories: StatusCategory[] = ['complete', 'onTrack', 'behind', 'notStarted', 'blocked'];
    const big = Array.from({ length: 2000 }, (_, i) =>
      task('A very large improvement plan with a long name', pillars[i % 4], categories[i % 5], { dueDate: `2026-${String((i % 10) + 1).padStart(2, '0')}-15`, ownerRole: i % 7 ? 'GM' : 'Unmapped role', title: `Improvement task ${i} with a title of realistic length for a register` }),
    );
    const d = buildDigest(big, roles, TODAY, rules, TZ);
    const card = digestCard(d, { shown: 10, links: [{ title: 'Open the plan list', url: 'https://contoso.sharepoint.com/sites/p/Lists/A' }] });
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    expect(JSON.stringify(card)).toContain(`Oldest overdue (${d.overdueCount})`);
    expect(JSON.stringify(card)).toContain('"text":"500"'); // 500 tasks a pillar, as a string, which Teams renders
    expect(JSON.stringify(card)).toMatch(/…and \d+ more\./);
    const context = new AC.SerializationContext();
    new AC.AdaptiveCard().parse(card, context);
    expect(context.eventCount).toBe(0);
  });
});
