import cron, { type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../app.js';
import type { PlanConfig } from '../config/plan.js';
import { isQuiet, localTimeOf } from '../domain/quiet-hours.js';
import type { LeaderLock } from '../state/leader-lock.js';
import { JOB_NAMES, MESSAGES_PEOPLE, runJob, type JobName } from './registry.js';

const CRON_OF: Record<JobName, keyof Omit<PlanConfig['schedule'], 'quietHours'>> = { remind: 'remind', 'qa-nudge': 'qaNudge', sample: 'sample', digest: 'digest', housekeeping: 'housekeeping' };

export function scheduleOf(plan: PlanConfig, job: JobName): string {
  return plan.schedule[CRON_OF[job]];
}

/** Builds (without starting) the cron task for one job, in the configured time zone. */
export function jobTask(name: JobName, expression: string, timeZone: string, fire: () => Promise<unknown>): ScheduledTask {
  return cron.createTask(expression, fire, { name, timezone: timeZone, noOverlap: true });
}

export type FireOutcome = 'ran' | 'quiet hours' | 'not the leader' | 'failed';

/**
 * One scheduled fire of a job on one instance: only the leader runs it (with several instances, the blob lease
 * elects exactly one), and nothing that messages people runs inside the quiet hours.
 */
export async function fireJob(name: JobName, deps: AppDeps, schedule: PlanConfig['schedule'], lock: LeaderLock): Promise<FireOutcome> {
  if (MESSAGES_PEOPLE[name] && isQuiet(localTimeOf(deps.clock.now(), deps.timeZone), schedule.quietHours)) {
    deps.log.info({ job: name }, 'job skipped: quiet hours');
    return 'quiet hours';
  }
  if (!(await lock.isLeader())) return 'not the leader';
  try {
    deps.log.info({ job: name, report: await runJob(name, deps, { dryRun: false }) }, 'scheduled job finished');
    return 'ran';
  } catch (e) {
    deps.log.error({ err: e, job: name }, 'scheduled job failed');
    return 'failed';
  }
}

/** Fires every job on its cron schedule in the plan's time zone. */
export function startScheduler(deps: AppDeps, schedule: PlanConfig['schedule'], lock: LeaderLock): { tasks: ScheduledTask[]; stop(): Promise<void> } {
  const tasks = JOB_NAMES.map((name) => jobTask(name, schedule[CRON_OF[name]], deps.timeZone, () => fireJob(name, deps, schedule, lock)));
  for (const t of tasks) void t.start();
  return {
    tasks,
    stop: async () => {
      await Promise.all(tasks.map((t) => t.stop()));
      await lock.release();
    },
  };
}
