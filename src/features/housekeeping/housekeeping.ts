import type { AppDeps } from '../../app/context.js';
import { processedActions } from '../../app/processed-actions.js';

const KEEP_DAYS = 7;

/**
 * Deletes records of processed card actions older than a week. They only exist to answer Teams' retries of the same
 * click, which come within seconds, so a week is generous; without this the store would grow with every click.
 */
export async function sweepActionRecords(deps: AppDeps): Promise<number> {
  const cutoff = deps.clock.now().getTime() - KEEP_DAYS * 86_400_000;
  let deleted = 0;
  for (const id of await processedActions.ids(deps.store)) {
    const record = await processedActions.get(deps.store, id);
    if (!record?.at || Date.parse(record.at) < cutoff) {
      await processedActions.delete(deps.store, id);
      deleted += 1;
    }
  }
  return deleted;
}
