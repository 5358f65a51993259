import type { Client } from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import { isLocalMode, type Env } from './config/env.js';
import type { ColumnMapping, PlanConfig } from './config/plan.js';
import { categoryOf } from './domain/task.js';
import { columnType, type ColumnSpec, type ColumnType } from './sharepoint/schema.js';
import { readAllPages } from './sharepoint/graph-client.js';
import { SiteIds } from './sharepoint/sites.js';
import type { RoleSource } from './domain/ports.js';
import { renderManifest } from './teams/app-package.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** The column types each mapped field accepts. */
const EXPECTED: Record<keyof ColumnMapping, ColumnType[]> = {
  ref: ['text'], title: ['text'], plan: ['choice', 'text'], pillar: ['text', 'choice'], area: ['note', 'text'], owner: ['personOrGroup'], ownerRole: ['text', 'choice'],
  dueDate: ['dateTime'], dueDateText: ['text'], originalDueDate: ['dateTime'], revisedDateReason: ['note', 'text'], status: ['choice', 'text'], progressNotes: ['note'],
  evidenceLink: ['text', 'note'], evidenceSummary: ['note', 'text'], lastUpdate: ['dateTime'], lastUpdatedBy: ['text'], qaStatus: ['choice', 'text'], qaReviewer: ['text'],
  qaReviewerId: ['text'], qaDate: ['dateTime'], qaComment: ['note', 'text'], sampleStatus: ['choice', 'text'], sampledBy: ['text'], sampledById: ['text'], sampleDate: ['dateTime'], sampleComment: ['note', 'text'],
};

/**
 * Everything an administrator must get right before the first run, checked against the real site: credentials,
 * lists, every mapped column and its type, status values, role coverage, and that the bot and manifest agree.
 */
