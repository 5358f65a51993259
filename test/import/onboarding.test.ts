import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanConfig, type PlanConfig } from '../../src/config/plan.js';
import { RoleDirectory } from '../../src/domain/roles.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { createGraphClient } from '../../src/adapters/sharepoint/graph-client.js';
import { SharePointPlanAdmin } from '../../src/adapters/sharepoint/plan-admin.js';
import { listsToProvision, provision } from '../../src/adapters/sharepoint/provision.js';
import { SiteIds } from '../../src/adapters/sharepoint/sites.js';
import { addRoleHolder } from '../../src/adapters/sharepoint/roles-admin.js';
import { findSeedsDir } from '../../src/local/demo-data/fixture.js';
import { deriveImportFixtures } from '../../scripts/derive-import-fixtures.js';

const TZ = 'Europe/London';
const fixture = (name: string) => join(process.cwd(), 'test', 'fixtures', 'import', name);
let emulator: GraphEmulator;
let client: ReturnType<typeof createGraphClient>;
let config: PlanConfig;
const roles = new RoleDirectory([{ role: 'Assistant Director, Response', people: [{ aadObjectId: 'a', displayName: 'A' }], deputies: [], planLead: false }]);

beforeAll(async () => {
  emulator = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
  emulator.model.createSite('fire.example', '/sites/Plans', 'Plans');
  client = createGraphClient({ baseUrl: emulator.baseUrl, caCertificate: emulator.certificate });
  config = parsePlanConfig(
    {
      lists: [{ key: 'plans', site: 'fire.example:/sites/Plans', list: 'Improvement Actions', plan: 'Plan', columns: { plan: 'Plan', pillar: 'Pillar', area: 'AreaForImprovement', ownerRole: 'OwnerRole', dueDateText: 'DueDateText', progressNotes: 'ProgressNotes', evidenceSummary: 'EvidenceSummary' } }],
      roles: { site: 'fire.example:/sites/Plans' },
      audit: { site: 'fire.example:/sites/Plans' },
    },
    'test',
  );
});
afterAll(() => emulator.stop());

const admin = () => new SharePointPlanAdmin(client, config, TZ, new SiteIds(client));
const site = () => emulator.model.site({ hostname: 'fire.example', path: '/sites/Plans' });
const items = () => emulator.model.list(site(), 'Improvement Actions').items;
const item = (ref: string) => items().find((i) => i.fields.ActionRef === ref)!.fields;

describe('provision', () => {
  it('creates the three lists with their columns and indexes, and a second run creates nothing', async () => {
    const first = await provision(client, listsToProvision(config), { dryRun: false });
    expect(first.lines).toEqual([
      expect.stringMatching(/^create list "Improvement Actions" with \d+ columns \(ActionRef, Plan, OwnerRole, DueDate, Status, QAStatus, SampleStatus indexed\)$/),
      expect.stringMatching(/^create list "Roles" with 4 columns \(Role indexed\)$/),
      expect.stringMatching(/^create list "Plan Updates" with 10 columns \(ActionRef, At indexed\)$/),
    ]);
    const actions = emulator.model.list(site(), 'Improvement Actions');
    expect(actions.columns.find((c) => c.name === 'DueDate')).toMatchObject({ indexed: true, dateTime: { format: 'dateOnly' } });
    expect(actions.columns.find((c) => c.name === 'Owner')).toMatchObject({ personOrGroup: { allowMultipleSelection: false } });
    const again = await provision(client, listsToProvision(config), { dryRun: false });
    expect(again).toEqual({ lines: ['Everything is already in place: nothing to do.'], changes: 0, problems: 0 });
  });

  it('adds only what is missing, indexes, and never deletes or retypes', async () => {
    const actions = emulator.model.list(site(), 'Improvement Actions');
    actions.columns = actions.columns.filter((c) => c.name !== 'EvidenceLink');
    actions.columns.find((c) => c.name === 'ActionRef')!.indexed = false;
    const status = actions.columns.find((c) => c.name === 'Status')!;
    delete status.choice;
    status.text = { allowMultipleLines: false, maxLength: 255 };
    const dry = await provision(client, listsToProvision(config), { dryRun: true });
    expect(dry.lines).toContain('would add column "EvidenceLink" (text) to "Improvement Actions"');
    expect(actions.columns.some((c) => c.name === 'EvidenceLink')).toBe(false);
    const run = await provision(client, listsToProvision(config), { dryRun: false });
    expect(run.lines).toEqual([
      'index column "ActionRef" in "Improvement Actions"',
      'column "Status" in "Improvement Actions" is text, PlanPulse expects choice: left as it is; change it in SharePoint or map another column',
      'add column "EvidenceLink" (text) to "Improvement Actions"',
    ].sort((a, b) => run.lines.indexOf(a) - run.lines.indexOf(b)));
    expect(run).toMatchObject({ changes: 2, problems: 1 });
    expect(status.text).toBeDefined();
    expect(actions.columns.find((c) => c.name === 'ActionRef')!.indexed).toBe(true);
  });
});

describe('fixtures and roles', () => {
  it.skipIf(!findSeedsDir())('the import fixtures are exactly what scripts/derive-import-fixtures.ts derives from the seeds', async () => {
    const out = mkdtempSync(join(tmpdir(), 'planpulse-fixtures-'));
    await deriveImportFixtures(findSeedsDir()!, out);
    for (const name of ['essex.csv', 'west-midlands.csv', 'leicestershire.csv']) expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(fixture(name), 'utf8'));
  });

  it('adds people to roles in the Roles list, creating the role when needed', async () => {
    const lookup = emulator.model.ensureSiteUser(site(), (emulator.model.data.users.push({ id: '99999999-2222-4333-8444-555555555555', displayName: 'Robin Roles', userPrincipalName: 'robin@fire.example', mail: 'robin@fire.example' }), emulator.model.user('robin@fire.example')));
    const roleList = config.roles!;
    expect(await addRoleHolder(client, roleList, 'Assistant Director, Finance', 'robin@fire.example')).toBe('added role "Assistant Director, Finance" held by Robin Roles');
    expect(await addRoleHolder(client, roleList, 'assistant director,  finance', '99999999-2222-4333-8444-555555555555')).toBe('Robin Roles already holds "assistant director,  finance"');
    const row = emulator.model.list(site(), 'Roles').items.find((i) => i.fields.Role === 'Assistant Director, Finance')!;
    expect(row.fields.PeopleLookupId).toEqual([lookup]);
    await expect(addRoleHolder(client, roleList, 'Finance', 'nobody@fire.example')).rejects.toThrow('nobody@fire.example is not known to the site yet');
  });
});
