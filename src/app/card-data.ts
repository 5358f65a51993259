import { z } from 'zod';

/** The pieces every card's Action.Execute data is built from; each feature composes its verbs' schemas from them. */
export const listKey = z.string().regex(/^[a-z0-9-]{1,32}$/, 'is not a list key');
export const itemId = z.string().regex(/^\d{1,9}$/, 'is not a list item id');
export const eTag = z.string().min(1).max(200);
/** Inputs are capped well above the card's own limits so the domain can say exactly what is too long. */
export const input = z.string().max(100_000, 'is far too long').optional();

export const taskRefSchema = z.object({ listKey, itemId });

export const emptySchema = z.object({}).loose();
