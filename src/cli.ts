#!/usr/bin/env node
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, isLocalMode, parseEnv, type Env } from './config/env.js';
import { emulatorPaths } from './local/local-graph.js';
import { DEMO_PEOPLE } from './local/demo-data/people.js';
import { listViewer } from './local/list-viewer.js';
import { startPlayground } from './local/playground.js';
import { createLogger } from './log.js';
import { startBotServer } from './server.js';
import { createCore, createTeamsEdge, type Core } from './services.js';
import { formatRemindReport, runReminders } from './jobs/remind.js';
import { isJobName, JOB_NAMES, runJob } from './jobs/registry.js';
import { jobTask, scheduleOf, startScheduler } from './jobs/scheduler.js';
import { formatSampleRuns, runSampling } from './jobs/sample.js';
import { historyFor, historyRows } from './history.js';
import { formatImportReport, importRecords } from './import/import-plan.js';
import { detectPreset, PRESETS } from './import/presets.js';
import { readTable } from './import/read-table.js';
import { listsToProvision, provision } from './sharepoint/provision.js';
import { addRoleHolder } from './sharepoint/roles-admin.js';
import { buildAppPackage } from './teams/app-package.js';
import { formatChecks, validateSetup } from './validate.js';

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
  qa-nudge [--dry-run]
        Remind QA reviewers, one card each, of tasks awaiting QA longer than the plan allows.
  sample [--dry-run] [--seed TEXT]
        Draw the configured share of tasks approved at QA for second-line assurance, mark them Selected and send
        the assurers one card. The seed (default "<list>:<date>") is recorded so the draw can be reproduced.
  digest [--dry-run]
        Send the weekly leadership digest to the configured leaders and store this week's snapshot. --dry-run
        prints the committee table and the lists instead.
  history <ref>
        The last changes PlanPulse made to a task (from the Plan Updates list).
  provision [--dry-run]
        Create the Improvement Actions, Roles and Plan Updates lists the plan config names, with their columns and
        indexes. Safe to repeat: it only adds what is missing and never deletes or retypes a column.
  import <file.csv|file.xlsx> [--preset leicestershire|essex|west-midlands] [--plan NAME] [--list KEY] [--dry-run]
        Upsert a register into a list by ActionRef (re-importing the same file changes nothing). The preset is
        detected from the headings when not given. Unreadable dates are kept as text and reported, never guessed.
  roles [add <role> <person upn|email|object id>]
        List roles and who holds them, or add a person to a role.
  validate
        Check configuration, credentials, site and lists, mapped columns and types, status values, role coverage
        and that the bot and manifest agree. Exits 1 if anything fails, with the fix for each.
  package [--out FILE]
        Build the Teams app package (manifest.json + icons) to upload to Teams. Default build/planpulse-teams-app.zip.
  run <remind|qa-nudge|sample|digest|housekeeping> [--dry-run]
        Run one scheduled job now, exactly as the scheduler would.
  schedule
        When each job runs next, in TIME_ZONE (cron expressions from the plan config "schedule").
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
    `  The lists:         http://127.0.0.1:${env.PORT}/local   ← see your changes land`,
  ].join('\n');
}

