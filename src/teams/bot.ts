import {
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import type { Actor, AppDeps } from '../app.js';
import type { CardActionRouter } from '../cards/action-router.js';
import { messageCard } from '../cards/views.js';
import { handleCommand, helpCard } from '../commands.js';
import type { ConversationRecord } from '../state/conversations.js';
import { unreachableKey } from './reliable-messenger.js';

function tenantOf(context: TurnContext): string | undefined {
  const a = context.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

function actorOf(context: TurnContext): Actor | undefined {
  const from = context.activity.from;
  return from?.aadObjectId ? { aadObjectId: from.aadObjectId, name: from.name || 'Unknown user' } : undefined;
}

/** The Teams edge: captures conversations, answers typed commands and routes card actions. */
export class PlanPulseBot extends TeamsActivityHandler {
  constructor(
    private readonly deps: AppDeps,
    private readonly cardActions: CardActionRouter,
    private readonly runReminders: () => Promise<string>,
  ) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.capture(context);
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(helpCard('Hello! I will remind you about your improvement-plan tasks.'))] });
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const actor = actorOf(context);
      if (actor) await this.deps.conversations.remove(this.deps.tenantId, actor.aadObjectId);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botId = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((m) => m.id !== botId)) await this.capture(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.capture(context);
      const actor = actorOf(context);
      if (!actor) await context.sendActivity('PlanPulse works in Microsoft Teams chats with signed-in users only.');
      else {
        const reply = await handleCommand(context.activity.text ?? '', actor, this.deps, this.runReminders);
        await context.sendActivity('card' in reply ? { attachments: [CardFactory.adaptiveCard(reply.card)] } : reply.text);
      }
      await next();
    });
  }

  /** Refuses every activity from a tenant that is not ours before any handler sees it. */
  override async run(context: TurnContext): Promise<void> {
    const tenant = tenantOf(context);
    if (tenant !== this.deps.tenantId) {
      this.deps.log.warn({ tenant, type: context.activity.type }, 'activity from another tenant refused');
      if (context.activity.type === 'invoke')
        await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: 'This PlanPulse installation serves another organisation.' } } } });
      return;
    }
    await super.run(context);
  }

  private async capture(context: TurnContext): Promise<void> {
    const ref = TurnContext.getConversationReference(context.activity);
    const from = context.activity.from;
    if (!from?.aadObjectId || !ref.conversation?.id || !ref.serviceUrl) return;
    if (ref.conversation.conversationType && ref.conversation.conversationType !== 'personal') return;
    const record: ConversationRecord = {
      tenantId: this.deps.tenantId,
      aadObjectId: from.aadObjectId,
      userId: from.id,
      userName: from.name,
      conversationId: ref.conversation.id,
      serviceUrl: ref.serviceUrl,
      channelId: ref.channelId ?? 'msteams',
      botId: context.activity.recipient.id,
      botName: context.activity.recipient.name,
      updatedAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.conversations.save(record);
    // They are talking to us again: whatever Teams refused before no longer applies.
    await this.deps.store.delete(unreachableKey(from.aadObjectId));
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const actor = actorOf(context);
    if (!actor) return errorResponse(401, 'PlanPulse could not tell who you are. Please use it from Microsoft Teams.');
    await this.capture(context);
    const outcome = await this.cardActions.execute(invoke.action?.verb, invoke.action?.data, actor);
    if (outcome.kind === 'error') {
      // A request the card itself got wrong is a protocol error; anything the person can act on is shown in a card.
      if (outcome.status === 400) return errorResponse(400, outcome.message);
      return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: messageCard('That did not work', outcome.message, 'attention', { backToTasks: true }) };
    }
    const replyToId = context.activity.replyToId;
    if (outcome.updateMessage && replyToId) {
      // The invoke response only changes the card for the person who clicked; update the message itself too.
      try {
        await context.updateActivity({ type: 'message', id: replyToId, attachments: [CardFactory.adaptiveCard(outcome.card)] });
      } catch (e) {
        this.deps.log.warn({ err: e, replyToId }, 'could not update the original message');
      }
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: outcome.card };
  }
}

function errorResponse(status: number, message: string): AdaptiveCardInvokeResponse {
  return { statusCode: status, type: 'application/vnd.microsoft.error', value: { code: status === 403 ? 'Forbidden' : 'BadRequest', message } as never };
}
