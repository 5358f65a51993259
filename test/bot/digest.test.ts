import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDigest } from '../../src/features/digest/digest.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { cardOf, textOf, type FakeConnector } from '../helpers/connector.js';
import type { BotHarness } from '../helpers/harness.js';
import { openChat, type Chat, type DemoPerson, type TeamsClient } from '../helpers/teams-client.js';

const [ALEX, , ADELE, ISAIAH] = DEMO_PEOPLE as DemoPerson[] as [DemoPerson, DemoPerson, DemoPerson, DemoPerson];
let bot: BotHarness;
let connector: FakeConnector;
let teams: TeamsClient;

let chat: Chat;
beforeAll(async () => {
  chat = await openChat({ ADMIN_AAD_OBJECT_IDS: ALEX.id }, [ALEX, ADELE, ISAIAH]);
  ({ bot, connector, teams } = chat);
});
afterAll(() => chat.close());

it('sends leaders the weekly digest, then shows movement the week after', async () => {
  const week1 = await runDigest(bot.core.deps, { dryRun: false, send: true });
  expect(week1.sentTo).toEqual(['Isaiah Langer', 'channel Plans']);
  // The leadership team's channel gets the same card.
  const posted = connector.sent().filter((c) => c.conversationId === '19:planpulse-channel');
  expect(posted).toHaveLength(1);
  expect(textOf(cardOf(posted[0]!))).toContain('Improvement plans · week to 23 Nov 2026');
  const card = textOf(cardOf(connector.sent().filter((c) => c.conversationId === `a:chat-${ISAIAH.id}`).at(-1)!));
  expect(card).toContain('Improvement plans · week to 23 Nov 2026');
  expect(card).toContain('LFRS HMICFRS Improvement Plan');
  expect(card).toMatch(/Oldest overdue \(\d+\)/);
  expect(card).toMatch(/Data-quality problems \(\d+\)/);
  expect(card).toMatch(/Reach in Teams: \d+ of \d+ task owners can be messaged/);
  expect(card).toContain('Patti Fernandez (PlanPulse is not installed in their Teams)');

  // Alex completes a task with evidence during the week…
  const t = await bot.task('AFI4-T3');
  await teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, status: 'Complete', evidenceLink: 'https://contoso.sharepoint.com/e.pdf' });
  // …and a week later the digest shows the movement.
  const week2 = await runDigest({ ...bot.core.deps, clock: { now: () => new Date('2026-11-30T08:00:00Z') } }, { dryRun: false, send: true });
  expect(week2.digest.since).toBe('2026-11-23');
  expect(week2.digest.totals.completeChange).toBe(1);
  expect(week2.digest.rows.find((r) => r.pillar === 'Effectiveness')!.completeChange).toBe(1);
  expect(textOf(week2.card)).toContain('+1 since 23 Nov 2026');
});

it('sends nothing to a leader Teams refused until they talk to the bot again', async () => {
  // Teams refused Isaiah after the bot captured his chat (the harness clock says 23 Nov 09:00).
  await bot.core.deps.conversations.markUnreachable(ISAIAH.id, 'ConversationBlockedByUser', '2026-11-23T10:00:00.000Z');
  connector.clear();
  const run = await runDigest({ ...bot.core.deps, clock: { now: () => new Date('2026-12-07T08:00:00Z') } }, { dryRun: false, send: true });
  expect(run.notReached).toEqual(['Isaiah Langer (ConversationBlockedByUser)']);
  expect(connector.sent().filter((c) => c.conversationId === `a:chat-${ISAIAH.id}`)).toHaveLength(0);
  await teams.say(ISAIAH, 'help'); // talking to the bot again clears the mark
  expect(await bot.core.deps.conversations.reachable(bot.core.deps.tenantId, ISAIAH.id)).toHaveProperty('conversation');
});

