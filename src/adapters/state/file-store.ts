import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { StateStore, VersionedValue } from '../../app/ports.js';

const hashOf = (text: string) => createHash('sha256').update(text).digest('base64url');

/** JSON, or a SyntaxError that carries the damaged text so it can be kept aside. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw Object.assign(e as SyntaxError, { rawText: text.slice(0, 100_000) });
  }
}

/**
 * One JSON file per key under a directory, for one instance. Writes go to a temporary file that is flushed to disk
 * (fsync) and renamed into place, so a crash never leaves a half-written file and a restart finds either the old
 * value or the new one. The folder is 0700 and files 0600: they hold names and conversation ids. Compare-and-swap
 * writes are serialised per key inside the process (a file store has one instance; several use the blob store).
 */
export class FileStore implements StateStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private rootReady?: Promise<unknown>;

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const parts = key.split('/').map((p) => encodeURIComponent(p));
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`Invalid state key: ${key}`);
    return `${join(this.root, ...parts)}.json`;
  }

  private async read(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async get(key: string): Promise<unknown> {
    const text = await this.read(key);
    return text === undefined ? undefined : parse(text);
  }

  private readonly folders = new Set<string>();

  private async folder(path: string): Promise<void> {
    this.rootReady ??= mkdir(this.root, { recursive: true, mode: 0o700 }).then(() => chmod(this.root, 0o700));
    await this.rootReady;
    const folder = dirname(path);
    if (this.folders.has(folder)) return;
    await mkdir(folder, { recursive: true, mode: 0o700 });
    this.folders.add(folder);
  }

  async put(key: string, value: unknown, options: { durable?: boolean } = {}): Promise<void> {
    const path = this.pathOf(key);
    await this.folder(path);
    const durable = options.durable !== false;
    const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
    const file = await open(tmp, 'w', 0o600).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      // The folder was removed behind our back (by hand, or a clean-up): make it again.
      this.folders.delete(dirname(path));
      await this.folder(path);
      return open(tmp, 'w', 0o600);
    });
    try {
      await file.writeFile(JSON.stringify(value));
      if (durable) await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    if (!durable) return;
    // The rename itself is made durable by syncing the folder.
    const dir = await open(dirname(path), 'r').catch(() => undefined);
    await dir?.sync().catch(() => undefined);
    await dir?.close();
  }

  async getVersioned(key: string): Promise<VersionedValue> {
    const text = await this.read(key);
    return text === undefined ? { value: undefined, version: null } : { value: parse(text), version: hashOf(text) };
  }

  putIfVersion(key: string, value: unknown, version: string | null): Promise<boolean> {
    const run = (this.locks.get(key) ?? Promise.resolve()).then(async () => {
      const text = await this.read(key);
      const current = text === undefined ? null : hashOf(text);
      if (current !== version) return false;
      await this.put(key, value);
      return true;
    });
    this.locks.set(key, run.catch(() => undefined));
    return run;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Keys under a prefix; only the prefix's own folder is read, not the whole store. */
  async list(prefix: string): Promise<string[]> {
    const folders = prefix.split('/').slice(0, -1);
    const base = join(this.root, ...folders.map((p) => encodeURIComponent(p)));
    let files: string[];
    try {
      files = (await readdir(base, { recursive: true })) as string[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return files
      .filter((f) => f.endsWith('.json'))
      .map((f) => [...folders, ...f.slice(0, -'.json'.length).split(sep).map(decodeURIComponent)].join('/'))
      .filter((key) => key.startsWith(prefix));
  }
}
