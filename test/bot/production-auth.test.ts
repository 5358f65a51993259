import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { startBot, type BotHarness } from '../helpers/harness.js';
import { TEAMS_SDKS } from '../helpers/teams-client.js';

const APP_ID = '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41';
const TENANT = '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34';
const body = JSON.stringify({ type: 'message', text: 'my tasks', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'x' }, from: { id: 'u', aadObjectId: 'a' }, recipient: { id: 'b' } });

/**
 * A JWT signed with the attacker's own key, naming the attacker's issuer and app. It must be refused before any key
 * is fetched: a test never calls a Microsoft endpoint, so a token naming Microsoft's issuer and our app (which makes
 * the SDK fetch signing keys) is left to tests with a local metadata endpoint.
 */
function forgedToken(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })}.${b64({ iss: 'https://attacker.invalid', aud: 'attackers-own-app', serviceurl: 'http://127.0.0.1:9/', nbf: now - 60, exp: now + 3600 })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
}

describe.each(TEAMS_SDKS)('production settings through %s', (sdk) => {
  let bot: BotHarness;
  beforeAll(async () => {
    // With an app id, the Teams adapter validates the Bot Framework JWT on every request.
    bot = await startBot({ BOT_SDK: sdk, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TENANT_ID: TENANT, PLAN_CONFIG: DEMO_PLAN_CONFIG_PATH, GRAPH_CREDENTIAL: 'managed-identity' });
  });
  afterAll(() => bot.stop());

  const post = (authorization?: string) => fetch(bot.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });

  it('rejects an unauthenticated POST with 401 and runs no handler', async () => {
    expect((await post()).status).toBe(401);
    expect(await bot.core.deps.conversations.get(TENANT, 'a')).toBeUndefined();
  });

  it('rejects a garbage or forged bearer token with 401 and runs no handler', async () => {
    expect((await post('Bearer not-a-jwt')).status).toBe(401);
    expect((await post(`Bearer ${forgedToken()}`)).status).toBe(401);
    expect(await bot.core.deps.conversations.get(TENANT, 'a')).toBeUndefined();
  });
});
