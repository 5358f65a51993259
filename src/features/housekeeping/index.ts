import { recoverChanges, sweepFinishedChanges } from '../../app/audited-change.js';
import type { Feature } from '../../app/feature.js';
import { sweepSendJournal } from '../../app/send.js';
import { sweepActionRecords } from './housekeeping.js';
import { t } from '../../app/i18n.js';

/** Housekeeping: nightly clean-up of state nobody needs any more. Messages nobody, so it ignores quiet hours. */
export const housekeeping: Feature = {
  name: 'housekeeping',
  jobs: [
    {
      name: 'housekeeping',
      schedule: 'housekeeping',
      messagesPeople: false,
      run: async (deps, { dryRun, lang = 'en' }) => {
        if (dryRun) return { report: t(lang, 'housekeeping.dry'), failed: 0 };
        const completed = await recoverChanges(deps, { olderThanMs: 60_000 });
        await sweepFinishedChanges(deps);
        await sweepSendJournal(deps);
        const deleted = await sweepActionRecords(deps);
        return { report: `${t(lang, 'housekeeping.done', { n: deleted })}${completed ? t(lang, 'housekeeping.completed', { n: completed }) : ''}`, failed: 0 };
      },
    },
  ],
};
