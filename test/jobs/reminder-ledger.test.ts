import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/context.js';
import { runReminders } from '../../src/features/reminders/remind.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { cardOf, textOf, type FakeConnector } from '../helpers/connector.js';
import type { BotHarness } from '../helpers/harness.js';
import { openChat, TeamsClient, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const [ALEX, , , ISAIAH, PATTI, LYNNE] = DEMO_PEOPLE as DemoPerson[] as [DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson];
let bot: BotHarness;
let connector: FakeConnector;
let teams: TeamsClient;

const on = (day: string): AppDeps => ({ ...bot.core.deps, clock: { now: () => new Date(`${day}T09:00:00Z`) } });
const cardsTo = (person: DemoPerson) => connector.sent().filter((c) => c.conversationId === `a:chat-${person.id}`).map((c) => textOf(cardOf(c)));
const refsIn = (text: string) => [...text.matchAll(/Update (\S+)/g)].map((m) => m[1]);

let chat: Chat;
beforeAll(async () => {
  chat = await openChat({}, [ALEX, ISAIAH, PATTI, LYNNE]);
  ({ bot, connector, teams } = chat);
});
afterAll(() => chat.close());
beforeEach(() => connector.clear());

describe('the reminder ledger', () => {
  it('does not raise the same task for the same reason within its cadence', async () => {
    const monday = await runReminders(on('2026-11-23'), { dryRun: false });
    const alexMonday = monday.reminders.find((r) => r.person.aadObjectId === ALEX.id)!;
    expect(alexMonday.outcome).toBe('sent');
    const mondayRefs = refsIn(cardsTo(ALEX).at(-1)!);
    expect(mondayRefs).toEqual(alexMonday.tasks.map((t) => t.task.ref));

    connector.clear();
    const tuesday = await runReminders(on('2026-11-24'), { dryRun: false });
    expect(tuesday.reminders.find((r) => r.person.aadObjectId === ALEX.id)!.outcome).toBe('nothing new: reminded within the cadence, or snoozed');
    expect(cardsTo(ALEX)).toHaveLength(0);

    // Three days on, overdue tasks come back (cadence 3); "no evidence" and "stale" wait for their 7 days.
    const thursday = await runReminders(on('2026-11-26'), { dryRun: false });
    const alexThursday = thursday.reminders.find((r) => r.person.aadObjectId === ALEX.id)!;
    expect(alexThursday.outcome).toBe('sent');
    expect(alexThursday.tasks.every((t) => t.flags.every((f) => f.kind === 'overdue' || f.kind === 'dueSoon'))).toBe(true);
    expect(alexThursday.tasks.map((t) => t.task.ref)).toContain('E2');
    expect(alexThursday.tasks.map((t) => t.task.ref)).not.toContain('AFI1-T1');
  });

  it('leaves a snoozed task out of reminders until the snooze ends', async () => {
    const t = await bot.task('AFI1-T1');
    const res = await teams.invoke(ALEX, 'snooze', { listKey: t.listKey, itemId: t.itemId, days: 14 });
    expect(textOf(res.value)).toMatch(/Reminders about AFI1-T1 are paused until \d+ \w+ 2026 inclusive\./);
    const bad = await teams.invoke(ALEX, 'snooze', { listKey: t.listKey, itemId: t.itemId, days: 30 });
    expect(bad).toMatchObject({ statusCode: 400 });
    expect(bad.value.message).toContain('days: must be 7 or 14');
    // 1 Dec: "no evidence" is due again for the other tasks, but AFI1-T1 is snoozed.
    const report = await runReminders(on('2026-12-01'), { dryRun: true });
    const alex = report.reminders.find((r) => r.person.aadObjectId === ALEX.id)!;
    expect(alex.tasks.map((x) => x.task.ref)).toContain('AFI1-T2');
    expect(alex.tasks.map((x) => x.task.ref)).not.toContain('AFI1-T1');
  });
});

describe('escalation', () => {
  it('sends tasks still overdue after repeated reminders with no update to the manager, or the plan lead when there is none', async () => {
    // Mon 23 and Thu 26 Nov already reminded above; the third overdue reminder goes out on Tue 1 Dec.
    const report = await runReminders(on('2026-12-01'), { dryRun: false });
    const toLynne = report.escalations.find((e) => e.to === 'Lynne Robbins')!; // Alex's manager in Entra ID
    expect(toLynne.outcome).toBe('sent');
    expect(toLynne.tasks.map((t) => t.ref)).toContain('E2');
    const toLead = report.escalations.find((e) => e.to === 'Isaiah Langer')!; // Patti has no manager: the plan lead
    expect(toLead.tasks.map((t) => t.ref)).toEqual(expect.arrayContaining(['SII1-T1', 'SII1-T2']));
    expect(cardsTo(LYNNE).at(-1)).toMatch(/overdue tasks? in your area need/);
    expect(cardsTo(LYNNE).at(-1)).toContain('**E2**');
    // Not again on the next reminder of the same tasks.
    const again = await runReminders(on('2026-12-04'), { dryRun: false });
    expect(again.escalations.flatMap((e) => e.tasks.map((t) => t.ref))).not.toContain('E2');
  });
});
