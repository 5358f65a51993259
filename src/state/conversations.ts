import type { StateStore } from './store.js';

/** Our own record of a 1:1 chat with a person: enough to message them later, with no SDK type in it. */
export interface ConversationRecord {
  tenantId: string;
  aadObjectId: string;
  /** Teams user id (29:…). */
  userId: string;
  userName?: string;
  conversationId: string;
  serviceUrl: string;
  channelId: string;
  botId: string;
  botName?: string;
  updatedAt: string;
}

export class ConversationStore {
  constructor(private readonly store: StateStore) {}

  private key(tenantId: string, aadObjectId: string): string {
    return `conversations/${tenantId}/${aadObjectId}`;
  }

  async save(record: ConversationRecord): Promise<void> {
    await this.store.put(this.key(record.tenantId, record.aadObjectId), record);
  }

  get(tenantId: string, aadObjectId: string): Promise<ConversationRecord | undefined> {
    return this.store.get<ConversationRecord>(this.key(tenantId, aadObjectId));
  }

  async remove(tenantId: string, aadObjectId: string): Promise<void> {
    await this.store.delete(this.key(tenantId, aadObjectId));
  }
}
