/**
 * A second PlanPulse instance for the leader-lock test: takes the scheduler lease and keeps renewing it until the
 * test kills it with SIGKILL, as a crashed instance would stop.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { silentLogger } from '../../src/app/log.js';
import { BlobLeaseLock } from '../../src/adapters/state/leader-lock.js';

const [connectionString, container, seconds] = process.argv.slice(2);
const lock = new BlobLeaseLock(BlobServiceClient.fromConnectionString(connectionString!).getContainerClient(container!), silentLogger, Number(seconds));
console.log((await lock.isLeader()) ? 'leader' : 'follower');
setInterval(() => undefined, 1000);
