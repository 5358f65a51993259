import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { StateStore } from '../../app/ports.js';

/**
 * State in Azure Blob Storage, one JSON blob per key, so several bot instances share conversation references,
 * ledgers and processed actions. Blob uploads replace the whole blob at once, so readers never see half a write.
 */
export class BlobStore implements StateStore {
  private ready?: Promise<unknown>;

  constructor(private readonly container: ContainerClient) {}

  private ensureContainer(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists();
    return this.ready;
  }

  private blob(key: string) {
    if (key.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new Error(`Invalid state key: ${key}`);
    return this.container.getBlockBlobClient(`${key}.json`);
  }

  async get(key: string): Promise<unknown> {
    await this.ensureContainer();
    try {
      return JSON.parse((await this.blob(key).downloadToBuffer()).toString('utf8'));
    } catch (e) {
      if (e instanceof RestError && e.statusCode === 404) return undefined;
      throw e;
    }
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.ensureContainer();
    const body = JSON.stringify(value);
    await this.blob(key).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
  }

  async delete(key: string): Promise<void> {
    await this.ensureContainer();
    await this.blob(key).deleteIfExists();
  }

  async list(prefix: string): Promise<string[]> {
    await this.ensureContainer();
    const keys: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) if (blob.name.endsWith('.json')) keys.push(blob.name.slice(0, -'.json'.length));
    return keys;
  }
}
