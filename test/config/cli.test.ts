import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/index.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });

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
