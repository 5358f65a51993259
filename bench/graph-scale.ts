/**
 * Benchmark for issue 10 — Graph at tenant scale. The emulator runs in its own process (bench/emulator-process.ts),
 * so the memory figures are the bot's alone. Each section builds PlanPulse's real composition (createCore) against it:
 *   1. full sweep of 5 lists x 10,000 items: Graph requests vs the minimum, time, RSS;
 *   2. the same sweep again with nothing changed (delta): requests = lists;
 *   3. a 12,000-item sweep under SharePoint-like throttling vs unthrottled: exact counts, requests before Retry-After;
 *   4. 50 people clicking at once on a 50,000-task plan (my tasks, save, history) over the bot's HTTP endpoint,
 *      with the Bot Framework connector in a third process (bench/connector-process.ts).
 * Run with `npm run bench`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { silentLogger } from '../src/app/log.js';
import { parseEnv } from '../src/config/env.js';
import type { PlanConfig } from '../src/config/plan.js';
import type { Task } from '../src/domain/task.js';
import { runReminders } from '../src/features/reminders/remind.js';
import { createConversation, createCore } from '../src/main/compose.js';
import { startBotServer } from '../src/main/server.js';

interface Emulator {
  child: ChildProcess;
  baseUrl: string;
  cert: string;
  plan: PlanConfig;
  control(path: string, body?: unknown): Promise<unknown>;
}

async function emulatorProcess(lists: number, items: number, people: number): Promise<Emulator> {
  const child = spawn(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', 'bench/emulator-process.ts', String(lists), String(items), String(people)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const { port, cert, plan } = JSON.parse(line) as { port: number; cert: string; plan: PlanConfig };
  const dispatcher = new Agent({ connect: { ca: cert } });
  const control = async (path: string, body?: unknown) => {
    const res = await fetch(`https://127.0.0.1:${port}/_emulator/${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body), dispatcher } as RequestInit);
    return res.status === 204 ? undefined : res.json();
  };
  return { child, baseUrl: `https://127.0.0.1:${port}/v1.0`, cert, plan, control };
}

const stats = async (e: Emulator) => (await e.control('stats')) as { requests: number; throttle: { refused: number; ignoredRetryAfter: number } };
const mb = () => Math.round(process.memoryUsage().rss / 1e6);

async function core(e: Emulator, stateDir = mkdtempSync(join(tmpdir(), 'planpulse-bench-'))) {
  const planPath = join(stateDir, 'plan.json');
  writeFileSync(planPath, JSON.stringify(e.plan));
  const env = parseEnv({ STATE_DIR: stateDir, PLAN_CONFIG: planPath, LOG_LEVEL: 'silent', GRAPH_MAX_WAIT_SECONDS: '600' });
  return createCore(env, silentLogger, { graph: { baseUrl: e.baseUrl, caCertificate: e.cert } });
}

/** A sweep as the reminder job does it (a dry run: read every list and the roles, group per person). */
async function sweep(c: Awaited<ReturnType<typeof core>>) {
  const started = performance.now();
  const { result, counts } = await c.graph.run('sweep', () => runReminders(c.deps, { dryRun: true, anyDay: true }));
  return { ms: Math.round(performance.now() - started), counts, total: Object.values(counts).reduce((a, b) => a + b, 0), people: result.reminders.length, tasks: result.reminders.reduce((n, r) => n + r.tasks.length, 0) };
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

console.log(`# graph-scale — ${new Date().toISOString().slice(0, 10)} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);

const SECTIONS = (process.env.BENCH_SECTIONS ?? '1,3,4').split(',');

// 1 and 2: 5 lists x 10,000 items, 200 role holders; the bot side from dist/ in its own process.
if (SECTIONS.includes('1')) {
  const e = await emulatorProcess(5, 10_000, 200);
  const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-bench-'));
  const planPath = join(stateDir, 'plan.json');
  const caFile = join(stateDir, 'ca.pem');
  writeFileSync(planPath, JSON.stringify(e.plan));
  writeFileSync(caFile, e.cert);
  const worker = async (sweeps: number) => {
    const child = spawn(process.execPath, ['--expose-gc', 'bench/sweep-worker.mjs', e.baseUrl, caFile, planPath, stateDir, String(sweeps)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout! })) lines.push(line);
    return lines.map((l) => JSON.parse(l) as { ms: number; counts: Record<string, number>; people: number; tasks: number; rssMB: number; heapMB: number });
  };
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const [cold, steady] = await worker(2);
  const [nextDay] = await worker(1);
  const minimum = 5 * 2 + 3; // pages + Roles list + site user list + site lookup
  console.log('');
  console.log('| sweep of 5 lists x 10,000 items, 200 people (bot from dist/, emulator in another process) | Graph requests | by kind | minimum | ms | bot RSS MB | bot heap MB |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| first ever (no state: every person read once, in $batch) | ${total(cold!.counts)} | ${JSON.stringify(cold!.counts)} | ${minimum} + ${Math.ceil(200 / 20)} people batches = ${minimum + 10} | ${cold!.ms} | ${cold!.rssMB} | ${cold!.heapMB} |`);
  console.log(`| again in the same process, nothing changed | ${total(steady!.counts)} | ${JSON.stringify(steady!.counts)} | 5 lists (Roles read a minute ago) | ${steady!.ms} | ${steady!.rssMB} | ${steady!.heapMB} |`);
  console.log(`| a new process, nothing changed (saved delta links, people, site) | ${total(nextDay!.counts)} | ${JSON.stringify(nextDay!.counts)} | 6 lists (5 + Roles) | ${nextDay!.ms} | ${nextDay!.rssMB} | ${nextDay!.heapMB} |`);
  e.child.kill('SIGTERM');
}

