import { z } from 'zod';
import { stateRecord } from '../../app/state.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Per stage and task: the decision cards sent, so every copy can be updated once someone decides. */
export const decisionCards = stateRecord('decision-cards', z.array(z.object({ aadObjectId: z.string(), activityId: z.string() })), 'features/assurance');

/** Per task: when it was last submitted for QA, what "waiting N working days" counts from (notes do not reset it). */
export const qaSubmissions = stateRecord('qa-submitted', z.object({ at: z.string() }), 'features/assurance');

/** Per reviewer: the day they were last nudged. */
export const qaNudges = stateRecord('qa-nudges', z.object({ date: isoDate }), 'features/assurance');

/**
 * Per list and day: what was drawn, kept so an auditor can reproduce the draw from the same candidates and seed.
 * Written before any task is marked, so a run interrupted part-way finishes the same draw instead of drawing again.
 */
export const sampleRuns = stateRecord(
  'sampling',
  z.object({
    date: isoDate,
    listKey: z.string(),
    seed: z.string(),
    share: z.number(),
    candidates: z.array(z.string()),
    drawn: z.array(z.string()).default([]),
    selected: z.array(z.string()),
    notSelectedBecauseChanged: z.array(z.string()),
    /** Tasks marked and assurers sent their card (records from before this field were written only then). */
    finished: z.boolean().default(true),
  }),
  'features/assurance',
);

export type SampleRun = NonNullable<Awaited<ReturnType<typeof sampleRuns.get>>>;
