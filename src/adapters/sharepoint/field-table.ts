import type { ColumnMapping } from '../../config/plan.js';
import type { ColumnType } from '../../app/ports.js';

/** A Graph column definition: a name plus exactly one type facet (what provisioning creates). */
export interface ColumnSpec {
  name: string;
  indexed?: boolean;
  text?: { allowMultipleLines: boolean; maxLength?: number };
  dateTime?: { format: 'dateOnly' | 'dateTime' };
  choice?: { choices: string[]; allowTextEntry: boolean; displayAs: string };
  personOrGroup?: { allowMultipleSelection: boolean; chooseFromType: string };
  boolean?: Record<string, never>;
}

export type TaskField = keyof ColumnMapping;

/** How a field's value travels between the task and the list item. */
export type ValueKind = 'text' | 'date' | 'instant' | 'people';

export interface FieldSpec {
  field: TaskField;
  /** The column PlanPulse provisions for the field (its default internal name), or 'built-in' for SharePoint's Title. */
  column: ColumnSpec | 'built-in';
  /** The column types validation accepts for the field. */
  accepts: ColumnType[];
  value: ValueKind;
}

const text = (name: string, indexed = false): ColumnSpec => ({ name, indexed, text: { allowMultipleLines: false, maxLength: 255 } });
const note = (name: string): ColumnSpec => ({ name, text: { allowMultipleLines: true } });
const dateOnly = (name: string, indexed = false): ColumnSpec => ({ name, indexed, dateTime: { format: 'dateOnly' } });
// Plan names come from imports, so Plan accepts values beyond its initial choices.
const choice = (name: string, choices: string[], indexed = false, allowTextEntry = false): ColumnSpec => ({ name, indexed, choice: { choices, allowTextEntry, displayAs: 'dropDownMenu' } });
const people = (name: string, multiple: boolean): ColumnSpec => ({ name, personOrGroup: { allowMultipleSelection: multiple, chooseFromType: 'peopleOnly' } });

export const STATUS_CHOICES = ['Yet to Start', 'On Target', 'Behind Target', 'Blocked', 'Complete'];

/**
 * The one table of task fields and list columns: reads, writes, provisioning, validation and import all go through
 * it. The columns reminder and audit queries filter on are indexed.
 */
export const FIELD_TABLE: FieldSpec[] = [
  { field: 'title', column: 'built-in', accepts: ['text'], value: 'text' },
  { field: 'ref', column: text('ActionRef', true), accepts: ['text'], value: 'text' },
  { field: 'plan', column: choice('Plan', [], true, true), accepts: ['choice', 'text'], value: 'text' },
  { field: 'pillar', column: text('Pillar'), accepts: ['text', 'choice'], value: 'text' },
  { field: 'area', column: note('AreaForImprovement'), accepts: ['note', 'text'], value: 'text' },
  { field: 'owner', column: people('Owner', false), accepts: ['personOrGroup'], value: 'people' },
  { field: 'ownerRole', column: text('OwnerRole', true), accepts: ['text', 'choice'], value: 'text' },
  { field: 'dueDate', column: dateOnly('DueDate', true), accepts: ['dateTime'], value: 'date' },
  { field: 'dueDateText', column: text('DueDateText'), accepts: ['text'], value: 'text' },
  { field: 'originalDueDate', column: dateOnly('OriginalDueDate'), accepts: ['dateTime'], value: 'date' },
  { field: 'revisedDateReason', column: note('RevisedDateReason'), accepts: ['note', 'text'], value: 'text' },
  { field: 'status', column: choice('Status', STATUS_CHOICES, true), accepts: ['choice', 'text'], value: 'text' },
  { field: 'statusAsWritten', column: note('StatusAsWritten'), accepts: ['note', 'text'], value: 'text' },
  { field: 'progressNotes', column: note('ProgressNotes'), accepts: ['note'], value: 'text' },
  { field: 'evidenceLink', column: text('EvidenceLink'), accepts: ['text', 'note'], value: 'text' },
  { field: 'evidenceSummary', column: note('EvidenceSummary'), accepts: ['note', 'text'], value: 'text' },
  { field: 'qaStatus', column: choice('QAStatus', ['Not submitted', 'Awaiting QA', 'Approved', 'Returned'], true), accepts: ['choice', 'text'], value: 'text' },
  { field: 'qaReviewer', column: text('QAReviewer'), accepts: ['text'], value: 'text' },
  { field: 'qaReviewerId', column: text('QAReviewerId'), accepts: ['text'], value: 'text' },
  { field: 'qaDate', column: dateOnly('QADate'), accepts: ['dateTime'], value: 'date' },
  { field: 'qaComment', column: note('QAComment'), accepts: ['note', 'text'], value: 'text' },
  { field: 'sampleStatus', column: choice('SampleStatus', ['Not sampled', 'Selected', 'Confirmed', 'Challenged'], true), accepts: ['choice', 'text'], value: 'text' },
  { field: 'sampledBy', column: text('SampledBy'), accepts: ['text'], value: 'text' },
  { field: 'sampledById', column: text('SampledById'), accepts: ['text'], value: 'text' },
  { field: 'sampleDate', column: dateOnly('SampleDate'), accepts: ['dateTime'], value: 'date' },
  { field: 'sampleComment', column: note('SampleComment'), accepts: ['note', 'text'], value: 'text' },
  { field: 'lastUpdate', column: { name: 'LastUpdate', dateTime: { format: 'dateTime' } }, accepts: ['dateTime'], value: 'instant' },
  { field: 'lastUpdatedBy', column: text('LastUpdatedBy'), accepts: ['text'], value: 'text' },
];

export const FIELD_BY_NAME = new Map(FIELD_TABLE.map((f) => [f.field, f]));

/** The column types validation accepts for each field. */
export const ACCEPTED_TYPES = Object.fromEntries(FIELD_TABLE.map((f) => [f.field, f.accepts])) as Record<TaskField, ColumnType[]>;

/** The columns a task list needs: each field's column, under the internal name the list's mapping gives it. */
export function taskListColumns(mapping: ColumnMapping): ColumnSpec[] {
  return FIELD_TABLE.flatMap((f) => (f.column === 'built-in' ? [] : [{ ...f.column, name: mapping[f.field] ?? f.column.name }]));
}

export const ROLE_COLUMNS: ColumnSpec[] = [text('Role', true), people('People', true), people('Deputies', true), { name: 'PlanLead', boolean: {} }];

export const PLAN_UPDATE_COLUMNS: ColumnSpec[] = [
  text('ActionRef', true), text('ItemId'), text('List'), text('Field'), note('OldValue'), note('NewValue'), text('Actor'), text('ActorId'),
  { name: 'At', dateTime: { format: 'dateTime' }, indexed: true }, text('Channel'),
];

/** A column definition's type as an administrator would name it. */
export function columnType(column: Partial<ColumnSpec> & { number?: unknown; lookup?: unknown; hyperlinkOrPicture?: unknown }): ColumnType {
  if (column.text) return column.text.allowMultipleLines ? 'note' : 'text';
  if (column.dateTime) return 'dateTime';
  if (column.choice) return 'choice';
  if (column.personOrGroup) return 'personOrGroup';
  if (column.boolean) return 'boolean';
  return 'other';
}

/** The brief's default "Improvement Actions" columns, under their default names. */
export const IMPROVEMENT_ACTION_COLUMNS: ColumnSpec[] = FIELD_TABLE.flatMap((f) => (f.column === 'built-in' ? [] : [f.column]));
