import { cardVerb, type Feature } from '../../app/feature.js';
import { t } from '../../app/i18n.js';
import { lookCloser, lookCloserSchema } from './look-closer.js';
import { digestLeaders, formatDigestRun, runDigest } from './digest.js';

/** Digest: the weekly committee table and lists for leaders, and `digest` on demand. */
export const digest: Feature = {
  name: 'digest',
  verbs: [cardVerb({ verb: 'digestOverdue', schema: lookCloserSchema, handle: lookCloser })],
  commands: [
    {
      words: ['digest', 'crynodeb'],
      help: 'help.digest',
      async handle(deps, { actor }) {
        const roles = await deps.roles.load();
        if (!digestLeaders(deps, roles).includes(actor.aadObjectId) && !deps.isAdmin(actor.aadObjectId))
          return { text: t(actor.lang ?? 'en', 'digest.forLeaders') };
        return { card: (await runDigest(deps, { dryRun: true, send: false, keepLists: true, lang: actor.lang })).card };
      },
    },
  ],
  jobs: [{ name: 'digest', schedule: 'digest', messagesPeople: true, run: async (deps, { dryRun, lang }) => {
        const run = await runDigest(deps, { dryRun, send: true });
        return { report: formatDigestRun(run, dryRun, lang), failed: run.failed };
      },
    },
  ],
};
