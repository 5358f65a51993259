import { addDays, daysBetween, startOfLocalDay, type IsoDate } from '../../domain/dates.js';
import { SharePointModel, type EmulatorData } from '../graph-emulator/model.js';
import type { DemoTask } from './derive.js';
import { loadDemoFixture } from './fixture.js';
import { DEMO_PEOPLE, DEMO_PERSON_OWNED_ROLES, DEMO_PLAN_LEAD_ROLE } from './people.js';
import { IMPROVEMENT_ACTION_COLUMNS, PLAN_UPDATE_COLUMNS, ROLE_COLUMNS } from '../../adapters/sharepoint/field-table.js';

export const DEMO_SITE = { hostname: 'planpulse-demo.sharepoint.invalid', path: '/sites/ImprovementPlans', displayName: 'Improvement Plans (demo)' };
export const DEMO_ACTIONS_LIST = 'Improvement Actions';

/**
 * Each register is replayed as if today were its "anchor" day, so on whatever day the demo is first started some
 * tasks are overdue, some due within the fortnight and some complete without an evidence link. Leicestershire's
 * anchor is 25 Mar 2024 (its March 2024 tasks fall due in 6 days, its 2023 ones are overdue); Essex's is
 * 24 Mar 2023 (its Q4 2022/23 actions fall due in 7 days).
 */
export const DEMO_ANCHORS = { leicestershire: '2024-03-25', essex: '2023-03-24' } as const;

/** The demo's Teams app: its manifest id and its id in the (emulated) organisation's app catalogue. */
export const DEMO_TEAMS_APP_ID = '5d9e4a1c-7b3f-4e2a-9c81-0f6b2d3e4a51';
export const DEMO_CATALOG_APP_ID = 'c2f0a8e4-1b7d-4c3e-8a90-6d5f4e3b2a17';

export function buildDemoData(today: IsoDate, timeZone: string, fixture = loadDemoFixture()): EmulatorData {
  // PlanPulse is in the demo organisation's Teams app catalogue, so plan config "reach" can install it for people.
  const model = new SharePointModel({ sites: [], users: [], teams: { catalog: [{ id: DEMO_CATALOG_APP_ID, externalId: DEMO_TEAMS_APP_ID, displayName: 'PlanPulse' }], installed: [], blockedUsers: [] } });
  for (const p of DEMO_PEOPLE)
    model.data.users.push({ id: p.id, displayName: p.displayName, userPrincipalName: p.userPrincipalName, mail: p.userPrincipalName, jobTitle: p.jobTitle, managerId: p.managerId });
  const site = model.createSite(DEMO_SITE.hostname, DEMO_SITE.path, DEMO_SITE.displayName);
  const lookupOf = (id: string) => model.ensureSiteUser(site, model.user(id));

  const roles = model.createList(site, { displayName: 'Roles', columns: ROLE_COLUMNS });
  const holders = new Map<string, number[]>();
  for (const p of DEMO_PEOPLE) for (const role of p.roles) holders.set(role, [...(holders.get(role) ?? []), lookupOf(p.id)]);
  for (const [role, ids] of holders) model.createItem(roles, { Title: role, Role: role, People: ids, PlanLead: role === DEMO_PLAN_LEAD_ROLE });

  model.createList(site, { displayName: 'Plan Updates', columns: PLAN_UPDATE_COLUMNS });
  const actions = model.createList(site, { displayName: DEMO_ACTIONS_LIST, columns: IMPROVEMENT_ACTION_COLUMNS });
  const plan = actions.columns.find((c) => c.name === 'Plan')!;
  plan.choice!.choices = [...new Set([...fixture.leicestershire, ...fixture.essex].map((t) => t.plan))];

  const add = (task: DemoTask, anchor: IsoDate) => {
    const shift = daysBetween(anchor, today);
    const day = (d: string | undefined) => (d ? startOfLocalDay(addDays(d, shift), timeZone) : undefined);
    const qaDay = task.qaDate ? addDays(task.qaDate, shift) : undefined;
    const lastUpdateDay = qaDay && qaDay < today ? qaDay : addDays(today, -40);
    const personOwner = task.ownerRole ? DEMO_PERSON_OWNED_ROLES[task.ownerRole] : undefined;
    const fields: Record<string, unknown> = {
      Title: task.title.slice(0, 255),
      ActionRef: task.ref,
      Plan: task.plan,
      Pillar: task.pillar,
      AreaForImprovement: task.area,
      OwnerRole: task.ownerRole,
      OwnerLookupId: personOwner ? String(lookupOf(personOwner)) : undefined,
      DueDate: day(task.dueDate),
      DueDateText: task.dueDateText,
      Status: task.status,
      ProgressNotes: task.description,
      EvidenceSummary: task.evidenceSummary,
      QAStatus: task.qaDate ? 'Approved' : 'Not submitted',
      QAReviewer: task.qaBy,
      QADate: day(task.qaDate),
      QAComment: task.qaComment,
      SampleStatus: task.sampleDate ? 'Confirmed' : 'Not sampled',
      SampledBy: task.sampleBy,
      SampleDate: day(task.sampleDate),
      SampleComment: task.sampleComment,
      LastUpdate: `${lastUpdateDay}T09:00:00Z`,
      LastUpdatedBy: task.qaBy ?? 'Register import',
    };
    model.createItem(actions, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')));
  };
  for (const t of fixture.leicestershire) add(t, DEMO_ANCHORS.leicestershire);
  for (const t of fixture.essex) add(t, DEMO_ANCHORS.essex);
  return model.data;
}
