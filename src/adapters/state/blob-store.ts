import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { StateStore, VersionedValue } from '../../app/ports.js';

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

  async getVersioned(key: string): Promise<VersionedValue> {
    await this.ensureContainer();
    try {
      const download = await this.blob(key).download();
      const chunks: Buffer[] = [];
      for await (const chunk of download.readableStreamBody as AsyncIterable<Buffer>) chunks.push(chunk);
      return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')), version: download.etag ?? null };
    } catch (e) {
      if (e instanceof RestError && e.statusCode === 404) return { value: undefined, version: null };
      throw e;
    }
  }

  /** A conditional upload: If-Match the blob's eTag, or If-None-Match * to create; 412/409 means someone was first. */
  async putIfVersion(key: string, value: unknown, version: string | null): Promise<boolean> {
    await this.ensureContainer();
    const body = JSON.stringify(value);
    try {
      await this.blob(key).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
        conditions: version === null ? { ifNoneMatch: '*' } : { ifMatch: version },
      });
      return true;
    } catch (e) {
      if (e instanceof RestError && (e.statusCode === 412 || e.statusCode === 409)) return false;
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
