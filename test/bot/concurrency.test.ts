import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/log.js';
import { parseEnv } from '../../src/config/env.js';
import { ledgers } from '../../src/features/reminders/state.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { createConversation, createCore } from '../../src/main/compose.js';
import { startBotServer } from '../../src/main/server.js';
import { FakeConnector, textOf } from '../helpers/connector.js';
import { fixedClock } from '../helpers/harness.js';
import { seedLargePlan } from '../helpers/large-plan.js';
import { TeamsClient, type DemoPerson } from '../helpers/teams-client.js';
import { pdfBytes, teamsFileAttachment } from '../helpers/chat-files.js';

/**
 * Many people at once through the bot's HTTP endpoint: 200 different saves each land once with one audit row; 50
 * saves of one task from the same stale card, at once, let exactly one through and tell the other 49 why; 30
 * snoozes at once are all kept.
 */
let emulator: GraphEmulator;
let connector: FakeConnector;
let server: Server;
let teams: TeamsClient;
let core: Awaited<ReturnType<typeof createCore>>;
const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-concurrency-'));
const person = (p: number) => ({ id: `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`, displayName: `Person ${p}` }) as unknown as DemoPerson;
const site = () => emulator.model.data.sites[0]!;
const actions = () => emulator.model.list(site(), 'Actions 0');
const audit = () => emulator.model.list(site(), 'Plan Updates').items;

beforeAll(async () => {
  emulator = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
  const plan = seedLargePlan(emulator, { lists: 1, items: 6000, people: 200 });
  const planPath = join(stateDir, 'plan.json');
  writeFileSync(planPath, JSON.stringify(plan));
  core = await createCore(parseEnv({ STATE_DIR: stateDir, PLAN_CONFIG: planPath, LOG_LEVEL: 'silent' }), silentLogger, { graph: { baseUrl: emulator.baseUrl, caCertificate: emulator.certificate }, clock: fixedClock });
  server = await startBotServer({ handleMessages: createConversation(core).handleMessages, host: '127.0.0.1', port: 0, log: silentLogger });
  connector = await new FakeConnector().start();
  // The large plan lives in its own tenant; activities carry the tenant the bot serves.
  teams = new TeamsClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, connector);
}, 120_000);

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await connector.stop();
  await emulator.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const item = (id: string) => actions().items.find((i) => i.id === id)!;
const eTagOf = (id: string) => `"${item(id).guid},${item(id).version}"`;
const invoke = (who: DemoPerson, verb: string, data: unknown) =>
  teams.post(teams.activity(who, { type: 'invoke', name: 'adaptiveCard/action', id: `i-${Math.random()}`, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }, core.deps.tenantId)).then(async (r) => ({ status: r.status, body: (await r.json()) as { value: unknown } }));

describe('many people at once', () => {
  it('200 different saves at once: each lands exactly once, with exactly one audit row', async () => {
    const before = audit().length;
    // Person p owns task p (item id p + 1) through Role p.
    const results = await Promise.all(Array.from({ length: 200 }, (_, p) => invoke(person(p), 'saveUpdate', { listKey: 'l0', itemId: String(p + 1), eTag: eTagOf(String(p + 1)), note: `Concurrent note ${p}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => textOf(r.body.value).includes('Saved L0-R')).length).toBe(200);
    for (let p = 0; p < 200; p++) expect(String(item(String(p + 1)).fields.ProgressNotes).split(`Concurrent note ${p}`).length - 1).toBe(1);
    const rows = audit().slice(before).filter((r) => r.fields.Field === 'ProgressNotes');
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.fields.ActionRef)).size).toBe(200);
  }, 120_000);

  it('50 saves of one task from the same card at once: exactly one lands, the other 49 are told why', async () => {
    const id = '201'; // task 200: Role 0, Person 0's
    const eTag = eTagOf(id);
    const versionBefore = item(id).version;
    const before = audit().length;
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => invoke(person(0), 'saveUpdate', { listKey: 'l0', itemId: id, eTag, note: `Racing note ${n}` })));
    const texts = results.map((r) => textOf(r.body.value));
    expect(texts.filter((t) => t.includes('Saved L0-R200'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Someone else changed L0-R200 after you opened this form, so nothing was saved'))).toHaveLength(49);
    expect(item(id).version).toBe(versionBefore + 1);
    expect(audit().slice(before).filter((r) => r.fields.Field === 'ProgressNotes')).toHaveLength(1);
  }, 120_000);

  it('30 snoozes by one person at once are all kept', async () => {
    const mine = Array.from({ length: 30 }, (_, n) => String(1 + 200 * n + 7)); // Role 7's tasks
    const results = await Promise.all(mine.map((id) => invoke(person(7), 'snooze', { listKey: 'l0', itemId: id, days: 7 })));
    expect(results.every((r) => r.status === 200 && textOf(r.body.value).includes('are paused until'))).toBe(true);
    const ledger = await ledgers.get(core.deps.store, person(7).id as unknown as string);
    expect(Object.keys(ledger!.snoozedUntil)).toHaveLength(30);
  }, 120_000);

  it('40 evidence files at once on the 6,000-task plan, under whole-app throttling: each stored once, linked, audited once; no list read again', async () => {
    const people = Array.from({ length: 40 }, (_, p) => person(p + 100));
    const attachments = await Promise.all(people.map((who, p) => teamsFileAttachment(emulator, who, `Evidence ${p}.pdf`, pdfBytes(20_000 + p))));
    // Everyone's task list is warm (a person looks at their tasks before sending a file), so what follows is the file alone.
    await Promise.all(people.map((who) => teams.post(teams.activity(who, { type: 'message', id: `m-${Math.random()}`, text: 'my tasks' }, core.deps.tenantId))));
    const before = emulator.requests.length;
    emulator.setThrottling({ budget: 25, windowSeconds: 1 });
    let throttled = { refused: 0, ignoredRetryAfter: 0, windows: 0 };
    try {
      const sent = await Promise.all(people.map((who, p) => teams.post(teams.activity(who, { type: 'message', id: `f-${p}`, text: `evidence L0-R${p + 100}`, attachments: [attachments[p]] }, core.deps.tenantId))));
      expect(sent.every((r) => r.status === 200)).toBe(true);
      throttled = { ...emulator.throttleStats };
    } finally {
      emulator.setThrottling(undefined);
    }
    const made = emulator.requests.slice(before);
    // Rows the throttled $batch could not take wait in the audit outbox (the person was told); they are written once.
    expect(await core.deps.audit.flush()).toBe(0);
    for (let p = 0; p < people.length; p++) {
      const task = actions().items.find((i) => i.fields.ActionRef === `L0-R${p + 100}`)!;
      expect(String(task.fields.EvidenceLink)).toMatch(new RegExp(`/Evidence/L0-R${p + 100}/Evidence%20${p}\\.pdf$`));
      expect(audit().filter((a) => a.fields.ActionRef === `L0-R${p + 100}` && a.fields.Field === 'EvidenceLink')).toHaveLength(1);
    }
    // No list was paged through: an evidence file costs its upload, its item write and its audit row.
    expect(made.filter((r) => r.method === 'GET' && /\/items(\?|$)/.test(r.path) && !r.path.includes('delta'))).toEqual([]);
    // SharePoint refused the app while the files came in, and no request knocked before its Retry-After.
    expect(throttled.refused).toBeGreaterThan(0);
    expect(throttled.ignoredRetryAfter).toBe(0);
    console.log(`40 evidence files: ${made.length} requests to Graph and Teams' file store (${(made.length / 40).toFixed(1)} each), ${throttled.refused} refused by throttling`);
  }, 180_000);
});
