import type { EvidenceFileRules } from './evidence-file.js';
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

/** What an owner may type in an update: which evidence hosts, how far a due date may move. */
export interface InputRules {
  /** Hosts evidence links may point at: exact names, or "*.example.com" for any subdomain. */
  evidenceHosts: string[];
  /** A revised due date may be at most this many years after the original due date. */
  revisedDateMaxYears: number;
  /** What files owners may send in the chat as evidence, and where they are kept. */
  evidenceFiles: EvidenceFileRules;
}

/** How one list's tasks are run: its status words, what input it takes, and whether QA and sampling apply. */
export interface ListPolicy {
  vocabulary: StatusVocabulary;
  input: InputRules;
  qa?: QaPolicy;
  sampling?: SamplingPolicy;
}
