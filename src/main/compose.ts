import { ChatFileDownloads, TEAMS_FILE_HOSTS } from '../adapters/sharepoint/chat-files.js';
import { SharePointDocumentLibrary } from '../adapters/sharepoint/document-library.js';
import { SharePointAuditLog } from '../adapters/sharepoint/audit-log.js';
import { ACCEPTED_TYPES } from '../adapters/sharepoint/field-table.js';
import { createGraphClient, DEFAULT_GATEWAY, type GraphConnection } from '../adapters/sharepoint/graph-client.js';
import { GraphGateway } from '../adapters/sharepoint/graph-gateway.js';
import { ListSnapshots } from '../adapters/sharepoint/list-snapshots.js';
import { GraphPeopleDirectory } from '../adapters/sharepoint/people-directory.js';
import { SharePointPlanAdmin } from '../adapters/sharepoint/plan-admin.js';
import { SharePointRoleSource } from '../adapters/sharepoint/role-source.js';
import { SitePeopleCache } from '../adapters/sharepoint/site-people.js';
import { SiteIds } from '../adapters/sharepoint/sites.js';
import { SharePointTaskRepository } from '../adapters/sharepoint/task-repository.js';
import { GraphTeamsAppInstaller } from '../adapters/sharepoint/teams-app-installer.js';
import { AuditTrail } from '../app/audit-trail.js';
import type { AppDeps } from '../app/context.js';
import { ConversationStore } from '../app/conversations.js';
import { onDamagedState } from '../app/state.js';
import { ReliableMessenger } from '../app/delivery.js';
import type { Feature, Job } from '../app/feature.js';
import type { Logger } from '../app/log.js';
import { systemClock, type Clock, type LeaderLock, type PlanAdmin } from '../app/ports.js';
import { ConfigError, isLocalMode, type Env } from '../config/env.js';
import { loadPlanConfig, type PlanConfig } from '../config/plan.js';
import { assurance, qaReviews } from '../features/assurance/index.js';
import { digest } from '../features/digest/index.js';
import { history } from '../features/history/index.js';
import { housekeeping } from '../features/housekeeping/index.js';
import type { AcceptedTypes } from '../features/onboarding/validate.js';
import { reminderHistory, reminders } from '../features/reminders/index.js';
import { updates } from '../features/updates/index.js';
import { CardVerbRouter } from '../interactions/card-verbs.js';
import { ChatCommands } from '../interactions/chat-commands.js';
import { TeamsTurns, type MessagesHandler, type TeamsEdge, type TeamsEdgeSettings } from '../interactions/teams-turns.js';
import { demoPlanConfig } from '../local/demo-data/plan.js';
import { DEMO_TENANT_ID } from '../local/demo-data/people.js';
import { DEMO_TEAMS_APP_ID } from '../local/demo-data/seed.js';
import { PLAYGROUND_BOT_ID } from '../local/playground.js';
import { ensureLocalGraph, type LocalGraph } from '../local/local-graph.js';

/** Every feature, in the order `help` lists their commands. */
export const FEATURES: Feature[] = [updates, history, digest, reminders, assurance, housekeeping];

/** Every scheduled job, from the features that have one. */
export const JOBS: Job[] = FEATURES.flatMap((f) => f.jobs ?? []);

/** A mapped column that is not in its list stops a job: it would otherwise report wrong counts without a word. */
export async function checkMapping(core: Core): Promise<void> {
  const problems = await core.admin.checkMapping();
  if (problems.length) throw new ConfigError(problems);
}

/**
 * The jobs as this process runs them: the column mapping checked first, and each run's Graph requests counted,
 * logged and capped by the gateway.
 */
export function jobsOf(core: Core): Job[] {
  return JOBS.map((job) => ({
    ...job,
    run: async (deps, options) => (await core.graph.run(job.name, async () => (job.messagesPeople ? (await checkMapping(core), await job.run(deps, options)) : job.run(deps, options)))).result,
  }));
}

export function jobNamed(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}

export interface Core {
  deps: AppDeps;
  plan: PlanConfig;
  admin: PlanAdmin;
  accepts: AcceptedTypes;
  /** Elects the instance that runs scheduled jobs. */
  lock: LeaderLock;
  teams: TeamsEdge;
  /** What this process talks to, for the start-up banner. */
  graphBaseUrl: string;
  /** Every Graph request passes it; a job or command runs inside `graph.run` to be counted and capped. */
  graph: GraphGateway;
  local?: LocalGraph;
  close(): Promise<void>;
}

/** The Teams SDK chosen with BOT_SDK: botbuilder (default) or the Microsoft 365 Agents SDK. Only that one is loaded. */
async function createTeamsEdgeFor(env: Env, log: Logger, signingKeys?: TeamsEdgeSettings['signingKeys']): Promise<TeamsEdge> {
  const settings: TeamsEdgeSettings = { appId: env.MICROSOFT_APP_ID, appPassword: env.MICROSOFT_APP_PASSWORD, appTenantId: env.MICROSOFT_APP_TENANT_ID, appType: env.MICROSOFT_APP_TYPE, signingKeys };
  if (env.BOT_SDK === 'agents') return (await import('../adapters/teams-agents/adapter.js')).agentsEdge(settings, log);
  return (await import('../adapters/teams-botbuilder/adapter.js')).botbuilderEdge(settings, log);
}

