import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGraphClient, DEFAULT_GATEWAY } from '../../src/adapters/sharepoint/graph-client.js';
import { GraphGateway } from '../../src/adapters/sharepoint/graph-gateway.js';
import { ListReadStoppedError, ListSnapshots } from '../../src/adapters/sharepoint/list-snapshots.js';
import { SharePointRoleSource } from '../../src/adapters/sharepoint/role-source.js';
import { SitePeopleCache } from '../../src/adapters/sharepoint/site-people.js';
import { SiteIds } from '../../src/adapters/sharepoint/sites.js';
import { SharePointTaskRepository } from '../../src/adapters/sharepoint/task-repository.js';
import { FileStore } from '../../src/adapters/state/file-store.js';
import { silentLogger } from '../../src/app/log.js';
import type { PlanConfig } from '../../src/config/plan.js';
import { groupReminders } from '../../src/domain/reminders.js';
import type { Task } from '../../src/domain/task.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { seedLargePlan } from '../helpers/large-plan.js';

/**
 * SharePoint as it behaves under load: the whole app throttled until Retry-After passes, 503s and 504s, connections
 * reset mid-page, pages that fail twice, delta tokens that expire. Each read either gives exactly what an
 * undisturbed read gives, or stops saying which list, how far it got and when to retry — never a wrong result.
 */
let emulator: GraphEmulator;
let plan: PlanConfig;
const TODAY = '2026-11-23';
const RULES = { dueSoonDays: 14, staleDays: 30 };

/** A repository as one process builds it: its own gateway, state folder and caches. */
function reader(options: { maxWaitMs?: number; stateDir?: string; requestTimeoutMs?: number } = {}) {
  const gateway = new GraphGateway({ ...DEFAULT_GATEWAY, initialDelayMs: 50, requestTimeoutMs: options.requestTimeoutMs ?? 60_000, maxWaitMs: options.maxWaitMs ?? 60_000, log: silentLogger });
  const client = createGraphClient({ baseUrl: emulator.baseUrl, caCertificate: emulator.certificate }, gateway);
  const store = new FileStore(options.stateDir ?? mkdtempSync(join(tmpdir(), 'planpulse-throttle-')));
  const shared = { sites: new SiteIds(client, store), people: new SitePeopleCache(client, Date.now, store), snapshots: new ListSnapshots(client, store, silentLogger) };
  const tasks = new SharePointTaskRepository(client, plan, 'Europe/London', shared);
  const roles = new SharePointRoleSource(client, plan.roles, 0, Date.now, shared);
  return { gateway, tasks, roles, store };
}

/** What a reminder run would send, as comparable text. */
async function reminders(r: ReturnType<typeof reader>): Promise<string[]> {
  const [tasks, roles] = await Promise.all([r.tasks.allTasks(), r.roles.load()]);
  return groupReminders(tasks, roles, TODAY, RULES, 'Europe/London').reminders.map((x) => `${x.person.aadObjectId}: ${x.tasks.map((t) => `${t.task.ref}=${t.flags.map((f) => f.kind).join('+')}`).join(',')}`);
}

const summary = (tasks: Task[]) => tasks.map((t) => `${t.listKey}/${t.itemId}:${t.eTag}:${t.status}`).sort();

let expected: { tasks: string[]; reminders: string[] };

beforeAll(async () => {
  emulator = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
  plan = seedLargePlan(emulator, { lists: 3, items: 4000, people: 40 });
  const undisturbed = reader();
  expected = { tasks: summary(await undisturbed.tasks.allTasks()), reminders: await reminders(undisturbed) };
  expect(expected.tasks).toHaveLength(12_000);
}, 120_000);
afterEach(() => {
  emulator.setThrottling(undefined);
  emulator.clearFaults();
});
afterAll(() => emulator.stop());

