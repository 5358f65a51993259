import type { AuditEntry } from '../domain/audit.js';
import type { ListPolicy } from '../domain/policy.js';
import type { RoleDirectory } from '../domain/roles.js';
import type { Person, Task, TaskKey } from '../domain/task.js';
import type { TaskChanges } from '../domain/update.js';
import type { AdaptiveCard } from './cards/templates.js';

/**
 * The ports: what features need from the outside world, in the product's words. Adapters implement them
 * (src/adapters/*); the composition root (src/main/) plugs one of each in.
 */

/** Where tasks live (SharePoint lists in production, the Graph emulator locally). */
export interface TaskRepository {
  /** Every task of every configured list: for the scheduled jobs, never for a click. */
  allTasks(): Promise<Task[]>;
  getTask(key: TaskKey): Promise<Task | undefined>;
  /**
   * The task as a card showed it (`eTag`) when the shared snapshot still has that version, else read now. Safe for
   * a write because the write carries If-Match: a stale snapshot only turns into a conflict, never a lost update.
   */
  taskAsOf(key: TaskKey, eTag: string): Promise<Task | undefined>;
  /** Tasks whose reference is `ref` (case-insensitive; more than one only when two lists share a ref). */
  findByRef(ref: string): Promise<Task[]>;
  /** The tasks one person answers for, through the owner person column or a role they hold. */
  tasksOwnedBy(aadObjectId: string, roles: RoleDirectory): Promise<Task[]>;
  /** Writes only if the item still has `eTag`; otherwise reports the latest version and writes nothing. */
  updateTask(key: TaskKey, eTag: string, changes: TaskChanges): Promise<{ kind: 'updated'; task: Task } | { kind: 'conflict'; latest: Task }>;
  policy(listKey: string): ListPolicy | undefined;
}

/** The Plan Updates list. */
export interface AuditLog {
  append(entries: AuditEntry[]): Promise<void>;
  /** The newest entries for a task reference, newest first. */
  history(ref: string, limit: number): Promise<AuditEntry[]>;
  /** Which of these rows the list already holds (a write that failed or lost its answer may have applied). */
  alreadyWritten(entries: AuditEntry[]): Promise<AuditEntry[]>;
}

/** A file in a document library, as people open it. */
export interface StoredFile {
  webUrl: string;
  size: number;
  createdAt: string;
}

/**
 * A plan site's document library: where PlanPulse publishes files people open (the committee pack, evidence sent in
 * the chat): the library of a list's site (`listKey`; the plan's first list when absent).
 */
export interface DocumentLibrary {
  /**
   * Stores a file and answers where people open it. By default it replaces a file at the same path; with
   * `keepExisting` a file already there is left alone and `FileExistsError` thrown.
   */
  publish(path: string, bytes: Buffer, contentType: string, options?: { listKey?: string; keepExisting?: boolean }): Promise<StoredFile>;
  /** The file at `path`, or undefined when there is none. */
  find(path: string, options?: { listKey?: string }): Promise<StoredFile | undefined>;
}

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`A file already exists at ${path}`);
  }
}

/** A file a person sent in the chat, as Teams hands it to the bot: a short-lived, pre-authenticated download link. */
export interface ChatFile {
  name: string;
  downloadUrl: string;
  fileType?: string;
}

/** A file sent in the chat could not be fetched, and why (the feature says it in the person's language). */
export class FileUnavailableError extends Error {
  constructor(
    readonly reason: 'expired' | 'notAddress' | 'elsewhere' | 'slow' | 'failed',
    readonly detail: { status?: number; where?: string } = {},
  ) {
    super(`chat file unavailable: ${reason}${detail.status ? ` (HTTP ${detail.status})` : ''}${detail.where ? ` (${detail.where})` : ''}`);
  }

  get status(): number | undefined {
    return this.detail.status;
  }

  get where(): string | undefined {
    return this.detail.where;
  }
}

/** Fetches the bytes of files people send in the chat (Teams keeps them in the sender's OneDrive). */
export interface ChatFileSource {
  /** The file's bytes, or tooLarge as soon as it is known to exceed `maxBytes` (nothing more is read). */
  download(file: ChatFile, maxBytes: number): Promise<Buffer | { tooLarge: true; size?: number }>;
}

/** What installing PlanPulse for a person came to: their 1:1 chat with it, or why there is none. */
export type InstallOutcome =
  | { kind: 'newly installed' | 'already installed'; chatId: string }
  | { kind: 'outside the organisation' | 'blocked by policy' | 'not in the catalogue' | 'no permission' | 'failed'; detail: string };

/**
 * PlanPulse installing itself in a person's Teams (Graph `teamwork/installedApps`, application permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All): for people who never opened it, so they can be reminded.
 */
