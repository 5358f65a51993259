import { CardFactory, HttpError, MessageFactory, type CloudAdapter, type TurnContext } from '@microsoft/agents-hosting';
import { Activity, type ConversationParameters, type ConversationReference } from '@microsoft/agents-activity';
import type { AdaptiveCard } from '../../app/cards/templates.js';
import { inProactiveTurn } from '../../app/delivery.js';
import { DeliveryError, type ConversationRecord, type TeamsMessenger } from '../../app/ports.js';

/** The Agents SDK validates references with zod: no empty names, and the bot is the `agent`. */
export function toConversationReference(record: ConversationRecord): ConversationReference {
  return {
    channelId: record.channelId,
    serviceUrl: record.serviceUrl,
    conversation: { id: record.conversationId, isGroup: false, conversationType: 'personal', tenantId: record.tenantId },
    user: { id: record.userId, name: record.userName, aadObjectId: record.aadObjectId },
    agent: { id: record.botId, name: record.botName ?? 'PlanPulse' },
  } as ConversationReference;
}

/** The Agents SDK's HttpError (status, fetch Headers, parsed body) as the SDK-neutral DeliveryError. */
function asDeliveryError(e: unknown): unknown {
  if (!(e instanceof HttpError)) return e;
  const body = (e.response as { data?: { error?: { code?: string; message?: string } } } | undefined)?.data;
  const detail = [body?.error?.code, body?.error?.message, e.message].filter(Boolean).join(' ').slice(0, 300);
  return new DeliveryError(e.status, detail, DeliveryError.retryAfterMs(e.response?.headers?.get?.('retry-after')));
}

/** Proactive sends through the Agents SDK's `continueConversation`. */
export class AgentsMessenger implements TeamsMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The SDK refuses an empty app id even when it fetches no token (local mode). */
    private readonly appId: string,
  ) {}

  private inConversation<T>(to: ConversationRecord, work: (context: TurnContext) => Promise<T>): Promise<T> {
    return inProactiveTurn((logic) => this.adapter.continueConversation(this.appId, toConversationReference(to), logic), work, asDeliveryError);
  }

  async sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string> {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    activity.summary = summary;
    const sent = await this.inConversation(to, (context) => context.sendActivity(activity));
    return sent?.id ?? '';
  }

  async updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.inConversation(to, (context) => context.updateActivity(Activity.fromObject({ type: 'message', id: activityId, attachments: [CardFactory.adaptiveCard(card)] })));
  }

  async createPersonalConversation(like: ConversationRecord): Promise<ConversationRecord> {
    let conversationId = '';
    const bot = { id: like.botId, name: like.botName ?? 'PlanPulse' };
    // The SDK names the bot `agent`; the Bot Connector REST API reads `bot`: send both.
    const parameters = { isGroup: false, agent: bot, bot, members: [{ id: like.aadObjectId }], tenantId: like.tenantId, channelData: { tenant: { id: like.tenantId } } } as unknown as ConversationParameters;
    try {
      await this.adapter.createConversationAsync(this.appId, like.channelId, like.serviceUrl, 'https://api.botframework.com', parameters, async (context) => {
        conversationId = context.activity.conversation?.id ?? '';
      });
    } catch (e) {
      throw asDeliveryError(e);
    }
    if (!conversationId) throw new Error(`Teams did not open a conversation with ${like.aadObjectId}`);
    return { ...like, conversationId, updatedAt: new Date().toISOString() };
  }
}
