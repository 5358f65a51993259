import type { PeopleSelector } from './domain/policy.js';
import type { Cadence, EscalationPolicy } from './domain/ledger.js';
import type { RuleThresholds } from './domain/rules.js';
import type { Clock, PeopleDirectory, RoleSource, TaskRepository } from './domain/ports.js';
import type { AuditTrail } from './audit/audit-trail.js';
import type { Logger } from './log.js';
import type { Messenger } from './teams/messenger.js';
import type { ConversationStore } from './state/conversations.js';
import type { StateStore } from './state/store.js';

/** What the card actions, commands and jobs need, wired once by the composition root (services.ts). */
export interface AppDeps {
  tasks: TaskRepository;
  roles: RoleSource;
  people: PeopleDirectory;
  store: StateStore;
  conversations: ConversationStore;
  messenger: Messenger;
  audit: AuditTrail;
  clock: Clock;
  timeZone: string;
  rules: RuleThresholds & { cadenceDays: Cadence; escalation: EscalationPolicy };
  /** Who gets the weekly digest and how long its lists are (plan config "digest"). */
  digest?: { leaders?: PeopleSelector; overdueShown: number };
  /** The Entra tenant this installation serves; activities from any other tenant are refused. */
  tenantId: string;
  /** Who may run admin commands from chat (everyone in local mode). */
  isAdmin(aadObjectId: string): boolean;
  log: Logger;
}

export interface Actor {
  aadObjectId: string;
  name: string;
}
