import { CARD_BYTE_BUDGET, cardBytes, expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert } from '../../app/cards/views.js';
import { formatDate } from '../../domain/dates.js';
import type { Digest, DigestTaskLine } from '../../domain/digest.js';

export interface DigestCardOptions {
  /** How many lines each list shows before "and N more". */
  shown: number;
  /** How many owners Teams reaches, whom PlanPulse installed itself for, and who cannot be reached and why. */
  reach?: { title: string; lines: string[] };
  links?: { title: string; url: string }[];
}

const line = (l: DigestTaskLine) => `**${l.task.ref}** ${inert(l.task.title.slice(0, 90))} — ${l.owner} · ${inert(l.detail)}`;
const signed = (n: number | undefined) => (n === undefined ? '—' : `${n > 0 ? '+' : ''}${n}`);

/**
 * The digest as one card: a committee table per plan, then the lists leaders act on. Each list is cut to fit
 * Teams' card size limit even for plans of thousands of tasks.
 */
export function digestCard(digest: Digest, options: DigestCardOptions): AdaptiveCard {
  const plans = [...new Set(digest.rows.map((r) => r.plan))].map((name) => ({
    name,
    rows: digest.rows
      .filter((r) => r.plan === name)
      // TextBlock text must be a string: a number (or 0) would render as nothing.
      .map((r) => ({ pillar: r.pillar, total: String(r.total), complete: String(r.complete), behind: String(r.behind + r.blocked), notStarted: String(r.notStarted), pct: `${r.pctComplete}%`, change: signed(r.completeChange) })),
  }));
  const render = (shown: number) => {
    const section = (title: string, lines: DigestTaskLine[], total = lines.length) => ({
      title: `${title} (${total})`,
      lines: lines.slice(0, shown).map(line),
      more: total > shown ? `…and ${total - shown} more.` : '',
    });
    const sections = [
      section('Oldest overdue', digest.overdue, digest.overdueCount),
      section('Awaiting QA', digest.awaitingQa),
      section('Complete without evidence', digest.noEvidence),
      section('Revised dates this week', digest.revisedDates),
      section('Data-quality problems', digest.dataQuality),
      ...(options.reach?.lines.length ? [{ title: options.reach.title, lines: options.reach.lines.slice(0, shown), more: options.reach.lines.length > shown ? `…and ${options.reach.lines.length - shown} more.` : '' }] : []),
    ].filter((s) => s.lines.length > 0);
    const t = digest.totals;
    return expandTemplate('digest', {
      heading: `Improvement plans · week to ${formatDate(digest.date)}`,
      summary: `${t.total} tasks, ${t.complete} complete (${t.pctComplete}%)${t.completeChange === undefined ? '' : `, ${signed(t.completeChange)} since ${formatDate(digest.since!)}`}; ${digest.overdueCount} overdue, ${digest.awaitingQa.length} awaiting QA, ${digest.dataQuality.length} data-quality problems.`,
      plans,
      sections,
      links: options.links ?? [],
    });
  };
  let shown = options.shown;
  let card = render(shown);
  while (cardBytes(card) > CARD_BYTE_BUDGET && shown > 1) card = render((shown = Math.max(1, Math.floor(shown / 2))));
  return card;
}
