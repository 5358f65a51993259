import { resolve } from 'node:path';
import type { AppDeps } from './app.js';
import { createCardActions } from './cards/card-actions.js';
import { isLocalMode, type Env } from './config/env.js';
import { loadPlanConfig, type PlanConfig } from './config/plan.js';
import { systemClock, type Clock } from './domain/ports.js';
import { runReminders, summariseRemindReport, type RemindOptions } from './jobs/remind.js';
import type { MessagesHandler } from './server.js';
import { demoPlanConfig } from './local/demo-data/plan.js';
import { DEMO_TENANT_ID } from './local/demo-data/people.js';
import { ensureLocalGraph, type LocalGraph } from './local/local-graph.js';
import type { Logger } from './log.js';
import { graphCredential } from './sharepoint/credential.js';
import { createGraphClient, type GraphConnection } from './sharepoint/graph-client.js';
import { GraphPeopleDirectory } from './sharepoint/people-directory.js';
import { SharePointRoleSource } from './sharepoint/role-source.js';
import { SitePeopleCache } from './sharepoint/site-people.js';
import { SiteIds } from './sharepoint/sites.js';
import { SharePointTaskRepository } from './sharepoint/task-repository.js';
import { ConversationStore } from './state/conversations.js';
import { BlobServiceClient } from '@azure/storage-blob';
import { ManagedIdentityCredential } from '@azure/identity';
import { BlobStore } from './state/blob-store.js';
import { FileStore } from './state/file-store.js';
import { BlobLeaseLock, soleInstance, type LeaderLock } from './state/leader-lock.js';
import type { StateStore } from './state/store.js';
import type { CloudAdapter } from 'botbuilder';
import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { AuditTrail } from './audit/audit-trail.js';
import { SharePointAuditLog } from './sharepoint/audit-log.js';
import { createAdapter } from './teams/adapter.js';
import { BotFrameworkMessenger } from './teams/bot-framework-messenger.js';
import { ReliableMessenger } from './teams/reliable-messenger.js';
import { PlanPulseBot } from './teams/bot.js';

export interface Core {
  deps: AppDeps;
  client: Client;
  credential?: TokenCredential;
  /** Elects the instance that runs scheduled jobs. */
  lock: LeaderLock;
  adapter: CloudAdapter;
  plan: PlanConfig;
  local?: LocalGraph;
  close(): Promise<void>;
}

/** The file store for one instance (default), or Azure Blob Storage with a blob-lease leader lock for several. */
export function createStateStore(env: Env, log: Logger): { store: StateStore; lock: LeaderLock } {
  if (env.STATE_STORE === 'file') return { store: new FileStore(resolve(env.STATE_DIR, 'state')), lock: soleInstance };
  const service = env.AZURE_STORAGE_CONNECTION_STRING
    ? BlobServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING)
    : new BlobServiceClient(env.AZURE_STORAGE_ACCOUNT_URL!, env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new ManagedIdentityCredential());
  const container = service.getContainerClient(env.STATE_CONTAINER);
  return { store: new BlobStore(container), lock: new BlobLeaseLock(container, log) };
}

/**
 * Wires the application from configuration. Local mode (no bot credentials) talks only to the Graph emulator and
 * serves the demo tenant; otherwise the same code talks to Microsoft Graph with an app-only credential.
 */
export async function createCore(env: Env, log: Logger, options: { graph?: GraphConnection; clock?: Clock; resetDemo?: boolean } = {}): Promise<Core> {
  const local = isLocalMode(env);
  const plan = env.PLAN_CONFIG ? loadPlanConfig(env.PLAN_CONFIG) : demoPlanConfig();
  let localGraph: LocalGraph | undefined;
  let graph = options.graph;
  if (!graph) {
    if (local && !env.GRAPH_BASE_URL) {
      localGraph = await ensureLocalGraph(env, log, { reset: options.resetDemo });
      graph = { baseUrl: localGraph.baseUrl, caCertificate: localGraph.caCertificate };
    } else {
      graph = { baseUrl: env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0', credential: env.GRAPH_CREDENTIAL ? graphCredential(env) : undefined };
    }
  }
  const client = createGraphClient(graph);
  // One cache of site ids and site users for every adapter: they all read the same sites.
  const shared = { sites: new SiteIds(client), people: new SitePeopleCache(client) };
  const { store, lock } = createStateStore(env, log);
  const adapter = createAdapter(env, log);
  const conversations = new ConversationStore(store);
  const deps: AppDeps = {
    tasks: new SharePointTaskRepository(client, plan, env.TIME_ZONE, shared),
    roles: new SharePointRoleSource(client, plan.roles, undefined, undefined, shared),
    people: new GraphPeopleDirectory(client),
    store,
    conversations,
    messenger: new ReliableMessenger(new BotFrameworkMessenger(adapter, env.MICROSOFT_APP_ID ?? ''), conversations, store, log),
    audit: new AuditTrail(new SharePointAuditLog(client, plan, shared.sites), store, log),
    clock: options.clock ?? systemClock,
    timeZone: env.TIME_ZONE,
    rules: plan.rules,
    digest: plan.digest,
    tenantId: env.MICROSOFT_APP_TENANT_ID ?? DEMO_TENANT_ID,
    // Local mode with no administrators listed: everyone may try everything.
    isAdmin: local && env.ADMIN_AAD_OBJECT_IDS.length === 0 ? () => true : (id) => env.ADMIN_AAD_OBJECT_IDS.includes(id),
    log,
  };
  return { deps, plan, adapter, lock, client, credential: graph.credential, local: localGraph, close: async () => localGraph?.stop() };
}

/** The Teams edge on top of the core: the bot and the request handler for /api/messages. */
export function createTeamsEdge(core: Core) {
  const { adapter } = core;
  const remind = (options: RemindOptions) => runReminders(core.deps, options);
  // A person asking in chat means "now", whatever the day.
  const bot = new PlanPulseBot(core.deps, createCardActions(core.deps), async () => summariseRemindReport(await remind({ dryRun: false, anyDay: true })));
  const handleMessages: MessagesHandler = (req, res) => adapter.process(req, res, (context) => bot.run(context));
  return { bot, remind, handleMessages };
}
