import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { fireJob } from '../../src/app/scheduler.js';
import { silentLogger } from '../../src/app/log.js';
import { createStateStore } from '../../src/adapters/state/create.js';
import { jobNamed } from '../../src/main/compose.js';
import { BlobStore } from '../../src/adapters/state/blob-store.js';
import { ConversationStore } from '../../src/app/conversations.js';
import { ledgers } from '../../src/features/reminders/state.js';
import { BlobLeaseLock } from '../../src/adapters/state/leader-lock.js';
import { startAzurite } from '../helpers/azurite.js';
import { startBot, type BotHarness } from '../helpers/harness.js';

let azurite: Awaited<ReturnType<typeof startAzurite>>;
let bot: BotHarness;
const container = (name: string) => BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name);
const schedule = { remind: '0 9 * * 1-5', qaNudge: '30 9 * * 1-5', sample: '0 7 * * 1', digest: '0 8 * * 1', housekeeping: '30 3 * * *' };

beforeAll(async () => {
  azurite = await startAzurite();
  // The digest job fires here; with no Teams to post to, the demo's channel copy would fail and ask for a retry.
  const plan = join(mkdtempSync(join(tmpdir(), 'planpulse-blob-plan-')), 'plan.yaml');
  writeFileSync(plan, readFileSync(DEMO_PLAN_CONFIG_PATH, 'utf8').replace(/\n  channel:[^\n]*\n(    [^\n]*\n)+/, '\n'));
  bot = await startBot({ PLAN_CONFIG: plan });
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await azurite?.stop();
});

describe('state in Azure Blob Storage (Azurite)', () => {
  it('keeps conversation references and ledgers for every instance, selected by configuration', async () => {
    const env = parseEnv({ STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_CONTAINER: 'planpulse-state' });
    const { store, lock } = await createStateStore(env, silentLogger);
    expect(store).toBeInstanceOf(BlobStore);
    expect(lock).toBeInstanceOf(BlobLeaseLock);
    const record = { tenantId: 't', aadObjectId: 'a', userId: '29:a', conversationId: 'c', serviceUrl: 'https://smba.example/', channelId: 'msteams', botId: '28:b', updatedAt: 'now' };
    await new ConversationStore(store).save(record);
    // Another instance, its own client, the same container.
    const other = new ConversationStore(new BlobStore(container('planpulse-state')));
    expect(await other.get('t', 'a')).toEqual(record);
    expect(await store.list('conversations/')).toEqual(['conversations/t/a']);
    await other.remove('t', 'a');
    expect(await new ConversationStore(store).get('t', 'a')).toBeUndefined();
    await expect(store.put('../escape', 1)).rejects.toThrow('Invalid state key');
  });

  it('two instances updating one ledger at once lose nothing (eTag compare-and-swap)', async () => {
    const one = new BlobStore(container('cas'));
    const two = new BlobStore(container('cas'));
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        ledgers.update(i % 2 ? one : two, 'aad-1', (l) => ({ tasks: {}, ...l, snoozedUntil: { ...l?.snoozedUntil, [`actions/${i}`]: '2026-12-01' } })),
      ),
    );
    expect(Object.keys((await ledgers.get(one, 'aad-1'))!.snoozedUntil)).toHaveLength(16);
  });

  it('two instances, one job fire: exactly one runs it', async () => {
    const a = new BlobLeaseLock(container('two-instances'), silentLogger, 15);
    const b = new BlobLeaseLock(container('two-instances'), silentLogger, 15);
    const first = await Promise.all([fireJob(jobNamed('digest')!, bot.core.deps, schedule, a), fireJob(jobNamed('digest')!, bot.core.deps, schedule, b)]);
    expect([...first].sort()).toEqual(['not the leader', 'ran']);
    // The leader keeps leading on the next fire.
    const next = await Promise.all([fireJob(jobNamed('digest')!, bot.core.deps, schedule, a), fireJob(jobNamed('digest')!, bot.core.deps, schedule, b)]);
    expect(next).toEqual(first);
    await a.release();
    await b.release();
  });

  it('when the leader dies, another instance runs the next fire within the lease time', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lease-holder.ts', azurite.connectionString, 'failover', '15'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const said = await new Promise<string>((resolve) => holder.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(said).toBe('leader');
    const survivor = new BlobLeaseLock(container('failover'), silentLogger, 15);
    expect(await fireJob(jobNamed('digest')!, bot.core.deps, schedule, survivor)).toBe('not the leader');
    holder.kill('SIGKILL');
    const killedAt = Date.now();
    let outcome = await fireJob(jobNamed('digest')!, bot.core.deps, schedule, survivor);
    while (outcome === 'not the leader' && Date.now() - killedAt < 20_000) {
      await new Promise((r) => setTimeout(r, 1000));
      outcome = await fireJob(jobNamed('digest')!, bot.core.deps, schedule, survivor);
    }
    expect(outcome).toBe('ran');
    expect(Date.now() - killedAt).toBeLessThan(17_000);
    await survivor.release();
  }, 40_000);
});
