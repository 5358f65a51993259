import { recoverChanges, sweepFinishedChanges } from '../../app/audited-change.js';
import type { Feature } from '../../app/feature.js';
import { sweepSendJournal } from '../../app/send.js';
import { sweepActionRecords } from './housekeeping.js';

/** Housekeeping: nightly clean-up of state nobody needs any more. Messages nobody, so it ignores quiet hours. */
export const housekeeping: Feature = {
  name: 'housekeeping',
  jobs: [
    {
      name: 'housekeeping',
      schedule: 'housekeeping',
      messagesPeople: false,
      run: async (deps, { dryRun }) => {
        if (dryRun) return { report: 'DRY RUN — housekeeping deletes nothing in a dry run.', failed: 0 };
        const completed = await recoverChanges(deps, { olderThanMs: 60_000 });
        await sweepFinishedChanges(deps);
        await sweepSendJournal(deps);
        const deleted = await sweepActionRecords(deps);
        return { report: `Deleted ${deleted} records of card actions older than a week.${completed ? ` Completed the audit rows of ${completed} interrupted change(s).` : ''}`, failed: 0 };
      },
    },
  ],
};
