import type { Lang } from '../../app/i18n.js';
import { expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';

export interface HistoryRow {
  field: string;
  change: string;
  who: string;
  when: string;
  channel: string;
}

export function historyCard(heading: string, rows: HistoryRow[], lang?: Lang): AdaptiveCard {
  return expandTemplate('history', { heading, rows }, lang);
}
