import { describe, expect, it } from 'vitest';
import { deriveDemoFixture, findSeedsDir, loadDemoFixture } from '../../src/local/demo-data/fixture.js';
import { buildDemoData, DEMO_ACTIONS_LIST } from '../../src/local/demo-data/seed.js';
import { groupReminders } from '../../src/domain/reminders.js';
import { SharePointModel } from '../../src/local/graph-emulator/model.js';

const seeds = findSeedsDir();

describe('demo data from the seed registers', () => {
  it.skipIf(!seeds)('the committed fixture is exactly what scripts/derive-demo-data.ts derives from ../shared/seeds', () => {
    expect(deriveDemoFixture(seeds!)).toEqual(loadDemoFixture());
  });

  it('holds the Leicestershire AFI/SII tasks and the Essex actions, with messy dates kept as text', () => {
    const fixture = loadDemoFixture();
    expect(fixture.leicestershire.length).toBeGreaterThanOrEqual(60);
    expect(fixture.essex.length).toBeGreaterThanOrEqual(20);
    expect(fixture.leicestershire.find((t) => t.ref === 'AFI1-T1')).toMatchObject({
      pillar: 'Effectiveness', ownerRole: 'GM Community Safety', dueDate: '2024-03-31', status: 'Complete', qaBy: 'Ben Bee', qaDate: '2024-04-26', sampleBy: 'Matt Walters',
    });
    expect(fixture.leicestershire.find((t) => t.ref === 'SII4-T1')).toMatchObject({ dueDateText: 'ongoing. Review Dec 23' });
    expect(fixture.leicestershire.find((t) => t.ref === 'SII4-T1')!.dueDate).toBeUndefined();
    expect(fixture.essex.find((t) => t.ref === 'E1')).toMatchObject({ dueDate: '2023-03-31', ownerRole: 'Assistant Director, Prevention, Protection and Response Delivery' });
    const pillars = new Set(fixture.leicestershire.map((t) => t.pillar));
    expect([...pillars].sort()).toEqual(['Effectiveness', 'Efficiency', 'People', 'Service Improvement Initiative', undefined].sort());
  });

  it.each(['2026-11-23', '2027-04-06', '2031-02-14'])('seeded on %s, some tasks are overdue, some due soon and some complete without evidence', (today) => {
    const data = buildDemoData(today, 'Europe/London');
    const model = new SharePointModel(data);
    const list = model.list(data.sites[0]!, DEMO_ACTIONS_LIST);
    expect(list.items.length).toBe(loadDemoFixture().leicestershire.length + loadDemoFixture().essex.length);
    // Judge the seeded rows with the same rules the reminder job uses.
    const tasks = list.items.map((i) => ({
      listKey: 'a', itemId: i.id, eTag: '', ref: String(i.fields.ActionRef), title: '', plan: '', ownerPeople: [], ownerRole: 'R',
      dueDate: i.fields.DueDate ? new Date(String(i.fields.DueDate)).toLocaleDateString('en-CA', { timeZone: 'Europe/London' }) : undefined,
      status: String(i.fields.Status), statusCategory: i.fields.Status === 'Complete' ? ('complete' as const) : ('onTrack' as const), lastUpdate: String(i.fields.LastUpdate),
    }));
    const roles = { resolve: () => ({ people: [{ aadObjectId: 'x', displayName: 'X' }], deputies: [], unmapped: [] }) };
    const { reminders } = groupReminders(tasks, roles as never, today, { dueSoonDays: 14, staleDays: 30 }, 'Europe/London');
    const kinds = new Set(reminders.flatMap((r) => r.tasks.flatMap((t) => t.flags.map((f) => f.kind))));
    expect([...kinds].sort()).toEqual(['dueSoon', 'noEvidence', 'overdue', 'stale']);
  });
});
