import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { parsePlanConfig, type PlanConfig } from '../../src/config/plan.js';
import { readLayout } from '../../src/features/onboarding/import/layout.js';
import { readRegister } from '../../src/features/onboarding/import/read-register.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { createGraphClient } from '../../src/adapters/sharepoint/graph-client.js';
import { listsToProvision, provision } from '../../src/adapters/sharepoint/provision.js';
import { ACCEPTED_TYPES } from '../../src/adapters/sharepoint/field-table.js';
import { SharePointPlanAdmin } from '../../src/adapters/sharepoint/plan-admin.js';
import { SharePointRoleSource } from '../../src/adapters/sharepoint/role-source.js';
import { SiteIds } from '../../src/adapters/sharepoint/sites.js';
import { buildAppPackage } from '../../src/features/onboarding/app-package.js';
import { validateSetup, type Check } from '../../src/features/onboarding/validate.js';

let emulator: GraphEmulator;
let client: ReturnType<typeof createGraphClient>;
let config: PlanConfig;
const localEnv = parseEnv({});
const site = () => emulator.model.site({ hostname: 'fire.example', path: '/sites/Plans' });
const list = (name: string) => emulator.model.list(site(), name);
const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail} | fix: ${c.fix}`);
const admin = (credential?: ConstructorParameters<typeof SharePointPlanAdmin>[4]) => new SharePointPlanAdmin(client, config, 'Europe/London', new SiteIds(client), credential);
const validate = (env = localEnv, credential?: ConstructorParameters<typeof SharePointPlanAdmin>[4]) => validateSetup(env, config, admin(credential), new SharePointRoleSource(client, config.roles), ACCEPTED_TYPES);

beforeAll(async () => {
  emulator = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
  emulator.model.createSite('fire.example', '/sites/Plans', 'Plans');
  emulator.model.data.users.push({ id: '11111111-2222-4333-8444-555555555555', displayName: 'Dana Lead', userPrincipalName: 'dana@fire.example', mail: 'dana@fire.example' });
  client = createGraphClient({ baseUrl: emulator.baseUrl, caCertificate: emulator.certificate });
  config = parsePlanConfig(
    {
      lists: [{ key: 'plans', site: 'fire.example:/sites/Plans', list: 'Improvement Actions', plan: 'ECFRS plan', columns: { ownerRole: 'OwnerRole', dueDateText: 'DueDateText', area: 'AreaForImprovement', progressNotes: 'ProgressNotes' } }],
      roles: { site: 'fire.example:/sites/Plans' },
      audit: { site: 'fire.example:/sites/Plans' },
    },
    'test',
  );
  // A good setup: provisioned, the Essex plan imported, every owner role held by someone.
  await provision(client, listsToProvision(config), { dryRun: false });
  const [sheet] = await readRegister(join(process.cwd(), 'test', 'fixtures', 'import', 'essex.csv'));
  const { records } = readLayout(sheet!);
  await admin().applyImport(config.lists[0]!.key, records.map((r) => ({ ref: r.ref, fields: { ref: r.ref, title: r.title, plan: 'ECFRS plan', ownerRole: r.ownerRole ?? null, status: 'On Target' } })));
  const dana = emulator.model.ensureSiteUser(site(), emulator.model.user('dana@fire.example'));
  for (const role of new Set(records.map((r) => r.ownerRole).filter(Boolean))) emulator.model.createItem(list('Roles'), { Title: role, Role: role, People: [dana] });
});
afterAll(() => emulator.stop());

describe('validate', () => {
  it('passes on a good setup', async () => {
    const checks = await validate();
    expect(failed(checks)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(['Configuration', 'Credentials', 'List "Improvement Actions"', 'Columns of "Improvement Actions"', 'Status values in "Improvement Actions"', 'Role coverage', 'Bot and manifest']);
  });

  it('names a missing column, a wrong type, an unknown status and an unmapped role, each with its fix', async () => {
    const actions = list('Improvement Actions');
    const dueText = actions.columns.find((c) => c.name === 'DueDateText')!;
    actions.columns = actions.columns.filter((c) => c !== dueText);
    const lastUpdate = actions.columns.find((c) => c.name === 'DueDate')!;
    const savedFacet = lastUpdate.dateTime;
    delete lastUpdate.dateTime;
    lastUpdate.text = { allowMultipleLines: false, maxLength: 255 };
    const item = actions.items[0]!;
    const saved = { Status: item.fields.Status, OwnerRole: item.fields.OwnerRole };
    Object.assign(item.fields, { Status: 'Done-ish', OwnerRole: 'Chief Imaginary Officer' });
    try {
      expect(failed(await validate())).toEqual([
        'Column DueDate: mapped as dueDate but it is text; expected dateTime | fix: Map dueDate to a dateTime column, or change the column\'s type in SharePoint.',
        'Column DueDateText: mapped as dueDateText but "Improvement Actions" on fire.example:/sites/Plans has no column with that internal name; did you mean "DueDate"? | fix: Correct the internal name under "columns" in the plan config, run "planpulse provision" to add the column, or map dueDateText to an existing column\'s internal name.',
        'Status values in "Improvement Actions": not in the vocabulary: Done-ish | fix: Add them under "statuses" in the plan config, or correct those items.',
        'Role coverage: owner roles nobody holds: Chief Imaginary Officer | fix: Add each role to the Roles list with its people ("planpulse roles add <role> <person>").',
      ]);
    } finally {
      actions.columns.push(dueText);
      delete lastUpdate.text;
      lastUpdate.dateTime = savedFacet;
      Object.assign(item.fields, saved);
    }
  });

  it('stops at credentials that get no token', async () => {
    const env = parseEnv({ MICROSOFT_APP_ID: '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TENANT_ID: '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34', PLAN_CONFIG: 'plan.yaml', GRAPH_CREDENTIAL: 'client-secret', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' });
    // What @azure/identity throws when Entra ID refuses the secret; no Microsoft endpoint is called from tests.
    const refused = { getToken: async () => Promise.reject(new Error('ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.')) };
    const checks = await validate(env, refused);
    expect(failed(checks)).toEqual([
      'Credentials: no Graph token: ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. | fix: Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate, and that the app registration has admin-consented Graph application permissions.',
    ]);
  });
});

describe('Teams app package', () => {
  const env = parseEnv({
    MICROSOFT_APP_ID: '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TENANT_ID: '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34', PLAN_CONFIG: 'plan.yaml', GRAPH_CREDENTIAL: 'managed-identity',
    TEAMS_APP_ID: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f', BOT_ENDPOINT: 'https://planpulse.fire.example/api/messages',
  });

  it('holds a manifest valid against the Teams schema shipped in @microsoft/app-manifest, and the two icons', async () => {
    const zip = await JSZip.loadAsync(await buildAppPackage(env));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const schemaPath = join(require.resolve('@microsoft/app-manifest/package.json'), '..', 'build', 'json-schemas', 'teams', `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validateManifest = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validateManifest(manifest), JSON.stringify(validateManifest.errors)).toBe(true);
    expect(manifest).toMatchObject({ id: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f', validDomains: ['planpulse.fire.example'], bots: [{ botId: '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41', scopes: ['personal'] }] });
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(expect.arrayContaining(['my tasks', 'digest', 'help']));

    const color = PNG.sync.read(await zip.file('color.png')!.async('nodebuffer'));
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    // The outline icon is white on transparent only, as Teams requires.
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      expect(a === 0 || (r === 255 && g === 255 && b === 255)).toBe(true);
    }
  });

  it('names the setting a placeholder needs', async () => {
    const { BOT_ENDPOINT: _, ...rest } = { ...env };
    await expect(buildAppPackage({ ...rest } as typeof env)).rejects.toThrow('environment key BOT_ENDPOINT: is needed to build the Teams app package');
  });
});
