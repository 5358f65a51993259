import type { AdaptiveCard } from './cards/templates.js';
import type { ConversationStore } from './conversations.js';
import type { Logger } from './log.js';
import { DeliveryError, type ConversationRecord, type Messenger, type TeamsMessenger } from './ports.js';

/** A person PlanPulse cannot message: the bot is not installed, was blocked, or is disabled by an administrator. */
export class UnreachableError extends Error {
  constructor(readonly aadObjectId: string, readonly reason: string) {
    super(`cannot message ${aadObjectId}: ${reason}`);
    this.name = 'UnreachableError';
  }
}

/** Teams' documented limits (msteams-docs rate-limit.md). */
export const TEAMS_LIMITS = { perConversation: [{ count: 7, ms: 1000 }, { count: 60, ms: 30_000 }], global: [{ count: 50, ms: 1000 }] };

/**
 * Sliding windows: how long until one more request fits under every limit. A request is counted from when it takes
 * its slot until it is answered, and then at the time of the answer: it reached Teams no later than that, so counting
 * by answer times can never put more requests in one of Teams' windows than the limit, however long each one took.
 */
class SlidingWindows {
  private readonly sent = new Map<string, { at: number }[]>();

  // A small margin on each window absorbs the difference between our clock and Teams'.
  constructor(private readonly windows: { count: number; ms: number }[], private readonly marginMs = 20) {}

  waitFor(key: string, now: number): number {
    const longest = Math.max(...this.windows.map((w) => w.ms + this.marginMs));
    const times = (this.sent.get(key) ?? []).filter((e) => now - e.at < longest);
    this.sent.set(key, times);
    const sorted = times.map((e) => e.at).sort((x, y) => x - y);
    let wait = 0;
    for (const w of this.windows) {
      const span = w.ms + this.marginMs;
      const inWindow = sorted.filter((t) => now - t < span);
      if (inWindow.length >= w.count) wait = Math.max(wait, inWindow[inWindow.length - w.count]! + span - now);
    }
    return wait;
  }

  /** Takes a slot now; the returned entry is moved to the answer's time when the request completes. */
  record(key: string, now: number): { at: number } {
    const entry = { at: now };
    this.sent.set(key, [...(this.sent.get(key) ?? []), entry]);
    return entry;
  }
}

/**
 * Runs `work` inside a proactive turn an SDK starts (`start` calls its logic with the turn's context) and returns its
 * result. SDKs hand errors thrown inside a turn to their own error handler; they are caught here instead, so the
 * caller sees every failed send, as the SDK-neutral error `asError` makes of it.
 */
export async function inProactiveTurn<C, T>(start: (logic: (context: C) => Promise<void>) => Promise<unknown>, work: (context: C) => Promise<T>, asError: (e: unknown) => unknown): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  try {
    await start(async (context) => {
      try {
        outcome = { ok: true, value: await work(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (!outcome) throw new Error('The proactive turn did not run');
  if (!outcome.ok) throw asError(outcome.error);
  return outcome.value;
}

/**
 * Teams asks for retries of 429, 412, 502, 503 and 504. An SDK's own HTTP pipeline may already retry some of them;
 * what still fails reaches this layer as a DeliveryError, which gets a bounded number of jittered retries here.
 */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export interface ReliableOptions {
  maxAttempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

/**
 * Delivery to Teams as its documentation asks: within the per-conversation and per-app limits, retrying
 * 429/412/502/503/504 after Retry-After or a jittered backoff (a bounded number of times), recreating a 1:1
 * conversation Teams no longer knows (404), and marking people unreachable on 403 rather than retrying for ever.
 */
export class ReliableMessenger implements Messenger {
  private readonly perConversation = new SlidingWindows(TEAMS_LIMITS.perConversation);
  private readonly global = new SlidingWindows(TEAMS_LIMITS.global);
  private queue: Promise<unknown> = Promise.resolve();
  private readonly options: ReliableOptions;

  constructor(
    private readonly inner: TeamsMessenger,
    private readonly conversations: ConversationStore,
    private readonly log: Logger,
    options: Partial<ReliableOptions> = {},
  ) {
    this.options = { maxAttempts: 3, baseDelayMs: 1000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random, now: Date.now, ...options };
  }

  async sendCard(to: ConversationRecord, card: AdaptiveCard, summary: string): Promise<string> {
    return this.deliver(to, (conversation) => this.inner.sendCard(conversation, card, summary));
  }

  async updateCard(to: ConversationRecord, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.deliver(to, (conversation) => this.inner.updateCard(conversation, activityId, card), false);
  }

  /**
   * Waits for a slot under every limit; requests take slots one at a time so bursts cannot overshoot. Returns the
   * function that marks the request answered.
   */
  private slot(conversationId: string): Promise<() => void> {
    const take = async () => {
      for (;;) {
        const now = this.options.now();
        const wait = Math.max(this.global.waitFor('app', now), this.perConversation.waitFor(conversationId, now));
        if (wait <= 0) break;
        await this.options.sleep(wait);
      }
      const now = this.options.now();
      const entries = [this.global.record('app', now), this.perConversation.record(conversationId, now)];
      return () => {
        const answered = this.options.now();
        for (const e of entries) e.at = Math.max(e.at, answered);
      };
    };
    const run = this.queue.then(take, take);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async deliver<T>(to: ConversationRecord, send: (c: ConversationRecord) => Promise<T>, mayRecreate = true): Promise<T> {
    let conversation = to;
    let recreated = false;
    for (let attempt = 1; ; attempt++) {
      const answered = await this.slot(conversation.conversationId);
      try {
        const result = await send(conversation);
        answered();
        return result;
      } catch (e) {
        answered();
        const status = e instanceof DeliveryError ? e.status : undefined;
        if (status === 403) {
          const reason = (e as DeliveryError).detail || 'Forbidden';
          await this.conversations.markUnreachable(to.aadObjectId, reason, new Date(this.options.now()).toISOString());
          this.log.warn({ to: to.aadObjectId, reason }, 'person unreachable in Teams; not retrying');
          throw new UnreachableError(to.aadObjectId, reason);
        }
        if (status === 404 && mayRecreate && !recreated) {
          // Teams no longer knows the chat: open a new 1:1 with the person by their Entra id and send there.
          recreated = true;
          conversation = await this.inner.createPersonalConversation(conversation);
          await this.conversations.save(conversation);
          this.log.info({ to: to.aadObjectId }, 'recreated the 1:1 conversation');
          continue;
        }
        if (!status || !RETRYABLE.has(status) || attempt >= this.options.maxAttempts) throw e;
        const backoff = this.options.baseDelayMs * 2 ** (attempt - 1);
        const delay = (e as DeliveryError).retryAfterMs ?? backoff / 2 + this.options.random() * backoff;
        this.log.info({ to: to.aadObjectId, status, attempt, delay }, 'Teams asked us to retry');
        await this.options.sleep(delay);
      }
    }
  }
}
