import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { recoverChanges } from '../app/audited-change.js';
import { createLogger } from '../app/log.js';
import { startScheduler } from '../app/scheduler.js';
import { isLocalMode, type Env } from '../config/env.js';
import { DEMO_PEOPLE } from '../local/demo-data/people.js';
import { listViewer } from '../local/list-viewer.js';
import { emulatorPaths } from '../local/local-graph.js';
import { startPlayground } from '../local/playground.js';
import { createConversation, createCore, jobsOf, type Core } from './compose.js';
import { startBotServer } from './server.js';

/** What this process really talks to, whatever mode it thinks it is in. */
export function banner(env: Env, core: Core): string {
  if (!core.local)
    return `  PlanPulse — Graph at ${core.graphBaseUrl}${isLocalMode(env) ? ' (GRAPH_BASE_URL; no bot credentials, so Teams is only reachable from 127.0.0.1)' : ''}; Teams SDK: ${core.teams.sdk}.`;
  return [
    '',
    '  ┌─────────────────────────────────────────────────────────────────────┐',
    '  │  PlanPulse — LOCAL MODE. No Microsoft service is contacted.        │',
    '  │  SharePoint is the local Graph emulator with the demo plans.       │',
    '  └─────────────────────────────────────────────────────────────────────┘',
    `  Graph emulator:    ${core.graphBaseUrl}   (data: ${emulatorPaths(env).data})`,
    `  Bot endpoint:      http://127.0.0.1:${env.PORT}/api/messages   (Teams SDK: ${core.teams.sdk})`,
    `  The lists:         http://127.0.0.1:${env.PORT}/local   ← see your changes land`,
  ].join('\n');
}

/** `planpulse start`: the bot and its scheduler; in local mode also the Graph emulator and the Playgrounds. */
export async function start(env: Env, flags: { resetDemo: boolean; playground: boolean }): Promise<void> {
  const log = createLogger(env.LOG_LEVEL);
  const local = isLocalMode(env);
  if (local && flags.resetDemo) rmSync(emulatorPaths(env).data, { force: true });
  const core = await createCore(env, log);
  // Changes interrupted by the last process's end get their audit rows before anything else happens.
  const completed = await recoverChanges(core.deps, { olderThanMs: 0 }).catch((e: unknown) => (log.error({ err: e }, 'interrupted changes could not be completed at start-up; housekeeping retries'), 0));
  if (completed) log.warn({ completed }, 'completed the audit rows of changes interrupted by the last shutdown');
  const { handleMessages, turns } = createConversation(core);
  const host = local ? '127.0.0.1' : env.HOST ?? '0.0.0.0';
  const server = await startBotServer({ handleMessages, host, port: env.PORT, log, local: core.local?.emulator && listViewer(core.local.emulator) });
  const scheduler = startScheduler(jobsOf(core), core.deps, core.plan.schedule, core.lock);
  const playgrounds: Awaited<ReturnType<typeof startPlayground>>[] = [];
  if (local) {
    console.log(banner(env, core));
    if (flags.playground && core.local) {
      // One Playground per person: Alex owns demo tasks, Lynne signs them off at QA.
      for (const [offset, person, role] of [[0, 0, 'task owner'], [1, 5, 'QA reviewer']] as const) {
        const port = env.PLAYGROUND_PORT + offset;
        playgrounds.push(await startPlayground({ port, botEndpoint: `http://127.0.0.1:${env.PORT}/api/messages`, workDir: resolve(env.STATE_DIR, `playground-${person}`), currentUserIndex: person }));
        console.log(`  Agents Playground: http://127.0.0.1:${port}   ← ${DEMO_PEOPLE[person]!.displayName}, ${role}`);
      }
    }
    console.log(['', '  Open the first Playground: you are Alex Wilber, who owns demo tasks. Type "my tasks", or "remind" to', '  send today\'s reminders now. Complete a task with an evidence link and Lynne Robbins gets it to sign off', '  in the second Playground. From another terminal: npx planpulse remind --dry-run', '  Stop with Ctrl+C.', ''].join('\n'));
  } else {
    log.info({ host, port: env.PORT, graph: core.graphBaseUrl, teamsSdk: core.teams.sdk }, 'PlanPulse listening');
  }
  const stop = async () => {
    for (const p of playgrounds) p.kill();
    await scheduler.stop();
    server.closeAllConnections();
    server.close();
    await turns.settled();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
