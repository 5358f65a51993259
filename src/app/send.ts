import { z } from 'zod';
import type { AdaptiveCard } from './cards/templates.js';
import { messageCard } from './cards/views.js';
import { t } from './i18n.js';
import { languageFor } from './language.js';
import type { AppDeps } from './context.js';
import { UnreachableError } from './delivery.js';
import type { ConversationRecord } from './ports.js';
import { stateRecord } from './state.js';

/**
 * Scheduled sends, per send and person: written before the send (no activity id yet) and completed after it. A record
 * without an activity id on a later run means the process died mid-send or Teams' answer never came: the card may
 * have been delivered, so it is not sent again (in doubt). Kept a week, then swept by housekeeping.
 */
const journal = stateRecord('sends', z.object({ at: z.string(), activityId: z.string().optional() }), 'app/send');

/** How long the send journal remembers a send. */
const KEEP_SENDS_MS = 8 * 24 * 60 * 60_000;

/** A message in doubt is not repeated; people are told so in run summaries. */
export const IN_DOUBT = 'a send to them was interrupted, so it is not repeated';

export interface SentCard {
  aadObjectId: string;
  activityId: string;
}

export type SendOutcome =
  | { kind: 'sent'; activityId: string }
  | { kind: 'already sent'; activityId: string }
  | { kind: 'in doubt' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * What makes a scheduled send unique, e.g. "digest/2026-11-23": with it the send happens at most once per person,
 * whatever crashes or reruns (see `journal`).
 */
export interface Once {
  once?: string;
}

/** A scheduled send may install PlanPulse for someone who never opened it (plan config "reach"). */
export interface Reach {
  mayInstall?: boolean;
}

/**
 * The one send path and its failure policy. Nobody is messaged without a conversation Teams has not refused;
 * Teams refusing the person (403) makes them unreachable until they talk to the bot again; any other failure is a
 * failed send, logged and reported, never thrown at the caller (one person's failure never stops the others).
 */
export async function sendCardTo(deps: AppDeps, conversation: ConversationRecord, card: AdaptiveCard, summary: string, options: Once = {}): Promise<SendOutcome> {
  const key = options.once && `${options.once}/${conversation.aadObjectId}`;
  if (key) {
    const before = await journal.get(deps.store, key);
    if (before) return before.activityId ? { kind: 'already sent', activityId: before.activityId } : { kind: 'in doubt' };
    await journal.put(deps.store, key, { at: deps.clock.now().toISOString() });
  }
  try {
    const activityId = await deps.messenger.sendCard(conversation, card, summary);
    if (key) await journal.put(deps.store, key, { at: deps.clock.now().toISOString(), activityId });
    return { kind: 'sent', activityId };
  } catch (e) {
    // Teams refused or failed it: nothing was delivered, so a later run may try again.
    if (key) await journal.delete(deps.store, key);
    if (e instanceof UnreachableError) return { kind: 'unreachable', reason: e.reason };
    deps.log.warn({ err: e, to: conversation.aadObjectId }, 'card send failed');
    return { kind: 'failed', reason: (e as Error).message };
  }
}

export async function sendCard(deps: AppDeps, aadObjectId: string, card: AdaptiveCard, summary: string, options: Once & Reach = {}): Promise<SendOutcome> {
  // Only scheduled sends install PlanPulse for someone: a click must not wait on Graph installing an app.
  const found = options.mayInstall ? await reachPerson(deps, aadObjectId, 'member') : await deps.conversations.reachable(deps.tenantId, aadObjectId);
  if ('unreachable' in found) return { kind: 'unreachable', reason: found.unreachable };
  return sendCardTo(deps, found.conversation, card, summary, options);
}

/** What reaching a person came to, kept for the digest's reach section. */
export const reachResults = stateRecord('reach', z.object({ at: z.string(), outcome: z.string(), detail: z.string().optional() }), 'app/send');


const LASTING = new Set(['outside the organisation', 'blocked by policy', 'not in the catalogue', 'no permission']);
const RETRY_LASTING_MS = 7 * 86_400_000;

/**
 * The chat to message a person in. Someone who never opened PlanPulse gets it installed in their Teams first (plan
 * config "reach": owners before their first reminder, or everyone in the plan), and a short welcome once, before
 * anything else. Never for guests from outside the organisation; a person Teams refused is left alone.
 */
export async function reachPerson(deps: AppDeps, aadObjectId: string, as: 'owner' | 'member', options: { dryRun?: boolean } = {}): Promise<{ conversation: ConversationRecord; installed?: 'newly installed' | 'already installed' } | { unreachable: string; wouldInstall?: true }> {
  const found = await deps.conversations.reachable(deps.tenantId, aadObjectId);
  if ('conversation' in found) return found;
  const allowed = deps.reach.install === 'everyone' || (deps.reach.install === 'owners' && as === 'owner');
  // Someone Teams refused, or who removed PlanPulse themselves, is never installed for again by PlanPulse (a chat
  // that exists but is not reachable is always a refusal).
  if (!allowed || (await deps.conversations.refusedBecause(aadObjectId))) return found;
  // A lasting refusal (a guest, the app policy, the catalogue, the permission) is not asked of Graph again for a week.
  const last = await reachResults.get(deps.store, aadObjectId);
  if (last?.detail && LASTING.has(last.outcome) && deps.clock.now().getTime() - Date.parse(last.at) < RETRY_LASTING_MS)
    return { unreachable: `PlanPulse could not be installed for them: ${last.detail}` };
  if (options.dryRun) return { unreachable: 'PlanPulse is not installed in their Teams; a real run installs it and welcomes them first', wouldInstall: true };
  const outcome = await deps.reach.installer.ensureInstalled(aadObjectId);
  const at = deps.clock.now().toISOString();
  await reachResults.put(deps.store, aadObjectId, { at, outcome: outcome.kind, ...('detail' in outcome && { detail: outcome.detail }) });
  if (!('chatId' in outcome)) {
    deps.log.warn({ person: aadObjectId, outcome: outcome.kind, detail: outcome.detail }, 'PlanPulse could not be installed for a person');
    return { unreachable: `PlanPulse could not be installed for them: ${outcome.detail}` };
  }
  const seen = await deps.conversations.anyChat(deps.tenantId);
  const conversation: ConversationRecord = {
    tenantId: deps.tenantId, aadObjectId, userId: aadObjectId, conversationId: outcome.chatId, channelId: 'msteams', updatedAt: at,
    serviceUrl: seen?.serviceUrl ?? deps.reach.chatDefaults.serviceUrl, botId: seen?.botId ?? deps.reach.chatDefaults.botId, botName: seen?.botName ?? deps.reach.chatDefaults.botName,
  };
  await deps.conversations.save(conversation);
  deps.log.info({ person: aadObjectId, outcome: outcome.kind }, 'PlanPulse installed for a person who had not opened it');
  const lang = await languageFor(deps, aadObjectId);
  const heading = t(lang, 'welcome.installedHeading');
  if (await claimWelcome(deps, aadObjectId)) await sendCardTo(deps, conversation, messageCard(heading, t(lang, 'welcome.installed'), 'emphasis', { lang }), heading);
  return { conversation, installed: outcome.kind };
}

/** Who has been welcomed. Never swept: the welcome goes once per installation, not once a week. */
const welcomed = stateRecord('welcomed', z.object({ at: z.string() }), 'app/send');

/**
 * Claims the person's welcome: true for exactly one caller, whether PlanPulse installed itself or Teams' install event
 * arrived first (both happen at once when PlanPulse installs itself).
 */
export async function claimWelcome(deps: AppDeps, aadObjectId: string): Promise<boolean> {
  let mine = false;
  await welcomed.update(deps.store, aadObjectId, (current) => {
    mine = current === undefined;
    return current ?? { at: deps.clock.now().toISOString() };
  });
  return mine;
}

/** A person who removed PlanPulse is welcomed again if they install it again. */
export function forgetWelcome(deps: AppDeps, aadObjectId: string): Promise<void> {
  return welcomed.delete(deps.store, aadObjectId);
}

/** Whether a once-only send to the person already went (or may have gone: in doubt), without sending. */
export async function sentBefore(deps: AppDeps, once: string, aadObjectId: string): Promise<'already sent' | 'in doubt' | undefined> {
  const before = await journal.get(deps.store, `${once}/${aadObjectId}`);
  return before ? (before.activityId ? 'already sent' : 'in doubt') : undefined;
}

/** Why a send did not reach the person, in the words of run summaries. */
export function notSentBecause(outcome: Exclude<SendOutcome, { kind: 'sent' | 'already sent' }>): string {
  return outcome.kind === 'in doubt' ? IN_DOUBT : outcome.reason;
}

/** A send's outcome in a run summary: "sent", "already sent", or what stopped it and why. */
export function outcomeText(outcome: SendOutcome): string {
  if (outcome.kind === 'sent' || outcome.kind === 'already sent') return outcome.kind;
  return `${outcome.kind === 'unreachable' ? 'not reachable' : outcome.kind}: ${notSentBecause(outcome)}`;
}

export const delivered = (outcome: SendOutcome): outcome is Extract<SendOutcome, { activityId: string }> => outcome.kind === 'sent' || outcome.kind === 'already sent';

/** Someone a send did not reach: Teams refused them, the send may have gone (in doubt), or it failed (may pass). */
export interface NotReached {
  aadObjectId: string;
  kind: 'unreachable' | 'in doubt' | 'failed';
  reason: string;
}

/** One card to each of several people: what was sent (to update later) and who was not reached, and why. */
export async function sendCards(deps: AppDeps, aadObjectIds: string[], card: AdaptiveCard, summary: string, options: Once & Reach = {}): Promise<{ sent: SentCard[]; notReached: NotReached[] }> {
  const sent: SentCard[] = [];
  const notReached: NotReached[] = [];
  for (const id of [...new Set(aadObjectIds)]) {
    const outcome = await sendCard(deps, id, card, summary, options).catch((e: unknown): SendOutcome => ({ kind: 'failed', reason: (e as Error).message }));
    if (delivered(outcome)) sent.push({ aadObjectId: id, activityId: outcome.activityId });
    else notReached.push({ aadObjectId: id, kind: outcome.kind, reason: notSentBecause(outcome) });
  }
  return { sent, notReached };
}

/** Forgets scheduled sends older than a week (housekeeping). */
export function sweepSendJournal(deps: AppDeps): Promise<number> {
  return journal.sweep(deps.store, (record) => deps.clock.now().getTime() - Date.parse(record.at) > KEEP_SENDS_MS);
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
