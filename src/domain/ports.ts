import type { RoleDirectory } from './roles.js';
import type { StatusVocabulary, Task, TaskKey } from './task.js';
import type { TaskChanges } from './update.js';

/** Where tasks live (SharePoint lists in production, the Graph emulator locally). */
export interface TaskRepository {
  listTasks(): Promise<Task[]>;
  getTask(key: TaskKey): Promise<Task | undefined>;
  /** Writes only if the item still has `eTag`; otherwise reports the latest version and writes nothing. */
  updateTask(key: TaskKey, eTag: string, changes: TaskChanges): Promise<{ kind: 'updated'; task: Task } | { kind: 'conflict'; latest: Task }>;
  vocabulary(listKey: string): StatusVocabulary | undefined;
}

export interface RoleSource {
  load(): Promise<RoleDirectory>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
