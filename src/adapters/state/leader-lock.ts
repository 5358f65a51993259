import { RestError, type BlobLeaseClient, type ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../../app/log.js';
import type { LeaderLock } from '../../app/ports.js';

/**
 * Leadership through a lease on one blob. The leader renews its lease every third of the lease time; if it dies,
 * the lease lapses and the next instance to ask takes over within `leaseSeconds`.
 */
export class BlobLeaseLock implements LeaderLock {
  private lease?: BlobLeaseClient;
  private holding = false;
  private renewTimer?: NodeJS.Timeout;

  constructor(
    private readonly container: ContainerClient,
    private readonly log: Logger,
    private readonly leaseSeconds = 30,
    private readonly blobName = 'leader.lock',
  ) {}

  private async leaseClient(): Promise<BlobLeaseClient> {
    if (!this.lease) {
      await this.container.createIfNotExists();
      const blob = this.container.getBlockBlobClient(this.blobName);
      if (!(await blob.exists())) await blob.upload('', 0).catch((e: unknown) => (e instanceof RestError && e.statusCode === 412 ? undefined : Promise.reject(e)));
      this.lease = blob.getBlobLeaseClient();
    }
    return this.lease;
  }

  async isLeader(): Promise<boolean> {
    const lease = await this.leaseClient();
    try {
      if (this.holding) await lease.renewLease();
      else await lease.acquireLease(this.leaseSeconds);
      if (!this.holding) this.log.info({ leaseId: lease.leaseId }, 'became the scheduler leader');
      this.holding = true;
      this.keepRenewing();
      return true;
    } catch (e) {
      if (!(e instanceof RestError) || (e.statusCode !== 409 && e.statusCode !== 412)) throw e;
      // Someone else holds it (409), or our lease lapsed and was taken (409/412): not the leader.
      this.holding = false;
      this.stopRenewing();
      return false;
    }
  }

  private keepRenewing(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => {
      void this.lease?.renewLease().catch((e: unknown) => {
        this.log.warn({ err: e }, 'lost the scheduler lease');
        this.holding = false;
        this.stopRenewing();
      });
    }, (this.leaseSeconds * 1000) / 3);
    this.renewTimer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
  }

  async release(): Promise<void> {
    this.stopRenewing();
    if (this.holding) await this.lease?.releaseLease().catch(() => undefined);
    this.holding = false;
  }
}
