// The bot side of the sweep benchmark, run from the production build (dist/) in a process of its own, so its
// memory is the bot's alone: no emulator, no TypeScript loader. Prints one JSON line per sweep.
import { silentLogger } from '../dist/app/log.js';
import { parseEnv } from '../dist/config/env.js';
import { runReminders } from '../dist/features/reminders/remind.js';
import { createCore } from '../dist/main/compose.js';

const [baseUrl, caFile, planPath, stateDir, sweeps] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const env = parseEnv({ STATE_DIR: stateDir, PLAN_CONFIG: planPath, LOG_LEVEL: 'silent', GRAPH_MAX_WAIT_SECONDS: '600' });
const core = await createCore(env, silentLogger, { graph: { baseUrl, caCertificate: readFileSync(caFile, 'utf8') } });
for (let i = 0; i < Number(sweeps); i++) {
  const started = performance.now();
  // Only the figures are kept: the bot formats a report and lets it go, so memory is measured without it.
  const { counts, people, tasks } = await core.graph.run('sweep', async () => {
    const report = await runReminders(core.deps, { dryRun: true, anyDay: true });
    return { people: report.reminders.length, tasks: report.reminders.reduce((n, r) => n + r.tasks.length, 0) };
  }).then(({ result, counts }) => ({ counts, ...result }));
  const ms = Math.round(performance.now() - started);
  global.gc?.();
  process.stdout.write(`${JSON.stringify({ ms, counts, people, tasks, rssMB: Math.round(process.memoryUsage().rss / 1e6), heapMB: Math.round(process.memoryUsage().heapUsed / 1e6) })}\n`);
}
process.exit(0);
