import type { AdaptiveCard } from '../cards/templates.js';
import type { ConversationRecord } from '../state/conversations.js';

/** Sends and updates cards in a person's 1:1 chat. Implemented over botbuilder; jobs depend only on this. */
export interface Messenger {
  /** Returns the id of the sent message, needed to update it later. */
  sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string>;
  /** Replaces a sent card for everyone in the chat. */
  updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void>;
}
