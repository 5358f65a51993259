/**
 * Benchmark for issue 10 — Graph at tenant scale. The emulator runs in its own process (bench/emulator-process.ts),
 * so the memory figures are the bot's alone. Each section builds PlanPulse's real composition (createCore) against it:
 *   1. full sweep of 5 lists x 10,000 items: Graph requests vs the minimum, time, RSS;
 *   2. the same sweep again with nothing changed (delta): requests = lists;
 *   3. a 12,000-item sweep under SharePoint-like throttling vs unthrottled: exact counts, requests before Retry-After;
 *   4. people clicking at once on a 50,000-task plan (my tasks, save, history; 200 different saves) over the bot's
 *      HTTP endpoint, the bot from dist/ in its own process (bench/bot-process.mjs) and the Bot Framework connector
 *      in another (bench/connector-process.ts).
 * Run with `npm run bench`. BENCH_SECTIONS=4 runs one section; BENCH_BOT_PROFILE=1 / BENCH_EMU_PROFILE=1 write CPU profiles of
 * the bot / the emulator process to /tmp/prof (open them in Chrome DevTools).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { silentLogger } from '../src/app/log.js';
import { parseEnv } from '../src/config/env.js';
import type { PlanConfig } from '../src/config/plan.js';
import type { Task } from '../src/domain/task.js';
import { runReminders } from '../src/features/reminders/remind.js';
import { createCore } from '../src/main/compose.js';

interface Emulator {
  child: ChildProcess;
  baseUrl: string;
  cert: string;
  plan: PlanConfig;
  control(path: string, body?: unknown): Promise<unknown>;
}

async function emulatorProcess(lists: number, items: number, people: number): Promise<Emulator> {
  const child = started(spawn(process.execPath, ['--max-old-space-size=4096', ...(process.env.BENCH_EMU_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--import', 'tsx', 'bench/emulator-process.ts', String(lists), String(items), String(people)], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const line = await firstLine(child);
  const { port, cert, plan } = JSON.parse(line) as { port: number; cert: string; plan: PlanConfig };
  const dispatcher = new Agent({ connect: { ca: cert } });
  const control = async (path: string, body?: unknown) => {
    const res = await fetch(`https://127.0.0.1:${port}/_emulator/${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body), dispatcher } as RequestInit);
    return res.status === 204 ? undefined : res.json();
  };
  return { child, baseUrl: `https://127.0.0.1:${port}/v1.0`, cert, plan, control };
}

/** A state folder with the plan config and the emulator's CA, for a bot-side child process to start from. */
function filesForChildren(e: Emulator): { stateDir: string; planPath: string; caFile: string } {
  const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-bench-'));
  const planPath = join(stateDir, 'plan.json');
  const caFile = join(stateDir, 'ca.pem');
  writeFileSync(planPath, JSON.stringify(e.plan));
  writeFileSync(caFile, e.cert);
  return { stateDir, planPath, caFile };
}

/** The first line a child process prints: how each one says it is ready. */
const firstLine = (child: ChildProcess) => new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));

const stats = async (e: Emulator) => (await e.control('stats')) as { requests: number; throttle: { refused: number; ignoredRetryAfter: number } };

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
// Child processes never outlive the benchmark, whatever stops it.
const children: ChildProcess[] = [];
const started = (child: ChildProcess) => (children.push(child), child);
process.on('exit', () => children.forEach((c) => c.kill('SIGTERM')));
process.on('uncaughtException', (e) => (console.error(e), process.exit(1)));
process.on('unhandledRejection', (e) => (console.error(e), process.exit(1)));

