import type { AuditEntry } from './audit.js';
import type { ListPolicy } from './policy.js';
import type { RoleDirectory } from './roles.js';
import type { Person, Task, TaskKey } from './task.js';
import type { TaskChanges } from './update.js';

/** Where tasks live (SharePoint lists in production, the Graph emulator locally). */
export interface TaskRepository {
  listTasks(): Promise<Task[]>;
  getTask(key: TaskKey): Promise<Task | undefined>;
  /** Writes only if the item still has `eTag`; otherwise reports the latest version and writes nothing. */
  updateTask(key: TaskKey, eTag: string, changes: TaskChanges): Promise<{ kind: 'updated'; task: Task } | { kind: 'conflict'; latest: Task }>;
  policy(listKey: string): ListPolicy | undefined;
}

/** The Plan Updates list. */
export interface AuditLog {
  append(entries: AuditEntry[]): Promise<void>;
  /** The newest entries for a task reference, newest first. */
  history(ref: string, limit: number): Promise<AuditEntry[]>;
}

/** The organisation's directory (Entra ID). */
export interface PeopleDirectory {
  /** The person's manager, or undefined when they have none. */
  managerOf(aadObjectId: string): Promise<Person | undefined>;
}

export interface RoleSource {
  load(): Promise<RoleDirectory>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
