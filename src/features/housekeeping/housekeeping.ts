import type { AppDeps } from '../../app/context.js';
import { processedActions } from '../../app/processed-actions.js';

const KEEP_DAYS = 7;

/**
 * Deletes records of processed card actions older than a week. They only exist to answer Teams' retries of the same
 * click, which come within seconds, so a week is generous; without this the store would grow with every click.
 */
export function sweepActionRecords(deps: AppDeps): Promise<number> {
  const cutoff = deps.clock.now().getTime() - KEEP_DAYS * 86_400_000;
  return processedActions.sweep(deps.store, (record) => !record.at || Date.parse(record.at) < cutoff);
}
