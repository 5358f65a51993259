import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { StateStore } from '../../app/ports.js';

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

  async get(key: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async put(key: string, value: unknown): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    let files: string[];
    try {
      files = (await readdir(this.root, { recursive: true })) as string[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return files
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length).split(sep).map(decodeURIComponent).join('/'))
      .filter((key) => key.startsWith(prefix));
  }
}
