/**
 * Benchmark: proactive card sends through the real Bot Framework adapter and PlanPulse's ReliableMessenger to a
 * local connector that enforces Teams' limits. Reports the achieved rate against Teams' 50 requests/second/app
 * ceiling and the busiest second seen by the connector. Run with `npm run bench`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageCard } from '../src/app/cards/views.js';
import { parseEnv } from '../src/config/env.js';
import { silentLogger } from '../src/app/log.js';
import { ConversationStore } from '../src/app/conversations.js';
import { FileStore } from '../src/adapters/state/file-store.js';
import { botbuilderEdge } from '../src/adapters/teams-botbuilder/adapter.js';
import { ReliableMessenger } from '../src/app/delivery.js';
import { FakeConnector } from '../test/helpers/connector.js';

const COUNT = Number(process.env.BENCH_SENDS ?? 300);
const connector = await new FakeConnector({ enforceLimits: true }).start();
const store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-bench-')));
const messenger = new ReliableMessenger(botbuilderEdge({ appType: parseEnv({}).MICROSOFT_APP_TYPE }, silentLogger).messenger, new ConversationStore(store), silentLogger);
const card = messageCard('Reminder', 'Three tasks need you: AFI1-T3 is 12 days overdue.');
const started = performance.now();
await Promise.all(
  Array.from({ length: COUNT }, (_, i) =>
    messenger.sendCard({ tenantId: 't', aadObjectId: `aad-${i}`, userId: `29:${i}`, conversationId: `a:chat-${i}`, serviceUrl: connector.url, channelId: 'msteams', botId: '28:b', updatedAt: '' }, card, 'Reminder'),
  ),
);
const seconds = (performance.now() - started) / 1000;
const perSecond = new Map<number, number>();
for (const c of connector.sent()) perSecond.set(Math.floor(c.at! / 1000), (perSecond.get(Math.floor(c.at! / 1000)) ?? 0) + 1);
console.log(`# send-rate — ${new Date().toISOString().slice(0, 10)} — ${COUNT} cards to ${COUNT} chats`);
console.log(`| delivered | seconds | cards/s | busiest second at the connector | throttled (429) |`);
console.log(`|---|---|---|---|---|`);
console.log(`| ${connector.sent().length} | ${seconds.toFixed(1)} | ${(connector.sent().length / seconds).toFixed(1)} | ${Math.max(...perSecond.values())} | ${connector.throttled.length} |`);
await connector.stop();
