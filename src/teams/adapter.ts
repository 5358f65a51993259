import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';

/**
 * The Bot Framework adapter. With an app id it validates every incoming request's JWT (an unauthenticated POST
 * gets 401); in local mode there are no credentials and the Agents Playground talks to it directly.
 */
export function createAdapter(env: Env, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: env.MICROSOFT_APP_ID,
    MicrosoftAppPassword: env.MICROSOFT_APP_PASSWORD,
    MicrosoftAppTenantId: env.MICROSOFT_APP_TENANT_ID,
    MicrosoftAppType: env.MICROSOFT_APP_ID ? env.MICROSOFT_APP_TYPE : undefined,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityType: context.activity.type }, 'unhandled error in turn');
    if (context.activity.type === 'message')
      await context.sendActivity('Sorry — PlanPulse hit a problem and could not finish that. Nothing was changed. Please try again in a minute.');
  };
  return adapter;
}
