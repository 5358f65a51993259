import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDemoData, DEMO_ACTIONS_LIST } from '../../src/local/demo-data/seed.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { listViewer } from '../../src/local/list-viewer.js';
import { silentLogger } from '../../src/app/log.js';
import { startBotServer } from '../../src/main/server.js';

let emulator: GraphEmulator;
let server: Server;
let base: string;

beforeAll(async () => {
  emulator = await new GraphEmulator({ data: buildDemoData('2026-11-23', 'Europe/London'), webBase: 'http://viewer.test/local' }).start();
  server = await startBotServer({ handleMessages: async (_req, res) => void res.status(501).end(), host: '127.0.0.1', port: 0, log: silentLogger, local: listViewer(emulator) });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await emulator.stop();
});

it('shows the emulated lists, escaping what people typed', async () => {
  const site = emulator.model.data.sites[0]!;
  const list = emulator.model.list(site, DEMO_ACTIONS_LIST);
  const item = emulator.model.createItem(list, { Title: '<script>alert(1)</script>', ActionRef: 'X-1', Status: 'On Target' });
  const index = await (await fetch(`${base}/`)).text();
  expect(index).toContain('PlanPulse local mode');
  expect(index).toContain(`<a href="/local/sites/ImprovementPlans/Lists/ImprovementActions">Improvement Actions</a>`);
  expect(index).not.toContain('User Information List');
  const listPage = await (await fetch(`${base}/sites/ImprovementPlans/Lists/ImprovementActions`)).text();
  expect(listPage).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(listPage).not.toContain('<script>alert');
  const itemPage = await fetch(`${base}/sites/ImprovementPlans/Lists/ImprovementActions/${item.id}_.000`);
  expect(itemPage.status).toBe(200);
  expect(await itemPage.text()).toContain('X-1');
  expect((await fetch(`${base}/sites/ImprovementPlans/Lists/Nope`)).status).toBe(404);
});
