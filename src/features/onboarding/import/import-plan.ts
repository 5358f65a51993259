import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sayIn } from '../../../app/i18n.js';
import type { AppDeps } from '../../../app/context.js';
import type { ImportedItem, ImportFields, ImportWrite, PlanAdmin } from '../../../app/ports.js';
import { stateRecord } from '../../../app/state.js';
import type { ListConfig } from '../../../config/plan.js';
import type { AuditEntry } from '../../../domain/audit.js';
import type { IsoDate } from '../../../domain/dates.js';
import { mergeFields, type FieldConflict } from '../../../domain/import-merge.js';
import { endOfMonth, parseRegisterDate } from '../../../domain/register-dates.js';
import { checkEvidenceLink } from '../../../domain/update.js';
import { readLayout, type Preset, type RegisterField, type RegisterProblem, type RegisterRecord, type SheetLayout } from './layout.js';
import type { RegisterCell, RegisterSheet } from './read-register.js';
import { statusFor } from '../../../domain/status-words.js';

export type RowAction = 'create' | 'update' | 'unchanged' | 'conflict' | 'skip';

/** One register row that becomes a task, as the preview and `--json` show it. */
export interface PreviewRow {
  ref: string;
  title: string;
  due: IsoDate | null;
  dueFlagged: boolean;
  status: string | null;
  owner: string | null;
  sheet: string;
  sourceRow: number;
  action: RowAction;
}

export interface ImportResult {
  file: string;
  rows: (PreviewRow & { reasons: string[] })[];
  problems: RegisterProblem[];
  layouts: SheetLayout[];
  conflicts: (FieldConflict & { ref: string })[];
  failed: { ref: string; message: string }[];
  unknownRoles: string[];
}

/** Per item: what the last import wrote, where it came from: the base of the next import's three-way merge. */
const baselines = stateRecord(
  'import/baseline',
  z.object({ file: z.string(), at: z.string(), sheet: z.string(), row: z.number(), fields: z.record(z.string(), z.string().nullable()) }),
  'features/onboarding',
);

const identity = (plan: string, ref: string) => `${plan}\u0000${ref}`;
const baselineId = (listKey: string, plan: string, ref: string) => `${listKey}/${createHash('sha256').update(identity(plan, ref)).digest('base64url').slice(0, 22)}`;

/** A due date as the register holds it: Excel's own date (to the month when its format shows no day), else its words. */
function dueOf(cell: RegisterCell | undefined): { date: IsoDate | null; text: string | null; problem?: string; unread?: true } {
  if (!cell || !cell.text) return { date: null, text: null, problem: 'no due date' };
  const shown = cell.text.length > 80 ? `${cell.text.slice(0, 79)}…` : cell.text;
  if (cell.doubtfulDate) return { date: null, text: cell.text, unread: true, problem: `the due date cannot be trusted: ${cell.doubtfulDate}; kept as text` };
  if (cell.date) return { date: cell.date.precision === 'month' ? endOfMonth(Number(cell.date.iso.slice(0, 4)), Number(cell.date.iso.slice(5, 7))) : cell.date.iso, text: null };
  if (cell.error) return { date: null, text: cell.text, unread: true, problem: `the due date cell shows an Excel error (${cell.error}); kept as text` };
  // A bare number is not guessed to be a date serial ("45016" typed into a text cell, or a number cell).
  if (cell.number || /^\d{4,}$/.test(cell.text)) return { date: null, text: cell.text, unread: true, problem: `due date "${shown}" is a number, not a date; kept as text` };
  const parsed = parseRegisterDate(cell.text);
  if (parsed.kind === 'date') return { date: parsed.date, text: null };
  if (parsed.kind === 'none') return { date: null, text: null, problem: 'no due date' };
  return { date: null, text: parsed.text, unread: true, problem: `due date "${shown}" cannot be read; kept as text` };
}

/** The register columns each task field is read from (ref, title and plan always have a value). */
const FROM_REGISTER: Partial<Record<keyof ImportFields, RegisterField[]>> = {
  pillar: ['pillar'], area: ['area', 'title'], ownerRole: ['ownerRole'], dueDate: ['due'], dueDateText: ['due'], status: ['status'], statusAsWritten: ['status'],
  progressNotes: ['progressNotes', 'nextSteps'], evidenceSummary: ['evidenceSummary'], evidenceLink: ['evidenceLink', 'evidenceSummary'], qaComment: ['qaStatus'], sampleComment: ['sampleStatus'],
};

