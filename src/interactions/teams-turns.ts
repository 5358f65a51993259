import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AdaptiveCard } from '../app/cards/templates.js';
import { messageCard } from '../app/cards/views.js';
import type { Actor, AppDeps } from '../app/context.js';
import type { ChatMessage } from '../app/feature.js';
import type { CommandReply } from '../app/outcomes.js';
import { ServiceBusyError, type ChatFile, type ConversationRecord, type TeamsMessenger } from '../app/ports.js';
import { claimWelcome, forgetWelcome } from '../app/send.js';
import { langOfLocale, t, type Lang } from '../app/i18n.js';
import { languageFor } from '../app/language.js';
import type { CardVerbRouter } from './card-verbs.js';
import type { ChatCommands } from './chat-commands.js';

/** A 1:1 chat as an activity describes it, before we know whether to keep it. */
export interface ChatSeen {
  aadObjectId?: string;
  userId: string;
  userName?: string;
  conversationId?: string;
  conversationType?: string;
  serviceUrl?: string;
  channelId?: string;
  botId: string;
  botName?: string;
}

/** The Bot Framework activity fields PlanPulse reads; both Teams SDKs' activities have this shape. */
export interface ActivityFields {
  type?: string;
  from?: { id?: string; name?: string; aadObjectId?: string };
  recipient?: { id?: string; name?: string };
  conversation?: { id?: string; conversationType?: string; tenantId?: string };
  channelData?: unknown;
  serviceUrl?: string;
  channelId?: string;
  /** The person's Teams language, e.g. "cy-GB". */
  locale?: string;
}

/** A message activity's fields PlanPulse reads. */
export interface MessageFields {
  id?: string;
  text?: string;
  attachments?: { contentType?: string; name?: string; content?: unknown; contentUrl?: string }[];
}

/** Teams' attachment for a file a person sent to the bot in the 1:1 chat (manifest `supportsFiles`). */
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/**
 * The message as the chat commands read it. A file arrives as a download-info attachment whose `content.downloadUrl`
 * is short-lived and pre-authenticated; a picture pasted into the message arrives as an image attachment the bot
 * cannot store as a file, and is counted so the person can be told how to send it instead.
 */
