import { t } from '../../app/i18n.js';
import type { AppDeps, ReminderHistory } from '../../app/context.js';
import { escalations as escalationRecords } from './state.js';
import { cardVerb, type Feature } from '../../app/feature.js';
import { formatRemindReport, runReminders, summariseRemindReport } from './remind.js';
import { snoozeSchema, snoozeTask } from './snooze.js';

/** Reminders: the daily grouped card per owner, escalation to managers, and snoozing. */
/** What the digest may know of reminders (wired by the composition root). */
export function reminderHistory(deps: () => AppDeps): ReminderHistory {
  return {
    async escalatedSince(date) {
      let count = 0;
      for (const id of await escalationRecords.ids(deps().store)) if (((await escalationRecords.get(deps().store, id))?.date ?? '') >= date) count += 1;
      return count;
    },
  };
}

export const reminders: Feature = {
  name: 'reminders',
  verbs: [cardVerb({ verb: 'snooze', schema: snoozeSchema, idempotent: true, handle: snoozeTask })],
  commands: [
    {
      words: ['remind', 'atgoffa'],
      help: 'help.remind',
      async handle(deps, { actor }) {
        if (!deps.isAdmin(actor.aadObjectId)) return { text: t(actor.lang ?? 'en', 'remind.adminOnly') };
        // A person asking in chat means "now", whatever the day.
        return { text: summariseRemindReport(await runReminders(deps, { dryRun: false, anyDay: true }), actor.lang) };
      },
    },
  ],
  jobs: [{ name: 'remind', schedule: 'remind', messagesPeople: true, run: async (deps, { dryRun, lang }) => {
        const report = await runReminders(deps, { dryRun });
        return { report: formatRemindReport(report, lang), failed: report.reminders.filter((r) => r.outcome.startsWith('failed')).length };
      },
    },
  ],
};
