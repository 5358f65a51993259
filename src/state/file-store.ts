import { mkdir, readdir, readFile, rename, rm, writeFile, link } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { StateStore } from './store.js';

/**
 * One JSON file per key under a directory. Writes go to a temporary file that is renamed into place, so a crash
 * never leaves a half-written file and a restart finds either the old value or the new one.
 */
export class FileStore implements StateStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const parts = key.split('/').map((p) => encodeURIComponent(p));
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`Invalid state key: ${key}`);
    return `${join(this.root, ...parts)}.json`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  private async writeTemp<T>(key: string, value: T): Promise<{ path: string; tmp: string }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    return { path, tmp };
  }

  async put<T>(key: string, value: T): Promise<void> {
    const { path, tmp } = await this.writeTemp(key, value);
    await rename(tmp, path);
  }

  async create<T>(key: string, value: T): Promise<boolean> {
    const { path, tmp } = await this.writeTemp(key, value);
    try {
      // link() fails if the target exists: an atomic create-if-absent, across processes too.
      await link(tmp, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const base = join(this.root, ...prefix.split('/').filter(Boolean).map((p) => encodeURIComponent(p)));
    let entries: string[];
    try {
      entries = (await readdir(base, { recursive: true })) as string[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return entries
      .filter((f) => f.endsWith('.json'))
      .map((f) => relative(this.root, join(base, f)).slice(0, -'.json'.length).split(sep).map(decodeURIComponent).join('/'));
  }
}
