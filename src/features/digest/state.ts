import { z } from 'zod';
import { stateRecord } from '../../app/state.js';
import type { DigestSnapshot } from '../../domain/digest.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The last twelve weekly snapshots (the trend line): what "movement since last week" is measured against. */
export const snapshots = stateRecord(
  'digest/snapshots',
  z.array(
    z.object({
      date: isoDate,
      rows: z.record(z.string(), z.object({ total: z.number(), complete: z.number() })),
      dueDates: z.record(z.string(), isoDate.nullable()),
    }),
  ) satisfies z.ZodType<DigestSnapshot[]>,
  'features/digest',
);

const drillLine = z.object({ ref: z.string(), title: z.string(), owner: z.string(), days: z.number() });
const drillLists = z.object({ date: isoDate, byPillar: z.record(z.string(), z.array(drillLine)), byRole: z.record(z.string(), z.array(drillLine)) });
export type DrillLists = z.infer<typeof drillLists>;

/** Each digest's overdue lines by pillar and by owner role, by date: what its "look closer" buttons list. */
export const overdueLists = stateRecord('digest/overdue-lists', drillLists, 'features/digest');
