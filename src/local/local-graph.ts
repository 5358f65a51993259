import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Agent } from 'undici';
import type { Env } from '../config/env.js';
import { localDateOf } from '../domain/dates.js';
import type { Logger } from '../app/log.js';
import { buildDemoData } from './demo-data/seed.js';
import { GraphEmulator, loadEmulatorData } from './graph-emulator/server.js';

export interface LocalGraph {
  baseUrl: string;
  caCertificate: string;
  /** Set when this process runs the emulator (rather than using one already running). */
  emulator?: GraphEmulator;
  stop(): Promise<void>;
}

export function emulatorPaths(env: Env) {
  const dir = resolve(env.STATE_DIR, 'graph-emulator');
  return { dir, data: join(dir, 'data.json'), cert: join(dir, 'cert.pem') };
}

async function runningEmulator(env: Env): Promise<LocalGraph | undefined> {
  const paths = emulatorPaths(env);
  if (!existsSync(paths.cert)) return undefined;
  const caCertificate = readFileSync(paths.cert, 'utf8');
  const origin = `https://127.0.0.1:${env.GRAPH_EMULATOR_PORT}`;
  const dispatcher = new Agent({ connect: { ca: caCertificate } });
  try {
    const res = await fetch(`${origin}/_emulator/health`, { dispatcher, signal: AbortSignal.timeout(1500) } as RequestInit);
    if (!res.ok) return undefined;
    return { baseUrl: `${origin}/v1.0`, caCertificate, stop: async () => dispatcher.close() };
  } catch {
    await dispatcher.close();
    return undefined;
  }
}

/**
 * The local stand-in for Microsoft Graph: reuses the emulator `npm start` is running, or starts one in this process
 * from the saved demo data (seeding it from the registers on first use). Demo edits are saved to STATE_DIR.
 */
export async function ensureLocalGraph(env: Env, log: Logger, options: { reset?: boolean } = {}): Promise<LocalGraph> {
  if (!options.reset) {
    const running = await runningEmulator(env);
    if (running) {
      log.debug({ baseUrl: running.baseUrl }, 'using the running Graph emulator');
      return running;
    }
  }
  const paths = emulatorPaths(env);
  mkdirSync(paths.dir, { recursive: true });
  const saved = options.reset ? undefined : loadEmulatorData(paths.data);
  const data = saved ?? buildDemoData(localDateOf(new Date(), env.TIME_ZONE), env.TIME_ZONE);
  const emulator = new GraphEmulator({ data, port: env.GRAPH_EMULATOR_PORT, persistPath: paths.data, webBase: `http://127.0.0.1:${env.PORT}/local` });
  try {
    await emulator.start();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`Port ${env.GRAPH_EMULATOR_PORT} is in use by something that is not the PlanPulse Graph emulator. Stop it or set GRAPH_EMULATOR_PORT.`);
    throw e;
  }
  if (!saved) writeFileSync(paths.data, JSON.stringify(data));
  writeFileSync(paths.cert, emulator.certificate);
  log.debug({ baseUrl: emulator.baseUrl, seeded: !saved }, 'started the Graph emulator');
  return { baseUrl: emulator.baseUrl, caCertificate: emulator.certificate, emulator, stop: () => emulator.stop() };
}
