/**
 * The lists PlanPulse provisions (the brief's default schema), as Graph column definitions: a name plus exactly one
 * type facet. The columns reminder and audit queries filter on are indexed.
 */
export interface ColumnSpec {
  name: string;
  indexed?: boolean;
  text?: { allowMultipleLines: boolean; maxLength?: number };
  dateTime?: { format: 'dateOnly' | 'dateTime' };
  choice?: { choices: string[]; allowTextEntry: boolean; displayAs: string };
  personOrGroup?: { allowMultipleSelection: boolean; chooseFromType: string };
  boolean?: Record<string, never>;
}

type ColumnInput = ColumnSpec;

const text = (name: string, indexed = false): ColumnInput => ({ name, indexed, text: { allowMultipleLines: false, maxLength: 255 } });
const note = (name: string): ColumnInput => ({ name, text: { allowMultipleLines: true } });
const dateOnly = (name: string, indexed = false): ColumnInput => ({ name, indexed, dateTime: { format: 'dateOnly' } });
// Plan names come from imports, so Plan accepts values beyond its initial choices.
const choice = (name: string, choices: string[], indexed = false, allowTextEntry = false): ColumnInput => ({ name, indexed, choice: { choices, allowTextEntry, displayAs: 'dropDownMenu' } });
const people = (name: string, multiple: boolean): ColumnInput => ({ name, personOrGroup: { allowMultipleSelection: multiple, chooseFromType: 'peopleOnly' } });

export const STATUS_CHOICES = ['Yet to Start', 'On Target', 'Behind Target', 'Blocked', 'Complete'];

/** The brief's default "Improvement Actions" schema; the columns reminder queries filter on are indexed. */
export const IMPROVEMENT_ACTION_COLUMNS: ColumnInput[] = [
  text('ActionRef', true),
  choice('Plan', [], true, true),
  text('Pillar'),
  note('AreaForImprovement'),
  people('Owner', false),
  text('OwnerRole', true),
  dateOnly('DueDate', true),
  text('DueDateText'),
  dateOnly('OriginalDueDate'),
  note('RevisedDateReason'),
  choice('Status', STATUS_CHOICES, true),
  note('ProgressNotes'),
  text('EvidenceLink'),
  note('EvidenceSummary'),
  choice('QAStatus', ['Not submitted', 'Awaiting QA', 'Approved', 'Returned'], true),
  text('QAReviewer'),
  text('QAReviewerId'),
  dateOnly('QADate'),
  note('QAComment'),
  choice('SampleStatus', ['Not sampled', 'Selected', 'Confirmed', 'Challenged'], true),
  text('SampledBy'),
  text('SampledById'),
  dateOnly('SampleDate'),
  note('SampleComment'),
  { name: 'LastUpdate', dateTime: { format: 'dateTime' } },
  text('LastUpdatedBy'),
];

export const ROLE_COLUMNS: ColumnInput[] = [text('Role', true), people('People', true), people('Deputies', true), { name: 'PlanLead', boolean: {} }];

export const PLAN_UPDATE_COLUMNS: ColumnInput[] = [
  text('ActionRef', true), text('ItemId'), text('List'), text('Field'), note('OldValue'), note('NewValue'), text('Actor'), text('ActorId'),
  { name: 'At', dateTime: { format: 'dateTime' }, indexed: true }, text('Channel'),
];

export type ColumnType = 'text' | 'note' | 'dateTime' | 'choice' | 'personOrGroup' | 'boolean' | 'other';

/** A column definition's type as an administrator would name it. */
export function columnType(column: Partial<ColumnSpec> & { number?: unknown; lookup?: unknown; hyperlinkOrPicture?: unknown }): ColumnType {
  if (column.text) return column.text.allowMultipleLines ? 'note' : 'text';
  if (column.dateTime) return 'dateTime';
  if (column.choice) return 'choice';
  if (column.personOrGroup) return 'personOrGroup';
  if (column.boolean) return 'boolean';
  return 'other';
}
