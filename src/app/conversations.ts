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

const conversations = stateRecord('conversations', conversationSchema, 'app/conversations');

/** Teams refused a message to the person (blocked, uninstalled, disabled) since they last talked to the bot. */
const refusals = stateRecord('unreachable', z.object({ reason: z.string(), at: z.string() }), 'app/conversations');

/**
 * The 1:1 chats PlanPulse can message, and the people Teams refused. `reachable` is the one place that decides
 * whether a person can be messaged; every send asks it first.
 */
export class ConversationStore {
  constructor(private readonly store: StateStore) {}

  /**
   * Keeps a chat seen in an activity. Every message and click shows the chat again; it is written (and flushed to
   * disk) only when something in it changed or Teams had refused the person since.
   */
  async remember(record: ConversationRecord): Promise<void> {
    const [known, refused] = await Promise.all([this.get(record.tenantId, record.aadObjectId), refusals.get(this.store, record.aadObjectId)]);
    const same = known && (Object.keys(record) as (keyof ConversationRecord)[]).every((k) => k === 'updatedAt' || known[k] === record[k]);
    if (same && !refused) return;
    await this.save(record);
    if (refused) await this.clearUnreachable(record.aadObjectId);
  }

  async save(record: ConversationRecord): Promise<void> {
    await conversations.put(this.store, `${record.tenantId}/${record.aadObjectId}`, record);
  }

  get(tenantId: string, aadObjectId: string): Promise<ConversationRecord | undefined> {
    return conversations.get(this.store, `${tenantId}/${aadObjectId}`);
  }

  async remove(tenantId: string, aadObjectId: string): Promise<void> {
    await conversations.delete(this.store, `${tenantId}/${aadObjectId}`);
  }

  async markUnreachable(aadObjectId: string, reason: string, at: string): Promise<void> {
    await refusals.put(this.store, aadObjectId, { reason, at });
  }

  /** They are talking to us again: whatever Teams refused before no longer applies. */
  async clearUnreachable(aadObjectId: string): Promise<void> {
    await refusals.delete(this.store, aadObjectId);
  }

  /**
   * The chat to message a person in, or why there is none: PlanPulse is not installed for them, or Teams refused a
   * message since they last talked to the bot.
   */
  async reachable(tenantId: string, aadObjectId: string): Promise<{ conversation: ConversationRecord } | { unreachable: string }> {
    const conversation = await this.get(tenantId, aadObjectId);
    if (!conversation) return { unreachable: 'PlanPulse is not installed in their Teams' };
    const refused = await refusals.get(this.store, aadObjectId);
    if (refused && refused.at >= conversation.updatedAt) return { unreachable: refused.reason };
    return { conversation };
  }
}
