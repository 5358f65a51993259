import type { ImportRow, PlanAdmin } from '../../../app/ports.js';
import type { ListConfig } from '../../../config/plan.js';
import { parseRegisterDate } from '../../../domain/register-dates.js';
import type { RoleDirectory } from '../../../domain/roles.js';
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

/** One record as task fields; null clears a value. */
function rowOf(record: ImportRecord, list: ListConfig, report: ImportReport): ImportRow {
  const fields: ImportRow['fields'] = {
    ref: record.ref,
    title: record.title,
    plan: record.plan,
    pillar: record.pillar ?? null,
    area: record.area ?? null,
    ownerRole: record.ownerRole ?? null,
    progressNotes: record.progressNotes ?? null,
    evidenceSummary: record.evidenceSummary ?? null,
  };
  const due = parseRegisterDate(record.due);
  if (due.kind === 'date') {
    fields.dueDate = due.date;
    fields.dueDateText = null;
  } else {
    // Never guessed: the register's words are kept and the task is listed as a data-quality problem.
    fields.dueDate = null;
    fields.dueDateText = due.kind === 'unreadable' ? due.text : null;
    report.dataQuality.push({ ref: record.ref, problem: due.kind === 'unreadable' ? `due date "${due.text}" cannot be read; kept as text` : 'no due date' });
  }
  const status = statusFor(record.status, list.statuses);
  if (record.status && !status) report.dataQuality.push({ ref: record.ref, problem: `status "${record.status}" is not in the list's vocabulary; set to ${list.statuses.onTrack[0]}` });
  fields.status = status ?? list.statuses.onTrack[0]!;
  return { ref: record.ref, fields };
}

/**
 * Upserts register rows into a list by reference: new refs are created, changed rows updated, identical rows left
 * alone, so importing the same file twice changes nothing. Each row's failure is reported on its own.
 */
export async function importRecords(admin: PlanAdmin, list: ListConfig, records: ImportRecord[], roles: RoleDirectory, options: { dryRun: boolean; onProgress?: (done: number, total: number) => void }): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], failed: [], dataQuality: [], unknownRoles: [] };
  const rows: ImportRow[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.ref)) {
      report.failed.push({ ref: record.ref, message: 'the reference appears twice in the file; the second row was skipped' });
      continue;
    }
    seen.add(record.ref);
    rows.push(rowOf(record, list, report));
  }
  report.unknownRoles = [...new Set(records.flatMap((r) => (r.ownerRole ? roles.resolve(r.ownerRole).unmapped : [])))].sort();
  for (const done of await admin.upsertByRef(list.key, rows, options)) {
    if (done.action === 'create') report.created.push(done.ref);
    else if (done.action === 'update') report.updated.push(done.ref);
    else if (done.action === 'unchanged') report.unchanged.push(done.ref);
    else if (done.action === 'failed') report.failed.push({ ref: done.ref, message: done.message });
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
