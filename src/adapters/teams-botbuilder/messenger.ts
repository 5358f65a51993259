import { CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../app/cards/templates.js';
import { inProactiveTurn } from '../../app/delivery.js';
import { DeliveryError, type ConversationRecord, type TeamsMessenger } from '../../app/ports.js';

export function toConversationReference(record: ConversationRecord): Partial<ConversationReference> {
  return {
    channelId: record.channelId,
    serviceUrl: record.serviceUrl,
    conversation: { id: record.conversationId, isGroup: false, conversationType: 'personal', tenantId: record.tenantId, name: '' },
    user: { id: record.userId, name: record.userName ?? '', aadObjectId: record.aadObjectId },
    bot: { id: record.botId, name: record.botName ?? 'PlanPulse' },
  };
}

interface BotbuilderHttpError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string>; bodyAsText?: string };
}

/** botbuilder's connector errors (statusCode, response headers and body) as the SDK-neutral DeliveryError. */
function asDeliveryError(e: unknown): unknown {
  const err = e as BotbuilderHttpError;
  if (typeof err?.statusCode !== 'number') return e;
  const headers = err.response?.headers;
  const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const detail = [err.code, err.response?.bodyAsText, err.message].filter(Boolean).join(' ').slice(0, 300);
  return new DeliveryError(err.statusCode, detail, DeliveryError.retryAfterMs(retryAfter));
}

/**
 * botbuilder's connector retries 429 and 5xx inside its HTTP pipeline, out of sight of PlanPulse's rate limiter, so
 * its retries take no slot and 429s cascade under load. Its retry policies are removed for each proactive turn:
 * every retry then goes through the delivery policy and waits for a slot like a first try.
 */
function withoutHiddenRetries(context: TurnContext, adapter: CloudAdapter): void {
  const connector = context.turnState.get(adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(options: { phase: string }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/** Proactive sends through `continueConversationAsync`, the Bot Framework's supported way to message later. */
export class BotbuilderMessenger implements TeamsMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  private inConversation<T>(to: ConversationRecord, work: (context: TurnContext) => Promise<T>): Promise<T> {
    return inProactiveTurn(
      (logic) =>
        this.adapter.continueConversationAsync(this.appId, toConversationReference(to), async (context) => {
          withoutHiddenRetries(context, this.adapter);
          await logic(context);
        }),
      work,
      asDeliveryError,
    );
  }

  async sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string> {
    const sent = await this.inConversation(to, (context) => context.sendActivity({ type: 'message', summary, attachments: [CardFactory.adaptiveCard(card)] }));
    return sent?.id ?? '';
  }

  async updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.inConversation(to, (context) => context.updateActivity({ type: 'message', id: activityId, attachments: [CardFactory.adaptiveCard(card)] }));
  }

  async createPersonalConversation(like: ConversationRecord): Promise<ConversationRecord> {
    let conversationId = '';
    try {
      await this.adapter.createConversationAsync(
        this.appId,
        like.channelId,
        like.serviceUrl,
        '',
        { isGroup: false, bot: { id: like.botId, name: like.botName ?? 'PlanPulse' }, members: [{ id: like.aadObjectId, name: like.userName ?? '' }], tenantId: like.tenantId } as never,
        async (context) => {
          conversationId = context.activity.conversation.id;
        },
      );
    } catch (e) {
      throw asDeliveryError(e);
    }
    if (!conversationId) throw new Error(`Teams did not open a conversation with ${like.aadObjectId}`);
    return { ...like, conversationId, updatedAt: new Date().toISOString() };
  }
}
