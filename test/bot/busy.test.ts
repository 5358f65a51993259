import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { textOf } from '../helpers/connector.js';
import { openChat, type Chat } from '../helpers/teams-client.js';

const ALEX = DEMO_PEOPLE[0]!;
let chat: Chat;
beforeAll(async () => {
  chat = await openChat({}, [ALEX]);
});
afterAll(() => chat.close());

it('when SharePoint throttles PlanPulse longer than a click may wait, the person is told when to try again, not left in silence', async () => {
  chat.bot.emulator.injectFault({ status: 429, retryAfterSeconds: 120, count: 1000 });
  const [reply] = await chat.teams.say(ALEX, 'my tasks');
  expect(String(reply?.body.text ?? '')).toMatch(/^SharePoint is busy and asked PlanPulse to wait, so this could not be finished now\. Please try again after \d\d:\d\d:\d\d\.$/);
  const clicked = await chat.teams.invoke(ALEX, 'openUpdate', { listKey: 'actions', itemId: '3' });
  expect(clicked.statusCode).toBe(200);
  expect(textOf(clicked.value)).toContain('SharePoint is busy and asked PlanPulse to wait');
  // Until the Retry-After has passed PlanPulse does not knock again: the next click is answered without a request.
  const before = chat.bot.emulator.requests.length;
  const [again] = await chat.teams.say(ALEX, 'my tasks');
  expect(String(again?.body.text)).toContain('SharePoint is busy');
  expect(chat.bot.emulator.requests.length).toBe(before);
}, 60_000);
