import type { Client } from '@microsoft/microsoft-graph-client';
import type { ListConfig } from '../config/plan.js';
import { startOfLocalDay } from '../domain/dates.js';
import { parseRegisterDate } from '../domain/register-dates.js';
import type { RoleDirectory } from '../domain/roles.js';
import { sendInBatches, type BatchRequest } from '../sharepoint/batch.js';
import { readAllPages } from '../sharepoint/graph-client.js';
import { SiteIds } from '../sharepoint/sites.js';
import { statusFor, type ImportRecord } from './presets.js';

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  failed: { ref: string; message: string }[];
  /** Problems in the register itself, kept for a person to fix: unreadable dates, unknown statuses. */
  dataQuality: { ref: string; problem: string }[];
  /** Owner roles the Roles list does not have yet. */
  unknownRoles: string[];
}

type Fields = Record<string, string | null>;

/** The list item fields for one record, in the list's column names; null clears a value. */
function fieldsOf(record: ImportRecord, list: ListConfig, timeZone: string, report: ImportReport): Fields {
  const c = list.columns;
  const fields: Fields = {};
  const set = (column: string | undefined, value: string | undefined | null) => {
    if (column && value !== undefined) fields[column] = value;
  };
  set(c.ref, record.ref);
  set(c.title, record.title);
  set(c.plan, record.plan);
  set(c.pillar, record.pillar ?? null);
  set(c.area, record.area ?? null);
  set(c.ownerRole, record.ownerRole ?? null);
  set(c.progressNotes, record.progressNotes ?? null);
  set(c.evidenceSummary, record.evidenceSummary ?? null);
  const due = parseRegisterDate(record.due);
  if (due.kind === 'date') {
    set(c.dueDate, startOfLocalDay(due.date, timeZone));
    set(c.dueDateText, null);
  } else {
    // Never guessed: the register's words are kept and the task is listed as a data-quality problem.
    set(c.dueDate, null);
    set(c.dueDateText, due.kind === 'unreadable' ? due.text : null);
    report.dataQuality.push({ ref: record.ref, problem: due.kind === 'unreadable' ? `due date "${due.text}" cannot be read; kept as text` : 'no due date' });
  }
  const status = statusFor(record.status, list.statuses);
  if (record.status && !status) report.dataQuality.push({ ref: record.ref, problem: `status "${record.status}" is not in the list's vocabulary; set to ${list.statuses.onTrack[0]}` });
  set(c.status, status ?? list.statuses.onTrack[0]!);
  return fields;
}

function changedFields(wanted: Fields, current: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(wanted)) {
    const now = current[k] ?? null;
    if ((v ?? null) !== now && !(v === null && now === '')) out[k] = v;
  }
  return out;
}

/**
 * Upserts register rows into a list by ActionRef: new refs are created, changed rows updated (only the changed
 * fields, with the item's eTag), identical rows left alone, so importing the same file twice changes nothing.
 * Writes go in Graph batches of 20 and each row's failure is reported on its own.
 */
export async function importRecords(client: Client, list: ListConfig, records: ImportRecord[], roles: RoleDirectory, options: { dryRun: boolean; timeZone: string; onProgress?: (done: number, total: number) => void }): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], failed: [], dataQuality: [], unknownRoles: [] };
  const siteId = await new SiteIds(client).resolve(list.site);
  const itemsPath = `/sites/${siteId}/lists/${encodeURIComponent(list.list)}/items`;
  const refColumn = list.columns.ref;
  const existing = new Map(
    (await readAllPages<{ id: string; eTag: string; fields: Record<string, unknown> }>(client, `${itemsPath}?expand=fields&$top=5000`)).map((i) => [String(i.fields[refColumn] ?? ''), i]),
  );
  const requests: BatchRequest[] = [];
  const refs = new Map<string, string>();
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.ref)) {
      report.failed.push({ ref: record.ref, message: 'the reference appears twice in the file; the second row was skipped' });
      continue;
    }
    seen.add(record.ref);
    const fields = fieldsOf(record, list, options.timeZone, report);
    const current = existing.get(record.ref);
    const id = String(requests.length + 1);
    if (!current) {
      report.created.push(record.ref);
      requests.push({ id, method: 'POST', url: itemsPath, body: { fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) } });
    } else {
      const changes = changedFields(fields, current.fields);
      if (Object.keys(changes).length === 0) {
        report.unchanged.push(record.ref);
        continue;
      }
      report.updated.push(record.ref);
      requests.push({ id, method: 'PATCH', url: `${itemsPath}/${current.id}/fields`, headers: { 'If-Match': current.eTag }, body: changes });
    }
    refs.set(id, record.ref);
  }
  report.unknownRoles = [...new Set(records.flatMap((r) => (r.ownerRole ? roles.resolve(r.ownerRole).unmapped : [])))].sort();
  if (options.dryRun || requests.length === 0) return report;
  for (const response of await sendInBatches(client, requests, options.onProgress)) {
    if (response.status < 400) continue;
    const ref = refs.get(response.id)!;
    report.created = report.created.filter((r) => r !== ref);
    report.updated = report.updated.filter((r) => r !== ref);
    report.failed.push({ ref, message: `${response.status} ${response.body?.error?.message ?? ''}`.trim() });
  }
  return report;
}

export function formatImportReport(report: ImportReport, dryRun: boolean): string {
  const lines = [`${dryRun ? 'DRY RUN — nothing written. Would create' : 'Created'} ${report.created.length}, ${dryRun ? 'update' : 'updated'} ${report.updated.length}, unchanged ${report.unchanged.length}, failed ${report.failed.length}.`];
  if (report.created.length) lines.push(`  ${dryRun ? 'to create' : 'created'}: ${report.created.join(', ')}`);
  if (report.updated.length) lines.push(`  ${dryRun ? 'to update' : 'updated'}: ${report.updated.join(', ')}`);
  for (const f of report.failed) lines.push(`  FAILED ${f.ref}: ${f.message}`);
  if (report.dataQuality.length) {
    lines.push(`Data-quality problems to fix in the list (${report.dataQuality.length}):`);
    for (const d of report.dataQuality) lines.push(`  ${d.ref.padEnd(10)} ${d.problem}`);
  }
  if (report.unknownRoles.length) lines.push(`Roles not in the Roles list yet (add them with "planpulse roles add"): ${report.unknownRoles.join(' | ')}`);
  return lines.join('\n');
}