/**
 * Wires the application from configuration. Local mode (no bot credentials) talks only to the Graph emulator and
 * serves the demo tenant; otherwise the same code talks to Microsoft Graph with an app-only credential.
 */
export async function createCore(env: Env, log: Logger, options: { graph?: GraphConnection; clock?: Clock; resetDemo?: boolean; signingKeys?: TeamsEdgeSettings['signingKeys'] } = {}): Promise<Core> {
  const local = isLocalMode(env);
  const plan = env.PLAN_CONFIG ? loadPlanConfig(env.PLAN_CONFIG) : demoPlanConfig();
  let localGraph: LocalGraph | undefined;
  let graph = options.graph;
  let credential: GraphConnection['credential'];
  if (!graph) {
    if (local && !env.GRAPH_BASE_URL) {
      localGraph = await ensureLocalGraph(env, log, { reset: options.resetDemo });
      graph = { baseUrl: localGraph.baseUrl, caCertificate: localGraph.caCertificate };
    } else {
      credential = env.GRAPH_CREDENTIAL ? (await import('../adapters/sharepoint/credential.js')).graphCredential(env) : undefined;
      graph = { baseUrl: env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0', credential };
    }
  }
  const gateway = new GraphGateway({ ...DEFAULT_GATEWAY, concurrency: env.GRAPH_CONCURRENCY, maxWaitMs: env.GRAPH_MAX_WAIT_SECONDS * 1000, log });
  const client = createGraphClient(graph, gateway);
  const { store, lock } = await (await import('../adapters/state/create.js')).createStateStore(env, log);
  onDamagedState((key, movedTo, detail) => log.error({ key, movedTo, detail }, 'a damaged state record was moved aside; only what it held is lost'));
  // One cache of site ids, site users and list snapshots for every adapter: they all read the same sites.
  const sites = new SiteIds(client, store);
  const shared = { sites, people: new SitePeopleCache(client, Date.now, store), snapshots: new ListSnapshots(client, store, log) };
  const teams = await createTeamsEdgeFor(env, log, options.signingKeys);
  const conversations = new ConversationStore(store);
  const deps: AppDeps = {
    tasks: new SharePointTaskRepository(client, plan, env.TIME_ZONE, shared),
    roles: new SharePointRoleSource(client, plan.roles, undefined, undefined, shared),
    people: new GraphPeopleDirectory(client),
    store,
    conversations,
    messenger: new ReliableMessenger(teams.messenger, conversations, log),
    audit: new AuditTrail(new SharePointAuditLog(client, plan, sites), store, log),
    documents: new SharePointDocumentLibrary(client, sites, plan),
    // The emulator (with its own CA) stands in for the OneDrive that Teams keeps chat files in.
    chatFiles: new ChatFileDownloads(graph.caCertificate ? [...TEAMS_FILE_HOSTS, new URL(graph.baseUrl).hostname, 'localhost'] : TEAMS_FILE_HOSTS, { caCertificate: graph.caCertificate }),
    qaReviews: qaReviews(() => deps),
    reminderHistory: reminderHistory(() => deps),
    clock: options.clock ?? systemClock,
    timeZone: env.TIME_ZONE,
    rules: plan.rules,
    digest: plan.digest,
    reach: {
      install: plan.reach.install,
      installer: new GraphTeamsAppInstaller(client, env.TEAMS_APP_ID ?? env.MICROSOFT_APP_ID ?? DEMO_TEAMS_APP_ID, plan.reach.catalogAppId),
      // Teams' own address for bots until a chat of the tenant shows the regional one.
      chatDefaults: local ? { serviceUrl: `http://localhost:${env.PLAYGROUND_PORT}/_connector`, botId: PLAYGROUND_BOT_ID } : { serviceUrl: 'https://smba.trafficmanager.net/teams/', botId: `28:${env.MICROSOFT_APP_ID}` },
    },
    // Outside local mode the tenant is configured (env validation insists), never the demo's.
    tenantId: local ? DEMO_TENANT_ID : (env.MICROSOFT_APP_TENANT_ID ?? env.AZURE_TENANT_ID)!,
    // Local mode with no administrators listed: everyone may try everything.
    isAdmin: local && env.ADMIN_AAD_OBJECT_IDS.length === 0 ? () => true : (id) => env.ADMIN_AAD_OBJECT_IDS.includes(id),
    log,
  };
  const admin = new SharePointPlanAdmin(client, plan, env.TIME_ZONE, sites, credential);
  return { deps, plan, admin, accepts: ACCEPTED_TYPES, teams, lock, graphBaseUrl: graph.baseUrl, graph: gateway, local: localGraph, close: async () => localGraph?.stop() };
}

/** The conversation side on top of the core: the verb router, the command table and the /api/messages handler. */
export function createConversation(core: Core): { turns: TeamsTurns; verbs: CardVerbRouter; handleMessages: MessagesHandler } {
  const verbs = new CardVerbRouter(core.deps, FEATURES);
  const turns = new TeamsTurns(core.deps, verbs, new ChatCommands(core.deps, FEATURES));
  return { turns, verbs, handleMessages: core.teams.handler(turns) };
}
