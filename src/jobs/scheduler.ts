import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../app.js';
import type { PlanConfig } from '../config/plan.js';
import { isQuiet, localTimeOf } from '../domain/quiet-hours.js';
import { runJob, type JobName } from './registry.js';

const CRON_OF: Record<JobName, keyof Omit<PlanConfig['schedule'], 'quietHours'>> = { remind: 'remind', 'qa-nudge': 'qaNudge', sample: 'sample', digest: 'digest' };

export function scheduleOf(plan: PlanConfig, job: JobName): string {
  return plan.schedule[CRON_OF[job]];
}

/** Builds (without starting) the cron task for one job, in the configured time zone. */
export function jobTask(name: JobName, expression: string, timeZone: string, fire: () => Promise<void>, coordinator?: RunCoordinator): ScheduledTask {
  return cron.createTask(expression, fire, {
    name,
    timezone: timeZone,
    noOverlap: true,
    // With several instances, the coordinator (a blob lease) elects the one that runs each fire.
    ...(coordinator ? { distributed: true, runCoordinator: coordinator, distributedLease: 10 * 60_000 } : {}),
  });
}

/**
 * Fires every job on its cron schedule in the plan's time zone. Inside the quiet hours a fire is skipped (and
 * logged); working days and the "once per cadence" rules are the jobs' own.
 */
export function startScheduler(deps: AppDeps, schedule: PlanConfig['schedule'], coordinator?: RunCoordinator): { tasks: ScheduledTask[]; stop(): Promise<void> } {
  const tasks = (Object.keys(CRON_OF) as JobName[]).map((name) =>
    jobTask(
      name,
      schedule[CRON_OF[name]],
      deps.timeZone,
      async () => {
        const now = deps.clock.now();
        if (isQuiet(localTimeOf(now, deps.timeZone), schedule.quietHours)) {
          deps.log.info({ job: name }, 'job skipped: quiet hours');
          return;
        }
        try {
          deps.log.info({ job: name, report: await runJob(name, deps, { dryRun: false }) }, 'scheduled job finished');
        } catch (e) {
          deps.log.error({ err: e, job: name }, 'scheduled job failed');
        }
      },
      coordinator,
    ),
  );
  for (const t of tasks) void t.start();
  return { tasks, stop: async () => void (await Promise.all(tasks.map((t) => t.stop()))) };
}
