import { CARD_BYTE_BUDGET, cardBytes, expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert } from '../../app/cards/views.js';
import { formatDate } from '../../domain/dates.js';
import type { Digest, DigestCharts, DigestTaskLine } from '../../domain/digest.js';

export interface DigestCardOptions {
  /** How many lines each list shows before "and N more". */
  shown: number;
  /** How many owners Teams reaches, whom PlanPulse installed itself for, and who cannot be reached and why. */
  reach?: { title: string; lines: string[] };
  links?: { title: string; url: string }[];
  /** The charts and their text equivalents (absent: none shown). */
  charts?: DigestCharts;
  /** Overdue tasks sent to managers or plan leads this week. */
  escalationsThisWeek?: number;
  /** The pillars and owner roles leaders can list overdue tasks of (from this digest's lists). */
  drill?: { date: string; pillars: string[]; roles: string[] };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Colours with a meaning (good, warning, attention); the legend and the words beside each chart say the same. */
const STATUS_COLOURS: Record<string, string> = { Completed: 'good', 'In progress': 'categoricalBlue', Behind: 'warning', Blocked: 'attention', 'Still to start': 'neutral' };

/** Chart data for the template, each chart with the same numbers in words for clients and people who cannot see it. */
function chartViews(charts: DigestCharts | undefined) {
  if (!charts) return { mix: [], overdueBars: { show: false, data: [], text: '' }, trend: { show: false, data: [], lines: [] } };
  return {
    mix: charts.statusMix.map((m) => ({
      title: `Status of ${m.plan}`,
      parts: m.parts.map((p) => ({ ...p, color: STATUS_COLOURS[p.legend] ?? 'neutral' })),
      text: `${m.plan}: ${m.parts.map((p) => `${p.legend.toLowerCase()} ${p.value}`).join(', ')} (total ${m.parts.reduce((n, p) => n + p.value, 0)}).`,
    })),
    overdueBars: {
      show: charts.overdueByPillar.length > 0,
      data: charts.overdueByPillar.slice(0, 12).map((p) => ({ x: p.pillar.length > 24 ? `${p.pillar.slice(0, 23)}…` : p.pillar, y: p.count, color: 'attention' })),
      text: `Overdue by pillar: ${charts.overdueByPillar.map((p) => `${p.pillar} ${p.count}`).join(', ')}.`,
    },
    trend: {
      show: charts.trend.some((t) => t.points.length > 1),
      data: charts.trend.map((t) => ({ legend: t.plan, values: t.points.map((p) => ({ x: formatDate(p.date).replace(/ \d{4}$/, ''), y: p.pct })) })),
      lines: charts.trend.map((t) => `% complete, ${t.plan}: ${t.points.map((p) => `${formatDate(p.date).replace(/ \d{4}$/, '')} ${p.pct}%`).join(' → ')}.`),
    },
  };
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
    const overdueTotal = options.charts?.ageing.reduce((n, b) => n + b.count, 0) ?? digest.overdueCount;
    return expandTemplate('digest', {
      ...chartViews(options.charts),
      ageing: overdueTotal
        ? `${plural(overdueTotal, 'task')} overdue: ${(options.charts?.ageing ?? []).map((b) => `${b.label} ${b.count}`).join(' · ')}. The oldest are listed below.`
        : 'Nothing is overdue.',
      escalations: options.escalationsThisWeek === undefined ? '' : `${plural(options.escalationsThisWeek, 'overdue task')} escalated to a manager or plan lead this week.`,
      drill: {
        show: Boolean(options.drill && (options.drill.pillars.length || options.drill.roles.length)),
        date: options.drill?.date ?? '',
        pillars: (options.drill?.pillars ?? []).map((p) => ({ title: p, value: p })),
        roles: (options.drill?.roles ?? []).map((r) => ({ title: r, value: r })),
      },
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