export interface TeamsAppInstaller {
  ensureInstalled(aadObjectId: string): Promise<InstallOutcome>;
  /** Whether the app can install (permission granted, app in the catalogue), for `validate`. */
  check(sampleAadObjectId: string): Promise<{ ok: boolean; detail: string; fix?: string }>;
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

/**
 * Durable key-value state as raw JSON. Features never use it directly: they declare typed records (state.ts), so
 * every key prefix has one owner and every read is checked against a schema.
 */
export interface StateStore {
  get(key: string): Promise<unknown>;
  /** `durable: false` for records whose loss in a crash costs nothing but a little work (no flush to disk). */
  put(key: string, value: unknown, options?: { durable?: boolean }): Promise<void>;
  /** The value with a version to write against (null when the key has no value). */
  getVersioned(key: string): Promise<VersionedValue>;
  /** Writes only if the key is still at `version` (null: only if absent); false when someone else wrote first. */
  putIfVersion(key: string, value: unknown, version: string | null): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix such as `actions/`. */
  list(prefix: string): Promise<string[]>;
}

export interface VersionedValue {
  value: unknown;
  version: string | null;
}

/** Whether this instance should do the work that only one instance may do (run scheduled jobs). */
export interface LeaderLock {
  isLeader(): Promise<boolean>;
  release(): Promise<void>;
}

/** One instance alone: always the leader. */
export const soleInstance: LeaderLock = { isLeader: async () => true, release: async () => undefined };

/** Our own record of a 1:1 chat with a person: enough to message them later, with no SDK type in it. */
export interface ConversationRecord {
  tenantId: string;
  aadObjectId: string;
  /** Teams user id (29:…). */
  userId: string;
  userName?: string;
  conversationId: string;
  serviceUrl: string;
  channelId: string;
  botId: string;
  botName?: string;
  updatedAt: string;
}

/**
 * A send Teams refused, in SDK-neutral terms: each Teams adapter turns its SDK's error into this, so the one
 * delivery policy (delivery.ts) decides what to retry whichever SDK is plugged in.
 */
export class DeliveryError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly detail: string,
    /** From Retry-After, when Teams sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(`Teams answered ${status ?? 'with no status'}: ${detail}`);
    this.name = 'DeliveryError';
  }

  /** A Retry-After header (seconds or an HTTP date) in milliseconds. */
  static retryAfterMs(header: string | null | undefined): number | undefined {
    if (header === undefined || header === null || header === '') return undefined;
    const seconds = Number(header);
    return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(header) - Date.now()) || undefined;
  }
}

/** Sends and updates cards in a person's 1:1 chat through one Teams SDK. Failures are thrown as DeliveryError. */
export interface TeamsMessenger {
  /** Returns the id of the sent message, needed to update it later. */
  sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string>;
  /** Replaces a sent card for everyone in the chat. */
  updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void>;
  /** Opens a new 1:1 chat with the person by Entra object id (Teams cannot message by email or UPN). */
  createPersonalConversation(like: ConversationRecord): Promise<ConversationRecord>;
}

/** What the delivery policy offers features: a send within Teams' limits, retried as Teams asks. */
export interface Messenger {
  sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string>;
  updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void>;
}

/** A list as SharePoint describes it, for validation: its columns and their types. */
export interface ListColumn {
  name: string;
  type: ColumnType;
}

export type ColumnType = 'text' | 'note' | 'dateTime' | 'choice' | 'personOrGroup' | 'boolean' | 'other';

/** The task fields an import reads and writes. */
export const IMPORT_FIELDS = [
  'ref', 'title', 'plan', 'pillar', 'area', 'ownerRole', 'dueDate', 'dueDateText', 'status', 'statusAsWritten', 'progressNotes',
  'evidenceLink', 'evidenceSummary', 'qaDate', 'qaComment', 'sampleDate', 'sampleComment',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Task fields as an import compares them: text, dates as YYYY-MM-DD; null is empty. */
export type ImportFields = Partial<Record<ImportField, string | null>>;

/** A list item as an import sees it. */
export interface ImportedItem {
  itemId: string;
  eTag: string;
  fields: ImportFields;
}

/** One write of an import: a new item (no itemId), or the changed fields of an item at the version read. */
export interface ImportWrite {
  ref: string;
  itemId?: string;
  eTag?: string;
  fields: ImportFields;
}

export type ImportWriteResult = { ref: string; outcome: 'created' | 'updated'; itemId: string } | { ref: string; outcome: 'failed' | 'changed since read'; message: string };

/** The administrator's operations on the plan's lists (provision, validate, import, roles). */
export interface PlanAdmin {
  /** Creates what is missing (lists, columns, indexes) and changes nothing else. */
  provision(options: { dryRun: boolean }): Promise<{ lines: string[]; changes: number; problems: number }>;
  /** The site id of a configured site, or an error saying why it cannot be reached. */
  resolveSite(site: string): Promise<string>;
  /** A configured list's columns (throws when the list cannot be read). */
  columnsOf(site: string, list: string): Promise<ListColumn[]>;
  /** Every item's value of one column (validation of status values and owner roles). */
  valuesOf(site: string, list: string, column: string): Promise<unknown[]>;
  /** Every item of a task list in import terms (the only whole-list read: an administrator's import). */
  importedItems(listKey: string): Promise<ImportedItem[]>;
  /** Creates items and writes changed fields (each with the item's eTag, so an edit made meanwhile is not overwritten). */
  applyImport(listKey: string, writes: ImportWrite[], onProgress?: (done: number, total: number) => void): Promise<ImportWriteResult[]>;
  /** Adds a person (UPN, email or object id) to a role in the Roles list. */
  addRoleHolder(role: string, person: string): Promise<string>;
  /**
   * Every mapped column of every configured list, checked against the list itself: the problems found (a missing
   * list, a column that is not there, with the closest existing names). Jobs stop on any.
   */
  checkMapping(): Promise<string[]>;
  /** Checks the app-only credential by asking for a Graph token (undefined in local mode: nothing to check). */
  checkCredential(): Promise<{ ok: true; detail: string } | { ok: false; detail: string } | undefined>;
}

/**
 * An outside service (SharePoint) kept refusing for longer than the operation may wait. Says when to come back, so
 * a person or a log can be told plainly; nothing half-done is kept as if it were done.
 */
export class ServiceBusyError extends Error {
  constructor(
    message: string,
    readonly retryAt: Date,
  ) {
    super(message);
    this.name = 'ServiceBusyError';
  }
}