export function chatMessageOf(a: MessageFields): ChatMessage {
  const files: ChatFile[] = [];
  let pastedPictures = 0;
  for (const attachment of a.attachments ?? []) {
    const content = (attachment.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
    if (attachment.contentType === FILE_DOWNLOAD_INFO && typeof content.downloadUrl === 'string')
      files.push({ name: String(attachment.name ?? ''), downloadUrl: content.downloadUrl, ...(typeof content.fileType === 'string' && { fileType: content.fileType }) });
    else if (attachment.contentType?.startsWith('image/')) pastedPictures += 1;
  }
  return { text: a.text ?? '', files, pastedPictures, id: a.id };
}

export function tenantOf(a: ActivityFields): string | undefined {
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

export function actorOf(a: ActivityFields): (Actor & { locale?: string }) | undefined {
  return a.from?.aadObjectId ? { aadObjectId: a.from.aadObjectId, name: a.from.name || 'Unknown user', locale: a.locale } : undefined;
}

export function chatOf(a: ActivityFields): ChatSeen {
  return {
    aadObjectId: a.from?.aadObjectId, userId: a.from?.id ?? '', userName: a.from?.name, conversationId: a.conversation?.id, conversationType: a.conversation?.conversationType,
    serviceUrl: a.serviceUrl, channelId: a.channelId, botId: a.recipient?.id ?? '', botName: a.recipient?.name,
  };
}

/** The body of an `adaptiveCard/action` invoke response (Universal Actions). */
export interface InvokeAnswer {
  statusCode: number;
  type: 'application/vnd.microsoft.card.adaptive' | 'application/vnd.microsoft.error';
  value: AdaptiveCard | { code: string; message: string };
}

/** Where a card action came from: the chat, and the message holding the clicked card. */
export interface CardOrigin {
  chat: ChatSeen;
  replyToId?: string;
}

const errorAnswer = (status: number, message: string): InvokeAnswer => ({ statusCode: status, type: 'application/vnd.microsoft.error', value: { code: status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : 'BadRequest', message } });

/**
 * What PlanPulse does with each kind of Teams activity, whichever SDK delivered it: refuse other tenants, remember
 * 1:1 chats, answer typed commands and card actions. Each Teams adapter only translates its SDK's turn to these calls.
 */
export class TeamsTurns {
  constructor(
    private readonly deps: AppDeps,
    private readonly verbs: CardVerbRouter,
    private readonly commands: ChatCommands,
  ) {}

  /** Every activity from a tenant that is not ours is refused before any handler sees it. */
  servesTenant(tenantId: string | undefined, activityType: string): boolean {
    if (tenantId === this.deps.tenantId) return true;
    this.deps.log.warn({ tenant: tenantId, type: activityType }, 'activity from another tenant refused');
    return false;
  }

  readonly otherTenantAnswer: InvokeAnswer = errorAnswer(403, 'This PlanPulse installation serves another organisation.');

  /** Keeps the 1:1 chat so the person can be messaged later; group chats and channels are not kept. */
  async remember(chat: ChatSeen): Promise<void> {
    const record = this.recordOf(chat);
    if (record) await this.deps.conversations.remember(record);
  }

  private recordOf(chat: ChatSeen): ConversationRecord | undefined {
    if (!chat.aadObjectId || !chat.conversationId || !chat.serviceUrl) return undefined;
    if (chat.conversationType && chat.conversationType !== 'personal') return undefined;
    return {
      tenantId: this.deps.tenantId,
      aadObjectId: chat.aadObjectId,
      userId: chat.userId,
      userName: chat.userName,
      conversationId: chat.conversationId,
      serviceUrl: chat.serviceUrl,
      channelId: chat.channelId ?? 'msteams',
      botId: chat.botId,
      botName: chat.botName,
      updatedAt: this.deps.clock.now().toISOString(),
    };
  }

  /**
   * The person removed PlanPulse: their chat is forgotten, and they are marked so that PlanPulse never installs
   * itself for them again (installing it themselves clears the mark, and welcomes them again).
   */
  async forget(aadObjectId: string | undefined): Promise<void> {
    if (!aadObjectId) return;
    await this.deps.conversations.markUnreachable(aadObjectId, 'they removed PlanPulse from their Teams', this.deps.clock.now().toISOString());
    await this.deps.conversations.remove(this.deps.tenantId, aadObjectId);
    await forgetWelcome(this.deps, aadObjectId);
  }

  /**
   * The welcome for a new installation, or undefined when the person was already welcomed: PlanPulse installing
   * itself for someone welcomes them too, and Teams then tells the bot of the installation as well.
   */
  async welcome(chat: ChatSeen, locale?: string, action?: string): Promise<AdaptiveCard | undefined> {
    await this.remember(chat);
    // An upgrade of the app is not a new installation: nobody is welcomed again for it.
    if (action === 'add-upgrade') return undefined;
    if (chat.aadObjectId && !(await claimWelcome(this.deps, chat.aadObjectId))) return undefined;
    const lang = chat.aadObjectId ? await languageFor(this.deps, chat.aadObjectId, locale) : langOfLocale(locale);
    return this.commands.helpCard(t(lang, 'welcome.prefix'), lang);
  }

  /** The person with the language to answer them in (their choice, else this activity's locale). */
  private async speaking(actor: Actor & { locale?: string }): Promise<Actor> {
    const { locale, ...person } = actor;
    return { ...person, lang: await languageFor(this.deps, actor.aadObjectId, locale) };
  }

  async message(someone: (Actor & { locale?: string }) | undefined, activity: MessageFields): Promise<CommandReply> {
    if (!someone) return { text: t(langOfLocale((activity as ActivityFields).locale), 'turns.signedInOnly') };
    let actor: Actor = someone;
    try {
      actor = await this.speaking(someone);
      return await this.commands.answer(chatMessageOf(activity), actor);
    } catch (e) {
      return { text: this.failureFor(e, actor.lang) };
    }
  }

  /** What a person is told when their request failed: never silence, never a stack. */
  private failureFor(e: unknown, lang: Lang = 'en'): string {
    if (e instanceof ServiceBusyError) {
      const at = e.retryAt.toLocaleTimeString(lang === 'cy' ? 'cy-GB' : 'en-GB', { timeZone: this.deps.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' });
      return t(lang, 'turns.busy', { at });
    }
    this.deps.log.error({ err: e }, 'a conversation turn failed');
    return t(lang, 'turns.failure');
  }

  async cardAction(someone: (Actor & { locale?: string }) | undefined, verb: unknown, data: unknown, origin?: CardOrigin): Promise<InvokeAnswer> {
    if (!someone) return errorAnswer(401, 'PlanPulse could not tell who you are. Please use it from Microsoft Teams.');
    if (origin) await this.remember(origin.chat);
    let outcome: Awaited<ReturnType<CardVerbRouter['execute']>>;
    let actor: Actor = someone;
    const failed = (text: string) => ({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' as const, value: messageCard(t(actor.lang ?? 'en', 'turns.didNotWork'), text, 'attention', { backToTasks: true, lang: actor.lang }) });
    try {
      actor = await this.speaking(someone);
      outcome = await this.verbs.execute(verb, data, actor);
    } catch (e) {
      return failed(this.failureFor(e, actor.lang));
    }
    if (outcome.kind === 'error') {
      // A request the card itself got wrong is a protocol error; anything the person can act on is shown in a card.
      if (outcome.status === 400) return errorAnswer(400, outcome.message);
      return failed(outcome.message);
    }
    if (outcome.updateMessage) this.replaceOriginal(origin, outcome.card);
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: outcome.card };
  }

  /**
   * The invoke answer changes the card only in the clicking client; the message itself is replaced too, so the card
   * does not revert on another device or a reload. That goes through the delivery policy (Teams' limits, retries) after
   * the answer, so a burst of clicks is neither slowed by it nor turned into 429s.
   */
  private replaceOriginal(origin: CardOrigin | undefined, card: AdaptiveCard): void {
    const record = origin && this.recordOf(origin.chat);
    if (!record || !origin.replyToId) return;
    const replyToId = origin.replyToId;
    const update = this.deps.messenger.updateCard(record, replyToId, card).catch((e: unknown) => this.deps.log.warn({ err: e, replyToId }, 'could not update the original message'));
    this.pendingUpdates.add(update);
    void update.finally(() => this.pendingUpdates.delete(update));
  }

  private readonly pendingUpdates = new Set<Promise<unknown>>();

  /** Waits for the original cards still being replaced (a clean shutdown, or a test looking at the chat). */
  async settled(): Promise<void> {
    while (this.pendingUpdates.size) await Promise.all(this.pendingUpdates);
  }

  /** Answer when a turn failed unexpectedly (the SDK's last resort, language unknown): the person always hears something. */
  readonly failureText = t('en', 'turns.failure');
}

/** Handles one POST to /api/messages (the Teams adapter provides it, so the HTTP host stays SDK-free). */
export type MessagesHandler = (req: Request, res: Response) => Promise<void>;

/** The bot's identity as the Azure Bot resource knows it; none of it in local mode. */
export interface TeamsEdgeSettings {
  appId?: string;
  appPassword?: string;
  appTenantId?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  /**
   * Where the keys that sign Teams' tokens are published; Microsoft's own endpoints when absent. Only a test sets
   * these, to prove forged tokens are refused without calling Microsoft.
   */
  signingKeys?: { botFrameworkOpenIdMetadataUrl: string; entraAuthority: string };
}

/** One Teams SDK plugged in: the handler for incoming activities and the messenger for proactive sends. */
export interface TeamsEdge {
  sdk: 'botbuilder' | 'agents';
  messenger: TeamsMessenger;
  handler(turns: TeamsTurns): MessagesHandler;
}

const text = (max: number) => z.string().max(max).nullish();
const account = z.looseObject({ id: z.string().min(1).max(1024), name: text(1024), aadObjectId: text(128) });

/** The Bot Framework activity shape PlanPulse relies on, checked before any SDK sees a request. */
const activitySchema = z
  .looseObject({
    type: z.string().min(1).max(64),
    id: text(1024),
    name: text(256),
    text: text(100_000),
    serviceUrl: text(2048),
    channelId: text(64),
    replyToId: text(1024),
    from: account.optional(),
    recipient: account.optional(),
    conversation: z.looseObject({ id: z.string().min(1).max(2048), conversationType: text(64), tenantId: text(128) }).optional(),
    locale: text(32),
    channelData: z.looseObject({}).nullish(),
    value: z.unknown().optional(),
    attachments: z.array(z.looseObject({ contentType: text(256), name: text(1024), contentUrl: text(8192) })).max(50).nullish(),
  })
  .superRefine((a, ctx) => {
    if (['message', 'invoke', 'conversationUpdate', 'installationUpdate'].includes(a.type)) {
      if (!a.conversation) ctx.addIssue({ code: 'custom', path: ['conversation'], message: 'is required' });
      if (!a.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required' });
    }
    if (a.type === 'invoke' && a.name === 'adaptiveCard/action') {
      const value = a.value as { action?: unknown } | undefined;
      if (!value || typeof value !== 'object' || Array.isArray(value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be an object with the card action' });
      else if (!value.action || typeof value.action !== 'object' || Array.isArray(value.action)) ctx.addIssue({ code: 'custom', path: ['value', 'action'], message: 'must be an object' });
    }
  });

/** Why a request body is not an activity PlanPulse can handle, or undefined when it is one. */
export function activityProblem(body: unknown): string | undefined {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return undefined;
  return parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'activity'} ${i.message}`).join('; ');
}
