import type { AdaptiveCard } from './cards/templates.js';
import type { AppDeps } from './context.js';
import { UnreachableError } from './delivery.js';
import type { ConversationRecord } from './ports.js';

export interface SentCard {
  aadObjectId: string;
  activityId: string;
}

export type SendOutcome = { kind: 'sent'; activityId: string } | { kind: 'unreachable'; reason: string } | { kind: 'failed'; reason: string };

/**
 * The one send path and its failure policy. Nobody is messaged without a conversation Teams has not refused;
 * Teams refusing the person (403) makes them unreachable until they talk to the bot again; any other failure is a
 * failed send, logged and reported, never thrown at the caller (one person's failure never stops the others).
 */
export async function sendCardTo(deps: AppDeps, conversation: ConversationRecord, card: AdaptiveCard, summary: string): Promise<SendOutcome> {
  try {
    return { kind: 'sent', activityId: await deps.messenger.sendCard(conversation, card, summary) };
  } catch (e) {
    if (e instanceof UnreachableError) return { kind: 'unreachable', reason: e.reason };
    deps.log.warn({ err: e, to: conversation.aadObjectId }, 'card send failed');
    return { kind: 'failed', reason: (e as Error).message };
  }
}

export async function sendCard(deps: AppDeps, aadObjectId: string, card: AdaptiveCard, summary: string): Promise<SendOutcome> {
  const found = await deps.conversations.reachable(deps.tenantId, aadObjectId);
  if ('unreachable' in found) return { kind: 'unreachable', reason: found.unreachable };
  return sendCardTo(deps, found.conversation, card, summary);
}

/** One card to each of several people: what was sent (to update later) and who was not reached, and why. */
export async function sendCards(deps: AppDeps, aadObjectIds: string[], card: AdaptiveCard, summary: string): Promise<{ sent: SentCard[]; notReached: { aadObjectId: string; reason: string }[] }> {
  const sent: SentCard[] = [];
  const notReached: { aadObjectId: string; reason: string }[] = [];
  for (const id of [...new Set(aadObjectIds)]) {
    const outcome = await sendCard(deps, id, card, summary);
    if (outcome.kind === 'sent') sent.push({ aadObjectId: id, activityId: outcome.activityId });
    else notReached.push({ aadObjectId: id, reason: outcome.reason });
  }
  return { sent, notReached };
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
