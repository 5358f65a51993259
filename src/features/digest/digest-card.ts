import { CARD_BYTE_BUDGET, cardBytes, expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert } from '../../app/cards/views.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';
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
  /** The reader's language (each leader gets the card in theirs). */
  lang?: Lang;
  /** The pillars and owner roles leaders can list overdue tasks of (from this digest's lists). */
  drill?: { date: string; pillars: string[]; roles: string[] };
}


/** Colours with a meaning (good, warning, attention); the legend and the words beside each chart say the same. */
const STATUS_COLOURS: Record<string, string> = { Completed: 'good', 'In progress': 'categoricalBlue', Behind: 'warning', Blocked: 'attention', 'Still to start': 'neutral' };
const STATUS_KEYS: Record<string, string> = { Completed: 'status.complete', 'In progress': 'status.inProgress', Behind: 'status.behind', Blocked: 'status.blocked', 'Still to start': 'status.notStarted' };

/** A week on the trend line: the date without its year, in the reader's language. */
const week = (lang: Lang, date: string) => dateIn(lang, date).replace(/ \d{4}$/, '');

/** Chart data for the template, each chart with the same numbers in words for clients and people who cannot see it. */
function chartViews(charts: DigestCharts | undefined, lang: Lang) {
  if (!charts) return { mix: [], overdueBars: { show: false, data: [], text: '' }, trend: { show: false, data: [], lines: [] } };
  return {
    mix: charts.statusMix.map((m) => {
      const parts = m.parts.map((p) => ({ legend: t(lang, STATUS_KEYS[p.legend] ?? 'status.inProgress'), value: p.value, color: STATUS_COLOURS[p.legend] ?? 'neutral' }));
      return {
        title: t(lang, 'digest.mixTitle', { plan: m.plan }),
        parts,
        text: t(lang, 'digest.mixText', { plan: m.plan, parts: parts.map((p) => `${p.legend.toLowerCase()} ${p.value}`).join(', '), total: m.parts.reduce((n, p) => n + p.value, 0) }),
      };
    }),
    overdueBars: {
      show: charts.overdueByPillar.length > 0,
      data: charts.overdueByPillar.slice(0, 12).map((p) => ({ x: p.pillar.length > 24 ? `${p.pillar.slice(0, 23)}…` : p.pillar, y: p.count, color: 'attention' })),
      text: t(lang, 'digest.overdueText', { list: charts.overdueByPillar.map((p) => `${p.pillar} ${p.count}`).join(', ') }),
    },
    trend: {
      show: charts.trend.some((line) => line.points.length > 1),
      data: charts.trend.map((line) => ({ legend: line.plan, values: line.points.map((p) => ({ x: week(lang, p.date), y: p.pct })) })),
      lines: charts.trend.map((line) => t(lang, 'digest.trendText', { plan: line.plan, points: line.points.map((p) => `${week(lang, p.date)} ${p.pct}%`).join(' → ') })),
    },
  };
}

/**
 * A data-quality problem as the domain states it, in the reader's language. The domain's wording is the source of
 * truth (committee text, the CLI); these are its only shapes.
 */
function problemIn(lang: Lang, detail: string): string {
  let m: RegExpExecArray | null;
  if (detail === 'no owner') return t(lang, 'digest.noOwner');
  if (detail === 'no due date') return t(lang, 'tasks.noDue');
  if ((m = /^unmapped role (".*")$/.exec(detail))) return t(lang, 'digest.dq.unmapped', { role: inert(m[1]!) });
  if ((m = /^due date (".*") cannot be read$/.exec(detail))) return t(lang, 'digest.dq.unreadableDate', { text: inert(m[1]!) });
  if ((m = /^status (".*") is not in the list's vocabulary$/.exec(detail))) return t(lang, 'digest.dq.unknownStatus', { status: inert(m[1]!) });
  return inert(detail);
}

/** One task in a list: its ref, title, owner and why it is listed, in the reader's language where PlanPulse wrote it. */
function lineIn(lang: Lang, kind: string) {
  return (l: DigestTaskLine & { days?: number }) => {
    const detail = l.days !== undefined && (kind === 'overdue' || kind === 'awaitingQa') ? t(lang, `digest.line.${kind}`, { days: l.days }) : kind === 'noEvidence' ? t(lang, 'digest.line.noEvidence') : kind === 'dataQuality' ? problemIn(lang, l.detail) : inert(l.detail);
    return `**${l.task.ref}** ${inert(l.task.title.slice(0, 90))} — ${l.owner === 'no owner' ? t(lang, 'digest.noOwner') : l.owner} · ${detail}`;
  };
}
const MOST_CHOICES = 40;
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
  const lang = options.lang ?? 'en';
  const render = (shown: number) => {
    const more = (total: number) => (total > shown ? t(lang, 'digest.more', { n: total - shown }) : '');
    const section = (key: string, lines: (DigestTaskLine & { days?: number })[], total = lines.length) => ({ title: t(lang, `digest.section.${key}`, { n: total }), lines: lines.slice(0, shown).map(lineIn(lang, key)), more: more(total) });
    const sections = [
      section('overdue', digest.overdue, digest.overdueCount),
      section('awaitingQa', digest.awaitingQa),
      section('noEvidence', digest.noEvidence),
      section('revisedDates', digest.revisedDates),
      section('dataQuality', digest.dataQuality),
      ...(options.reach?.lines.length ? [{ title: options.reach.title, lines: options.reach.lines.slice(0, shown), more: more(options.reach.lines.length) }] : []),
    ].filter((s) => s.lines.length > 0);
    const totals = digest.totals;
    const overdueTotal = options.charts?.ageing.reduce((n, b) => n + b.count, 0) ?? digest.overdueCount;
    return expandTemplate('digest', {
      ...chartViews(options.charts, lang),
      ageing: overdueTotal
        ? t(lang, 'digest.ageing', { n: overdueTotal, buckets: (options.charts?.ageing ?? []).map((b, i) => `${t(lang, `ageing.${i}`)} ${b.count}`).join(' · ') })
        : t(lang, 'digest.nothingOverdue'),
      escalations: options.escalationsThisWeek === undefined ? '' : t(lang, 'digest.escalations', { n: options.escalationsThisWeek }),
      drill: {
        show: Boolean(options.drill && (options.drill.pillars.length || options.drill.roles.length)),
        date: options.drill?.date ?? '',
        // Capped, so a plan of hundreds of roles cannot push the card past Teams' size limit.
        pillars: (options.drill?.pillars ?? []).slice(0, MOST_CHOICES).map((p) => ({ title: p.slice(0, 80), value: p })),
        roles: (options.drill?.roles ?? []).slice(0, MOST_CHOICES).map((r) => ({ title: r.slice(0, 80), value: r })),
      },
      heading: t(lang, 'digest.heading', { date: dateIn(lang, digest.date) }),
      summary: t(lang, 'digest.summary', {
        total: totals.total, complete: totals.complete, pct: totals.pctComplete, overdue: digest.overdueCount, qa: digest.awaitingQa.length, dq: digest.dataQuality.length,
        change: totals.completeChange === undefined ? '' : t(lang, 'digest.change', { n: signed(totals.completeChange), date: dateIn(lang, digest.since!) }),
      }),
      plans,
      sections,
      links: options.links ?? [],
    }, lang);
  };
  let shown = options.shown;
  let card = render(shown);
  while (cardBytes(card) > CARD_BYTE_BUDGET && shown > 1) card = render((shown = Math.max(1, Math.floor(shown / 2))));
  return card;
}