describe('reading a 12,000-task plan while SharePoint throttles and fails', () => {
  it('a whole-app throttle window: waits out every Retry-After, never knocks early, and gets exactly the undisturbed result', async () => {
    emulator.setThrottling({ budget: 6, windowSeconds: 1 });
    const r = reader();
    const { result, counts } = await r.gateway.run('storm', () => reminders(r));
    expect(result).toEqual(expected.reminders);
    expect(summary(await r.tasks.allTasks())).toEqual(expected.tasks);
    expect(emulator.throttleStats.refused).toBeGreaterThan(0);
    expect(emulator.throttleStats.ignoredRetryAfter).toBe(0);
    // 40 people in 2 batches of 20, not one /users request each.
    expect(counts.batch).toBeLessThanOrEqual(2 + emulator.throttleStats.refused);
    expect(emulator.requests.filter((q) => q.method === 'GET' && q.path.startsWith('/v1.0/users/'))).toHaveLength(0);
  }, 120_000);

  it('503s, 504s, connections reset mid-read and a page that fails twice: exactly the undisturbed result', async () => {
    emulator.injectFault({ status: 503, retryAfterSeconds: 1, count: 2, match: '/items/delta' });
    emulator.injectFault({ status: 504, count: 2, match: '/items/delta' });
    emulator.injectFault({ status: 'reset', count: 2, match: '/items/delta' });
    const r = reader();
    expect(await reminders(r)).toEqual(expected.reminders);
    expect(summary(await r.tasks.allTasks())).toEqual(expected.tasks);
    expect(emulator.requests.filter((q) => q.status === 0)).not.toHaveLength(0);
  }, 120_000);

  it('a page that never answers is abandoned after the request timeout and read again: exactly the undisturbed result', async () => {
    emulator.injectFault({ status: 'hang', count: 2, match: '/items/delta' });
    const mark = emulator.requests.length;
    const r = reader({ requestTimeoutMs: 4000 });
    expect(summary(await r.tasks.allTasks())).toEqual(expected.tasks);
    expect(emulator.requests.slice(mark).filter((q) => q.status === 0)).toHaveLength(2);
  }, 120_000);

  it('throttled past the run\'s wait cap: stops naming the list, how far it got and when to retry; the next run resumes and completes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-throttle-'));
    const first = reader({ maxWaitMs: 500, stateDir });
    await first.roles.load();
    emulator.setThrottling({ budget: 1, windowSeconds: 2 });
    const stopped = await first.gateway.run('capped', () => first.tasks.allTasks()).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ListReadStoppedError);
    expect((stopped as Error).message).toMatch(/^Reading the list "Actions \d" on large\.example:\/sites\/Plans stopped after \d+ changed or new items: SharePoint is throttling PlanPulse and asked it to wait until \d{4}-\d\d-\d\dT/);
    expect((stopped as ListReadStoppedError).retryAt.getTime()).toBeGreaterThan(Date.now() - 2000);
    emulator.setThrottling(undefined);
    await new Promise((r) => setTimeout(r, 2100));
    const later = reader({ stateDir });
    expect(summary(await later.tasks.allTasks())).toEqual(expected.tasks);
  }, 120_000);
});

describe('reading only what changed (Graph delta)', () => {
  it('an unchanged plan costs one request per list; changes, additions and deletions give the same reminders as a full read', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-delta-'));
    const r = reader({ stateDir });
    await reminders(r);
    const steady = await r.gateway.run('steady', () => r.tasks.allTasks());
    expect(steady.counts).toEqual({ pages: plan.lists.length, people: 0, writes: 0, batch: 0, other: 0 });

    const site = emulator.model.site({ hostname: 'large.example', path: '/sites/Plans' });
    const list = emulator.model.list(site, 'Actions 1');
    emulator.model.updateFields(list, '10', { Status: 'Complete', EvidenceLink: 'https://large.example/e.pdf' });
    emulator.model.updateFields(list, '11', { DueDate: '2026-11-20T00:00:00Z', Status: 'On Target' });
    emulator.model.deleteItem(list, '12');
    emulator.model.createItem(list, { Title: 'New after the first read', ActionRef: 'L1-NEW', OwnerRole: 'Role 3', Status: 'On Target', DueDate: '2026-11-25T00:00:00Z', LastUpdate: '2026-11-01T00:00:00Z' });

    const incremental = await r.gateway.run('changed', () => reminders(r));
    expect(incremental.counts).toEqual({ pages: plan.lists.length + 1, people: 0, writes: 0, batch: 0, other: 0 }); // + the Roles list
    // In another process, from the saved delta links, and from nothing at all: the same.
    expect(await reminders(reader({ stateDir }))).toEqual(incremental.result);
    const fresh = reader();
    expect(await reminders(fresh)).toEqual(incremental.result);
    expect(summary(await r.tasks.allTasks())).toEqual(summary(await fresh.tasks.allTasks()));
    expect(incremental.result).not.toEqual(expected.reminders);
  }, 120_000);

  it('an expired delta token (410 Gone) means a logged full resync with the same result', async () => {
    const r = reader();
    await r.tasks.allTasks();
    emulator.expireDeltaTokens();
    const resync = await r.gateway.run('resync', () => r.tasks.allTasks());
    expect(summary(resync.result)).toEqual(summary(await reader().tasks.allTasks()));
    expect(emulator.requests.some((q) => q.status === 410)).toBe(true);
    expect(resync.counts.pages).toBeGreaterThan(plan.lists.length);
  }, 120_000);
});
