import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
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
    // Naming any endpoint makes botbuilder take every endpoint from here: the public cloud's, but for the keys.
    ...(settings.signingKeys && {
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: settings.signingKeys.botFrameworkOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    }),
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
      const bot = new BotbuilderBot(teamsTurns);
      return async (req: Request, res: Response) => {
        let turnStarted = false;
        // botbuilder answers 500 to a token it cannot parse or verify (only its own AuthenticationError becomes
        // 401). Whatever fails before the turn starts is the request's identity: never a 500, always a 401.
        const status = res.status.bind(res);
        if (settings.appId) res.status = (code: number) => status(code >= 500 && !turnStarted ? 401 : code);
        await adapter.process(req, res, (context) => {
          turnStarted = true;
          return bot.run(context);
        });
      };
    },
  };
}
