#!/usr/bin/env node
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, isLocalMode, parseEnv, type Env } from './config/env.js';
import { emulatorPaths } from './local/local-graph.js';
import { startPlayground } from './local/playground.js';
import { createLogger } from './log.js';
import { startBotServer } from './server.js';
import { createCore, createTeamsEdge } from './services.js';

const USAGE = `planpulse — reminders, updates and QA for SharePoint improvement plans, in Microsoft Teams

Usage: planpulse <command> [options]

Commands:
  start [--reset-demo] [--no-playground]
        Run the bot. With no Microsoft credentials this is LOCAL MODE: the Graph emulator seeded with the demo
        plans, the bot on http://127.0.0.1:3978/api/messages and the Agents Playground on http://127.0.0.1:56150.
        --reset-demo re-seeds the demo data; --no-playground skips the Playground.
  remind [--dry-run] [--any-day]
        Send each owner one card with their overdue / due-soon / no-evidence / stale tasks. Nobody is sent two
        reminders on the same day, and nothing is sent on weekends or England & Wales bank holidays.
        --dry-run prints who would get which tasks and why, and sends nothing.
        --any-day sends even on a weekend or bank holiday.
  help  This text.

Configuration comes from the environment (and ./.env); see .env.example.`;

function banner(env: Env): string {
  return [
    '',
    '  ┌─────────────────────────────────────────────────────────────────────┐',
    '  │  PlanPulse — LOCAL MODE. No Microsoft service is contacted.        │',
    '  │  SharePoint is the local Graph emulator with the demo plans.       │',
    '  └─────────────────────────────────────────────────────────────────────┘',
    `  Graph emulator:    https://127.0.0.1:${env.GRAPH_EMULATOR_PORT}/v1.0   (data: ${emulatorPaths(env).data})`,
    `  Bot endpoint:      http://127.0.0.1:${env.PORT}/api/messages`,
  ].join('\n');
}

async function start(env: Env, flags: { 'reset-demo'?: boolean; 'no-playground'?: boolean }): Promise<void> {
  const log = createLogger(env.LOG_LEVEL);
  const local = isLocalMode(env);
  if (local && flags['reset-demo']) rmSync(emulatorPaths(env).data, { force: true });
  const core = await createCore(env, log);
  const edge = createTeamsEdge(env, core, log);
  const host = local ? '127.0.0.1' : env.HOST ?? '0.0.0.0';
  const server = await startBotServer({ handleMessages: edge.handleMessages, host, port: env.PORT, log });
  let playground: Awaited<ReturnType<typeof startPlayground>> | undefined;
  if (local) {
    console.log(banner(env));
    if (!flags['no-playground']) {
      playground = await startPlayground({ port: env.PLAYGROUND_PORT, botEndpoint: `http://127.0.0.1:${env.PORT}/api/messages`, workDir: resolve(env.STATE_DIR, 'playground') });
      console.log(`  Agents Playground: http://127.0.0.1:${env.PLAYGROUND_PORT}   ← open this in your browser`);
    }
    console.log(['', '  In the Playground you are Alex Wilber, who owns demo tasks. Type "my tasks", or "remind" to send', '  today\'s reminders now. From another terminal: npx planpulse remind --dry-run', '  Stop with Ctrl+C.', ''].join('\n'));
  } else {
    log.info({ host, port: env.PORT }, 'PlanPulse listening');
  }
  const stop = async () => {
    playground?.kill();
    server.closeAllConnections();
    server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function remind(env: Env, options: { dryRun: boolean; anyDay: boolean }): Promise<void> {
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  if (isLocalMode(env)) console.error('PlanPulse local mode: using the Graph emulator and demo data.');
  const core = await createCore(env, log);
  try {
    const edge = createTeamsEdge(env, core, log);
    const report = await edge.remind(options);
    console.log(edge.formatRemindReport(report));
    if (report.reminders.some((r) => r.outcome.startsWith('failed'))) process.exitCode = 1;
  } finally {
    await core.close();
  }
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: { 'dry-run': { type: 'boolean' }, 'any-day': { type: 'boolean' }, 'reset-demo': { type: 'boolean' }, 'no-playground': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  switch (command) {
    case 'start':
      return start(env, values);
    case 'remind':
      return remind(env, { dryRun: values['dry-run'] ?? false, anyDay: values['any-day'] ?? false });
    default:
      throw new ConfigError([`unknown command "${command}". Run: planpulse help`]);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `planpulse: ${(error as Error).message}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
