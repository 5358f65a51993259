import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { startBot, type BotHarness } from '../helpers/harness.js';
import { TEAMS_SDKS } from '../helpers/teams-client.js';

const APP_ID = '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41';
const TENANT = '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34';
const body = JSON.stringify({ type: 'message', text: 'my tasks', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'x' }, from: { id: 'u', aadObjectId: 'a' }, recipient: { id: 'b' } });

/**
 * A JWT signed with the attacker's own key, naming the attacker's issuer and app. It must be refused before any key
 * is fetched. Tokens naming Microsoft's issuer, our app and a published key id are tested below against a local
 * key server (a test never calls a Microsoft endpoint).
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

/**
 * Microsoft's signing-key endpoints, served locally with one real key ("real-key"): the Bot Framework's OpenID
 * metadata and keys (endorsed for msteams) and an Entra tenant's keys. Tokens below name that key id, so the SDKs
 * fetch it and check the signature for real.
 */
async function startKeyServer(publicKey: KeyObject): Promise<{ url: string; requests: string[]; server: Server }> {
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'real-key', use: 'sig', alg: 'RS256' };
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/botframework/.well-known/openidconfiguration') return json({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/botframework/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    if (req.url === '/botframework/keys') return json({ keys: [{ ...jwk, endorsements: ['msteams'] }] });
    if (req.url === `/${TENANT}/discovery/v2.0/keys`) return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function signed(claims: Record<string, unknown>, key: KeyObject, kid = 'real-key'): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

describe.each(TEAMS_SDKS)('tokens naming the real signing key, through %s', (sdk) => {
  const real = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const SERVICE_URL = 'http://127.0.0.1:9/';
  let keys: Awaited<ReturnType<typeof startKeyServer>>;
  let bot: BotHarness;
  beforeAll(async () => {
    keys = await startKeyServer(real.publicKey);
    bot = await startBot(
      { BOT_SDK: sdk, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TENANT_ID: TENANT, PLAN_CONFIG: DEMO_PLAN_CONFIG_PATH, GRAPH_CREDENTIAL: 'managed-identity' },
      { signingKeys: { botFrameworkOpenIdMetadataUrl: `${keys.url}/botframework/.well-known/openidconfiguration`, entraAuthority: keys.url } },
    );
  });
  afterAll(async () => {
    await bot.stop();
    keys.server.close();
  });

  // botbuilder trusts the Bot Framework's issuer; the Agents SDK fetches that issuer's keys from a fixed Microsoft
  // address, so it is given an Entra-issued token (the tenant's keys come from the configured authority).
  const now = Math.floor(Date.now() / 1000);
  const genuineClaims = () =>
    sdk === 'botbuilder'
      ? { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: SERVICE_URL, nbf: now - 60, exp: now + 3600 }
      : { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: APP_ID, tid: TENANT, azp: 'https://api.botframework.com', nbf: now - 60, exp: now + 3600 };
  const person = '5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
  const invoke = (token: string) =>
    fetch(bot.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        type: 'invoke', name: 'adaptiveCard/action', id: `i-${Math.random()}`, channelId: 'msteams', serviceUrl: SERVICE_URL,
        conversation: { id: `a:chat-${person}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } },
        from: { id: `29:${person}`, name: 'Real Person', aadObjectId: person }, recipient: { id: `28:${APP_ID}` },
        value: { action: { type: 'Action.Execute', verb: 'myTasks', data: {} }, trigger: 'manual' },
      }),
    });

  it('accepts a token signed with the real key (so the refusals below are real signature checks)', async () => {
    const res = await invoke(signed(genuineClaims(), real.privateKey));
    expect(keys.requests.length).toBeGreaterThan(0);
    if (sdk === 'botbuilder') {
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('Your improvement-plan tasks');
      expect(await bot.core.deps.conversations.get(TENANT, person)).toBeDefined();
      await bot.core.deps.conversations.remove(TENANT, person);
    } else {
      // Past the JWT check the Agents SDK fetches its own token for replies from the authority, which here is the
      // local key server (plain http, which MSAL refuses): the turn cannot finish, but the token was accepted.
      expect(res.status).not.toBe(401);
    }
  });

  it.each([
    ['the real key id, signed with another key', () => signed(genuineClaims(), attacker.privateKey)],
    ['a genuine signature with the payload changed afterwards', () => {
      const [h, , sig] = signed(genuineClaims(), real.privateKey).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ ...genuineClaims(), aud: 'another-app' })).toString('base64url')}.${sig}`;
    }],
    ['a genuine signature for another app', () => signed({ ...genuineClaims(), aud: 'another-app' }, real.privateKey)],
    ['a genuine signature, expired an hour ago', () => signed({ ...genuineClaims(), nbf: now - 7200, exp: now - 3600 }, real.privateKey)],
    ['a key id nobody published', () => signed(genuineClaims(), attacker.privateKey, 'unknown-key')],
  ])('refuses %s with 401 and runs no handler', async (_name, token) => {
    const res = await invoke(token());
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/at .*\.js:\d+/); // no stack
    expect(await bot.core.deps.conversations.get(TENANT, person)).toBeUndefined();
  });
});
