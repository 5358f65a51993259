import type { AppDeps } from './app.js';
import type { AdaptiveCard } from './cards/templates.js';
import type { ConversationRecord } from './state/conversations.js';
import { unreachableKey, type Unreachable } from './teams/reliable-messenger.js';

export interface SentCard {
  aadObjectId: string;
  activityId: string;
}

/**
 * The chat to message a person in, or why there is none: PlanPulse is not installed for them, or Teams refused a
 * message since they last talked to the bot (blocked, uninstalled, disabled). Every send asks here first.
 */
export async function conversationFor(deps: AppDeps, aadObjectId: string): Promise<{ conversation: ConversationRecord } | { unreachable: string }> {
  const conversation = await deps.conversations.get(deps.tenantId, aadObjectId);
  if (!conversation) return { unreachable: 'PlanPulse is not installed in their Teams' };
  const refused = await deps.store.get<Unreachable>(unreachableKey(aadObjectId));
  if (refused && refused.at >= conversation.updatedAt) return { unreachable: refused.reason };
  return { conversation };
}

/**
 * Sends a card to each person who has PlanPulse installed; returns what was sent (to update later) and who could
 * not be reached. A failure for one person does not stop the others.
 */
export async function sendCards(deps: AppDeps, aadObjectIds: string[], card: AdaptiveCard, summary: string): Promise<{ sent: SentCard[]; unreachable: string[] }> {
  const sent: SentCard[] = [];
  const unreachable: string[] = [];
  for (const id of [...new Set(aadObjectIds)]) {
    const found = await conversationFor(deps, id);
    if ('unreachable' in found) {
      unreachable.push(id);
      continue;
    }
    try {
      sent.push({ aadObjectId: id, activityId: await deps.messenger.sendCard(found.conversation, card, summary) });
    } catch (e) {
      deps.log.warn({ err: e, to: id }, 'card send failed');
      unreachable.push(id);
    }
  }
  return { sent, unreachable };
}

/** Replaces previously sent cards for everyone (e.g. every reviewer's copy once one of them decided). */
export async function updateCards(deps: AppDeps, cards: SentCard[], card: AdaptiveCard): Promise<void> {
  for (const c of cards) {
    const conversation = await deps.conversations.get(deps.tenantId, c.aadObjectId);
    if (!conversation) continue;
    try {
      await deps.messenger.updateCard(conversation, c.activityId, card);
    } catch (e) {
      deps.log.warn({ err: e, to: c.aadObjectId }, 'card update failed');
    }
  }
}
