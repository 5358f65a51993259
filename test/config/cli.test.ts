import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { freePort } from '../helpers/net.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/index.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });

/** The CLI in local mode with its own Graph emulator (from the demo data) and the given environment. */
function cliAgainstDemo(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli/index.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('the command line, as a command table', () => {
  it('lists every command in its help, generated from the table', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    for (const name of ['start', 'remind', 'qa-nudge', 'sample', 'digest', 'history', 'provision', 'import', 'roles', 'validate', 'package', 'run', 'schedule'])
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it("shows one command's help, and answers a mistyped option or command with its usage and exit 2", () => {
    const one = cli('remind', '--help');
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/^Usage: planpulse remind \[--dry-run\] \[--any-day\]/);
    expect(one.stdout).not.toContain('provision');
    const typo = cli('remind', '--dryrun');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^planpulse remind: Unknown option '--dryrun'/);
    expect(cli('frob').status).toBe(2);
  });
});

describe('configuration drift fails loudly', () => {
  it('a mistyped internal column name stops remind and validate with the list, the column and "did you mean"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planpulse-drift-'));
    const config = join(dir, 'plan.yaml');
    writeFileSync(config, readFileSync(DEMO_PLAN_CONFIG_PATH, 'utf8').replace('status: Status', 'status: Stauts'));
    const env = { PLAN_CONFIG: config, STATE_DIR: join(dir, 'state'), GRAPH_EMULATOR_PORT: String(await freePort()) };
    const remind = await cliAgainstDemo(env, 'remind', '--dry-run');
    expect(remind.code).toBe(2);
    expect(remind.out).toContain('The list "Improvement Actions" on planpulse-demo.sharepoint.invalid:/sites/ImprovementPlans has no column with the internal name "Stauts" (mapped as status). Did you mean "Status"?');
    expect(remind.out).not.toContain('DRY RUN');
    const validate = await cliAgainstDemo(env, 'validate');
    expect(validate.code).toBe(1);
    expect(validate.out).not.toContain('Status values in'); // nothing to check them in: no false "all fine"
    expect(validate.out).toContain('✘ Column Stauts: mapped as status but "Improvement Actions" on planpulse-demo.sharepoint.invalid:/sites/ImprovementPlans has no column with that internal name; did you mean "Status"?');
  }, 60_000);
});