it('answers "digest" for leaders and administrators only', async () => {
  const [forLeader] = await teams.say(ISAIAH, 'digest');
  expect(textOf(cardOf(forLeader!))).toContain('Improvement plans · week to');
  const [refused] = await teams.say(ADELE, 'digest');
  expect(refused!.body.text).toContain('The digest is for plan leads');
});

it('charts each with its numbers in words, ageing, escalations, and "look closer" lists for leaders only', async () => {
  const run = await runDigest({ ...bot.core.deps, clock: { now: () => new Date('2026-12-14T08:00:00Z') } }, { dryRun: true, send: false, keepLists: true });
  const json = JSON.stringify(run.card);
  const text = textOf(run.card);
  const body = (run.card as unknown as { body: Record<string, unknown>[] }).body;
  const all = (node: unknown): Record<string, unknown>[] => (Array.isArray(node) ? node.flatMap(all) : node && typeof node === 'object' ? [node as Record<string, unknown>, ...Object.values(node).flatMap(all)] : []);
  const donuts = all(body).filter((e) => e.type === 'Chart.Donut');
  expect(donuts.length).toBe(run.digest.rows.map((r) => r.plan).filter((p, i, a) => a.indexOf(p) === i).length);
  for (const d of donuts) {
    const parts = d.data as { legend: string; value: number }[];
    const plan = String(d.title).replace('Status of ', '');
    // The donut's parts add up to the plan's total, and the same numbers are in words beside it.
    expect(parts.reduce((n, p) => n + p.value, 0)).toBe(run.digest.rows.filter((r) => r.plan === plan).reduce((n, r) => n + r.total, 0));
    expect(text).toContain(`${plan}: ${parts.map((p) => `${p.legend.toLowerCase()} ${p.value}`).join(', ')}`);
  }
  const bars = all(body).find((e) => e.type === 'Chart.VerticalBar')!;
  expect((bars.data as { x: string; y: number }[]).reduce((n, b) => n + b.y, 0)).toBe(run.digest.overdueCount);
  expect(text).toMatch(/Overdue by pillar: .+ \d+/);
  // Two digests were sent in the tests above: the line has points, and says them in words.
  expect(all(body).some((e) => e.type === 'Chart.Line')).toBe(true);
  expect(text).toMatch(/% complete, LFRS HMICFRS Improvement Plan: 23 Nov \d+% → 30 Nov \d+% → 7 Dec \d+% → 14 Dec \d+%\./);
  expect(text).toMatch(/\d+ tasks overdue: 1–7 days \d+ · 8–30 days \d+ · 31–90 days \d+ · over 90 days \d+/);
  expect(text).toMatch(/\d+ overdue tasks? escalated to a manager or plan lead this week/);
  expect(json).toContain('"fallback":"drop"');

  const pillar = (all(body).find((e) => e.id === 'pillar')!.choices as { value: string }[])[0]!.value;
  const data = { by: 'pillar', date: run.digest.date, pillar };
  const listed = await teams.invoke(ISAIAH, 'digestOverdue', data);
  expect(textOf(listed.value)).toContain(`Overdue in ${pillar}`);
  expect(textOf(listed.value)).toMatch(/\d+ overdue, oldest first/);
  const role = (all(body).find((e) => e.id === 'role')!.choices as { value: string }[])[0]!.value;
  expect(textOf((await teams.invoke(ISAIAH, 'digestOverdue', { by: 'role', date: run.digest.date, role })).value)).toContain(`Overdue owned by ${role}`);
  expect(textOf((await teams.invoke(ISAIAH, 'digestOverdue', { by: 'role', date: run.digest.date })).value)).toContain('Choose an owner role');
  // A choice that is not a role (or is an object's own property name) lists nothing, and breaks nothing.
  expect(textOf((await teams.invoke(ISAIAH, 'digestOverdue', { by: 'role', date: run.digest.date, role: 'constructor' })).value)).toContain('Nothing owned by constructor was overdue');
  const refused = await teams.invoke(ADELE, 'digestOverdue', data);
  expect(textOf(refused.value)).toContain("The digest's lists are for plan leads");
});
