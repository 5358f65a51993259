import { IMPROVEMENT_ACTION_COLUMNS, PLAN_UPDATE_COLUMNS, ROLE_COLUMNS } from '../../src/adapters/sharepoint/field-table.js';
import { parsePlanConfig, type PlanConfig } from '../../src/config/plan.js';
import type { GraphEmulator } from '../../src/local/graph-emulator/server.js';

const STATUSES = ['Yet to Start', 'On Target', 'Behind Target', 'Complete'];
export const LARGE_SITE = 'large.example:/sites/Plans';

/**
 * A plan the size a big service keeps: `lists` lists of `items` tasks each, owned through `people` roles held by as
 * many people (each known to the site and to Entra). Due dates and updates are spread so every reminder rule fires.
 */
export function seedLargePlan(emulator: GraphEmulator, options: { lists: number; items: number; people: number }): PlanConfig {
  const model = emulator.model;
  const site = model.createSite('large.example', '/sites/Plans', 'Plans');
  const roles = model.createList(site, { displayName: 'Roles', columns: ROLE_COLUMNS });
  model.createList(site, { displayName: 'Plan Updates', columns: PLAN_UPDATE_COLUMNS });
  for (let p = 0; p < options.people; p++) {
    const id = `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`;
    model.data.users.push({ id, displayName: `Person ${p}`, userPrincipalName: `person${p}@large.example`, mail: `person${p}@large.example` });
    const lookup = model.ensureSiteUser(site, model.user(id));
    model.createItem(roles, { Title: `Role ${p}`, Role: `Role ${p}`, People: [lookup], PlanLead: p === 0 });
  }
  for (let l = 0; l < options.lists; l++) {
    const list = model.createList(site, { displayName: `Actions ${l}`, columns: IMPROVEMENT_ACTION_COLUMNS });
    for (let i = 0; i < options.items; i++) {
      const day = new Date(Date.UTC(2026, 6, 1) + (i % 300) * 86_400_000).toISOString();
      model.createItem(list, {
        Title: `Improvement task ${i} of list ${l}, with a title as long as registers write them`,
        ActionRef: `L${l}-R${i}`, OwnerRole: `Role ${i % options.people}`, Status: STATUSES[i % 4], DueDate: day, LastUpdate: day,
        ...(i % 8 === 3 ? { EvidenceLink: `https://large.example/sites/Plans/Evidence/${l}-${i}.pdf` } : {}),
      });
    }
  }
  return parsePlanConfig(
    {
      lists: Array.from({ length: options.lists }, (_, l) => ({
        key: `l${l}`, site: LARGE_SITE, list: `Actions ${l}`, plan: `Plan ${l}`,
        columns: { ownerRole: 'OwnerRole', evidenceLink: 'EvidenceLink', lastUpdate: 'LastUpdate', progressNotes: 'ProgressNotes', lastUpdatedBy: 'LastUpdatedBy' },
      })),
      roles: { site: LARGE_SITE },
      audit: { site: LARGE_SITE },
    },
    'large plan',
  );
}
