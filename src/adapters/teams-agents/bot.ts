import { ActivityHandler, CardFactory, MessageFactory, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue } from '@microsoft/agents-hosting';
import { Activity } from '@microsoft/agents-activity';
import { actorOf, chatOf, tenantOf, type TeamsTurns } from '../../interactions/teams-turns.js';

const cardMessage = (card: object) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

/** The Teams edge on the Microsoft 365 Agents SDK: translates each activity to PlanPulse's TeamsTurns. */
export class AgentsBot extends ActivityHandler {
  constructor(private readonly turns: TeamsTurns) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      const card = await this.turns.welcome(chatOf(context.activity), context.activity.locale, context.activity.action);
      if (card) await context.sendActivity(cardMessage(card));
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.turns.forget(context.activity.from?.aadObjectId);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id !== botId)) await this.turns.remember(chatOf(context.activity));
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.turns.remember(chatOf(context.activity));
      const reply = await this.turns.message(actorOf(context.activity), context.activity);
      await context.sendActivity('card' in reply ? cardMessage(reply.card) : reply.text);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (!this.turns.servesTenant(tenantOf(context.activity), context.activity.type)) {
      if (context.activity.type === 'invoke') await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: { status: 403, body: this.turns.otherTenantAnswer } }));
      return;
    }
    await super.run(context);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const origin = { chat: chatOf(context.activity), replyToId: context.activity.replyToId };
    return (await this.turns.cardAction(actorOf(context.activity), invoke.action?.verb, invoke.action?.data, origin)) as AdaptiveCardInvokeResponse;
  }
}
