import { resolve } from 'node:path';
import { ManagedIdentityCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import type { Logger } from '../../app/log.js';
import { soleInstance, type LeaderLock, type StateStore } from '../../app/ports.js';
import type { Env } from '../../config/env.js';
import { BlobStore } from './blob-store.js';
import { FileStore } from './file-store.js';
import { BlobLeaseLock } from './leader-lock.js';

/** The file store for one instance (default), or Azure Blob Storage with a blob-lease leader lock for several. */
export function createStateStore(env: Env, log: Logger): { store: StateStore; lock: LeaderLock } {
  if (env.STATE_STORE === 'file') return { store: new FileStore(resolve(env.STATE_DIR, 'state')), lock: soleInstance };
  const service = env.AZURE_STORAGE_CONNECTION_STRING
    ? BlobServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING)
    : new BlobServiceClient(env.AZURE_STORAGE_ACCOUNT_URL!, env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new ManagedIdentityCredential());
  const container = service.getContainerClient(env.STATE_CONTAINER);
  return { store: new BlobStore(container), lock: new BlobLeaseLock(container, log) };
}
