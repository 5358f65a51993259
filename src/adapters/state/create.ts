import { resolve } from 'node:path';
import type { Logger } from '../../app/log.js';
import { soleInstance, type LeaderLock, type StateStore } from '../../app/ports.js';
import type { Env } from '../../config/env.js';
import { FileStore } from './file-store.js';

/**
 * The file store for one instance (default), or Azure Blob Storage with a blob-lease leader lock for several. The
 * Azure clients are loaded only when blob storage is chosen.
 */
export async function createStateStore(env: Env, log: Logger): Promise<{ store: StateStore; lock: LeaderLock }> {
  if (env.STATE_STORE === 'file') return { store: new FileStore(resolve(env.STATE_DIR, 'state')), lock: soleInstance };
  const [{ ManagedIdentityCredential }, { BlobServiceClient }, { BlobStore }, { BlobLeaseLock }] = await Promise.all([
    import('@azure/identity'),
    import('@azure/storage-blob'),
    import('./blob-store.js'),
    import('./leader-lock.js'),
  ]);
  const service = env.AZURE_STORAGE_CONNECTION_STRING
    ? BlobServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING)
    : new BlobServiceClient(env.AZURE_STORAGE_ACCOUNT_URL!, env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new ManagedIdentityCredential());
  const container = service.getContainerClient(env.STATE_CONTAINER);
  return { store: new BlobStore(container), lock: new BlobLeaseLock(container, log) };
}
