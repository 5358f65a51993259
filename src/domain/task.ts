import type { IsoDate } from './dates.js';

/** An Entra ID user. `aadObjectId` is what Teams puts in `activity.from.aadObjectId`. */
export interface Person {
  aadObjectId: string;
  displayName: string;
  email?: string;
}

/** What a status value means, whatever words a register uses for it. */
export type StatusCategory = 'complete' | 'onTrack' | 'behind' | 'notStarted' | 'blocked';

export type StatusVocabulary = Record<StatusCategory, string[]>;

/** Identifies one list item across every configured list. */
export interface TaskKey {
  listKey: string;
  itemId: string;
}

export interface Task extends TaskKey {
  eTag: string;
  ref: string;
  title: string;
  plan: string;
  pillar?: string;
  area?: string;
  /** People in the owner person column (already resolved to Entra users). */
  ownerPeople: Person[];
  /** Role text such as "AM Community Risk", resolved through the role directory. */
  ownerRole?: string;
  dueDate?: IsoDate;
  /** The register's own words when they could not be read as a date ("ongoing. Review Dec 23"). */
  dueDateText?: string;
  originalDueDate?: IsoDate;
  revisedDateReason?: string;
  status: string;
  /** The register's own status wording, when imported ("Complete - awaiting evidence"). */
  statusAsWritten?: string;
  statusCategory?: StatusCategory;
  progressNotes?: string;
  evidenceLink?: string;
  evidenceSummary?: string;
  /** When the owner last reported progress (falls back to the item's last modification). */
  lastUpdate?: string;
  webUrl?: string;
  qaStatus?: string;
  qaReviewer?: string;
  qaReviewerId?: string;
  qaDate?: IsoDate;
  qaComment?: string;
  sampleStatus?: string;
  sampledBy?: string;
  sampledById?: string;
  sampleDate?: IsoDate;
  sampleComment?: string;
}

/** The QA and sampling states the brief's schema defines for the QAStatus and SampleStatus columns. */
export const QA = { notSubmitted: 'Not submitted', awaiting: 'Awaiting QA', approved: 'Approved', returned: 'Returned' } as const;
export const SAMPLE = { notSampled: 'Not sampled', selected: 'Selected', confirmed: 'Confirmed', challenged: 'Challenged' } as const;

export function categoryOf(status: string, vocabulary: StatusVocabulary): StatusCategory | undefined {
  const wanted = status.trim().toLowerCase();
  for (const [category, values] of Object.entries(vocabulary) as [StatusCategory, string[]][]) {
    if (values.some((v) => v.toLowerCase() === wanted)) return category;
  }
  return undefined;
}

export function taskKeyString(key: TaskKey): string {
  return `${key.listKey}/${key.itemId}`;
}