/** A register record as task fields, with what could not be read listed against its row and column. */
function fieldsOf(record: RegisterRecord, present: Set<RegisterField>, list: ListConfig, plan: string, evidenceHosts: string[], problems: RegisterProblem[]): { fields: ImportFields; due: ReturnType<typeof dueOf> } {
  const flag = (column: string, message: string) => problems.push({ sheet: record.sheet, row: record.sourceRow, column, message });
  const due = dueOf(record.due);
  if (due.problem) flag('due date', due.problem);
  const status = statusFor(record.status, list.statuses);
  if (!record.status) {
    if (present.has('status')) flag('status', 'no status in the register; the list\'s status is left as it is');
  } else if (!status) flag('status', `status "${record.status.slice(0, 80)}" is not one PlanPulse knows; the list's status is left as it is (the wording is kept)`);
  let evidenceLink: string | null = null;
  if (record.evidenceLink) {
    const checked = checkEvidenceLink(record.evidenceLink, evidenceHosts, sayIn('en'));
    if (checked.ok) evidenceLink = checked.link;
    else flag('evidence link', `${checked.problem} (not imported)`);
  }
  const fields: ImportFields = {
    ref: record.ref,
    title: record.title,
    plan,
    pillar: record.pillar ?? null,
    area: record.area ?? null,
    ownerRole: record.ownerRole ?? null,
    dueDate: due.date,
    dueDateText: due.text,
    status: status ?? null,
    statusAsWritten: record.status ?? null,
    progressNotes: record.progressNotes ?? null,
    evidenceSummary: record.evidenceSummary ?? null,
    evidenceLink,
    qaComment: record.qaStatus ?? null,
    sampleComment: record.sampleStatus ?? null,
  };
  // What could not be read says nothing: the list's value stands (its words are kept beside it where there is a place).
  if (due.unread) delete fields.dueDate;
  if (!status) delete fields.status;
  if (record.evidenceLink && !evidenceLink) delete fields.evidenceLink;
  // Single-line columns hold 255 characters: longer text is cut, and said so.
  for (const field of ['ref', 'pillar', 'ownerRole', 'dueDateText', 'evidenceLink'] as const) {
    const value = fields[field];
    if (value && value.length > 255) {
      fields[field] = `${value.slice(0, 254)}…`;
      flag(field, `longer than the 255 characters the list column holds; cut`);
    }
  }
  // Only what the register has a column for (a register without notes says nothing about notes: the list's stand),
  // and only fields the list has a column for.
  for (const field of Object.keys(fields) as (keyof ImportFields)[]) {
    const from = FROM_REGISTER[field];
    if (!list.columns[field] || (from && !from.some((f) => present.has(f)) && !(field === 'pillar' && record.pillar))) delete fields[field];
  }
  return { fields, due };
}

/**
 * Imports a register into a list: every sheet's actions, identified by their own reference (or a stable key), merged
 * three ways with what the last import wrote and what the list holds now, so an owner's update made in Teams since is
 * never overwritten (it is reported as a conflict). Every applied change gets a Plan Updates row naming the file.
 */
