import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { listen } from '../app/net.js';
import { DEMO_PEOPLE, DEMO_TENANT_ID } from './demo-data/people.js';

export const PLAYGROUND_BOT_ID = '28:planpulse-local-bot';

/** The Playground's config: the tenant and the demo people, chatting as the first one (Alex Wilber). */
export function playgroundConfig(currentUserIndex = 0) {
  const user = (p: (typeof DEMO_PEOPLE)[number], i: number) => ({
    id: `29:planpulse-demo-user-${i + 1}`,
    name: p.displayName,
    userPrincipleName: p.userPrincipalName,
    aadObjectId: p.id,
    givenName: p.displayName.split(' ')[0],
    surname: p.displayName.split(' ').slice(1).join(' '),
    email: p.userPrincipalName,
  });
  const users = DEMO_PEOPLE.map(user);
  return {
    version: '0.1.1',
    tenantId: DEMO_TENANT_ID,
    bot: { id: PLAYGROUND_BOT_ID, name: 'PlanPulse (local)' },
    currentUser: users[currentUserIndex],
    users: users.filter((_, i) => i !== currentUserIndex),
    personalChat: { id: `a:planpulse-personal-chat-${currentUserIndex + 1}` },
    groupChat: { id: '19:planpulse-group-chat', name: 'Improvement Board' },
    team: { id: '19:planpulse-team', name: 'Improvement Programme', aadGroupId: '5f0e6c1a-3b7d-4a2e-8c91-7d4b2e6f0a13', channels: [{ id: '19:planpulse-channel', name: 'Plans' }] },
  };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The Agents Playground exited with status ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The Agents Playground did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts Microsoft 365 Agents Playground (Microsoft's local Teams-like client) pointed at the bot. It runs from its
 * own folder because it reads `.m365agentsplayground.yml` from its working directory; on Linux it calls
 * `xdg-open`, which a headless machine lacks, so a no-op one is put first on PATH.
 */
export async function startPlayground(options: { port: number; botEndpoint: string; workDir: string; currentUserIndex?: number }): Promise<ChildProcess> {
  // The Playground silently moves to a random port when its own is taken; fail clearly instead.
  const probe = createServer();
  await listen(probe, options.port, '127.0.0.1', 'the Agents Playground');
  await new Promise((r) => probe.close(r));
  mkdirSync(options.workDir, { recursive: true });
  writeFileSync(join(options.workDir, '.m365agentsplayground.yml'), stringify(playgroundConfig(options.currentUserIndex)));
  const shims = join(options.workDir, 'bin');
  mkdirSync(shims, { recursive: true });
  writeFileSync(join(shims, 'xdg-open'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(shims, 'xdg-open'), 0o755);
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, [cli, 'start', '-e', options.botEndpoint, '-c', 'msteams', '-p', String(options.port), '--dt'], {
    cwd: options.workDir,
    env: { ...process.env, PATH: `${shims}:${process.env.PATH ?? ''}`, BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  try {
    await waitForHttp(`http://127.0.0.1:${options.port}/`, child, 60_000);
  } catch (e) {
    child.kill();
    throw new Error(`${(e as Error).message}. Its output:\n${output}\n(see ${join(options.workDir, 'devTools', 'm365agentsplayground.log')})`);
  }
  return child;
}
