import { join } from 'node:path';
import { loadPlanConfig, type PlanConfig } from '../../config/plan.js';
import { packageRoot } from '../../app/paths.js';

export const DEMO_PLAN_CONFIG_PATH = join(packageRoot, 'config', 'plan.demo.yaml');

/** The plan config local mode uses when PLAN_CONFIG is not set: the demo site's lists with the default schema. */
export function demoPlanConfig(): PlanConfig {
  return loadPlanConfig(DEMO_PLAN_CONFIG_PATH);
}
