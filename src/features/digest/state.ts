import { z } from 'zod';
import { stateRecord } from '../../app/state.js';
import type { DigestSnapshot } from '../../domain/digest.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The last ten weekly snapshots: what "movement since last week" is measured against. */
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
