import type { ColumnType, ListColumn, PlanAdmin, RoleSource, TeamsAppInstaller } from '../../app/ports.js';
import { isLocalMode, type Env } from '../../config/env.js';
import type { ColumnMapping, PlanConfig } from '../../config/plan.js';
import { closest } from '../../domain/similar.js';
import { categoryOf } from '../../domain/task.js';
import { renderManifest } from './app-package.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** The column types each mapped field accepts (the SharePoint adapter's field table says). */
export type AcceptedTypes = Record<keyof ColumnMapping, ColumnType[]>;

/**
 * Everything an administrator must get right before the first run, checked against the real site: credentials,
 * lists, every mapped column and its type, status values, role coverage, and that the bot and manifest agree.
 */
export async function validateSetup(env: Env, plan: PlanConfig, admin: PlanAdmin, roles: RoleSource, accepts: AcceptedTypes, installer?: TeamsAppInstaller): Promise<Check[]> {
  const checks: Check[] = [{ name: 'Configuration', ok: true, detail: 'environment and plan config are valid' }];
  if (isLocalMode(env)) checks.push({ name: 'Credentials', ok: true, detail: 'local mode: the Graph emulator needs none' });
  else {
    const token = await admin.checkCredential();
    if (token?.ok) checks.push({ name: 'Credentials', ok: true, detail: `${token.detail} (${env.GRAPH_CREDENTIAL})` });
    if (token && !token.ok) {
      checks.push({ name: 'Credentials', ok: false, detail: token.detail, fix: 'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate, and that the app registration has admin-consented Graph application permissions.' });
      return checks;
    }
  }

  for (const list of plan.lists) {
    try {
      await admin.resolveSite(list.site);
    } catch (e) {
      checks.push({ name: `Site ${list.site}`, ok: false, detail: (e as Error).message, fix: 'Check the site in the plan config (hostname:/sites/Name) and that the app has been granted it (Sites.Selected).' });
      continue;
    }
    let columns: ListColumn[];
    try {
      columns = await admin.columnsOf(list.site, list.list);
      checks.push({ name: `List "${list.list}"`, ok: true, detail: `readable (${columns.length} columns)` });
    } catch (e) {
      checks.push({ name: `List "${list.list}"`, ok: false, detail: `cannot be read on the site ${list.site}: ${(e as Error).message}`, fix: 'Run "planpulse provision", or correct "list" in the plan config.' });
      continue;
    }
    const failuresBefore = checks.filter((c) => !c.ok).length;
    for (const [field, column] of Object.entries(list.columns) as [keyof ColumnMapping, string | undefined][]) {
      if (!column) continue;
      const found = columns.find((c) => c.name === column);
      const expected = accepts[field];
      if (!found) {
        const near = closest(column, columns.map((c) => c.name));
        checks.push({ name: `Column ${column}`, ok: false, detail: `mapped as ${field} but "${list.list}" on ${list.site} has no column with that internal name${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}`, fix: `Correct the internal name under "columns" in the plan config, run "planpulse provision" to add the column, or map ${field} to an existing column's internal name.` });
      }
      else if (!expected.includes(found.type))
        checks.push({ name: `Column ${column}`, ok: false, detail: `mapped as ${field} but it is ${found.type}; expected ${expected.join(' or ')}`, fix: `Map ${field} to a ${expected[0]} column, or change the column's type in SharePoint.` });
    }
    if (checks.filter((c) => !c.ok).length === failuresBefore) checks.push({ name: `Columns of "${list.list}"`, ok: true, detail: 'every mapped column exists with a suitable type' });
    // A status column that is not there was reported above; its values cannot be checked.
    if (!columns.some((c) => c.name === list.columns.status)) continue;
    const statuses = await admin.valuesOf(list.site, list.list, list.columns.status);
    const unknown = new Set(statuses.map((v) => String(v ?? '')).filter((v) => v && !categoryOf(v, list.statuses)));
    checks.push(
      unknown.size
        ? { name: `Status values in "${list.list}"`, ok: false, detail: `not in the vocabulary: ${[...unknown].join(', ')}`, fix: 'Add them under "statuses" in the plan config, or correct those items.' }
        : { name: `Status values in "${list.list}"`, ok: true, detail: `all ${statuses.length} items use the configured vocabulary` },
    );
  }

  try {
    const directory = await roles.load();
    const tasksRoles = new Set<string>();
    for (const list of plan.lists) {
      if (!list.columns.ownerRole) continue;
      const owners = await admin.valuesOf(list.site, list.list, list.columns.ownerRole).catch(() => []);
      for (const owner of owners) for (const r of directory.resolve(String(owner ?? '')).unmapped) if (r) tasksRoles.add(r);
    }
    checks.push(
      tasksRoles.size
        ? { name: 'Role coverage', ok: false, detail: `owner roles nobody holds: ${[...tasksRoles].sort().join(' | ')}`, fix: 'Add each role to the Roles list with its people ("planpulse roles add <role> <person>").' }
        : { name: 'Role coverage', ok: true, detail: `every owner role maps to people (${directory.entries.length} roles)` },
    );
    if (plan.reach.install !== 'off' && installer) {
      const someone = directory.entries.flatMap((e) => e.people)[0];
      if (!someone) checks.push({ name: 'Installing PlanPulse for people', ok: false, detail: 'nobody in the Roles list to check with', fix: 'Add people to the Roles list, then validate again.' });
      else {
        const installing = await installer.check(someone.aadObjectId).catch((e: unknown) => ({ ok: false, detail: (e as Error).message, fix: undefined }));
        checks.push({ name: `Installing PlanPulse for people (reach: ${plan.reach.install})`, ...installing });
      }
    }
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
