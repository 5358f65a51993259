import { expect } from 'vitest';
import { DEMO_PEOPLE, DEMO_TENANT_ID } from '../../src/local/demo-data/people.js';
import { FakeConnector } from './connector.js';
import { startBot, type BotHarness } from './harness.js';

export type DemoPerson = (typeof DEMO_PEOPLE)[number];

/** The Teams SDK adapters (BOT_SDK) every conversation test runs against. */
export const TEAMS_SDKS = ['botbuilder', 'agents'] as const;

export interface InvokeReply {
  statusCode: number;
  type: string;
  value: Record<string, unknown> & { message?: string };
}

/** Plays the Teams client against the bot over HTTP: each person's 1:1 chat, messages and card clicks. */
export class TeamsClient {
  constructor(
    private readonly botUrl: string,
    private readonly connector: FakeConnector,
  ) {}

  activity(person: DemoPerson, extra: Record<string, unknown>, tenant = DEMO_TENANT_ID) {
    return {
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      timestamp: new Date().toISOString(),
      conversation: { id: `a:chat-${person.id}`, conversationType: 'personal', tenantId: tenant },
      from: { id: `29:${person.id}`, name: person.displayName, aadObjectId: person.id },
      recipient: { id: '28:planpulse', name: 'PlanPulse' },
      channelData: { tenant: { id: tenant } },
      ...extra,
    };
  }

  post(body: unknown, raw = false): Promise<Response> {
    return fetch(this.botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) });
  }

  async install(person: DemoPerson): Promise<void> {
    expect((await this.post(this.activity(person, { type: 'installationUpdate', action: 'add' }))).status).toBe(200);
  }

  /** Sends a chat message; returns what the bot posted back. */
  async say(person: DemoPerson, text: string) {
    const before = this.connector.sent().length;
    const res = await this.post(this.activity(person, { type: 'message', id: `m-${Math.random()}`, text }));
    expect(res.status).toBe(200);
    return this.connector.sent().slice(before);
  }

  /** Sends a message with attachments (Teams' file download-info for a file); `id` is fixed to replay a delivery. */
  async send(person: DemoPerson, message: { text?: string; attachments?: unknown[]; id?: string }) {
    const before = this.connector.sent().length;
    const res = await this.post(this.activity(person, { type: 'message', id: message.id ?? `m-${Math.random()}`, text: message.text ?? '', attachments: message.attachments }));
    expect(res.status).toBe(200);
    return this.connector.sent().slice(before);
  }

  /** A card action; `automatic` is Teams refreshing a card as it is shown (Universal Actions `refresh`). */
  async invoke(person: DemoPerson, verb: unknown, data: unknown, replyToId = 'card-message-1', trigger: 'manual' | 'automatic' = 'manual'): Promise<InvokeReply> {
    const res = await this.post(this.activity(person, { type: 'invoke', name: 'adaptiveCard/action', id: `i-${Math.random()}`, replyToId, value: { action: { type: 'Action.Execute', verb, data }, trigger } }));
    const body = (await res.json()) as InvokeReply;
    // The HTTP status of an invoke carries the card-action status.
    expect(res.status).toBe(body.statusCode);
    return body;
  }
}

export interface Chat {
  bot: BotHarness;
  connector: FakeConnector;
  teams: TeamsClient;
  close(): Promise<void>;
}

/** The bot over HTTP, a connector to receive what it sends, and the given people with the app installed. */
export async function openChat(env: Record<string, string> = {}, installed: DemoPerson[] = []): Promise<Chat> {
  const connector = await new FakeConnector().start();
  const bot = await startBot(env);
  const teams = new TeamsClient(bot.url, connector);
  for (const person of installed) await teams.install(person);
  return {
    bot,
    connector,
    teams,
    close: async () => {
      await bot.stop();
      await connector.stop();
    },
  };
}
