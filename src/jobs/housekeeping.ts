import type { AppDeps } from '../app.js';
import { ACTION_RECORDS, type ActionRecord } from '../cards/action-router.js';

const KEEP_DAYS = 7;

/**
 * Deletes records of processed card actions older than a week. They only exist to answer Teams' retries of the same
 * click, which come within seconds, so a week is generous; without this the store would grow with every click.
 */
export async function sweepActionRecords(deps: AppDeps): Promise<number> {
  const cutoff = deps.clock.now().getTime() - KEEP_DAYS * 86_400_000;
  let deleted = 0;
  for (const key of await deps.store.list(ACTION_RECORDS)) {
    const record = await deps.store.get<ActionRecord>(key);
    if (!record?.at || Date.parse(record.at) < cutoff) {
      await deps.store.delete(key);
      deleted += 1;
    }
  }
  return deleted;
}
