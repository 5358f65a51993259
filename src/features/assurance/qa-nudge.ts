import type { JobRun } from '../../app/feature.js';
import type { AppDeps } from '../../app/context.js';
import { delivered, outcomeText, sendCard } from '../../app/send.js';
import { ownerLabel } from '../../app/task-access.js';
import { daysBetween, formatDate, localDateOf, type IsoDate } from '../../domain/dates.js';
import { eligibleDeciders } from '../../domain/qa.js';
import { QA, taskKeyString, type Task } from '../../domain/task.js';
import { nonWorkingReason, workingDaysBetween } from '../../domain/working-days.js';
import { taskQueueCard } from './cards.js';
import { qaNudges, qaSubmissions } from './state.js';
import { languageFor } from '../../app/language.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';

export interface QaNudgeReport {
  date: IsoDate;
  dryRun: boolean;
  nudges: { reviewer: string; tasks: { ref: string; waitingDays: number }[]; outcome: string }[];
  /** Tasks waiting with nobody who may review them. */
  unreviewable: string[];
}

/**
 * Reminds QA reviewers, one grouped card each, of tasks awaiting QA for longer than the list's threshold of working
 * days; a reviewer is nudged at most once every `nudgeEveryDays`.
 */
export async function runQaNudges(deps: AppDeps, options: { dryRun: boolean }): Promise<QaNudgeReport> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const [tasks, roles] = await Promise.all([deps.tasks.allTasks(), deps.roles.load()]);
  const byReviewer = new Map<string, { task: Task; waitingDays: number; every: number }[]>();
  const unreviewable: string[] = [];
  for (const task of tasks) {
    const qa = deps.tasks.policy(task.listKey)?.qa;
    if (!qa || task.qaStatus !== QA.awaiting) continue;
    const submitted = (await qaSubmissions.get(deps.store, taskKeyString(task)))?.at ?? task.lastUpdate;
    const since = submitted ? localDateOf(submitted, deps.timeZone) : today;
    const waitingDays = workingDaysBetween(since, today);
    if (waitingDays <= qa.nudgeAfterWorkingDays) continue;
    const reviewers = eligibleDeciders(task, qa.reviewers, roles);
    if (reviewers.length === 0) unreviewable.push(task.ref);
    for (const id of reviewers) byReviewer.set(id, [...(byReviewer.get(id) ?? []), { task, waitingDays, every: qa.nudgeEveryDays }]);
  }
  const report: QaNudgeReport = { date: today, dryRun: options.dryRun, nudges: [], unreviewable };
  for (const [reviewer, waiting] of byReviewer) {
    waiting.sort((a, b) => b.waitingDays - a.waitingDays);
    const last = await qaNudges.get(deps.store, reviewer);
    const every = Math.min(...waiting.map((w) => w.every));
    let outcome: string;
    if (last && daysBetween(last.date, today) < every) outcome = `already nudged on ${formatDate(last.date)}`;
    else if (options.dryRun) outcome = 'would send';
    else {
      const lang = await languageFor(deps, reviewer);
      const card = taskQueueCard(
        t(lang, 'nudge.heading', { n: waiting.length }),
        t(lang, 'nudge.summary'),
        waiting.map((w) => ({ task: w.task, details: t(lang, 'nudge.details', { days: w.waitingDays, owner: ownerLabel(w.task, roles), plan: w.task.plan }) })),
        { title: t(lang, 'nudge.button'), verb: 'qaOpen' },
        lang,
      );
      const sent = await sendCard(deps, reviewer, card, t(lang, 'notify.nudge', { n: waiting.length }), { once: `qa-nudge/${today}`, mayInstall: true });
      outcome = outcomeText(sent);
      if (delivered(sent)) await qaNudges.put(deps.store, reviewer, { date: today });
    }
    report.nudges.push({ reviewer: roles.nameOf(reviewer), tasks: waiting.map((w) => ({ ref: w.task.ref, waitingDays: w.waitingDays })), outcome });
  }
  return report;
}

export function formatQaNudgeReport(report: QaNudgeReport, lang: Lang = 'en'): string {
  const lines = [`${report.dryRun ? t(lang, 'remind.dry') : ''}${t(lang, 'nudgeRun.head', { date: dateIn(lang, report.date), n: report.nudges.length })}`];
  for (const n of report.nudges) lines.push(`  ${n.reviewer} — ${n.tasks.map((task) => t(lang, 'nudgeRun.task', { ref: task.ref, days: task.waitingDays })).join(', ')} — ${n.outcome}`);
  if (report.unreviewable.length) lines.push(t(lang, 'nudgeRun.unreviewable', { refs: report.unreviewable.join(', ') }));
  return lines.join('\n');
}

/** The scheduled job: reviewers are nudged on working days only. */
export async function qaNudgeJob(deps: AppDeps, options: { dryRun: boolean; lang?: Lang }): Promise<JobRun> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const closed = nonWorkingReason(today);
  if (closed && !options.dryRun) return { report: t(options.lang ?? 'en', 'nudgeRun.closed', { date: dateIn(options.lang ?? 'en', today), why: closed }), failed: 0 };
  const report = await runQaNudges(deps, options);
  return { report: formatQaNudgeReport(report, options.lang), failed: report.nudges.filter((n) => n.outcome.startsWith('failed')).length };
}
