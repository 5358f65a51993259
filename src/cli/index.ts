#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../config/env.js';
import { t } from '../app/i18n.js';
import { cliLang, COMMANDS, usage } from './commands.js';

/** A mistake in how the command was typed: said plainly with the command's usage, exit 2. */
class UsageError extends Error {}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(t(cliLang(), 'cli.unknown', { name }));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: command.positionals ?? false, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true });
  } catch (e) {
    throw new UsageError(`planpulse ${command.name}: ${(e as Error).message}\n\n${usage(command)}`);
  }
  if (parsed.values.help) {
    console.log(usage(command));
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  await command.run({ env: parseEnv(process.env), values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usageMistake = error instanceof ConfigError || error instanceof UsageError;
  console.error(usageMistake ? (error as Error).message : `planpulse: ${(error as Error).message}`);
  process.exit(usageMistake ? 2 : 1);
});
