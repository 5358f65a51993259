/**
 * Benchmark: a reminder run's proactive card sends through each Teams SDK's real adapter and PlanPulse's delivery
 * policy, to a local connector that enforces Teams' limits (7/s and 60/30 s per chat, 50/s per app) and answers 429
 * past them. Reports the achieved rate against Teams' 50 requests/second/app ceiling, the busiest second seen by the
 * connector and how often Teams had to refuse. Run with `npm run bench` (BENCH_SENDS sets the number of owners).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentsEdge } from '../src/adapters/teams-agents/adapter.js';
import { botbuilderEdge } from '../src/adapters/teams-botbuilder/adapter.js';
import { FileStore } from '../src/adapters/state/file-store.js';
import { messageCard } from '../src/app/cards/views.js';
import { ConversationStore } from '../src/app/conversations.js';
import { ReliableMessenger } from '../src/app/delivery.js';
import { silentLogger } from '../src/app/log.js';
import { parseEnv } from '../src/config/env.js';
import { FakeConnector } from '../test/helpers/connector.js';

const COUNT = Number(process.env.BENCH_SENDS ?? 2000);
const settings = { appType: parseEnv({}).MICROSOFT_APP_TYPE };
const card = messageCard('Reminder', 'Three tasks need you: AFI1-T3 is 12 days overdue.');

console.log(`# send-rate — ${new Date().toISOString().slice(0, 10)} — ${COUNT} cards to ${COUNT} chats`);
console.log(`| Teams SDK | delivered | seconds | cards/s | busiest second at the connector | throttled (429) |`);
console.log(`|---|---|---|---|---|---|`);
for (const [sdk, edge] of [['botbuilder', botbuilderEdge(settings, silentLogger)], ['Agents SDK', agentsEdge(settings, silentLogger)]] as const) {
  const connector = await new FakeConnector({ enforceLimits: true }).start();
  const messenger = new ReliableMessenger(edge.messenger, new ConversationStore(new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-bench-')))), silentLogger);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: COUNT }, (_, i) =>
      messenger.sendCard({ tenantId: 't', aadObjectId: `aad-${i}`, userId: `29:${i}`, conversationId: `a:chat-${i}`, serviceUrl: connector.url, channelId: 'msteams', botId: '28:b', updatedAt: '' }, card, 'Reminder'),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const perSecond = new Map<number, number>();
  for (const c of connector.sent()) perSecond.set(Math.floor(c.at! / 1000), (perSecond.get(Math.floor(c.at! / 1000)) ?? 0) + 1);
  console.log(`| ${sdk} | ${connector.sent().length} | ${seconds.toFixed(1)} | ${(connector.sent().length / seconds).toFixed(1)} | ${Math.max(...perSecond.values())} | ${connector.throttled.length} |`);
  await connector.stop();
}
process.exit(0);
