import type { AppDeps } from './app.js';
import type { AdaptiveCard } from './cards/templates.js';

export interface SentCard {
  aadObjectId: string;
  activityId: string;
}

/**
 * Sends a card to each person who has PlanPulse installed; returns what was sent (to update later) and who could
 * not be reached. A failure for one person does not stop the others.
 */
export async function sendCards(deps: AppDeps, aadObjectIds: string[], card: AdaptiveCard, summary: string): Promise<{ sent: SentCard[]; unreachable: string[] }> {
  const sent: SentCard[] = [];
  const unreachable: string[] = [];
  for (const id of [...new Set(aadObjectIds)]) {
    const conversation = await deps.conversations.get(deps.tenantId, id);
    if (!conversation) {
      unreachable.push(id);
      continue;
    }
    try {
      sent.push({ aadObjectId: id, activityId: await deps.messenger.sendCard(conversation, card, summary) });
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
