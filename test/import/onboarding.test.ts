import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanConfig, type PlanConfig } from '../../src/config/plan.js';
import { RoleDirectory } from '../../src/domain/roles.js';
import { importRecords } from '../../src/features/onboarding/import/import-plan.js';
import { detectPreset } from '../../src/features/onboarding/import/presets.js';
import { readTable } from '../../src/features/onboarding/import/read-table.js';
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

describe('import', () => {
  it('reads each seed layout with its preset', async () => {
    for (const [file, preset] of [['essex.csv', 'essex'], ['west-midlands.csv', 'west-midlands'], ['leicestershire.csv', 'leicestershire'], ['nfcc.csv', 'nfcc']] as const)
      expect(detectPreset((await readTable(fixture(file))).headings)?.name).toBe(preset);
  });

  it('imports the Essex plan: fiscal-quarter dates, owner roles, unknown roles reported; re-import changes nothing', async () => {
    const table = await readTable(fixture('essex.csv'));
    const records = detectPreset(table.headings)!.read(table.headings, table.rows, 'ECFRS HMICFRS Action Plan');
    expect(records).toHaveLength(26);
    const before = emulator.requests.length;
    const report = await importRecords(admin(), config.lists[0]!, records, roles, { dryRun: false });
    expect(report.created).toHaveLength(26);
    expect(report.failed).toEqual([]);
    expect(emulator.requests.slice(before).filter((r) => r.method === 'POST' && r.path.endsWith('$batch'))).toHaveLength(2); // 26 rows in batches of 20
    expect(item('E1')).toMatchObject({ DueDate: '2023-03-30T23:00:00Z', OwnerRole: 'Assistant Director, Prevention, Protection and Response Delivery', Plan: 'ECFRS HMICFRS Action Plan', Status: 'On Target' });
    expect(item('E2').DueDate).toBe('2022-12-31T00:00:00Z'); // Q3 2022/23 ends 31 Dec (GMT)
    // A cell split across two table rows is joined back onto its action.
    expect(items().filter((i) => String(i.fields.AreaForImprovement).includes('programme of cross-border exercises') && String(i.fields.AreaForImprovement).includes('staff take part in cross-border exercises'))).toHaveLength(1);
    expect(report.dataQuality.filter((d) => d.problem === 'no due date').map((d) => d.ref)).toEqual(expect.arrayContaining(['E13', 'E15']));
    expect(report.unknownRoles).toContain('Assistant Director, Human Resources');
    expect(report.unknownRoles).not.toContain('Assistant Director, Response');

    const writes = emulator.requests.length;
    const again = await importRecords(admin(), config.lists[0]!, records, roles, { dryRun: false });
    expect(again).toMatchObject({ created: [], updated: [], failed: [] });
    expect(again.unchanged).toHaveLength(26);
    expect(emulator.requests.slice(writes).some((r) => r.path.endsWith('$batch'))).toBe(false);
  });

  it('imports West Midlands: themes as pillars, free-text "When" kept as text and flagged, statuses mapped', async () => {
    const table = await readTable(fixture('west-midlands.csv'));
    const records = detectPreset(table.headings)!.read(table.headings, table.rows, 'WMFS Peer Challenge', table.preamble);
    const report = await importRecords(admin(), config.lists[0]!, records, roles, { dryRun: false });
    // The scanned register repeats some numbers (OCR noise): those rows are reported, the rest are imported.
    expect(report.failed.length).toBeGreaterThan(0);
    expect(report.failed.every((f) => f.message === 'the reference appears twice in the file; the second row was skipped')).toBe(true);
    expect(report.created.length).toBeGreaterThan(30);
    expect(item('WM4')).toMatchObject({ Status: 'Complete', OwnerRole: 'SE Strategic Hub', DueDateText: 'No further action' });
    expect(item('WM4').DueDate).toBeUndefined();
    expect(report.dataQuality).toContainEqual({ ref: 'WM4', problem: 'due date "No further action" cannot be read; kept as text' });
    expect(records.find((r) => r.ref === 'WM1')!.pillar).toBe('Strategic Leadership and Governance'); // title above the headings
    expect(records.find((r) => r.ref === 'WM19')!.pillar).toBe('Prevention and the Health Agenda'); // title between tables
  });

  it('imports NFCC deliverables, which name no owner or date: both reported, nothing guessed', async () => {
    const table = await readTable(fixture('nfcc.csv'));
    const records = detectPreset(table.headings)!.read(table.headings, table.rows, 'NFCC Culture Action Plan');
    const report = await importRecords(admin(), config.lists[0]!, records, roles, { dryRun: false });
    expect(report.created).toEqual(['N1', 'N2', 'N3', 'N4']);
    expect(report.dataQuality.filter((d) => d.problem === 'no due date')).toHaveLength(4);
    expect(item('N2')).toMatchObject({ Title: 'Core Code of Ethics', Status: 'On Target' });
    expect(String(item('N2').ProgressNotes)).toMatch(/statutory footing\.\nNext: NFCC will continue/);
    expect(item('N2').OwnerRole).toBeUndefined();
  });

  it('imports the Leicestershire register from XLSX as well as CSV, with day-first and month-only dates', async () => {
    const csv = await readTable(fixture('leicestershire.csv'));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tracker');
    sheet.addRow(csv.headings);
    for (const row of csv.rows) sheet.addRow(row);
    const xlsx = join(mkdtempSync(join(tmpdir(), 'planpulse-xlsx-')), 'tracker.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const table = await readTable(xlsx);
    expect(table).toEqual(csv);
    const records = detectPreset(table.headings)!.read(table.headings, table.rows, 'LFRS HMICFRS Improvement Plan');
    expect(records).toHaveLength(73);
    const dry = await importRecords(admin(), config.lists[0]!, records, roles, { dryRun: true });
    expect(dry.created).toHaveLength(73);
    expect(items().some((i) => String(i.fields.ActionRef).startsWith('AFI'))).toBe(false);
    const report = await importRecords(admin(), config.lists[0]!, records, roles, { dryRun: false });
    expect(report.created).toHaveLength(73);
    expect(item('AFI1-T1')).toMatchObject({ DueDate: '2024-03-31T00:00:00Z', Pillar: 'Effectiveness', Status: 'Complete', OwnerRole: 'GM Community Safety' });
    expect(item('AFI8-T2').DueDate).toBe('2023-12-01T00:00:00Z'); // "01/12/23" is 1 December (UK day-first)
    expect(item('SII3-T1').DueDate).toBe('2024-03-31T00:00:00Z'); // "31st march 2024": clocks change at 01:00 that day
    expect(item('SII4-T1')).toMatchObject({ DueDateText: 'ongoing. Review Dec 23' });
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
