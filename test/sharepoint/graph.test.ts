import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import { parsePlanConfig } from '../../src/config/plan.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { demoPlanConfig } from '../../src/local/demo-data/plan.js';
import { DEMO_ACTIONS_LIST, DEMO_SITE } from '../../src/local/demo-data/seed.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { GraphBusyError } from '../../src/adapters/sharepoint/graph-gateway.js';
import { createGraphClient, readAllPages } from '../../src/adapters/sharepoint/graph-client.js';
import { SharePointRoleSource } from '../../src/adapters/sharepoint/role-source.js';
import { SharePointTaskRepository } from '../../src/adapters/sharepoint/task-repository.js';
import { startDemoEmulator, TZ } from '../helpers/harness.js';

let emulator: GraphEmulator;
let client: ReturnType<typeof createGraphClient>;
const site = `${DEMO_SITE.hostname}:${DEMO_SITE.path}`;
const itemsUrl = `/sites/${site}:/lists/${encodeURIComponent(DEMO_ACTIONS_LIST)}/items`;

beforeAll(async () => {
  emulator = await startDemoEmulator();
  client = createGraphClient({ baseUrl: emulator.baseUrl, caCertificate: emulator.certificate });
});
afterAll(() => emulator.stop());

describe('the Graph client against the emulator over HTTPS', () => {
  it('refuses a request without a bearer token, as Graph does', async () => {
    const res = await fetch(`${emulator.baseUrl}/sites/root`, { dispatcher: new Agent({ connect: { ca: emulator.certificate } }) } as RequestInit);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });

  it('follows absolute https @odata.nextLink across pages', async () => {
    const before = emulator.requests.length;
    const items = await readAllPages<{ id: string; fields: Record<string, unknown> }>(client, `${itemsUrl}?expand=fields(select=ActionRef)&$top=25`);
    const total = emulator.model.list(emulator.model.site({ hostname: DEMO_SITE.hostname, path: DEMO_SITE.path }), DEMO_ACTIONS_LIST).items.length;
    expect(items).toHaveLength(total);
    expect(new Set(items.map((i) => i.id)).size).toBe(total);
    expect(emulator.requests.length - before).toBe(Math.ceil(total / 25));
    expect(items[0]!.fields).toEqual({ '@odata.etag': expect.stringMatching(/^"[0-9a-f-]{36},1"$/), ActionRef: 'AFI1-T1' });
  });

  it('reads a 5,001-item list in the minimum number of requests (ceil(items/5000) pages)', async () => {
    const big = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
    try {
      const s = big.model.createSite('big.example', '/sites/Big', 'Big');
      const list = big.model.createList(s, { displayName: 'Actions', columns: [{ name: 'ActionRef' }, { name: 'OwnerRole' }, { name: 'Status' }, { name: 'DueDate', dateTime: { format: 'dateOnly' } }] });
      for (let i = 1; i <= 5001; i++) big.model.createItem(list, { Title: `Task ${i}`, ActionRef: `R${i}`, OwnerRole: 'Someone', Status: 'On Target', DueDate: '2027-01-01T00:00:00Z' });
      const config = parsePlanConfig({ lists: [{ key: 'big', site: 'big.example:/sites/Big', list: 'Actions', plan: 'Big plan', columns: { ownerRole: 'OwnerRole' } }] }, 'test');
      const repo = new SharePointTaskRepository(createGraphClient({ baseUrl: big.baseUrl, caCertificate: big.certificate }), config, TZ);
      const tasks = await repo.allTasks();
      expect(tasks).toHaveLength(5001);
      expect(tasks[5000]).toMatchObject({ ref: 'R5001', ownerRole: 'Someone', dueDate: '2027-01-01' });
      expect(big.requests.filter((r) => r.path.includes('/items')).length).toBe(2);
    } finally {
      await big.stop();
    }
  });

  it('resolves person columns to Entra users through the User Information List', async () => {
    const repo = new SharePointTaskRepository(client, demoPlanConfig(), TZ);
    const tasks = await repo.allTasks();
    const personOwned = tasks.filter((t) => t.ownerPeople.length > 0);
    expect(personOwned.length).toBeGreaterThan(0);
    expect(personOwned[0]!.ownerPeople).toEqual([{ aadObjectId: DEMO_PEOPLE[2]!.id, displayName: 'Adele Vance', email: DEMO_PEOPLE[2]!.userPrincipalName }]);
    const roles = await new SharePointRoleSource(client, demoPlanConfig().roles).load();
    expect(roles.resolve('GM Community Safety').people.map((p) => p.aadObjectId)).toEqual([DEMO_PEOPLE[0]!.id]);
  });

  it('reuses one read of the Roles list for a minute, then reads it again', async () => {
    let now = 1_000_000;
    const source = new SharePointRoleSource(client, demoPlanConfig().roles, 60_000, () => now);
    const rolesList = emulator.model.list(emulator.model.data.sites[0]!, 'Roles');
    const rolesReads = () => emulator.requests.filter((r) => r.path.includes('/lists/Roles/items') || r.path.includes(`/lists/${rolesList.id}/items`)).length;
    const before = rolesReads();
    await Promise.all([source.load(), source.load()]);
    await source.load();
    expect(rolesReads() - before).toBe(1);
    now += 61_000;
    await source.load();
    expect(rolesReads() - before).toBe(2);
  });

  it('surfaces a write with a stale eTag as a conflict, leaving the item unchanged', async () => {
    const repo = new SharePointTaskRepository(client, demoPlanConfig(), TZ);
    const key = { listKey: 'actions', itemId: '3' };
    const before = (await repo.getTask(key))!;
    const first = await repo.updateTask(key, before.eTag, { status: 'Behind Target', lastUpdate: '2026-11-23T09:00:00Z', lastUpdatedBy: 'A' });
    expect(first.kind).toBe('updated');
    expect(first.kind === 'updated' && first.task.eTag).not.toBe(before.eTag);
    const stale = await repo.updateTask(key, before.eTag, { status: 'Complete', lastUpdate: '2026-11-23T09:01:00Z', lastUpdatedBy: 'B' });
    expect(stale.kind).toBe('conflict');
    expect(stale.kind === 'conflict' && stale.latest.status).toBe('Behind Target');
    expect(emulator.requests.some((r) => r.status === 412)).toBe(true);
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    emulator.injectFault({ status: 429, retryAfterSeconds: 1, count: 1, match: '/items' });
    const started = Date.now();
    const page = await client.api(`${itemsUrl}?$top=1`).get();
    expect(page.value).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emulator.requests.slice(-2).map((r) => r.status)).toEqual([429, 200]);
  });

  it('gives up after a bounded number of 503s, saying SharePoint is busy', async () => {
    emulator.injectFault({ status: 503, retryAfterSeconds: 0, count: 8, match: '/items' });
    await expect(client.api(`${itemsUrl}?$top=1`).get()).rejects.toBeInstanceOf(GraphBusyError);
    expect(emulator.requests.slice(-8).map((r) => r.status)).toEqual(Array(8).fill(503)); // the gateway's 8 attempts
    expect((await client.api(`${itemsUrl}?$top=1`).get()).value).toHaveLength(1);
  });

  it('answers 400 with Graph\'s message for a filter on a column that is not indexed', async () => {
    const error = await client.api(`${itemsUrl}?$filter=fields/Pillar eq 'People'`).get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 400, code: 'invalidRequest' });
    expect((error as GraphError).message).toContain("Field 'Pillar' cannot be referenced in filter or orderby as it is not indexed");
    const indexed = await client.api(`${itemsUrl}?expand=fields(select=ActionRef,Status)&$filter=fields/Status eq 'Behind Target'`).get();
    expect(indexed.value.length).toBeGreaterThan(0);
    expect(indexed.value.every((i: { fields: { Status: string } }) => i.fields.Status === 'Behind Target')).toBe(true);
  });

  it('creates (201), reads and deletes (204) items with Graph shapes, and 404s a missing one', async () => {
    const created = await client.api(itemsUrl).post({ fields: { Title: 'New', ActionRef: 'X1' } });
    expect(created).toMatchObject({ id: expect.any(String), eTag: expect.stringMatching(/,1"$/), fields: { Title: 'New', ActionRef: 'X1' } });
    await client.api(`${itemsUrl}/${created.id}`).header('If-Match', created.eTag).delete();
    expect(emulator.requests.at(-1)!.status).toBe(204);
    await expect(client.api(`${itemsUrl}/${created.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    await expect(client.api(itemsUrl).post({ fields: { NoSuchColumn: 1 } })).rejects.toMatchObject({ statusCode: 400, message: "Field 'NoSuchColumn' is not recognized" });
  });
});
