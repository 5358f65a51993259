import type { AdaptiveCard } from '../cards/templates.js';
import type { ConversationRecord } from '../state/conversations.js';

/** Sends cards to a person's 1:1 chat. Implemented over botbuilder; jobs depend only on this. */
export interface Messenger {
  /** Returns the id of the sent message, needed to update it later. */
  sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string>;
}
