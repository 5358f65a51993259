import { t, type Lang } from './i18n.js';

/** Teams' refusal codes and PlanPulse's own reasons, each with the words people read. */
const REASONS: [RegExp, string][] = [
  [/ConversationBlockedByUser/, 'reach.blocked'],
  [/BotDisabledByAdmin/, 'reach.disabled'],
  [/MessageWritesBlocked/, 'reach.writesBlocked'],
  [/BotNotInConversationRoster|ForbiddenOperationException|^PlanPulse is not installed in their Teams$/, 'reach.notInstalled'],
  [/^they removed PlanPulse from their Teams$/, 'reach.removed'],
  [/guest from another organisation/, 'reach.guest'],
  [/app permission policy blocks PlanPulse/, 'reach.policy'],
  [/not in the organisation's Teams app catalogue/, 'reach.catalogue'],
  [/lacks a Graph permission|lacks TeamsAppInstallation/, 'reach.permission'],
];

/**
 * Why a person cannot be messaged, in plain words in the reader's language: Teams answers with codes
 * ("ConversationBlockedByUser"), and PlanPulse's own reasons are written once, in English, where they arise.
 */
export function unreachableIn(lang: Lang, reason: string): string {
  const found = REASONS.find(([pattern]) => pattern.test(reason));
  return found ? t(lang, found[1]) : reason;
}
