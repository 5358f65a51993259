/**
 * Durable key-value state (conversation references, the reminder ledger, processed card actions). Keys are
 * slash-separated paths such as `conversations/<tenant>/<aadObjectId>`.
 */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix such as `actions/`. */
  list(prefix: string): Promise<string[]>;
}
