import cron, { type ScheduledTask } from 'node-cron';
import type { PlanConfig } from '../config/plan.js';
import { isQuiet, localTimeOf } from '../domain/quiet-hours.js';
import type { AppDeps } from './context.js';
import type { Job } from './feature.js';
import { ServiceBusyError, type LeaderLock } from './ports.js';

/** Builds (without starting) the cron task for one job, in the configured time zone. */
export function jobTask(name: string, expression: string, timeZone: string, fire: () => Promise<unknown>): ScheduledTask {
  return cron.createTask(expression, fire, { name, timezone: timeZone, noOverlap: true });
}

export type FireOutcome = 'ran' | 'quiet hours' | 'not the leader' | 'failed' | 'failed: retry scheduled' | 'ran: some people failed, retry scheduled';

/**
 * A run stopped because SharePoint was busy, or one that could not reach some people for reasons that may pass, is
 * tried again later the same day, a few times at most. The jobs' own records skip whatever was already done.
 */
export const RETRIES = { perDay: 3, minimumDelayMs: 15 * 60_000 };

/**
 * One scheduled fire of a job on one instance: only the leader runs it (with several instances, the blob lease
 * elects exactly one), and nothing that messages people runs inside the quiet hours.
 */
export async function fireJob(
  job: Job,
  deps: AppDeps,
  schedule: PlanConfig['schedule'],
  lock: LeaderLock,
  retry: { attempt: number; later(delayMs: number, attempt: number): void } = { attempt: 0, later: () => undefined },
): Promise<FireOutcome> {
  if (job.messagesPeople && isQuiet(localTimeOf(deps.clock.now(), deps.timeZone), schedule.quietHours)) {
    deps.log.info({ job: job.name }, 'job skipped: quiet hours');
    return 'quiet hours';
  }
  if (!(await lock.isLeader())) return 'not the leader';
  try {
    const run = await job.run(deps, { dryRun: false });
    deps.log.info({ job: job.name, report: run.report, failed: run.failed }, 'scheduled job finished');
    if (run.failed && retry.attempt < RETRIES.perDay) {
      retry.later(RETRIES.minimumDelayMs, retry.attempt + 1);
      deps.log.warn({ job: job.name, people: run.failed, inMinutes: RETRIES.minimumDelayMs / 60_000, attempt: retry.attempt + 1 }, 'some people were not reached; the job will be tried again for them later today');
      return 'ran: some people failed, retry scheduled';
    }
    return 'ran';
  } catch (e) {
    deps.log.error({ err: e, job: job.name }, 'scheduled job failed');
    // Transient (SharePoint busy): what was read is kept and the job's own records skip what was done, so a later
    // run the same day finishes the work.
    if (e instanceof ServiceBusyError && retry.attempt < RETRIES.perDay) {
      const delay = Math.max(RETRIES.minimumDelayMs, e.retryAt.getTime() - deps.clock.now().getTime());
      retry.later(delay, retry.attempt + 1);
      deps.log.warn({ job: job.name, inMinutes: Math.round(delay / 60_000), attempt: retry.attempt + 1 }, 'the job will be tried again later today');
      return 'failed: retry scheduled';
    }
    return 'failed';
  }
}

/** Fires every job on its cron schedule in the plan's time zone. */
export function startScheduler(jobs: Job[], deps: AppDeps, schedule: PlanConfig['schedule'], lock: LeaderLock): { tasks: ScheduledTask[]; stop(): Promise<void> } {
  const timers = new Set<NodeJS.Timeout>();
  const fire = (job: Job, attempt: number): Promise<FireOutcome> =>
    fireJob(job, deps, schedule, lock, {
      attempt,
      later: (delayMs, next) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void fire(job, next);
        }, delayMs);
        timer.unref();
        timers.add(timer);
      },
    });
  const tasks = jobs.map((job) => jobTask(job.name, schedule[job.schedule], deps.timeZone, () => fire(job, 0)));
  for (const t of tasks) void t.start();
  return {
    tasks,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(tasks.map((t) => t.stop()));
      await lock.release();
    },
  };
}