export async function importRegister(
  deps: AppDeps,
  admin: PlanAdmin,
  list: ListConfig,
  sheets: RegisterSheet[],
  options: { file: string; dryRun: boolean; plan?: string; preset?: Preset; onProgress?: (done: number, total: number) => void },
): Promise<ImportResult> {
  const plan = options.plan ?? list.plan;
  const result: ImportResult = { file: options.file, rows: [], problems: [], layouts: [], conflicts: [], failed: [], unknownRoles: [] };
  const records: { record: RegisterRecord; fields: ImportFields; row: ImportResult['rows'][number] }[] = [];
  const firstSeen = new Map<string, RegisterRecord>();
  for (const sheet of sheets) {
    const { layout, records: read, problems } = readLayout(sheet, options.preset);
    const present = new Set(layout.columns.map((c) => c.field));
    result.layouts.push(layout);
    result.problems.push(...problems);
    for (const record of read) {
      const { fields, due } = fieldsOf(record, present, list, plan, deps.tasks.policy(list.key)?.input.evidenceHosts ?? [], result.problems);
      const row = {
        ref: record.ref, title: record.title, due: due.date, dueFlagged: due.date === null, status: record.status ?? null, owner: record.ownerRole ?? null,
        sheet: record.sheet, sourceRow: record.sourceRow, action: 'create' as RowAction, reasons: [] as string[],
      };
      const first = firstSeen.get(record.ref);
      if (first) {
        row.action = 'skip';
        row.reasons.push(`the reference "${record.ref}" is already used at ${first.sheet} row ${first.sourceRow}`);
      } else firstSeen.set(record.ref, record);
      records.push({ record, fields, row });
      result.rows.push(row);
    }
  }
  const roles = await deps.roles.load();
  result.unknownRoles = [...new Set(records.flatMap(({ record }) => (record.ownerRole ? roles.resolve(record.ownerRole).unmapped : [])))].sort();
  if (records.length === 0) return result;

  const items = new Map((await admin.importedItems(list.key)).map((i) => [identity(i.fields.plan ?? list.plan, i.fields.ref ?? ''), i] as const));
  if (!options.dryRun) await recoverImport(deps, list.key, items);
  const writes: { write: ImportWrite; at: number; item?: ImportedItem; baseline: Record<string, string | null> }[] = [];
  for (const [at, { record, fields, row }] of records.entries()) {
    if (row.action === 'skip') continue;
    const item = items.get(identity(plan, record.ref));
    if (!item) {
      writes.push({ write: { ref: record.ref, fields }, at, baseline: fields as Record<string, string | null> });
      continue;
    }
    const base = await baselines.get(deps.store, baselineId(list.key, plan, record.ref));
    const merge = mergeFields(base?.fields, item.fields, fields);
    for (const c of merge.conflicts) {
      result.conflicts.push({ ref: record.ref, ...c });
      row.reasons.push(`${c.field} was changed in the list since the last import ("${short(c.list)}"); the file says "${short(c.file)}": the list's value is kept`);
    }
    const changed = Object.keys(merge.apply).length > 0;
    row.action = merge.conflicts.length ? 'conflict' : changed ? 'update' : 'unchanged';
    if (changed) row.reasons.push(`changes ${Object.keys(merge.apply).join(', ')}`);
    if (changed || !base || JSON.stringify(base.fields) !== JSON.stringify(merge.baseline))
      writes.push({ write: { ref: record.ref, itemId: item.itemId, eTag: item.eTag, fields: merge.apply }, at, item, baseline: merge.baseline });
  }
  if (options.dryRun) return result;

  const toSend = writes.filter((w) => !w.write.itemId || Object.keys(w.write.fields).length > 0);
  const journal: PendingImport = {
    at: deps.clock.now().toISOString(), file: options.file, plan,
    writes: writes.map((w) => {
      const { record } = records[w.at]!;
      return { ref: record.ref, title: record.title, itemId: w.write.itemId, sent: toSend.includes(w), fields: w.write.fields, old: w.item?.fields ?? {}, baseline: w.baseline, sheet: record.sheet, row: record.sourceRow };
    }),
  };
  // Intent first: a crash between the list writes and their audit rows is completed by the next import.
  await pending.put(deps.store, list.key, journal);
  const outcomes = new Map((await admin.applyImport(list.key, toSend.map((w) => w.write), options.onProgress)).map((o, i) => [toSend[i]!, o] as const));
  const done: { write: PendingImport['writes'][number]; itemId: string }[] = [];
  for (const [i, w] of writes.entries()) {
    const { record, row } = records[w.at]!;
    const outcome = outcomes.get(w);
    if (outcome && (outcome.outcome === 'failed' || outcome.outcome === 'changed since read')) {
      result.failed.push({ ref: record.ref, message: outcome.message });
      row.action = 'skip';
      row.reasons.push(`not written: ${outcome.message}`);
      continue;
    }
    done.push({ write: journal.writes[i]!, itemId: outcome && 'itemId' in outcome ? outcome.itemId : w.item!.itemId });
  }
  await finishImport(deps, list.key, journal, done, false);
  return result;
}

/** An import between its list writes and their audit rows: what each write was, to complete it after a crash. */
const pending = stateRecord(
  'import/pending',
  z.object({
    at: z.string(),
    file: z.string(),
    plan: z.string(),
    writes: z.array(
      z.object({
        ref: z.string(), title: z.string(), itemId: z.string().optional(), sent: z.boolean(),
        fields: z.record(z.string(), z.string().nullable()), old: z.record(z.string(), z.string().nullable()),
        baseline: z.record(z.string(), z.string().nullable()), sheet: z.string(), row: z.number(),
      }),
    ),
  }),
  'features/onboarding',
);
type PendingImport = NonNullable<Awaited<ReturnType<typeof pending.get>>>;

/** The audit rows and baselines of the writes that landed, then the intent is done. */
async function finishImport(deps: AppDeps, listKey: string, journal: PendingImport, done: { write: PendingImport['writes'][number]; itemId: string }[], uncertain: boolean): Promise<void> {
  const channel = `import (${journal.file})`;
  const entries: AuditEntry[] = [];
  for (const { write, itemId } of done) {
    const audit = (field: string, oldValue: string | null | undefined, newValue: string | null | undefined) =>
      entries.push({ ref: write.ref, listKey, itemId, field: field as AuditEntry['field'], oldValue: oldValue ?? '', newValue: newValue ?? '', actor: 'PlanPulse import', actorId: 'planpulse-import', at: journal.at, channel });
    if (!write.itemId) audit('title', '', write.title);
    else if (write.sent) for (const [field, value] of Object.entries(write.fields)) audit(field, write.old[field], value);
    await baselines.put(deps.store, baselineId(listKey, journal.plan, write.ref), { file: journal.file, at: journal.at, sheet: write.sheet, row: write.row, fields: write.baseline });
  }
  if (entries.length) await deps.audit.record(entries, { uncertain });
  await pending.delete(deps.store, listKey);
}

