import { addDays, daysBetween, localDateOf, type IsoDate } from './dates.js';
import { ownersOf } from './reminders.js';
import type { RoleDirectory } from './roles.js';
import { flagsFor, type RuleThresholds } from './rules.js';
import { QA, taskKeyString, type StatusCategory, type Task } from './task.js';
import { workingDaysBetween } from './working-days.js';

/** Counts for one plan and pillar: the committee table's row. */
export interface DigestRow {
  plan: string;
  pillar: string;
  total: number;
  complete: number;
  onTrack: number;
  behind: number;
  blocked: number;
  notStarted: number;
  /** Statuses the list's vocabulary does not know; counted as in progress. */
  unknown: number;
  pctComplete: number;
  /** Change in `complete` since the snapshot a week ago; undefined without one. */
  completeChange?: number;
}

/** What the digest remembers each week, to show movement next week. */
export interface DigestSnapshot {
  date: IsoDate;
  rows: Record<string, { total: number; complete: number }>;
  dueDates: Record<string, IsoDate | null>;
}

export interface DigestTaskLine {
  task: Task;
  owner: string;
  detail: string;
}

export interface Digest {
  date: IsoDate;
  since?: IsoDate;
  rows: DigestRow[];
  totals: DigestRow;
  /** Every overdue task, oldest first. */
  overdue: (DigestTaskLine & { days: number })[];
  overdueCount: number;
  awaitingQa: DigestTaskLine[];
  noEvidence: DigestTaskLine[];
  revisedDates: DigestTaskLine[];
  dataQuality: DigestTaskLine[];
}

const rowKey = (plan: string, pillar: string) => `${plan} / ${pillar}`;
const NO_PILLAR = 'No pillar';

function emptyRow(plan: string, pillar: string): DigestRow {
  return { plan, pillar, total: 0, complete: 0, onTrack: 0, behind: 0, blocked: 0, notStarted: 0, unknown: 0, pctComplete: 0 };
}

function add(row: DigestRow, category: StatusCategory | undefined): void {
  row.total += 1;
  if (category === 'complete') row.complete += 1;
  else if (category === 'onTrack') row.onTrack += 1;
  else if (category === 'behind') row.behind += 1;
  else if (category === 'blocked') row.blocked += 1;
  else if (category === 'notStarted') row.notStarted += 1;
  else row.unknown += 1;
}

function finish(row: DigestRow, previous?: { complete: number }): DigestRow {
  row.pctComplete = row.total ? Math.round((row.complete / row.total) * 100) : 0;
  if (previous) row.completeChange = row.complete - previous.complete;
  return row;
}

/**
 * The weekly leadership digest: per plan and pillar the counts by status and % complete, movement since the snapshot
 * a week ago, the oldest overdue tasks, what awaits QA, complete work without evidence, dates revised this week with
 * their reasons, and data-quality problems.
 */
