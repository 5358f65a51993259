import { z } from 'zod';

const listKey = z.string().regex(/^[a-z0-9-]{1,32}$/, 'is not a list key');
const itemId = z.string().regex(/^\d{1,9}$/, 'is not a list item id');
/** Inputs are capped well above the card's own limits so the domain can say exactly what is too long. */
const input = z.string().max(100_000, 'is far too long').optional();

export const taskRefSchema = z.object({ listKey, itemId });

export const saveUpdateSchema = z.object({
  listKey,
  itemId,
  eTag: z.string().min(1).max(200),
  status: input,
  note: input,
  evidenceLink: input,
  evidenceSummary: input,
  revisedDate: input,
  revisedReason: input,
});

export const emptySchema = z.object({}).loose();

export type SaveUpdateData = z.infer<typeof saveUpdateSchema>;

export const decisionSchema = z.object({ listKey, itemId, eTag: z.string().min(1).max(200), comment: input });

export type DecisionSchemaData = z.infer<typeof decisionSchema>;

export const snoozeSchema = z.object({ listKey, itemId, days: z.union([z.literal(7), z.literal(14)], { error: 'must be 7 or 14' }) });
