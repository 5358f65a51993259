import { taskRefSchema } from '../../app/card-data.js';
import type { AppDeps, QaReviews } from '../../app/context.js';
import { cardVerb, type Feature } from '../../app/feature.js';
import { taskKeyString } from '../../domain/task.js';
import { decide, decisionSchema, openDecision, QA_STAGE, requestDecision, SAMPLE_STAGE } from './decisions.js';
import { qaNudgeJob } from './qa-nudge.js';
import { formatSampleRuns, runSampling } from './sample.js';
import { qaSubmissions } from './state.js';

/** Assurance: QA sign-off by reviewers, nudges about waiting tasks, and second-line sampling. */
export const assurance: Feature = {
  name: 'assurance',
  verbs: [
    cardVerb({ verb: 'qaOpen', schema: taskRefSchema, handle: (deps, key, actor) => openDecision(deps, QA_STAGE, key, actor) }),
    cardVerb({ verb: 'qaApprove', schema: decisionSchema, idempotent: true, handle: (deps, data, actor, context) => decide(deps, QA_STAGE, 'approve', data, actor, context) }),
    cardVerb({ verb: 'qaReturn', schema: decisionSchema, idempotent: true, handle: (deps, data, actor, context) => decide(deps, QA_STAGE, 'return', data, actor, context) }),
    cardVerb({ verb: 'sampleOpen', schema: taskRefSchema, handle: (deps, key, actor) => openDecision(deps, SAMPLE_STAGE, key, actor) }),
    cardVerb({ verb: 'sampleConfirm', schema: decisionSchema, idempotent: true, handle: (deps, data, actor, context) => decide(deps, SAMPLE_STAGE, 'confirm', data, actor, context) }),
    cardVerb({ verb: 'sampleChallenge', schema: decisionSchema, idempotent: true, handle: (deps, data, actor, context) => decide(deps, SAMPLE_STAGE, 'challenge', data, actor, context) }),
  ],
  jobs: [
    { name: 'qa-nudge', schedule: 'qaNudge', messagesPeople: true, run: qaNudgeJob },
    { name: 'sample', schedule: 'sample', messagesPeople: true, run: async (deps, options) => ({ report: formatSampleRuns(await runSampling(deps, options), options.dryRun, options.lang), failed: 0 }) },
  ],
};

/** What other features may ask of assurance (through the kernel's QaReviews port). */
export function qaReviews(deps: () => AppDeps): QaReviews {
  return {
    requestReview: (task, policy, roles) => requestDecision(deps(), QA_STAGE, task, policy, roles),
    submittedAt: async (key) => (await qaSubmissions.get(deps().store, taskKeyString(key)))?.at,
  };
}
