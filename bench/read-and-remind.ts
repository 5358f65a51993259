/**
 * Benchmark: reading large plan lists through the Graph client from the emulator over HTTPS, grouping reminders and
 * rendering the cards. Reports Graph requests used against the minimum (ceil(items / 5000) pages per list), time and
 * memory. Run with `npm run bench`; record results in BENCHMARKS.md with the machine and date.
 */
import { cpus, totalmem } from 'node:os';
import { parsePlanConfig } from '../src/config/plan.js';
import { groupReminders } from '../src/domain/reminders.js';
import { RoleDirectory } from '../src/domain/roles.js';
import { taskListCard } from '../src/app/cards/views.js';
import { cardBytes } from '../src/app/cards/templates.js';
import { GraphEmulator } from '../src/local/graph-emulator/server.js';
import { createGraphClient } from '../src/adapters/sharepoint/graph-client.js';
import { SharePointTaskRepository } from '../src/adapters/sharepoint/task-repository.js';

const TZ = 'Europe/London';
const TODAY = '2026-11-23';
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const ROLES = Array.from({ length: 200 }, (_, i) => `Role ${i}`);
const STATUSES = ['Yet to Start', 'On Target', 'Behind Target', 'Complete'];

async function run(items: number) {
  const emulator = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
  const site = emulator.model.createSite('bench.example', '/sites/Bench', 'Bench');
  const list = emulator.model.createList(site, {
    displayName: 'Actions',
    columns: [{ name: 'ActionRef' }, { name: 'OwnerRole' }, { name: 'Status' }, { name: 'DueDate', dateTime: { format: 'dateOnly' } }, { name: 'EvidenceLink' }, { name: 'LastUpdate', dateTime: { format: 'dateTime' } }],
  });
  for (let i = 0; i < items; i++) {
    const day = new Date(Date.UTC(2026, 6, 1) + (i % 300) * 86_400_000).toISOString();
    emulator.model.createItem(list, { Title: `Improvement task ${i} with a realistic length of title text`, ActionRef: `R${i}`, OwnerRole: ROLES[i % ROLES.length], Status: STATUSES[i % 4], DueDate: day, LastUpdate: day });
  }
  const config = parsePlanConfig({ lists: [{ key: 'bench', site: 'bench.example:/sites/Bench', list: 'Actions', plan: 'Bench', columns: { ownerRole: 'OwnerRole', evidenceLink: 'EvidenceLink', lastUpdate: 'LastUpdate' } }] }, 'bench');
  const repo = new SharePointTaskRepository(createGraphClient({ baseUrl: emulator.baseUrl, caCertificate: emulator.certificate }), config, TZ);
  const roles = new RoleDirectory(ROLES.map((role, i) => ({ role, people: [{ aadObjectId: `p${i}`, displayName: `Person ${i}` }], deputies: [], planLead: false })));

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const before = emulator.requests.length;
  const t0 = performance.now();
  const tasks = await repo.allTasks();
  const t1 = performance.now();
  const heapAfterRead = process.memoryUsage().heapUsed;
  const { reminders } = groupReminders(tasks, roles, TODAY, { dueSoonDays: 14, staleDays: 30 }, TZ);
  const t2 = performance.now();
  let maxBytes = 0;
  for (const r of reminders) maxBytes = Math.max(maxBytes, cardBytes(taskListCard({ heading: 'Good morning', tasks: r.tasks, today: TODAY })));
  const t3 = performance.now();
  const requests = emulator.requests.length - before;
  await emulator.stop();
  return {
    items,
    requests,
    minimum: Math.ceil(items / 5000) + 1, // pages + the one-off site lookup
    readMs: Math.round(t1 - t0),
    groupMs: Math.round(t2 - t1),
    cardsMs: Math.round(t3 - t2),
    people: reminders.length,
    largestCardBytes: maxBytes,
    heapForTasksMB: Math.round((heapAfterRead - heapBefore) / 1e6),
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
  };
}

console.log(`# read-and-remind — ${new Date().toISOString().slice(0, 10)} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
console.log('| items | Graph requests (min) | read ms | group ms | render cards ms | people | largest card bytes | heap for tasks MB | RSS MB |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const size of SIZES) {
  const r = await run(size);
  console.log(`| ${r.items} | ${r.requests} (${r.minimum}) | ${r.readMs} | ${r.groupMs} | ${r.cardsMs} | ${r.people} | ${r.largestCardBytes} | ${r.heapForTasksMB} | ${r.rssMB} |`);
}
