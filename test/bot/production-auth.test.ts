import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { startBot, type BotHarness } from '../helpers/harness.js';

let bot: BotHarness;
beforeAll(async () => {
  // Production settings: with an app id, CloudAdapter validates the Bot Framework JWT on every request.
  bot = await startBot({ MICROSOFT_APP_ID: '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41', MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TENANT_ID: '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34', PLAN_CONFIG: DEMO_PLAN_CONFIG_PATH, GRAPH_CREDENTIAL: 'managed-identity' });
});
afterAll(() => bot.stop());

it('rejects an unauthenticated POST with 401 and runs no handler', async () => {
  const res = await fetch(bot.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: 'my tasks', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'x' }, from: { id: 'u', aadObjectId: 'a' }, recipient: { id: 'b' } }),
  });
  expect(res.status).toBe(401);
  expect(await bot.core.deps.conversations.get('8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34', 'a')).toBeUndefined();
});
