import { z } from 'zod';
import { stateRecord } from '../../app/state.js';
import type { PersonLedger } from '../../domain/ledger.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const flagDates = z.object({ overdue: isoDate.optional(), dueSoon: isoDate.optional(), noEvidence: isoDate.optional(), stale: isoDate.optional() });

/** Per person: what they were reminded about and when, and what they snoozed. */
export const ledgers = stateRecord(
  'reminders/ledger',
  z.object({
    lastSent: isoDate.optional(),
    lastActivityId: z.string().optional(),
    tasks: z.record(z.string(), z.object({ rules: flagDates, reminders: z.number().int().min(0), firstReminded: isoDate })),
    snoozedUntil: z.record(z.string(), isoDate),
  }) satisfies z.ZodType<PersonLedger>,
  'features/reminders',
);

/** Per task: when it was last escalated to a manager (not again for 14 days). */
export const escalations = stateRecord('escalations', z.object({ date: isoDate }), 'features/reminders');