async function start(env: Env, flags: { 'reset-demo'?: boolean; 'no-playground'?: boolean }): Promise<void> {
  const log = createLogger(env.LOG_LEVEL);
  const local = isLocalMode(env);
  if (local && flags['reset-demo']) rmSync(emulatorPaths(env).data, { force: true });
  const core = await createCore(env, log);
  const edge = createTeamsEdge(core);
  const host = local ? '127.0.0.1' : env.HOST ?? '0.0.0.0';
  const server = await startBotServer({ handleMessages: edge.handleMessages, host, port: env.PORT, log, local: core.local?.emulator && listViewer(core.local.emulator) });
  const scheduler = startScheduler(core.deps, core.plan.schedule, core.lock);
  const playgrounds: Awaited<ReturnType<typeof startPlayground>>[] = [];
  if (local) {
    console.log(banner(env));
    if (!flags['no-playground']) {
      // One Playground per person: Alex owns demo tasks, Lynne signs them off at QA.
      for (const [offset, person, role] of [[0, 0, 'task owner'], [1, 5, 'QA reviewer']] as const) {
        const port = env.PLAYGROUND_PORT + offset;
        playgrounds.push(await startPlayground({ port, botEndpoint: `http://127.0.0.1:${env.PORT}/api/messages`, workDir: resolve(env.STATE_DIR, `playground-${person}`), currentUserIndex: person }));
        console.log(`  Agents Playground: http://127.0.0.1:${port}   ← ${DEMO_PEOPLE[person]!.displayName}, ${role}`);
      }
    }
    console.log(['', '  Open the first Playground: you are Alex Wilber, who owns demo tasks. Type "my tasks", or "remind" to', '  send today\'s reminders now. Complete a task with an evidence link and Lynne Robbins gets it to sign off', '  in the second Playground. From another terminal: npx planpulse remind --dry-run', '  Stop with Ctrl+C.', ''].join('\n'));
  } else {
    log.info({ host, port: env.PORT }, 'PlanPulse listening');
  }
  const stop = async () => {
    for (const p of playgrounds) p.kill();
    await scheduler.stop();
    server.closeAllConnections();
    server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Runs one piece of work against the configured (or local demo) plans and prints what it did. */
async function withCore(env: Env, work: (core: Core) => Promise<string>): Promise<void> {
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  if (isLocalMode(env)) console.error('PlanPulse local mode: using the Graph emulator and demo data.');
  const core = await createCore(env, log);
  try {
    const waiting = await core.deps.audit.flush();
    if (waiting) console.error(`Warning: ${waiting} audit row(s) are still waiting to be written to the Plan Updates list.`);
    console.log(await work(core));
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
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: ['history', 'run', 'import', 'roles'].includes(command),
    options: { seed: { type: 'string' }, preset: { type: 'string' }, plan: { type: 'string' }, list: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'any-day': { type: 'boolean' }, 'reset-demo': { type: 'boolean' }, 'no-playground': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  const dryRun = values['dry-run'] ?? false;
  switch (command) {
    case 'start':
      return start(env, values);
    case 'remind':
      return withCore(env, async (core) => {
        const report = await runReminders(core.deps, { dryRun, anyDay: values['any-day'] ?? false });
        if (report.reminders.some((r) => r.outcome.startsWith('failed'))) process.exitCode = 1;
        return formatRemindReport(report);
      });
    case 'qa-nudge':
    case 'digest':
      return withCore(env, (core) => runJob(command, core.deps, { dryRun }));
    case 'provision':
      return withCore(env, async (core) => {
        const result = await provision(core.client, listsToProvision(core.plan), { dryRun });
        if (result.problems) process.exitCode = 1;
        return `${dryRun ? 'DRY RUN — nothing created.\n' : ''}${result.lines.join('\n')}`;
      });
    case 'import': {
      const file = positionals[0];
      if (!file) throw new ConfigError(['import needs a file: planpulse import <register.csv|register.xlsx>']);
      return withCore(env, async (core) => {
        const list = values.list ? core.plan.lists.find((l) => l.key === values.list) : core.plan.lists[0];
        if (!list) throw new ConfigError([`--list: no list "${values.list}" in the plan config (${core.plan.lists.map((l) => l.key).join(', ')})`]);
        const table = await readTable(resolve(file));
        const preset = values.preset ? PRESETS.find((p) => p.name === values.preset) : detectPreset(table.headings);
        if (!preset) throw new ConfigError([`${file}: its headings (${table.headings.filter(Boolean).join(' / ')}) match no preset; give --preset ${PRESETS.map((p) => p.name).join('|')}`]);
        const records = preset.read(table.headings, table.rows, values.plan ?? list.plan, table.preamble);
        const report = await importRecords(core.client, list, records, await core.deps.roles.load(), { dryRun, timeZone: env.TIME_ZONE, onProgress: (done, total) => process.stderr.write(`  written ${done} of ${total}\r`) });
        if (report.failed.length) process.exitCode = 1;
        return `${file}: ${records.length} rows read with the ${preset.name} preset into "${list.list}".\n${formatImportReport(report, dryRun)}`;
      });
    }
    case 'roles':
      return withCore(env, async (core) => {
        if (positionals[0] === 'add') {
          const [, role, person] = positionals;
          if (!role || !person || !core.plan.roles) throw new ConfigError(['usage: planpulse roles add "<role>" <person upn, email or object id> (and a "roles" entry in the plan config)']);
          return addRoleHolder(core.client, core.plan.roles, role, person);
        }
        const directory = await core.deps.roles.load();
        return directory.entries.map((e) => `${e.role.padEnd(48)} ${e.people.map((p) => p.displayName).join(', ') || '(nobody)'}${e.deputies.length ? `; deputies: ${e.deputies.map((p) => p.displayName).join(', ')}` : ''}${e.planLead ? '  [plan lead]' : ''}`).join('\n');
      });
    case 'validate':
      return withCore(env, async (core) => {
        const checks = await validateSetup(env, core.plan, core.client, core.deps.roles, core.credential);
        if (checks.some((c) => !c.ok)) process.exitCode = 1;
        return formatChecks(checks);
      });
    case 'package': {
      const out = resolve(values.out ?? join('build', 'planpulse-teams-app.zip'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, await buildAppPackage(env));
      console.log(`wrote ${out}: upload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin centre.`);
      return;
    }
    case 'run': {
      const job = positionals[0] ?? '';
      if (!isJobName(job)) throw new ConfigError([`run needs a job: ${JOB_NAMES.join(', ')} (got "${job}")`]);
      return withCore(env, (core) => runJob(job, core.deps, { dryRun }));
    }
    case 'schedule':
      return withCore(env, async (core) => {
        const tasks = JOB_NAMES.map((job) => jobTask(job, scheduleOf(core.plan, job), env.TIME_ZONE, async () => undefined));
        const when = (d: Date) => d.toLocaleString('en-GB', { timeZone: env.TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
        return tasks.map((t, i) => `${JOB_NAMES[i]!.padEnd(9)} ${t.getPattern().padEnd(14)} next: ${t.getNextRuns(3).map(when).join(' | ')}`).join('\n');
      });
    case 'sample':
      return withCore(env, async (core) => formatSampleRuns(await runSampling(core.deps, { dryRun, seed: values.seed }), dryRun));
    case 'history': {
      const ref = positionals.join(' ');
      if (!ref) throw new ConfigError(['history needs a task reference, e.g. planpulse history AFI1-T3']);
      return withCore(env, async (core) => {
        const found = await historyFor(ref, undefined, core.deps);
        if ('refusal' in found) {
          process.exitCode = 1;
          return found.refusal;
        }
        const rows = historyRows(found.entries, env.TIME_ZONE);
        return rows.length ? rows.map((r) => `${r.when}  ${r.who.padEnd(18)} ${r.field.padEnd(16)} ${r.change}  (${r.channel})`).join('\n') : `No changes recorded for ${ref} yet.`;
      });
    }
    default:
      throw new ConfigError([`unknown command "${command}". Run: planpulse help`]);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `planpulse: ${(error as Error).message}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
