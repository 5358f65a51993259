import type { AppDeps } from '../app.js';
import { formatDate, localDateOf } from '../domain/dates.js';
import { nonWorkingReason } from '../domain/working-days.js';
import { formatDigestRun, runDigest } from './digest.js';
import { sweepActionRecords } from './housekeeping.js';
import { formatQaNudgeReport, runQaNudges } from './qa-nudge.js';
import { formatRemindReport, runReminders } from './remind.js';
import { formatSampleRuns, runSampling } from './sample.js';

export const JOB_NAMES = ['remind', 'qa-nudge', 'sample', 'digest', 'housekeeping'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Jobs that message people, and so wait out the quiet hours. Housekeeping messages nobody. */
export const MESSAGES_PEOPLE: Record<JobName, boolean> = { remind: true, 'qa-nudge': true, sample: true, digest: true, housekeeping: false };

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/**
 * Runs one job as the scheduler would, returning its report as text. Messages to people only go out on working
 * days; the digest and sampling follow their own schedule.
 */
export async function runJob(name: JobName, deps: AppDeps, options: { dryRun: boolean }): Promise<string> {
  switch (name) {
    case 'remind':
      return formatRemindReport(await runReminders(deps, { dryRun: options.dryRun }));
    case 'qa-nudge': {
      const today = localDateOf(deps.clock.now(), deps.timeZone);
      const closed = nonWorkingReason(today);
      if (closed && !options.dryRun) return `No QA nudges: ${formatDate(today)} is not a working day (${closed}).`;
      return formatQaNudgeReport(await runQaNudges(deps, options));
    }
    case 'sample':
      return formatSampleRuns(await runSampling(deps, options), options.dryRun);
    case 'digest':
      return formatDigestRun(await runDigest(deps, { dryRun: options.dryRun, send: true }), options.dryRun);
    case 'housekeeping':
      return options.dryRun ? 'DRY RUN — housekeeping deletes nothing in a dry run.' : `Deleted ${await sweepActionRecords(deps)} records of card actions older than a week.`;
  }
}