export async function validateSetup(env: Env, plan: PlanConfig, client: Client, roles: RoleSource, credential?: TokenCredential): Promise<Check[]> {
  const checks: Check[] = [{ name: 'Configuration', ok: true, detail: 'environment and plan config are valid' }];
  if (isLocalMode(env)) checks.push({ name: 'Credentials', ok: true, detail: 'local mode: the Graph emulator needs none' });
  else if (credential) {
    try {
      await credential.getToken('https://graph.microsoft.com/.default');
      checks.push({ name: 'Credentials', ok: true, detail: `a Graph token was issued (${env.GRAPH_CREDENTIAL})` });
    } catch (e) {
      checks.push({ name: 'Credentials', ok: false, detail: `no Graph token: ${(e as Error).message.split('\n')[0]}`, fix: 'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate, and that the app registration has admin-consented Graph application permissions.' });
      return checks;
    }
  }

  const sites = new SiteIds(client);
  const statusValues = new Map<string, Set<string>>();
  for (const list of plan.lists) {
    let siteId: string;
    try {
      siteId = await sites.resolve(list.site);
    } catch (e) {
      checks.push({ name: `Site ${list.site}`, ok: false, detail: (e as Error).message, fix: 'Check the site in the plan config (hostname:/sites/Name) and that the app has been granted it (Sites.Selected).' });
      continue;
    }
    let columns: (Partial<ColumnSpec> & { name: string })[];
    try {
      columns = ((await client.api(`/sites/${siteId}/lists/${encodeURIComponent(list.list)}?expand=columns`).get()) as { columns: typeof columns }).columns;
      checks.push({ name: `List "${list.list}"`, ok: true, detail: `readable (${columns.length} columns)` });
    } catch (e) {
      checks.push({ name: `List "${list.list}"`, ok: false, detail: (e as Error).message, fix: 'Run "planpulse provision", or correct "list" in the plan config.' });
      continue;
    }
    const failuresBefore = checks.filter((c) => !c.ok).length;
    for (const [field, column] of Object.entries(list.columns) as [keyof ColumnMapping, string | undefined][]) {
      if (!column) continue;
      const found = columns.find((c) => c.name === column);
      const expected = EXPECTED[field];
      if (!found) checks.push({ name: `Column ${column}`, ok: false, detail: `mapped as ${field} but not in "${list.list}"`, fix: `Run "planpulse provision" to add it, or map ${field} to an existing column's internal name.` });
      else if (!expected.includes(columnType(found)))
        checks.push({ name: `Column ${column}`, ok: false, detail: `mapped as ${field} but it is ${columnType(found)}; expected ${expected.join(' or ')}`, fix: `Map ${field} to a ${expected[0]} column, or change the column's type in SharePoint.` });
    }
    if (checks.filter((c) => !c.ok).length === failuresBefore) checks.push({ name: `Columns of "${list.list}"`, ok: true, detail: 'every mapped column exists with a suitable type' });
    const items = await readAllPages<{ fields: Record<string, unknown> }>(client, `/sites/${siteId}/lists/${encodeURIComponent(list.list)}/items?expand=fields(select=${list.columns.status})&$top=5000`);
    const unknown = new Set(items.map((i) => String(i.fields[list.columns.status] ?? '')).filter((v) => v && !categoryOf(v, list.statuses)));
    statusValues.set(list.key, unknown);
    checks.push(
      unknown.size
        ? { name: `Status values in "${list.list}"`, ok: false, detail: `not in the vocabulary: ${[...unknown].join(', ')}`, fix: 'Add them under "statuses" in the plan config, or correct those items.' }
        : { name: `Status values in "${list.list}"`, ok: true, detail: `all ${items.length} items use the configured vocabulary` },
    );
  }

  try {
    const directory = await roles.load();
    const tasksRoles = new Set<string>();
    for (const list of plan.lists) {
      if (!list.columns.ownerRole) continue;
      const siteId = await sites.resolve(list.site).catch(() => undefined);
      if (!siteId) continue;
      const items = await readAllPages<{ fields: Record<string, unknown> }>(client, `/sites/${siteId}/lists/${encodeURIComponent(list.list)}/items?expand=fields(select=${list.columns.ownerRole})&$top=5000`).catch(() => []);
      for (const i of items) for (const r of directory.resolve(String(i.fields[list.columns.ownerRole] ?? '')).unmapped) if (r) tasksRoles.add(r);
    }
    checks.push(
      tasksRoles.size
        ? { name: 'Role coverage', ok: false, detail: `owner roles nobody holds: ${[...tasksRoles].sort().join(' | ')}`, fix: 'Add each role to the Roles list with its people ("planpulse roles add <role> <person>").' }
        : { name: 'Role coverage', ok: true, detail: `every owner role maps to people (${directory.entries.length} roles)` },
    );
  } catch (e) {
    checks.push({ name: 'Roles list', ok: false, detail: (e as Error).message, fix: 'Run "planpulse provision", or correct "roles" in the plan config.' });
  }

  if (isLocalMode(env)) checks.push({ name: 'Bot and manifest', ok: true, detail: 'local mode: the Agents Playground needs no manifest' });
  else {
    try {
      const manifest = renderManifest(env) as { bots: { botId: string }[]; validDomains: string[] };
      const host = env.BOT_ENDPOINT ? new URL(env.BOT_ENDPOINT).hostname : undefined;
      const agrees = manifest.bots[0]?.botId === env.MICROSOFT_APP_ID && (!host || manifest.validDomains.includes(host));
      checks.push(agrees ? { name: 'Bot and manifest', ok: true, detail: `bot ${env.MICROSOFT_APP_ID} at ${env.BOT_ENDPOINT ?? '(BOT_ENDPOINT not set)'}` } : { name: 'Bot and manifest', ok: false, detail: 'the manifest names another bot or domain', fix: 'Rebuild the package with "npm run package" and upload it again.' });
      if (!env.BOT_ENDPOINT) checks.push({ name: 'Bot endpoint', ok: false, detail: 'BOT_ENDPOINT is not set', fix: 'Set BOT_ENDPOINT to the messaging endpoint configured on the Azure Bot resource (https://<host>/api/messages).' });
    } catch (e) {
      checks.push({ name: 'Bot and manifest', ok: false, detail: (e as Error).message, fix: 'Set the keys it names in .env.' });
    }
  }
  return checks;
}

export function formatChecks(checks: Check[]): string {
  return checks.map((c) => `${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}${c.ok || !c.fix ? '' : `\n    fix: ${c.fix}`}`).join('\n');
}
