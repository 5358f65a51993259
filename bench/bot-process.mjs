// The bot for the click benchmark, run from the production build (dist/) in a process of its own: its CPU and
// memory are the bot's alone, as in production (the clients, the emulator and the connector are other processes).
// Reads the plan once as the morning sweep would, then listens and prints one JSON line with its URL.
import { readFileSync } from 'node:fs';
import { silentLogger } from '../dist/app/log.js';
import { parseEnv } from '../dist/config/env.js';
import { runReminders } from '../dist/features/reminders/remind.js';
import { createConversation, createCore } from '../dist/main/compose.js';
import { startBotServer } from '../dist/main/server.js';

const [baseUrl, caFile, planPath, stateDir] = process.argv.slice(2);
const env = parseEnv({ STATE_DIR: stateDir, PLAN_CONFIG: planPath, LOG_LEVEL: 'silent', GRAPH_MAX_WAIT_SECONDS: '600' });
const core = await createCore(env, silentLogger, { graph: { baseUrl, caCertificate: readFileSync(caFile, 'utf8') } });
await core.graph.run('warm-up', () => runReminders(core.deps, { dryRun: true, anyDay: true }));
const { handleMessages } = createConversation(core);
const server = await startBotServer({ handleMessages, host: '127.0.0.1', port: 0, log: silentLogger });
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/api/messages`, tenantId: core.deps.tenantId })}\n`);
process.on('SIGTERM', () => process.exit(0));
