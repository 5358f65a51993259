import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_TENANT_ID } from '../../src/local/demo-data/people.js';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { buildDemoData } from '../../src/local/demo-data/seed.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { ConversationStore } from '../../src/app/conversations.js';
import { FileStore } from '../../src/adapters/state/file-store.js';
import { FakeConnector } from '../helpers/connector.js';
import { freePort } from '../helpers/net.js';

/**
 * A reminder run killed half way (SIGKILL, as a crash or a redeploy would) and started again sends nobody a
 * duplicate and misses nobody. The run is the real CLI in its own process; the connector holds each reply so the
 * kill lands while a message is in flight.
 */
const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-crash-'));
let emulator: GraphEmulator;
let connector: FakeConnector;
let port: number;


function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    env: { ...process.env, STATE_DIR: stateDir, GRAPH_EMULATOR_PORT: String(port), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { child, done };
}

const remind = (args: string[] = []) => cli(['remind', '--any-day', ...args]);

/** Starts a run and kills it (SIGKILL) while the card to the `n`th person is in flight. */
async function killDuring(run: ReturnType<typeof cli>, n: number): Promise<void> {
  const before = connector.arrivals.length;
  while (connector.arrivals.length < before + n) {
    if (run.child.exitCode !== null) throw new Error(`the run ended before it could be killed:\n${(await run.done).out}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  run.child.kill('SIGKILL');
  await run.done;
}

const cardsPerChat = () => {
  const deliveries = new Map<string, number>();
  for (const c of connector.sent()) deliveries.set(c.conversationId, (deliveries.get(c.conversationId) ?? 0) + 1);
  return deliveries;
};

/** The demo plan with every demo person as a digest leader and an assurer, so a run sends several cards. */
function planWithEveryoneAsked(): string {
  const plan = readFileSync(DEMO_PLAN_CONFIG_PATH, 'utf8')
    .replace(/assurers: \{ role: Business Assurance \}/, `assurers: { people: [${DEMO_PEOPLE.map((p) => p.id).join(', ')}] }`)
    .replace(/leaders: \{ role: Business Assurance \}/, `leaders: { people: [${DEMO_PEOPLE.map((p) => p.id).join(', ')}] }`);
  const path = join(stateDir, 'plan.yaml');
  writeFileSync(path, plan);
  return path;
}

beforeAll(async () => {
  port = await freePort();
  emulator = await new GraphEmulator({ data: buildDemoData(new Date().toISOString().slice(0, 10), 'Europe/London'), port }).start();
  // The CLI finds the running emulator by its certificate in STATE_DIR, as it finds `npm start`'s.
  mkdirSync(join(stateDir, 'graph-emulator'), { recursive: true });
  writeFileSync(join(stateDir, 'graph-emulator', 'cert.pem'), emulator.certificate);
  connector = await new FakeConnector({ delayMs: 400 }).start();
  const conversations = new ConversationStore(new FileStore(join(stateDir, 'state')));
  for (const p of DEMO_PEOPLE)
    await conversations.save({ tenantId: DEMO_TENANT_ID, aadObjectId: p.id, userId: `29:${p.id}`, userName: p.displayName, conversationId: `a:chat-${p.id}`, serviceUrl: connector.url, channelId: 'msteams', botId: '28:planpulse', updatedAt: new Date().toISOString() });
});

afterAll(async () => {
  await connector.stop();
  await emulator.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

it('a run killed mid-way and restarted reminds everyone at most once, and the send in flight is not repeated that day', async () => {
  const first = remind();
  while (connector.arrivals.length < 3) {
    if (first.child.exitCode !== null) throw new Error(`the run ended before it could be killed:\n${(await first.done).out}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  first.child.kill('SIGKILL'); // two delivered, the third in flight
  await first.done;
  expect(connector.sent()).toHaveLength(2);

  const second = await remind().done;
  expect(second.code, second.out).toBe(0);
  expect(second.out.match(/— already sent today/g)).toHaveLength(2);
  // The one in flight when the run died may have reached Teams: it is not sent again today (README: in-doubt sends).
  expect(second.out.match(/— in doubt: a send to them was interrupted today, so it is not repeated until the next working day$/gm)).toHaveLength(1);

  const deliveries = new Map<string, number>();
  for (const c of connector.sent()) deliveries.set(c.conversationId, (deliveries.get(c.conversationId) ?? 0) + 1);
  const remindable = (second.out.match(/— (sent|already sent today)$/gm) ?? []).length;
  expect(remindable).toBeGreaterThanOrEqual(4);
  expect(deliveries.size).toBe(remindable);
  expect([...deliveries.values()].every((n) => n === 1)).toBe(true);

  const third = await remind(['--dry-run']).done;
  expect(third.out).not.toMatch(/— (would send|sent)$/m);
}, 90_000);

it('a digest killed mid-send and run again reaches each leader once; the one in flight is in doubt', async () => {
  connector.clear();
  const env = { PLAN_CONFIG: planWithEveryoneAsked() };
  await killDuring(cli(['digest'], env), 3);
  expect(connector.sent()).toHaveLength(2);
  const second = await cli(['digest'], env).done;
  expect(second.code, second.out).toBe(0);
  expect(second.out.match(/\(a send to them was interrupted, so it is not repeated\)/g)).toHaveLength(1);
  const deliveries = cardsPerChat();
  // Every leader reached but the one in doubt, and the leadership channel: each once.
  expect(deliveries.size).toBe(DEMO_PEOPLE.length - 1 + 1);
  expect(deliveries.get('19:planpulse-channel')).toBe(1);
  expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
}, 90_000);

it('sampling killed mid-send and run again finishes the same draw: each task marked once, each assurer one card', async () => {
  connector.clear();
  const env = { PLAN_CONFIG: planWithEveryoneAsked() };
  const preview = await cli(['sample', '--dry-run'], env).done;
  const drawn = preview.out.match(/: (\S+(?:, \S+)*)$/m)![1]!.split(', ');
  await killDuring(cli(['sample'], env), 2);
  const second = await cli(['sample'], env).done;
  expect(second.code, second.out).toBe(0);
  expect(second.out).toContain(`: ${drawn.join(', ')}`);
  const list = emulator.model.list(emulator.model.data.sites[0]!, 'Improvement Actions');
  for (const ref of drawn) expect(list.items.find((i) => i.fields.ActionRef === ref)!.fields.SampleStatus).toBe('Selected');
  const audit = emulator.model.list(emulator.model.data.sites[0]!, 'Plan Updates').items.filter((i) => i.fields.Field === 'SampleStatus');
  for (const ref of drawn) expect(audit.filter((i) => i.fields.ActionRef === ref)).toHaveLength(1);
  const deliveries = cardsPerChat();
  expect(deliveries.size).toBeGreaterThan(1);
  expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
  // A third run draws nothing new.
  connector.clear();
  expect((await cli(['sample'], env).done).out).toContain(`: ${drawn.join(', ')}`);
  expect(connector.sent()).toHaveLength(0);
}, 90_000);

it('an import killed between its list writes and their audit rows is completed by the next import: each row once', async () => {
  const csv = join(stateDir, 'crash-register.csv');
  writeFileSync(csv, 'Ref,Action,Owner,Due date,Status\r\nC1,Test the hydrants,GM Protection,31/03/2027,On target\r\nC2,Train the crews,GM Response,30/06/2027,On target\r\nC3,Brief the board,CFO,30/09/2027,Yet to start\r\n');
  const site = emulator.model.data.sites[0]!;
  const created = () => emulator.model.list(site, 'Improvement Actions').items.filter((i) => i.fields.Plan === 'Crash plan');
  const auditRows = () => emulator.model.list(site, 'Plan Updates').items.filter((i) => String(i.fields.Channel) === 'import (crash-register.csv)');
  // The three new items are written; the $batch of their audit rows never answers.
  emulator.injectFault({ status: 'hang', count: 1, match: 'POST /v1.0/$batch', body: 'Plan%20Updates' });
  const first = cli(['import', csv, '--plan', 'Crash plan']);
  while (!emulator.requests.some((r) => r.path.includes('$batch') && r.status === 0)) {
    if (first.child.exitCode !== null) throw new Error(`the import ended before it could be killed:\n${(await first.done).out}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  first.child.kill('SIGKILL');
  await first.done;
  emulator.clearFaults();
  expect(created()).toHaveLength(3);
  expect(auditRows()).toHaveLength(0);

  const second = await cli(['import', csv, '--plan', 'Crash plan']).done;
  expect(second.code, second.out).toBe(0);
  expect(second.out).toContain('unchanged 3');
  expect(auditRows().map((r) => r.fields.ActionRef).sort()).toEqual(['C1', 'C2', 'C3']);
  // And a third run finds nothing to do: the baselines were kept too.
  const third = await cli(['import', csv, '--plan', 'Crash plan']).done;
  expect(third.out).toContain('unchanged 3');
  expect(auditRows()).toHaveLength(3);
}, 90_000);
