import { CloudAdapter, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../app/log.js';
import type { TeamsEdge, TeamsEdgeSettings, TeamsTurns } from '../../interactions/teams-turns.js';
import { AgentsBot } from './bot.js';
import { AgentsMessenger } from './messenger.js';

/** Local mode has no app id, but the SDK needs some id to run a proactive turn; no token is fetched without one. */
const LOCAL_APP_ID = 'planpulse-local';

/**
 * The Teams edge on the Microsoft 365 Agents SDK (`@microsoft/agents-hosting`), botbuilder's successor. Unlike
 * botbuilder, its `process()` trusts whatever identity the request carries, so every request first passes the
 * SDK's JWT check (`authorizeRequest`): without a valid Bot Framework token, 401.
 */
export function agentsEdge(settings: TeamsEdgeSettings, log: Logger): TeamsEdge {
  const config: AuthConfiguration = settings.appId
    ? { clientId: settings.appId, clientSecret: settings.appPassword, tenantId: settings.appType === 'MultiTenant' ? undefined : settings.appTenantId, authorityEndpoint: settings.signingKeys?.entraAuthority }
    : // An explicit undefined keeps a stray `clientId` variable in the environment from switching auth on.
      { clientId: undefined };
  const adapter = new CloudAdapter(config);
  let turns: TeamsTurns | undefined;
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityType: context.activity.type }, 'unhandled error in turn');
    if (context.activity.type === 'message' && turns) await context.sendActivity(turns.failureText);
  };
  return {
    sdk: 'agents',
    messenger: new AgentsMessenger(adapter, settings.appId ?? LOCAL_APP_ID),
    handler(teamsTurns) {
      turns = teamsTurns;
      const bot = new AgentsBot(teamsTurns);
      return async (req: Request, res: Response) => {
        const authorised = await new Promise<boolean>((resolve, reject) => {
          const next: NextFunction = (err?: unknown) => (err ? reject(err as Error) : resolve(true));
          adapter.authorizeRequest(req, res, next).then(() => resolve(res.headersSent ? false : true), reject);
        });
        if (!authorised || res.headersSent) return;
        await adapter.process(req, res, (context) => bot.run(context));
      };
    },
  };
}