// 3: 12,000 items under SharePoint-like throttling.
if (SECTIONS.includes('3')) {
  const e = await emulatorProcess(3, 4000, 40);
  const plain = await sweep(await core(e));
  await e.control('throttle', { budget: 10, windowSeconds: 1 });
  const before = await stats(e);
  const throttled = await sweep(await core(e));
  const after = await stats(e);
  await e.control('throttle', {});
  console.log('');
  console.log('| sweep of 12,000 items (3 lists, 40 people) | Graph requests | ms | reminders (people / task lines) | refused 429 | requests before Retry-After |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| unthrottled | ${plain.total} | ${plain.ms} | ${plain.people} / ${plain.tasks} | 0 | 0 |`);
  console.log(`| SharePoint-like throttling (10 requests/s, then the app is refused until the window ends) | ${throttled.total} | ${throttled.ms} | ${throttled.people} / ${throttled.tasks} | ${after.throttle.refused - before.throttle.refused} | ${after.throttle.ignoredRetryAfter} |`);
  e.child.kill('SIGTERM');
}

// 4: 50 people clicking at once on a 50,000-task plan, over HTTP.
if (SECTIONS.includes('4')) {
  const e = await emulatorProcess(5, 10_000, 200);
  const c = await core(e);
  const { handleMessages } = createConversation(c);
  const server = await startBotServer({ handleMessages, host: '127.0.0.1', port: 0, log: silentLogger });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  const connectorChild = spawn(process.execPath, ['--import', 'tsx', 'bench/connector-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const connector = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: connectorChild.stdout! }).once('line', resolve))) as { url: string };
  const people = Array.from({ length: 50 }, (_, p) => ({ id: `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`, name: `Person ${p}` }));
  const activity = (p: (typeof people)[number], extra: Record<string, unknown>) => ({
    channelId: 'msteams', serviceUrl: connector.url, conversation: { id: `a:chat-${p.id}`, conversationType: 'personal', tenantId: c.deps.tenantId },
    from: { id: `29:${p.id}`, name: p.name, aadObjectId: p.id }, recipient: { id: '28:planpulse', name: 'PlanPulse' }, channelData: { tenant: { id: c.deps.tenantId } }, ...extra,
  });
  const post = async (body: unknown) => {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return performance.now() - t0;
  };
  for (const p of people) await post(activity(p, { type: 'installationUpdate', action: 'add' }));
  await c.graph.run('warm-up', () => runReminders(c.deps, { dryRun: true, anyDay: true })); // the morning sweep has run
  const roles = await c.deps.roles.load();
  const ROUNDS = 3;
  const round = async (name: string, body: (p: (typeof people)[number], i: number, owned: Task[]) => unknown) => {
    const times: number[] = [];
    let requests = 0;
    for (let r = 0; r < ROUNDS; r++) {
      // Each round clicks on the tasks as they are now (a save changes its task's eTag).
      const owned = await Promise.all(people.map(async (p) => (await c.deps.tasks.tasksOwnedBy(p.id, roles))[0]!));
      const before = (await stats(e)).requests;
      times.push(...(await Promise.all(people.map((p, i) => post(body(p, i, owned))))));
      requests += (await stats(e)).requests - before;
    }
    return `| ${name} | ${Math.round(quantile(times, 0.5))} | ${Math.round(quantile(times, 0.95))} | ${Math.round(Math.max(...times))} | ${(requests / times.length).toFixed(2)} |`;
  };
  console.log('');
  console.log(`| 50 people at once, 50,000-task plan, over HTTP (${ROUNDS} rounds of 50 each) | p50 ms | p95 ms | max ms | Graph requests per action |`);
  console.log('|---|---|---|---|---|');
  console.log(await round('my tasks', (p, i) => activity(p, { type: 'message', id: `m-${p.id}-${Math.random()}`, text: 'my tasks' })));
  console.log(await round('save (note) from the card', (p, i, owned) => activity(p, { type: 'invoke', name: 'adaptiveCard/action', id: `i-${p.id}-${Math.random()}`, replyToId: `card-${i}`, value: { action: { type: 'Action.Execute', verb: 'saveUpdate', data: { listKey: owned[i]!.listKey, itemId: owned[i]!.itemId, eTag: owned[i]!.eTag, note: `Progress ${i} ${Math.random()}` } }, trigger: 'manual' } })));
  console.log(await round('history', (p, i, owned) => activity(p, { type: 'message', id: `h-${p.id}-${Math.random()}`, text: `history ${owned[i]!.ref}` })));
  // 200 different saves at once (issue 11's figure): each person saves a note on one of their own tasks.
  const everyone = Array.from({ length: 200 }, (_, p) => ({ id: `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`, name: `Person ${p}` }));
  for (const p of everyone.slice(50)) await post(activity(p, { type: 'installationUpdate', action: 'add' }));
  const theirs = await Promise.all(everyone.map(async (p) => (await c.deps.tasks.tasksOwnedBy(p.id, roles))[0]!));
  const before200 = (await stats(e)).requests;
  const saves = await Promise.all(everyone.map((p, i) => post(activity(p, { type: 'invoke', name: 'adaptiveCard/action', id: `s-${p.id}`, replyToId: `card-${i}`, value: { action: { type: 'Action.Execute', verb: 'saveUpdate', data: { listKey: theirs[i]!.listKey, itemId: theirs[i]!.itemId, eTag: theirs[i]!.eTag, note: `Two hundred ${i}` } }, trigger: 'manual' } }))));
  console.log(`| 200 different saves at once | ${Math.round(quantile(saves, 0.5))} | ${Math.round(quantile(saves, 0.95))} | ${Math.round(Math.max(...saves))} | ${(((await stats(e)).requests - before200) / 200).toFixed(2)} |`);
  global.gc?.();
  console.log(`\nRSS of the bot process after the clicks: ${mb()} MB`);
  server.closeAllConnections();
  server.close();
  connectorChild.kill('SIGTERM');
  e.child.kill('SIGTERM');
}
process.exit(0);
