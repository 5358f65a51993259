import { z } from 'zod';
import type { ActionOutcome } from './outcomes.js';
import { stateRecord } from './state.js';

const noticeSchema = z.object({ text: z.string(), style: z.enum(['good', 'warning', 'attention', 'accent', 'emphasis']) });

const outcomeSchema = z.union([
  z.object({ kind: z.literal('card'), card: z.looseObject({ type: z.literal('AdaptiveCard'), version: z.string() }), updateMessage: z.boolean().optional() }),
  z.object({ kind: z.literal('error'), status: z.union([z.literal(400), z.literal(403), z.literal(404), z.literal(500)]), message: z.string() }),
]);

/**
 * A processed card action, kept so a retried invoke gets the same answer (the verb router writes it); swept after
 * a week by housekeeping. An answer that is the person's task list keeps only its notice (a few hundred bytes), and
 * the list is shown again; other answers (errors, decision cards) are kept whole.
 */
export const processedActions = stateRecord('actions', z.object({ at: z.string(), outcome: outcomeSchema.optional(), taskListNotice: noticeSchema.optional() }) satisfies z.ZodType<{ at: string; outcome?: ActionOutcome }>, 'app/processed-actions', {
  // Losing one in a crash costs nothing: a retried write is answered from the change record or refused by its eTag.
  durable: false,
});