export function buildDigest(
  tasks: Task[],
  roles: RoleDirectory,
  today: IsoDate,
  rules: RuleThresholds,
  timeZone: string,
  previous?: DigestSnapshot,
  /** Task key -> when it was submitted for QA, where known (else its last update counts). */
  submittedForQa: Record<string, string> = {},
): Digest {
  const rows = new Map<string, DigestRow>();
  const totals = emptyRow('All plans', 'All');
  const overdue: (DigestTaskLine & { days: number })[] = [];
  const awaitingQa: (DigestTaskLine & { days: number })[] = [];
  const noEvidence: DigestTaskLine[] = [];
  const revisedDates: DigestTaskLine[] = [];
  const dataQuality: DigestTaskLine[] = [];

  for (const task of tasks) {
    const pillar = task.pillar?.trim() || NO_PILLAR;
    const key = rowKey(task.plan, pillar);
    const row = rows.get(key) ?? emptyRow(task.plan, pillar);
    rows.set(key, row);
    add(row, task.statusCategory);
    add(totals, task.statusCategory);

    const owners = ownersOf(task, roles);
    const owner = task.ownerRole ?? (owners.people.map((p) => p.displayName).join(', ') || 'no owner');
    if (owners.problem) dataQuality.push({ task, owner, detail: owners.problem });
    if (!task.dueDate) dataQuality.push({ task, owner, detail: task.dueDateText ? `due date "${task.dueDateText}" cannot be read` : 'no due date' });
    if (task.statusCategory === undefined) dataQuality.push({ task, owner, detail: `status "${task.status || '(blank)'}" is not in the list's vocabulary` });

    for (const flag of flagsFor(task, today, rules, timeZone)) {
      if (flag.kind === 'overdue') overdue.push({ task, owner, days: flag.days, detail: `${flag.days} days overdue` });
      if (flag.kind === 'noEvidence') noEvidence.push({ task, owner, detail: 'complete, no evidence link' });
    }
    if (task.qaStatus === QA.awaiting) {
      const submitted = submittedForQa[taskKeyString(task)] ?? task.lastUpdate;
      const since = submitted ? localDateOf(submitted, timeZone) : today;
      const days = workingDaysBetween(since, today);
      awaitingQa.push({ task, owner, days, detail: `waiting ${days} working day${days === 1 ? '' : 's'}` });
    }
    const before = previous?.dueDates[taskKeyString(task)];
    const movedThisWeek = previous ? before !== undefined && before !== (task.dueDate ?? null) : task.lastUpdate !== undefined && localDateOf(task.lastUpdate, timeZone) >= addDays(today, -7);
    if (task.revisedDateReason && task.originalDueDate && movedThisWeek)
      revisedDates.push({ task, owner, detail: `${task.originalDueDate} → ${task.dueDate ?? 'no date'}: ${task.revisedDateReason}` });
  }

  const sortedRows = [...rows.values()]
    .map((r) => finish(r, previous?.rows[rowKey(r.plan, r.pillar)] ?? (previous ? { complete: 0 } : undefined)))
    .sort((a, b) => a.plan.localeCompare(b.plan) || (a.pillar === NO_PILLAR ? 1 : b.pillar === NO_PILLAR ? -1 : a.pillar.localeCompare(b.pillar)));
  const previousTotal = previous ? Object.values(previous.rows).reduce((n, r) => n + r.complete, 0) : undefined;
  return {
    date: today,
    since: previous?.date,
    rows: sortedRows,
    totals: finish(totals, previousTotal === undefined ? undefined : { complete: previousTotal }),
    overdue: overdue.sort((a, b) => b.days - a.days),
    overdueCount: overdue.length,
    awaitingQa: awaitingQa.sort((a, b) => b.days - a.days),
    noEvidence,
    revisedDates,
    dataQuality,
  };
}

export function snapshotOf(digest: Digest, tasks: Task[]): DigestSnapshot {
  return {
    date: digest.date,
    rows: Object.fromEntries(digest.rows.map((r) => [rowKey(r.plan, r.pillar), { total: r.total, complete: r.complete }])),
    dueDates: Object.fromEntries(tasks.map((t) => [taskKeyString(t), t.dueDate ?? null])),
  };
}

/** The newest snapshot at least six days old: "last week" even when a run slipped by a day. */
export function lastWeeksSnapshot(snapshots: DigestSnapshot[], today: IsoDate): DigestSnapshot | undefined {
  return snapshots.filter((s) => daysBetween(s.date, today) >= 6).sort((a, b) => b.date.localeCompare(a.date))[0];
}

