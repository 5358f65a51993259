import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../cards/templates.js';
import type { ConversationRecord } from '../state/conversations.js';
import type { Messenger } from './messenger.js';

export function toConversationReference(record: ConversationRecord): Partial<ConversationReference> {
  return {
    channelId: record.channelId,
    serviceUrl: record.serviceUrl,
    conversation: { id: record.conversationId, isGroup: false, conversationType: 'personal', tenantId: record.tenantId, name: '' },
    user: { id: record.userId, name: record.userName ?? '', aadObjectId: record.aadObjectId },
    bot: { id: record.botId, name: record.botName ?? 'PlanPulse' },
  };
}

/** Proactive sends through `continueConversationAsync`, the Bot Framework's supported way to message later. */
export class BotFrameworkMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string> {
    let id = '';
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(to), async (context) => {
      const sent = await context.sendActivity({ type: 'message', summary, attachments: [CardFactory.adaptiveCard(card)] });
      id = sent?.id ?? '';
    });
    return id;
  }

  async updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(to), async (context) => {
      await context.updateActivity({ type: 'message', id: activityId, attachments: [CardFactory.adaptiveCard(card)] });
    });
  }
}
