import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, type Env } from '../config/env.js';
import type { Core } from '../main/compose.js';
import { langOfLocale, t, type Lang } from '../app/i18n.js';

export type OptionSpec = { type: 'boolean' | 'string'; help?: string };

export interface CliInput {
  env: Env;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** One CLI command: how it is called, what it does, and the work. Heavy modules are imported inside `run`. */
export interface CliCommand {
  name: string;
  args?: string;
  options?: Record<string, OptionSpec>;
  positionals?: boolean;
  run(input: CliInput): Promise<void>;
}

const dryRun: Record<string, OptionSpec> = { 'dry-run': { type: 'boolean' } };

/** Runs work against the configured (or local demo) plans and prints what it returns. */
async function withCore(env: Env, work: (core: Core) => Promise<string>, options: { checkMapping?: boolean } = {}): Promise<void> {
  const [{ createLogger }, { createCore, checkMapping }] = await Promise.all([import('../app/log.js'), import('../main/compose.js')]);
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const core = await createCore(env, log);
  const lang = cliLang();
  console.error(core.local ? t(lang, 'cli.local') : t(lang, 'cli.graph', { url: core.graphBaseUrl }));
  try {
    const waiting = await core.deps.audit.flush();
    if (waiting) console.error(t(lang, 'cli.auditWaiting', { n: waiting }));
    const name = process.argv[2] ?? 'cli';
    console.log((await core.graph.run(name, async () => (options.checkMapping ? (await checkMapping(core), await work(core)) : work(core)))).result);
  } finally {
    await core.close();
  }
}

async function runJobNamed(name: string, input: CliInput): Promise<void> {
  const { jobNamed, JOBS } = await import('../main/compose.js');
  const job = jobNamed(name);
  if (!job) throw new ConfigError([`run needs a job: ${JOBS.map((j) => j.name).join(', ')} (got "${name}")`]);
  return withCore(
    input.env,
    async (core) => {
      const run = await job.run(core.deps, { dryRun: input.values['dry-run'] === true, lang: cliLang() });
      if (run.failed) process.exitCode = 1;
      return run.report;
    },
    { checkMapping: job.messagesPeople },
  );
}

export const COMMANDS: CliCommand[] = [
  {
    name: 'start',
    args: '[--reset-demo] [--no-playground]',
    options: { 'reset-demo': { type: 'boolean' }, 'no-playground': { type: 'boolean' } },
    async run({ env, values }) {
      const { start } = await import('../main/start.js');
      await start(env, { resetDemo: values['reset-demo'] === true, playground: values['no-playground'] !== true });
    },
  },
  {
    name: 'remind',
    args: '[--dry-run] [--any-day]',
    options: { ...dryRun, 'any-day': { type: 'boolean' } },
    async run({ env, values }) {
      const { formatRemindReport, runReminders } = await import('../features/reminders/remind.js');
      return withCore(env, async (core) => {
        const report = await runReminders(core.deps, { dryRun: values['dry-run'] === true, anyDay: values['any-day'] === true });
        if (report.reminders.some((r) => r.outcome.startsWith('failed'))) process.exitCode = 1;
        return formatRemindReport(report, cliLang());
      }, { checkMapping: true });
    },
  },
  {
    name: 'qa-nudge',
    args: '[--dry-run]',
    options: dryRun,
    run: (input) => runJobNamed('qa-nudge', input),
  },
  {
    name: 'sample',
    args: '[--dry-run] [--seed TEXT]',
    options: { ...dryRun, seed: { type: 'string' } },
    async run({ env, values }) {
      const { formatSampleRuns, runSampling } = await import('../features/assurance/sample.js');
      const dry = values['dry-run'] === true;
      return withCore(env, async (core) => formatSampleRuns(await runSampling(core.deps, { dryRun: dry, seed: values.seed as string | undefined }), dry, cliLang()), { checkMapping: true });
    },
  },
  {
    name: 'digest',
    args: '[--dry-run]',
    options: dryRun,
    run: (input) => runJobNamed('digest', input),
  },
  {
    name: 'export',
    args: '--format xlsx|docx [--plan NAME] [--out FILE] [--publish]',
    options: { format: { type: 'string' }, plan: { type: 'string' }, out: { type: 'string' }, publish: { type: 'boolean' } },
    run: ({ env, values }) => {
      const format = values.format ?? 'xlsx';
      if (format !== 'xlsx' && format !== 'docx') throw new ConfigError([`--format: "${String(format)}" is not xlsx or docx`]);
      return withCore(env, async (core) => {
        const { buildCommitteePack, committeeDocument, committeeWorkbook, DOCX_TYPE, XLSX_TYPE } = await import('../features/digest/committee-pack.js');
        const pack = await buildCommitteePack(core.deps, { plan: values.plan as string | undefined });
        if (pack.plans.length === 0) throw new ConfigError([values.plan ? `--plan: no tasks in a plan named "${String(values.plan)}"` : 'There are no tasks to export.']);
        const bytes = format === 'xlsx' ? await committeeWorkbook(pack) : await committeeDocument(pack);
        const name = `Committee pack ${pack.title === 'Improvement plans' ? '' : `${pack.title} `}${pack.date}.${format}`.replace(/[\\/:*?"<>|]/g, ' ');
        const out = resolve((values.out as string | undefined) ?? name);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, bytes);
        const lines = [`Wrote ${out}: ${pack.plans.reduce((n, p) => n + p.rows.length, 0)} tasks in ${pack.plans.length} plan(s).`];
        if (values.publish) lines.push(`Published: ${(await core.deps.documents.publish(`PlanPulse/Committee packs/${name}`, bytes, format === 'xlsx' ? XLSX_TYPE : DOCX_TYPE)).webUrl}`);
        return lines.join('\n');
      });
    },
  },
  {
    name: 'history',
    args: '<ref>',
    positionals: true,
    async run({ env, positionals }) {
      const ref = positionals.join(' ');
      if (!ref) throw new ConfigError(['history needs a task reference, e.g. planpulse history AFI1-T3']);
      const { historyFor, historyRows } = await import('../features/history/history.js');
      return withCore(env, async (core) => {
        const found = await historyFor(ref, undefined, core.deps);
        if ('refusal' in found) {
          process.exitCode = 1;
          return found.refusal;
        }
        const rows = historyRows(found.entries, env.TIME_ZONE);
        return rows.length ? rows.map((r) => `${r.when}  ${r.who.padEnd(18)} ${r.field.padEnd(16)} ${r.change}  (${r.channel})`).join('\n') : `No changes recorded for ${ref} yet.`;
      });
    },
  },
  {
    name: 'provision',
    args: '[--dry-run]',
    options: dryRun,
    run: ({ env, values }) =>
      withCore(env, async (core) => {
        const dry = values['dry-run'] === true;
        const result = await core.admin.provision({ dryRun: dry });
        if (result.problems) process.exitCode = 1;
        return `${dry ? 'DRY RUN — nothing created.\n' : ''}${result.lines.join('\n')}`;
      }),
  },
  {
    name: 'import',
    args: '<register.xlsx|.csv|.docx> [--dry-run] [--json] [--sheet NAME] [--preset leicestershire|essex|west-midlands|nfcc] [--plan NAME] [--list KEY]',
    options: { ...dryRun, json: { type: 'boolean' }, sheet: { type: 'string' }, preset: { type: 'string' }, plan: { type: 'string' }, list: { type: 'string' } },
    positionals: true,
    async run({ env, values, positionals }) {
      const file = positionals[0];
      if (!file) throw new ConfigError(['import needs a file: planpulse import <register.xlsx|.csv|.docx>']);
      const [{ formatImportResult, importJson, importRegister }, { PRESETS }, { readRegister, RegisterReadError }] = await Promise.all([
        import('../features/onboarding/import/import-plan.js'),
        import('../features/onboarding/import/layout.js'),
        import('../features/onboarding/import/read-register.js'),
      ]);
      const preset = values.preset === undefined ? undefined : PRESETS.find((p) => p.name === values.preset);
      if (values.preset !== undefined && !preset) throw new ConfigError([`--preset: "${String(values.preset)}" is not one of ${PRESETS.map((p) => p.name).join(', ')}`]);
      let sheets;
      try {
        sheets = await readRegister(resolve(file), { sheet: values.sheet as string | undefined });
      } catch (e) {
        if (!(e instanceof RegisterReadError)) throw e;
        console.error(e.message);
        process.exitCode = 1;
        return;
      }
      return withCore(env, async (core) => {
        const list = values.list ? core.plan.lists.find((l) => l.key === values.list) : core.plan.lists[0];
        if (!list) throw new ConfigError([`--list: no list "${String(values.list)}" in the plan config (${core.plan.lists.map((l) => l.key).join(', ')})`]);
        const dry = values['dry-run'] === true;
        const result = await importRegister(core.deps, core.admin, list, sheets, {
          file: basename(file), dryRun: dry, plan: values.plan as string | undefined, preset,
          onProgress: values.json ? undefined : (done, total) => process.stderr.write(`  written ${done} of ${total}\r`),
        });
        const importable = result.rows.some((r) => r.action !== 'skip');
        if (!importable || result.failed.length || result.rows.some((r) => r.action === 'skip')) process.exitCode = 1;
        if (values.json) return JSON.stringify(importJson(result), null, 2);
        const why = importable ? '' : `\nNothing could be imported from ${basename(file)}: ${result.rows.length ? 'every row was skipped (see above).' : 'no sheet had a heading row PlanPulse recognises, or no rows under it (see above). Give --preset, or rename the headings.'}`;
        return `${formatImportResult(result, dry)}${why}`;
      });
    },
  },
  {
    name: 'roles',
    args: '[add <role> <person upn|email|object id>]',
    positionals: true,
    run: ({ env, positionals }) =>
      withCore(env, async (core) => {
        if (positionals[0] === 'add') {
          const [, role, person] = positionals;
          if (!role || !person || !core.plan.roles) throw new ConfigError(['usage: planpulse roles add "<role>" <person upn, email or object id> (and a "roles" entry in the plan config)']);
          return core.admin.addRoleHolder(role, person);
        }
        const directory = await core.deps.roles.load();
        return directory.entries.map((e) => `${e.role.padEnd(48)} ${e.people.map((p) => p.displayName).join(', ') || '(nobody)'}${e.deputies.length ? `; deputies: ${e.deputies.map((p) => p.displayName).join(', ')}` : ''}${e.planLead ? '  [plan lead]' : ''}`).join('\n');
      }),
  },
  {
    name: 'validate',
    async run({ env }) {
      const { formatChecks, validateSetup } = await import('../features/onboarding/validate.js');
      return withCore(env, async (core) => {
        const checks = await validateSetup(env, core.plan, core.admin, core.deps.roles, core.accepts, core.deps.reach.installer);
        if (checks.some((c) => !c.ok)) process.exitCode = 1;
        return formatChecks(checks);
      });
    },
  },
  {
    name: 'package',
    args: '[--out FILE]',
    options: { out: { type: 'string' } },
    async run({ env, values }) {
      const { buildAppPackage } = await import('../features/onboarding/app-package.js');
      const out = resolve((values.out as string | undefined) ?? join('build', 'planpulse-teams-app.zip'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, await buildAppPackage(env));
      console.log(`wrote ${out}: upload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin centre.`);
    },
  },
  {
    name: 'run',
    args: '<remind|qa-nudge|sample|digest|housekeeping> [--dry-run]',
    options: dryRun,
    positionals: true,
    run: (input) => runJobNamed(input.positionals[0] ?? '', input),
  },
  {
    name: 'schedule',
    async run({ env }) {
      const [{ JOBS }, { jobTask }] = await Promise.all([import('../main/compose.js'), import('../app/scheduler.js')]);
      return withCore(env, async (core) => {
        const when = (d: Date) => d.toLocaleString('en-GB', { timeZone: env.TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
        return JOBS.map((job) => {
          const task = jobTask(job.name, core.plan.schedule[job.schedule], env.TIME_ZONE, async () => undefined);
          return `${job.name.padEnd(12)} ${task.getPattern().padEnd(14)} next: ${task.getNextRuns(3).map(when).join(' | ')}`;
        }).join('\n');
      });
    },
  },
];

/** What a command does, in the reader's language (locales/: `cli.cmd.<name>`). */
const summaryOf = (c: CliCommand, lang: Lang) => t(lang, `cli.cmd.${c.name}`);

/** The help text, generated from the table. */
export function usage(only?: CliCommand, lang: Lang = cliLang()): string {
  const entry = (c: CliCommand) => `  ${c.name}${c.args ? ` ${c.args}` : ''}\n${summaryOf(c, lang).split('\n').map((l) => `        ${l}`).join('\n')}`;
  if (only) return `${t(lang, 'cli.usageOne', { name: only.name, args: only.args ? ` ${only.args}` : '' })}\n\n${summaryOf(only, lang)}`;
  return [t(lang, 'cli.title'), '', t(lang, 'cli.usage'), '', t(lang, 'cli.commands'), ...COMMANDS.map(entry), t(lang, 'cli.help'), '', t(lang, 'cli.config')].join('\n');
}

/**
 * The language the CLI prints in: PLANPULSE_LANGUAGE (en, cy), else a Welsh locale in LC_ALL, LC_MESSAGES or LANG
 * (cy_GB.UTF-8), else English.
 */
export function cliLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const chosen = env.PLANPULSE_LANGUAGE?.trim().toLowerCase();
  if (chosen === 'cy' || chosen === 'en') return chosen;
  return langOfLocale((env.LC_ALL || env.LC_MESSAGES || env.LANG || '').replace('_', '-'));
}
