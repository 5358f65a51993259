import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Request, Response } from 'express';
import type { Logger } from '../../app/log.js';
import type { TeamsEdge, TeamsEdgeSettings, TeamsTurns } from '../../interactions/teams-turns.js';
import { BotbuilderBot } from './bot.js';
import { BotbuilderMessenger } from './messenger.js';

/**
 * The Teams edge on botbuilder's CloudAdapter. With an app id it validates every incoming request's JWT (an
 * unauthenticated POST gets 401); in local mode there are no credentials and the Agents Playground talks to it directly.
 */
export function botbuilderEdge(settings: TeamsEdgeSettings, log: Logger): TeamsEdge {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppTenantId: settings.appTenantId,
    MicrosoftAppType: settings.appId ? settings.appType : undefined,
  });
  const adapter = new CloudAdapter(auth);
  let turns: TeamsTurns | undefined;
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityType: context.activity.type }, 'unhandled error in turn');
    if (context.activity.type === 'message' && turns) await context.sendActivity(turns.failureText);
  };
  return {
    sdk: 'botbuilder',
    messenger: new BotbuilderMessenger(adapter, settings.appId ?? ''),
    handler(teamsTurns) {
      turns = teamsTurns;
      const bot = new BotbuilderBot(teamsTurns, log);
      return (req: Request, res: Response) => adapter.process(req, res, (context) => bot.run(context));
    },
  };
}
