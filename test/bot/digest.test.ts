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
  expect(week1.sentTo).toEqual(['Isaiah Langer']);
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
  expect(connector.sent()).toHaveLength(0);
  await teams.say(ISAIAH, 'help'); // talking to the bot again clears the mark
  expect(await bot.core.deps.conversations.reachable(bot.core.deps.tenantId, ISAIAH.id)).toHaveProperty('conversation');
});

it('answers "digest" for leaders and administrators only', async () => {
  const [forLeader] = await teams.say(ISAIAH, 'digest');
  expect(textOf(cardOf(forLeader!))).toContain('Improvement plans · week to');
  const [refused] = await teams.say(ADELE, 'digest');
  expect(refused!.body.text).toContain('The digest is for plan leads');
});
