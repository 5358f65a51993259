import type { PeopleSelector } from '../domain/policy.js';
import type { Lang } from './i18n.js';
import type { Cadence, EscalationPolicy } from '../domain/ledger.js';
import type { ListPolicy } from '../domain/policy.js';
import type { RoleDirectory } from '../domain/roles.js';
import type { RuleThresholds } from '../domain/rules.js';
import type { Task, TaskKey } from '../domain/task.js';
import type { AuditTrail } from './audit-trail.js';
import type { ConversationStore } from './conversations.js';
import type { Logger } from './log.js';
import type { ChatFileSource, Clock, DocumentLibrary, TeamsAppInstaller, Messenger, PeopleDirectory, RoleSource, StateStore, TaskRepository } from './ports.js';

/**
 * Where one feature meets another: the updates feature submits a task for QA, the digest asks since when a task has
 * waited; the assurance feature answers both. Wired by the composition root, so neither imports the other.
 */
export interface QaReviews {
  /** Sends the QA card to the task's reviewers; returns the names of those reached. */
  requestReview(task: Task, policy: ListPolicy, roles: RoleDirectory): Promise<string[]>;
  /** When the task was last submitted for QA (ISO instant), where known. */
  submittedAt(key: TaskKey): Promise<string | undefined>;
}

/** Where the digest learns what reminders did: escalations to managers and plan leads. Answered by reminders. */
export interface ReminderHistory {
  /** How many overdue tasks were escalated on or after this date. */
  escalatedSince(date: string): Promise<number>;
}

/** The kernel every feature receives: the ports, the plan's settings, and the few cross-feature services. */
export interface AppDeps {
  tasks: TaskRepository;
  roles: RoleSource;
  people: PeopleDirectory;
  store: StateStore;
  conversations: ConversationStore;
  messenger: Messenger;
  audit: AuditTrail;
  documents: DocumentLibrary;
  chatFiles: ChatFileSource;
  qaReviews: QaReviews;
  reminderHistory: ReminderHistory;
  clock: Clock;
  timeZone: string;
  rules: RuleThresholds & { cadenceDays: Cadence; escalation: EscalationPolicy };
  /** Who gets the weekly digest and how long its lists are (plan config "digest"). */
  digest?: { leaders?: PeopleSelector; overdueShown: number; channel?: { conversationId: string; name?: string; language?: Lang } };
  /** Installing PlanPulse for people who never opened it (plan config "reach"). */
  reach: {
    install: 'off' | 'owners' | 'everyone';
    installer: TeamsAppInstaller;
    /** Where to send in a chat PlanPulse opened itself, until Teams shows a chat of this tenant (its own values win). */
    chatDefaults: { serviceUrl: string; botId: string; botName?: string };
  };
  /** The Entra tenant this installation serves; activities from any other tenant are refused. */
  tenantId: string;
  /** Who may run admin commands from chat (everyone in local mode). */
  isAdmin(aadObjectId: string): boolean;
  log: Logger;
}

export interface Actor {
  aadObjectId: string;
  name: string;
  /** The language to answer them in (their choice, else their Teams locale); English when unknown. */
  lang?: Lang;
}
