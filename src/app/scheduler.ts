import cron, { type ScheduledTask } from 'node-cron';
import type { PlanConfig } from '../config/plan.js';
import { isQuiet, localTimeOf } from '../domain/quiet-hours.js';
import type { AppDeps } from './context.js';
import type { Job } from './feature.js';
import type { LeaderLock } from './ports.js';

/** Builds (without starting) the cron task for one job, in the configured time zone. */
export function jobTask(name: string, expression: string, timeZone: string, fire: () => Promise<unknown>): ScheduledTask {
  return cron.createTask(expression, fire, { name, timezone: timeZone, noOverlap: true });
}

export type FireOutcome = 'ran' | 'quiet hours' | 'not the leader' | 'failed';

/**
 * One scheduled fire of a job on one instance: only the leader runs it (with several instances, the blob lease
 * elects exactly one), and nothing that messages people runs inside the quiet hours.
 */
export async function fireJob(job: Job, deps: AppDeps, schedule: PlanConfig['schedule'], lock: LeaderLock): Promise<FireOutcome> {
  if (job.messagesPeople && isQuiet(localTimeOf(deps.clock.now(), deps.timeZone), schedule.quietHours)) {
    deps.log.info({ job: job.name }, 'job skipped: quiet hours');
    return 'quiet hours';
  }
  if (!(await lock.isLeader())) return 'not the leader';
  try {
    deps.log.info({ job: job.name, report: await job.run(deps, { dryRun: false }) }, 'scheduled job finished');
    return 'ran';
  } catch (e) {
    deps.log.error({ err: e, job: job.name }, 'scheduled job failed');
    return 'failed';
  }
}

/** Fires every job on its cron schedule in the plan's time zone. */
export function startScheduler(jobs: Job[], deps: AppDeps, schedule: PlanConfig['schedule'], lock: LeaderLock): { tasks: ScheduledTask[]; stop(): Promise<void> } {
  const tasks = jobs.map((job) => jobTask(job.name, schedule[job.schedule], deps.timeZone, () => fireJob(job, deps, schedule, lock)));
  for (const t of tasks) void t.start();
  return {
    tasks,
    stop: async () => {
      await Promise.all(tasks.map((t) => t.stop()));
      await lock.release();
    },
  };
}
