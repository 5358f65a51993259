/**
 * Durable key-value state (conversation references, the reminder ledger, processed card actions). Keys are
 * slash-separated paths such as `conversations/<tenant>/<aadObjectId>`.
 */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  /** Writes only if nothing is stored under the key yet; true when this call wrote it. */
  create<T>(key: string, value: T): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}
