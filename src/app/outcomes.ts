import type { AdaptiveCard } from './cards/templates.js';

/** What a card action answers: a card that replaces the clicked one, or an error Teams shows to the user. */
export type ActionOutcome =
  | {
      kind: 'card';
      card: AdaptiveCard;
      /** also replace the original message for everyone */
      updateMessage?: boolean;
      /** The card is the person's task list with this notice: a retry is answered by showing it again (kept small). */
      taskListNotice?: { text: string; style: 'good' | 'warning' | 'attention' | 'accent' | 'emphasis' };
    }
  | { kind: 'error'; status: 400 | 403 | 404 | 500; message: string };

/** What a typed chat command answers. */
export type CommandReply = { card: AdaptiveCard } | { text: string };
