import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { buildDemoData } from '../../src/local/demo-data/seed.js';
import { GraphEmulator, type Fault } from '../../src/local/graph-emulator/server.js';
import { FakeConnector, textOf } from '../helpers/connector.js';
import { TZ } from '../helpers/harness.js';
import { freePort } from '../helpers/net.js';
import { pdfBytes, teamsFileAttachment } from '../helpers/chat-files.js';
import { TeamsClient } from '../helpers/teams-client.js';

/**
 * A save killed at each step: the bot is a real process (`planpulse start`), SharePoint (the emulator) outlives it and
 * throttles the whole app in one-second windows, and the bot is SIGKILLed while Graph holds the list write or the audit write — or after the write applied but its
 * answer was lost. After a restart the list and the Plan Updates list hold the change exactly once, and Teams
 * retrying the same click is told what was saved.
 */
const ALEX = DEMO_PEOPLE[0]!;
const LYNNE = DEMO_PEOPLE[5]!;
const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-kill-'));
let emulator: GraphEmulator;
let connector: FakeConnector;
let bot: ChildProcess | undefined;
let port: number;
let teams: TeamsClient;
let botLog = '';

async function startBotProcess(): Promise<void> {
  bot = spawn(process.execPath, ['dist/cli/index.js', 'start', '--no-playground'], {
    env: { ...process.env, STATE_DIR: stateDir, PORT: String(port), GRAPH_EMULATOR_PORT: String(emulator.port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  bot.stderr!.on('data', (d) => {
    err += d;
    botLog += d;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    if (Date.now() > deadline || bot.exitCode !== null) throw new Error(`the bot did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(): Promise<void> {
  const child = bot!;
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const site = () => emulator.model.data.sites[0]!;
const item = (ref: string) => emulator.model.list(site(), 'Improvement Actions').items.find((i) => i.fields.ActionRef === ref)!;
const auditRows = (ref: string, field: string) => emulator.model.list(site(), 'Plan Updates').items.filter((i) => i.fields.ActionRef === ref && i.fields.Field === field);

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(emulator.requests.slice(-6))} ${JSON.stringify(connector.sent().slice(-1).map((c) => c.body.text ?? ''))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  port = await freePort();
  emulator = await new GraphEmulator({ data: buildDemoData(new Date().toISOString().slice(0, 10), TZ), port: await freePort() }).start();
  // The bot finds the running emulator by its certificate in STATE_DIR, as it finds `npm start`'s.
  mkdirSync(join(stateDir, 'graph-emulator'), { recursive: true });
  writeFileSync(join(stateDir, 'graph-emulator', 'cert.pem'), emulator.certificate);
  connector = await new FakeConnector().start();
  teams = new TeamsClient(`http://127.0.0.1:${port}/api/messages`, connector);
  await startBotProcess();
  await teams.install(ALEX);
  await teams.install(LYNNE);
  // SharePoint as it is under load: the app is refused for the rest of each second once it passes 3 requests.
  emulator.setThrottling({ budget: 3, windowSeconds: 1 });
}, 60_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) await kill();
  await connector.stop();
  await emulator.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('a save killed part-way', () => {
  const cases: [string, string, Fault, (ref: string, versionBefore: number) => boolean, boolean][] = [
    ['before the list write applied (Graph holds the PATCH)', 'AFI4-T1', { status: 'hang', count: 1, match: 'PATCH /v1.0/sites' }, () => emulator.requests.some((r) => r.method === 'PATCH' && r.status === 0), false],
    ['after the list write applied but its answer was lost', 'AFI4-T2', { status: 'lost', count: 1, match: 'PATCH /v1.0/sites' }, (ref, v) => item(ref).version > v, true],
    ['after the list write, while the audit rows are being written', 'AFI4-T3', { status: 'hang', count: 1, match: 'POST /v1.0/$batch' }, () => emulator.requests.some((r) => r.method === 'POST' && r.path.includes('$batch') && r.status === 0), true],
  ];

  it.each(cases)('%s: after a restart the change and its audit row are there exactly once, and the retried click says what was saved', async (_name, ref, fault, reached, appliedBeforeKill) => {
    const note = `Killed mid-save ${ref} ${Math.random()}`;
    const before = structuredClone(item(ref));
    const data = { listKey: 'actions', itemId: before.id, eTag: `"${before.guid},${before.version}"`, note };
    emulator.requests.length = 0;
    emulator.injectFault(fault);
    void teams.invoke(ALEX, 'saveUpdate', data).catch(() => undefined);
    await until(() => reached(ref, before.version), 'the bot to reach the held step');
    await kill();
    emulator.clearFaults();
    expect(item(ref).version > before.version).toBe(appliedBeforeKill);

    await startBotProcess(); // start-up completes interrupted changes before it listens
    const notesNow = String(item(ref).fields.ProgressNotes ?? '');
    expect(auditRows(ref, 'ProgressNotes').filter((r) => String(r.fields.NewValue).includes(note)), botLog.slice(-3000)).toHaveLength(appliedBeforeKill ? 1 : 0);

    // Teams retries the same click: it is saved (if it was not) and answered with what was saved — once.
    const retried = await teams.invoke(ALEX, 'saveUpdate', data);
    expect(textOf(retried.value)).toContain(`Saved ${ref}: progress note added.`);
    expect(String(item(ref).fields.ProgressNotes).split(note).length - 1).toBe(1);
    expect(auditRows(ref, 'ProgressNotes').filter((r) => String(r.fields.NewValue).includes(note))).toHaveLength(1);
    if (appliedBeforeKill) expect(String(item(ref).fields.ProgressNotes)).toBe(notesNow);
  }, 90_000);

  it('a QA approval killed while its audit rows are written: after a restart the retried click finishes it, and the owner is told once', async () => {
    // Alex completes AFI4-T1 with evidence: it goes to QA, and Lynne gets the card.
    const ref = 'AFI4-T1';
    const open = structuredClone(item(ref));
    const saved = await teams.invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: open.id, eTag: `"${open.guid},${open.version}"`, status: 'Complete', evidenceLink: 'https://contoso.sharepoint.com/sites/x/minutes.pdf' });
    expect(textOf(saved.value)).toContain(`Saved ${ref}`);
    const awaiting = structuredClone(item(ref));
    expect(awaiting.fields.QAStatus).toBe('Awaiting QA');
    const data = { listKey: 'actions', itemId: awaiting.id, eTag: `"${awaiting.guid},${awaiting.version}"`, comment: 'Minutes show sign-off' };
    const toldAlex = () => connector.sent().filter((c) => c.conversationId === `a:chat-${ALEX.id}` && JSON.stringify(c.body).includes(`${ref} passed QA`));

    emulator.requests.length = 0;
    emulator.injectFault({ status: 'hang', count: 1, match: 'POST /v1.0/$batch' });
    void teams.invoke(LYNNE, 'qaApprove', data).catch(() => undefined);
    await until(() => emulator.requests.some((r) => r.method === 'POST' && r.path.includes('$batch') && r.status === 0), 'the approval to reach its audit rows');
    await kill();
    emulator.clearFaults();
    expect(item(ref).fields.QAStatus).toBe('Approved');
    expect(toldAlex()).toHaveLength(0);

    await startBotProcess();
    expect(auditRows(ref, 'QAStatus').filter((r) => r.fields.NewValue === 'Approved')).toHaveLength(1);
    const retried = await teams.invoke(LYNNE, 'qaApprove', data);
    expect(textOf(retried.value)).toContain(`${ref} approved`);
    expect(toldAlex()).toHaveLength(1);
    // Teams retrying once more changes nothing and tells nobody again.
    await teams.invoke(LYNNE, 'qaApprove', data);
    expect(toldAlex()).toHaveLength(1);
    expect(auditRows(ref, 'QAStatus').filter((r) => r.fields.NewValue === 'Approved')).toHaveLength(1);
  }, 90_000);

  it('an evidence file killed after it was stored, before its link was written: Teams redelivering the message stores nothing twice', async () => {
    const ref = 'AFI4-T3';
    const bytes = pdfBytes(80_000);
    const attachment = await teamsFileAttachment(emulator, ALEX, 'Killed upload.pdf', bytes);
    const message = { text: `evidence ${ref}`, attachments: [attachment], id: 'teams-message-killed' };
    const inLibrary = () => [...emulator.files.keys()].filter((k) => k.startsWith(site().id) && k.includes('Killed upload'));
    const before = structuredClone(item(ref));
    emulator.requests.length = 0;
    emulator.injectFault({ status: 'hang', count: 1, match: 'PATCH /v1.0/sites' });
    void teams.send(ALEX, message).catch(() => undefined);
    await until(() => emulator.requests.some((r) => r.method === 'PATCH' && r.status === 0), 'the link write after the upload');
    await kill();
    emulator.clearFaults();
    expect(inLibrary()).toHaveLength(1);
    expect(item(ref).version).toBe(before.version);

    await startBotProcess();
    const replies = await teams.send(ALEX, message);
    expect(JSON.stringify(replies.map((r) => r.body))).toContain(`Evidence stored for ${ref}`);
    expect(inLibrary()).toHaveLength(1);
    const stored = emulator.files.get(inLibrary()[0]!)!;
    expect(stored.bytes.equals(bytes)).toBe(true);
    expect(item(ref).fields.EvidenceLink).toBe(stored.webUrl);
    expect(auditRows(ref, 'EvidenceLink').filter((r) => r.fields.NewValue === stored.webUrl)).toHaveLength(1);
  }, 90_000);

  it('all of it happened while SharePoint was throttling the app, and no request came before its Retry-After', () => {
    expect(emulator.throttleStats.refused).toBeGreaterThan(0);
    expect(emulator.throttleStats.ignoredRetryAfter).toBe(0);
  });
});
