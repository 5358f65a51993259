import type { StatusVocabulary } from './task.js';

/** Who may act: holders (and deputies) of a role in the role directory, and/or named Entra users. */
export interface PeopleSelector {
  role?: string;
  people: string[];
}

export interface QaPolicy {
  reviewers: PeopleSelector;
  evidence: 'link' | 'linkOrSummary';
  nudgeAfterWorkingDays: number;
  nudgeEveryDays: number;
}

export interface SamplingPolicy {
  share: number;
  assurers: PeopleSelector;
}

/** How one list's tasks are run: its status words, and whether QA and second-line sampling apply. */
export interface ListPolicy {
  vocabulary: StatusVocabulary;
  qa?: QaPolicy;
  sampling?: SamplingPolicy;
}