// 1 and 2: 5 lists x 10,000 items, 200 role holders; the bot side from dist/ in its own process.
if (SECTIONS.includes('1')) {
  const e = await emulatorProcess(5, 10_000, 200);
  const { stateDir, planPath, caFile } = filesForChildren(e);
  const worker = async (sweeps: number) => {
    const child = started(spawn(process.execPath, ['--expose-gc', 'bench/sweep-worker.mjs', e.baseUrl, caFile, planPath, stateDir, String(sweeps)], { stdio: ['ignore', 'pipe', 'inherit'] }));
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

// 4: 50 people clicking at once on a 50,000-task plan, over HTTP. The bot runs from dist/ in its own process.
if (SECTIONS.includes('4')) {
  const e = await emulatorProcess(5, 10_000, 200);
  const { stateDir, planPath, caFile } = filesForChildren(e);
  const connectorChild = started(spawn(process.execPath, ['--import', 'tsx', 'bench/connector-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const connector = JSON.parse(await firstLine(connectorChild)) as { url: string };
  const botChild = started(spawn(process.execPath, [...(process.env.BENCH_BOT_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'bench/bot-process.mjs', e.baseUrl, caFile, planPath, join(stateDir, 'bot')], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const { url, tenantId } = JSON.parse(await firstLine(botChild)) as { url: string; tenantId: string };
  // The bench's own view of the plan (to know which task each person clicks on), read outside the timed parts.
  const c = await core(e);
  const roles = await c.deps.roles.load();
  const people = Array.from({ length: 200 }, (_, p) => ({ id: `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`, name: `Person ${p}` }));
  const activity = (p: (typeof people)[number], extra: Record<string, unknown>) => ({
    channelId: 'msteams', serviceUrl: connector.url, conversation: { id: `a:chat-${p.id}`, conversationType: 'personal', tenantId },
    from: { id: `29:${p.id}`, name: p.name, aadObjectId: p.id }, recipient: { id: '28:planpulse', name: 'PlanPulse' }, channelData: { tenant: { id: tenantId } }, ...extra,
  });
  const post = async (body: unknown) => {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return performance.now() - t0;
  };
  for (const p of people) await post(activity(p, { type: 'installationUpdate', action: 'add' }));
  // Each person's first task as it is now (a save changes its eTag), read fresh from the list.
  const first = await Promise.all(people.map(async (p) => (await c.deps.tasks.tasksOwnedBy(p.id, roles))[0]!));
  const current = () => Promise.all(first.map(async (t) => (await c.deps.tasks.getTask(t))!));
  const save = (p: (typeof people)[number], i: number, t: Task, note: string) =>
    activity(p, { type: 'invoke', name: 'adaptiveCard/action', id: `i-${p.id}-${Math.random()}`, replyToId: `card-${i}`, value: { action: { type: 'Action.Execute', verb: 'saveUpdate', data: { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, note } }, trigger: 'manual' } });
  const timed = async (count: number, body: (p: (typeof people)[number], i: number, owned: Task[]) => unknown, rounds = 3) => {
    const times: number[] = [];
    let requests = 0;
    for (let r = 0; r < rounds; r++) {
      const owned = await current();
      const before = (await stats(e)).requests;
      times.push(...(await Promise.all(people.slice(0, count).map((p, i) => post(body(p, i, owned))))));
      requests += (await stats(e)).requests - before;
    }
    return { p50: Math.round(quantile(times, 0.5)), p95: Math.round(quantile(times, 0.95)), max: Math.round(Math.max(...times)), perAction: (requests / times.length).toFixed(2) };
  };
  const row = (name: string, r: Awaited<ReturnType<typeof timed>>) => `| ${name} | ${r.p50} | ${r.p95} | ${r.max} | ${r.perAction} |`;
  console.log('');
  console.log('| people clicking at once on a 50,000-task plan, over HTTP (bot from dist/ in its own process; 3 rounds each) | p50 ms | p95 ms | max ms | Graph requests per action |');
  console.log('|---|---|---|---|---|');
  console.log(row('50 × my tasks', await timed(50, (p) => activity(p, { type: 'message', id: `m-${p.id}-${Math.random()}`, text: 'my tasks' }))));
  console.log(row('50 × save (note) from the card', await timed(50, (p, i, owned) => save(p, i, owned[i]!, `Progress ${i} ${Math.random()}`))));
  console.log(row('50 × history', await timed(50, (p, i, owned) => activity(p, { type: 'message', id: `h-${p.id}-${Math.random()}`, text: `history ${owned[i]!.ref}` }))));
  // Issue 11's figure: 200 different people each saving a note on one of their own tasks, all at once.
  console.log(row('200 × different saves at once', await timed(200, (p, i, owned) => save(p, i, owned[i]!, `Two hundred ${i} ${Math.random()}`))));
  const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(botChild.pid)], { encoding: 'utf8' }).trim());
  console.log(`\nRSS of the bot process after the clicks: ${Math.round((rss * 1024) / 1e6)} MB`);
  botChild.kill('SIGTERM');
  connectorChild.kill('SIGTERM');
  e.child.kill('SIGTERM');
}
process.exit(0);
