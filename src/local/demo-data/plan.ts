import { parsePlanConfig, type PlanConfig } from '../../config/plan.js';
import { DEMO_ACTIONS_LIST, DEMO_SITE_REF } from './seed.js';

/** The plan config local mode uses when PLAN_CONFIG is not set: the demo site's lists with the default schema. */
export function demoPlanConfig(): PlanConfig {
  return parsePlanConfig(
    {
      lists: [
        {
          key: 'actions',
          site: DEMO_SITE_REF,
          list: DEMO_ACTIONS_LIST,
          plan: 'Improvement plan',
          columns: {
            ref: 'ActionRef', title: 'Title', plan: 'Plan', pillar: 'Pillar', area: 'AreaForImprovement', owner: 'Owner', ownerRole: 'OwnerRole',
            dueDate: 'DueDate', originalDueDate: 'OriginalDueDate', revisedDateReason: 'RevisedDateReason', status: 'Status',
            progressNotes: 'ProgressNotes', evidenceLink: 'EvidenceLink', evidenceSummary: 'EvidenceSummary', lastUpdate: 'LastUpdate', lastUpdatedBy: 'LastUpdatedBy',
          },
        },
      ],
      roles: { site: DEMO_SITE_REF, list: 'Roles' },
      rules: { dueSoonDays: 14, staleDays: 30 },
    },
    'demo plan config',
  );
}