/**
 * Completes an import the process did not finish: each write that landed (the item is there, holding what was
 * written) gets its audit rows — unless the list already has them — and its baseline.
 */
async function recoverImport(deps: AppDeps, listKey: string, items: Map<string, ImportedItem>): Promise<void> {
  const journal = await pending.get(deps.store, listKey);
  if (!journal) return;
  const done: { write: PendingImport['writes'][number]; itemId: string }[] = [];
  for (const write of journal.writes) {
    const item = items.get(identity(journal.plan, write.ref));
    if (!item) continue;
    // Field by field: one an owner has changed since cannot be confirmed, the others can.
    const landed = write.itemId ? Object.fromEntries(Object.entries(write.fields).filter(([f, v]) => (item.fields[f as keyof ImportFields] ?? null) === v)) : write.fields;
    if (!write.itemId || Object.keys(landed).length) done.push({ write: { ...write, fields: landed }, itemId: item.itemId });
  }
  if (done.length) deps.log.warn({ listKey, file: journal.file, completed: done.length }, 'completed an import interrupted before its audit rows');
  await finishImport(deps, listKey, journal, done, true);
}

const short = (s: string | null) => (s === null ? '(empty)' : s.length > 60 ? `${s.slice(0, 59)}…` : s);

/** The preview an administrator reads: what each row becomes and why, what was not imported, and the problems. */
export function formatImportResult(result: ImportResult, dryRun: boolean): string {
  const count = (a: RowAction) => result.rows.filter((r) => r.action === a).length;
  const lines = [
    `${dryRun ? 'DRY RUN — nothing written. ' : ''}${result.file}: ${result.rows.length} actions read. ${dryRun ? 'Would create' : 'Created'} ${count('create')}, ${dryRun ? 'update' : 'updated'} ${count('update')}, unchanged ${count('unchanged')}, conflict ${count('conflict')}, skipped ${count('skip')}.`,
  ];
  for (const l of result.layouts) {
    if (l.hidden) {
      lines.push(`Sheet "${l.sheet}": hidden in the workbook, not imported (give --sheet "${l.sheet}" to import it).`);
      continue;
    }
    if (l.headingRow === undefined) {
      lines.push(l.firstRows?.length ? `Sheet "${l.sheet}": no heading row found; its first rows:` : `Sheet "${l.sheet}": empty.`, ...(l.firstRows ?? []).map((r) => `  ${r}`));
      continue;
    }
    lines.push(`Sheet "${l.sheet}" (${l.preset}): headings on row ${l.headingRow}: ${l.columns.map((c) => `"${c.heading}" → ${c.field}`).join(', ')}`);
    if (l.ignored.length) lines.push(`  columns not imported (no field for them): ${l.ignored.map((h) => `"${h}"`).join(', ')}`);
    if (l.skipped.length) lines.push(`  rows not imported: ${l.skipped.map((s) => `${s.row} (${s.reason})`).join('; ')}`);
  }
  for (const row of result.rows.filter((r) => r.action !== 'unchanged' && (r.action !== 'create' || r.reasons.length)))
    lines.push(`  ${row.action.toUpperCase().padEnd(9)} ${row.ref.padEnd(12)} ${row.sheet} row ${row.sourceRow}${row.reasons.length ? `: ${row.reasons.join('; ')}` : ''}`);
  if (result.problems.length) {
    lines.push(`Problems to fix in the register or the list (${result.problems.length}):`);
    for (const p of result.problems) lines.push(`  ${p.sheet} row ${p.row}, ${p.column}: ${p.message}`);
  }
  if (result.unknownRoles.length) lines.push(`Roles not in the Roles list yet (add them with "planpulse roles add"): ${result.unknownRoles.join(' | ')}`);
  return lines.join('\n');
}

/** Exactly the shape documented for `planpulse import --json`. */
export function importJson(result: ImportResult): { rows: PreviewRow[]; problems: RegisterProblem[] } {
  return {
    rows: result.rows.map(({ ref, title, due, dueFlagged, status, owner, sheet, sourceRow, action }) => ({ ref, title, due, dueFlagged, status, owner, sheet, sourceRow, action })),
    problems: result.problems.map(({ sheet, row, column, message }) => ({ sheet, row, column, message })),
  };
}
