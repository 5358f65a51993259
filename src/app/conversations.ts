import { z } from 'zod';
import type { ConversationRecord, StateStore } from './ports.js';
import { stateRecord } from './state.js';

const conversationSchema = z.object({
  tenantId: z.string(),
  aadObjectId: z.string(),
  userId: z.string(),
  userName: z.string().optional(),
  conversationId: z.string(),
  serviceUrl: z.string(),
  channelId: z.string(),
  botId: z.string(),
  botName: z.string().optional(),
  updatedAt: z.string(),
}) satisfies z.ZodType<ConversationRecord>;

/**
 * How long a chat confirmed stored stays trusted without a read. Another instance may record a refusal meanwhile;
 * the next message after this long clears it.
 */
const CONFIRMED_FOR_MS = 5 * 60_000;

const conversations = stateRecord('conversations', conversationSchema, 'app/conversations');

/** Teams refused a message to the person (blocked, uninstalled, disabled) since they last talked to the bot. */
const refusals = stateRecord('unreachable', z.object({ reason: z.string(), at: z.string() }), 'app/conversations');

/**
 * The 1:1 chats PlanPulse can message, and the people Teams refused. `reachable` is the one place that decides
 * whether a person can be messaged; every send asks it first.
 */
export class ConversationStore {
  /** Chats confirmed stored and unrefused in the last few minutes: a burst of clicks does not re-read them each time. */
  private readonly confirmed = new Map<string, { chat: string; at: number }>();

  constructor(
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Keeps a chat seen in an activity. Every message and click shows the chat again; it is written (and flushed to
   * disk) only when something in it changed or Teams had refused the person since.
   */
  async remember(record: ConversationRecord): Promise<void> {
    const key = `${record.tenantId}/${record.aadObjectId}`;
    const chat = JSON.stringify({ ...record, updatedAt: undefined });
    const seen = this.confirmed.get(key);
    if (seen?.chat === chat && this.now() - seen.at < CONFIRMED_FOR_MS) return;
    const [known, refused] = await Promise.all([this.get(record.tenantId, record.aadObjectId), refusals.get(this.store, record.aadObjectId)]);
    const same = known && (Object.keys(record) as (keyof ConversationRecord)[]).every((k) => k === 'updatedAt' || known[k] === record[k]);
    if (!same || refused) {
      await this.save(record);
      if (refused) await refusals.delete(this.store, record.aadObjectId);
    }
    if (this.confirmed.size >= 10_000) this.confirmed.clear();
    this.confirmed.set(key, { chat, at: this.now() });
  }

  async save(record: ConversationRecord): Promise<void> {
    await conversations.put(this.store, `${record.tenantId}/${record.aadObjectId}`, record);
  }

  get(tenantId: string, aadObjectId: string): Promise<ConversationRecord | undefined> {
    return conversations.get(this.store, `${tenantId}/${aadObjectId}`);
  }

  /** Any chat of the tenant Teams has shown the bot: its serviceUrl and bot id serve chats PlanPulse opens itself. */
  async anyChat(tenantId: string): Promise<ConversationRecord | undefined> {
    if (this.sample?.tenantId === tenantId) return this.sample;
    for (const id of await conversations.ids(this.store)) {
      if (!id.startsWith(`${tenantId}/`)) continue;
      const record = await conversations.get(this.store, id);
      if (record && !record.conversationId.startsWith('19:')) return (this.sample = record);
    }
    return undefined;
  }

  private sample?: ConversationRecord;

  async remove(tenantId: string, aadObjectId: string): Promise<void> {
    this.confirmed.delete(`${tenantId}/${aadObjectId}`);
    await conversations.delete(this.store, `${tenantId}/${aadObjectId}`);
  }

  /** Why Teams refused the person (or they removed PlanPulse), if it did since they last talked to the bot. */
  async refusedBecause(aadObjectId: string): Promise<string | undefined> {
    return (await refusals.get(this.store, aadObjectId))?.reason;
  }

  async markUnreachable(aadObjectId: string, reason: string, at: string): Promise<void> {
    for (const key of this.confirmed.keys()) if (key.endsWith(`/${aadObjectId}`)) this.confirmed.delete(key);
    await refusals.put(this.store, aadObjectId, { reason, at });
  }

  /**
   * The chat to message a person in, or why there is none: PlanPulse is not installed for them, or Teams refused a
   * message since they last talked to the bot.
   */
  async reachable(tenantId: string, aadObjectId: string): Promise<{ conversation: ConversationRecord } | { unreachable: string }> {
    const conversation = await this.get(tenantId, aadObjectId);
    if (!conversation) return { unreachable: (await this.refusedBecause(aadObjectId)) ?? 'PlanPulse is not installed in their Teams' };
    const refused = await refusals.get(this.store, aadObjectId);
    if (refused && refused.at >= conversation.updatedAt) return { unreachable: refused.reason };
    return { conversation };
  }
}
