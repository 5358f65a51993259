import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../src/config/env.js';
import type { Clock } from '../../src/app/ports.js';
import type { Task } from '../../src/domain/task.js';
import type { StoredItem } from '../../src/local/graph-emulator/model.js';
import { localDateOf } from '../../src/domain/dates.js';
import { buildDemoData } from '../../src/local/demo-data/seed.js';
import { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import { silentLogger } from '../../src/app/log.js';
import { startBotServer } from '../../src/main/server.js';
import { createConversation, createCore } from '../../src/main/compose.js';

export const TZ = 'Europe/London';
/** A fixed "now" so rules and dates are reproducible: Monday 23 Nov 2026, 09:00 in London. */
export const NOW = new Date('2026-11-23T09:00:00Z');
export const fixedClock: Clock = { now: () => NOW };

export async function startDemoEmulator(today = localDateOf(NOW, TZ)): Promise<GraphEmulator> {
  return new GraphEmulator({ data: buildDemoData(today, TZ) }).start();
}

export interface BotHarness {
  emulator: GraphEmulator;
  url: string;
  stateDir: string;
  core: Awaited<ReturnType<typeof createCore>>;
  edge: ReturnType<typeof createConversation>;
  /** The task with this reference as the bot reads it now (with its current eTag, as a fresh card would carry). */
  task(ref: string): Promise<Task>;
  /** The raw emulator item, copied, to compare before and after an action. */
  item(listName: string, id: string): StoredItem;
  stop(): Promise<void>;
}

/** The real bot (local mode, no credentials) over HTTP on a free port, reading the Graph emulator over HTTPS. */
export async function startBot(extraEnv: Record<string, string> = {}, options: Pick<Parameters<typeof createCore>[2] & object, 'signingKeys'> = {}): Promise<BotHarness> {
  const emulator = await startDemoEmulator();
  const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-test-'));
  const env = parseEnv({ STATE_DIR: stateDir, LOG_LEVEL: 'silent', ...extraEnv });
  const core = await createCore(env, silentLogger, { graph: { baseUrl: emulator.baseUrl, caCertificate: emulator.certificate }, clock: fixedClock, ...options });
  const edge = createConversation(core);
  const server: Server = await startBotServer({ handleMessages: edge.handleMessages, host: '127.0.0.1', port: 0, log: silentLogger });
  return {
    emulator,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    stateDir,
    core,
    edge,
    task: async (ref) => {
      const found = (await core.deps.tasks.allTasks()).find((t) => t.ref === ref);
      if (!found) throw new Error(`No task ${ref}`);
      return found;
    },
    item: (listName, id) => structuredClone(emulator.model.item(emulator.model.list(emulator.model.data.sites[0]!, listName), id)),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await emulator.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