/** The committee table as plain text, as in the seed committee papers. */
export function committeeTable(digest: Digest): string {
  const head = ['Plan / pillar', 'Total', 'Completed', 'In progress', 'Still to start', '% complete', 'Change'];
  const line = (r: DigestRow, label: string) => [
    label, r.total, r.complete, r.onTrack + r.behind + r.blocked + r.unknown, r.notStarted, `${r.pctComplete}%`,
    r.completeChange === undefined ? '—' : `${r.completeChange >= 0 ? '+' : ''}${r.completeChange}`,
  ].map(String);
  const body = [...digest.rows.map((r) => line(r, `${r.plan} / ${r.pillar}`)), line(digest.totals, 'Total')];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)].join('\n');
}

/** How long overdue tasks have been overdue, in the buckets committees use. */
export const AGEING_BUCKETS = [
  { label: '1–7 days', max: 7 },
  { label: '8–30 days', max: 30 },
  { label: '31–90 days', max: 90 },
  { label: 'over 90 days', max: Infinity },
] as const;

export interface DigestCharts {
  /** Per plan: how many tasks are in each state (the parts add up to the plan's total). */
  statusMix: { plan: string; parts: { legend: string; value: number }[] }[];
  /** Overdue tasks by pillar, most first. */
  overdueByPillar: { pillar: string; count: number }[];
  ageing: { label: string; count: number }[];
  /** Per plan: % complete at each weekly snapshot, oldest first, ending with this week. */
  trend: { plan: string; points: { date: IsoDate; pct: number }[] }[];
}

/** What the digest's charts (and their text equivalents) show, from this week's digest and earlier snapshots. */
export function digestCharts(digest: Digest, history: DigestSnapshot[], weeks = 12): DigestCharts {
  const plans = [...new Set(digest.rows.map((r) => r.plan))];
  const statusMix = plans.map((plan) => {
    const rows = digest.rows.filter((r) => r.plan === plan);
    const sum = (f: (r: DigestRow) => number) => rows.reduce((n, r) => n + f(r), 0);
    return {
      plan,
      parts: [
        { legend: 'Completed', value: sum((r) => r.complete) },
        { legend: 'In progress', value: sum((r) => r.onTrack + r.unknown) },
        { legend: 'Behind', value: sum((r) => r.behind) },
        { legend: 'Blocked', value: sum((r) => r.blocked) },
        { legend: 'Still to start', value: sum((r) => r.notStarted) },
      ].filter((p) => p.value > 0),
    };
  });
  const byPillar = new Map<string, number>();
  for (const line of digest.overdue) {
    const pillar = line.task.pillar?.trim() || NO_PILLAR;
    byPillar.set(pillar, (byPillar.get(pillar) ?? 0) + 1);
  }
  const ageing = AGEING_BUCKETS.map((b, i) => ({ label: b.label, count: digest.overdue.filter((l) => l.days <= b.max && (i === 0 || l.days > AGEING_BUCKETS[i - 1]!.max)).length }));
  const earlier = history.filter((s) => s.date < digest.date).sort((a, b) => a.date.localeCompare(b.date)).slice(-(weeks - 1));
  const trend = plans.map((plan) => {
    const pct = (rows: Record<string, { total: number; complete: number }>) => {
      const mine = Object.entries(rows).filter(([key]) => key.startsWith(`${plan} / `)).map(([, r]) => r);
      const total = mine.reduce((n, r) => n + r.total, 0);
      return total ? Math.round((mine.reduce((n, r) => n + r.complete, 0) / total) * 100) : undefined;
    };
    const points = earlier.map((s) => ({ date: s.date, pct: pct(s.rows) })).filter((p): p is { date: IsoDate; pct: number } => p.pct !== undefined);
    const now = digest.rows.filter((r) => r.plan === plan);
    const total = now.reduce((n, r) => n + r.total, 0);
    points.push({ date: digest.date, pct: total ? Math.round((now.reduce((n, r) => n + r.complete, 0) / total) * 100) : 0 });
    return { plan, points };
  });
  return { statusMix, overdueByPillar: [...byPillar].map(([pillar, count]) => ({ pillar, count })).sort((a, b) => b.count - a.count || a.pillar.localeCompare(b.pillar)), ageing, trend };
}
