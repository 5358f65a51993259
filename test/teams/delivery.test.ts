import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageCard } from '../../src/app/cards/views.js';
import { parseEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/app/log.js';
import { ConversationStore } from '../../src/app/conversations.js';
import type { ConversationRecord } from '../../src/app/ports.js';
import { FileStore } from '../../src/adapters/state/file-store.js';
import { agentsEdge } from '../../src/adapters/teams-agents/adapter.js';
import { botbuilderEdge } from '../../src/adapters/teams-botbuilder/adapter.js';
import { ReliableMessenger, UnreachableError } from '../../src/app/delivery.js';
import { FakeConnector } from '../helpers/connector.js';

let connector: FakeConnector;
let store: FileStore;
let conversations: ConversationStore;
const settings = { appType: parseEnv({}).MICROSOFT_APP_TYPE };
const card = messageCard('Hello', 'A reminder');
const person = (i: number): ConversationRecord => ({
  tenantId: 't', aadObjectId: `aad-${i}`, userId: `29:user-${i}`, conversationId: `a:chat-${i}`, serviceUrl: '', channelId: 'msteams', botId: '28:bot', updatedAt: '2026-01-01T00:00:00.000Z',
});
const to = (i: number) => ({ ...person(i), serviceUrl: connector.url });

// The same delivery policy over each Teams SDK's raw messenger: both must turn Teams' answers into the same outcomes.
describe.each([
  ['botbuilder', botbuilderEdge(settings, silentLogger).messenger],
  ['the Agents SDK', agentsEdge(settings, silentLogger).messenger],
])('over %s', (_sdk, raw) => {
function messenger(delays: number[] = []) {
  // Real waits, recorded, for the rate limiter and for Retry-After; longer backoffs are shortened to keep the test quick.
  return new ReliableMessenger(raw, conversations, silentLogger, {
    sleep: (ms) => {
      delays.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 2100)));
    },
    random: () => 0.5,
  });
}

beforeAll(async () => {
  connector = await new FakeConnector({ enforceLimits: true }).start();
});
afterAll(() => connector.stop());
beforeEach(() => {
  connector.clear();
  connector.throttled.length = 0;
  store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-delivery-')));
  conversations = new ConversationStore(store);
});

describe('delivering cards within Teams limits', () => {
  it('the local connector does enforce the limits: a raw burst to one chat gets throttled', async () => {
    await Promise.allSettled(Array.from({ length: 12 }, () => raw.sendCard(to(1), card, 's')));
    expect(connector.throttled.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100)); // let the window empty for the next test
  });

  it('a burst to one chat and to many chats is delivered exactly once each, never throttled', async () => {
    const reliable = messenger();
    const sends = [
      ...Array.from({ length: 16 }, () => reliable.sendCard(to(1), card, 's')),
      ...Array.from({ length: 60 }, (_, i) => reliable.sendCard(to(100 + i), card, 's')),
    ];
    const ids = await Promise.all(sends);
    expect(new Set(ids).size).toBe(76);
    expect(connector.sent().filter((c) => c.conversationId === 'a:chat-1')).toHaveLength(16);
    expect(connector.sent()).toHaveLength(76);
    expect(connector.throttled).toEqual([]);
  });

  it('the SDK itself never retries behind the rate limiter\'s back: a 429 reaches the delivery policy at once', async () => {
    connector.failNext({ conversationId: 'a:chat-7', status: 429, count: 1, headers: { 'retry-after': '1' } });
    await expect(raw.sendCard(to(7), card, 's')).rejects.toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(connector.failed.filter((f) => f.conversationId === 'a:chat-7')).toHaveLength(1);
    expect(connector.sent()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1000));
  });

  it('honours Retry-After on 429 and delivers once', async () => {
    connector.failNext({ conversationId: 'a:chat-2', status: 429, count: 1, headers: { 'retry-after': '2' } });
    await messenger().sendCard(to(2), card, 's');
    const delivered = connector.sent().filter((c) => c.conversationId === 'a:chat-2');
    expect(delivered).toHaveLength(1);
    const [throttled] = connector.failed.filter((f) => f.conversationId === 'a:chat-2');
    expect(throttled!.status).toBe(429);
    expect(delivered[0]!.at! - throttled!.at).toBeGreaterThanOrEqual(1900); // waited the 2 s Teams asked for
  });

  it('retries 412 with jittered exponential backoff, then delivers once', async () => {
    const delays: number[] = [];
    connector.failNext({ conversationId: 'a:chat-6', status: 412, count: 2 });
    await messenger(delays).sendCard(to(6), card, 's');
    expect(connector.sent().filter((c) => c.conversationId === 'a:chat-6')).toHaveLength(1);
    expect(delays).toEqual([1000, 2000]); // base 1 s doubling, jitter drawn at the middle of its range
  });

  it('gives up after a bounded number of attempts', async () => {
    connector.failNext({ conversationId: 'a:chat-3', status: 412, count: 10 });
    await expect(messenger().sendCard(to(3), card, 's')).rejects.toMatchObject({ status: 412 });
    expect(connector.failed.filter((f) => f.conversationId === 'a:chat-3')).toHaveLength(3);
    expect(connector.sent()).toHaveLength(0);
  });

  it('403: marks the person unreachable and does not retry', async () => {
    await conversations.save(to(4));
    connector.failNext({ conversationId: 'a:chat-4', status: 403, count: 5, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } });
    const error = await messenger().sendCard(to(4), card, 's').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).reason).toContain('ConversationBlockedByUser');
    expect(await conversations.reachable('t', 'aad-4')).toEqual({ unreachable: expect.stringContaining('ConversationBlockedByUser') });
    expect(connector.sent()).toHaveLength(0);
  });

  it('404: recreates the 1:1 conversation by Entra object id and delivers there', async () => {
    connector.failNext({ conversationId: 'a:chat-5', status: 404, count: 1, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } });
    await messenger().sendCard(to(5), card, 's');
    expect(connector.createdConversations).toHaveLength(1);
    expect(connector.createdConversations[0]).toMatchObject({ isGroup: false, members: [{ id: 'aad-5' }], tenantId: 't' });
    const delivered = connector.sent();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.conversationId).toMatch(/^a:recreated-/);
    expect((await conversations.get('t', 'aad-5'))!.conversationId).toBe(delivered[0]!.conversationId);
  });
});
});
