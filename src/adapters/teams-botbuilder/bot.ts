import { CardFactory, TeamsActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue } from 'botbuilder';
import type { Actor } from '../../app/context.js';
import type { Logger } from '../../app/log.js';
import type { TeamsTurns } from '../../interactions/teams-turns.js';

function tenantOf(context: TurnContext): string | undefined {
  const a = context.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

function actorOf(context: TurnContext): Actor | undefined {
  const from = context.activity.from;
  return from?.aadObjectId ? { aadObjectId: from.aadObjectId, name: from.name || 'Unknown user' } : undefined;
}

function chatOf(context: TurnContext) {
  const a = context.activity;
  const ref = TurnContext.getConversationReference(a);
  return {
    aadObjectId: a.from?.aadObjectId, userId: a.from?.id, userName: a.from?.name, conversationId: ref.conversation?.id, conversationType: ref.conversation?.conversationType,
    serviceUrl: ref.serviceUrl, channelId: ref.channelId, botId: a.recipient.id, botName: a.recipient.name,
  };
}

/** The Teams edge on botbuilder: translates each activity to PlanPulse's TeamsTurns. */
export class BotbuilderBot extends TeamsActivityHandler {
  constructor(
    private readonly turns: TeamsTurns,
    private readonly log: Logger,
  ) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.turns.remember(chatOf(context));
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(this.turns.welcomeCard())] });
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.turns.forget(context.activity.from?.aadObjectId);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botId = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((m) => m.id !== botId)) await this.turns.remember(chatOf(context));
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.turns.remember(chatOf(context));
      const reply = await this.turns.message(actorOf(context), context.activity.text ?? '');
      await context.sendActivity('card' in reply ? { attachments: [CardFactory.adaptiveCard(reply.card)] } : reply.text);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (!this.turns.servesTenant(tenantOf(context), context.activity.type)) {
      if (context.activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: this.turns.otherTenantAnswer } });
      return;
    }
    await super.run(context);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const actor = actorOf(context);
    if (actor) await this.turns.remember(chatOf(context));
    const { updateOriginal, ...answer } = await this.turns.cardAction(actor, invoke.action?.verb, invoke.action?.data);
    const replyToId = context.activity.replyToId;
    if (updateOriginal && replyToId) {
      try {
        await context.updateActivity({ type: 'message', id: replyToId, attachments: [CardFactory.adaptiveCard(updateOriginal)] });
      } catch (e) {
        this.log.warn({ err: e, replyToId }, 'could not update the original message');
      }
    }
    return answer as AdaptiveCardInvokeResponse;
  }
}
