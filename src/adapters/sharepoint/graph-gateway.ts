import { AsyncLocalStorage } from 'node:async_hooks';
import { bulkhead, DelegateBackoff, ExponentialBackoff, handleWhenResult, retry, TaskCancelledError, timeout, TimeoutStrategy, wrap, type IRetryBackoffContext } from 'cockatiel';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../../app/log.js';
import { ServiceBusyError } from '../../app/ports.js';

export type RequestKind = 'pages' | 'people' | 'writes' | 'batch' | 'other';

/** How a request counts in the run's log. */
export function kindOf(method: string, url: string): RequestKind {
  if (/\/\$batch(\?|$)/.test(url)) return 'batch';
  if (/\/users\/|User%20Information%20List|User Information List/.test(url)) return 'people';
  if (method !== 'GET') return 'writes';
  if (/\/items(\/delta)?(\?|$)/.test(url)) return 'pages';
  return 'other';
}

/**
 * SharePoint kept refusing PlanPulse for longer than the run may wait. Says when to come back; what was read so far
 * is kept (delta links), so the next run resumes.
 */
export class GraphBusyError extends ServiceBusyError {
  constructor(
    retryAt: Date,
    readonly waitedMs: number,
  ) {
    super(`SharePoint is throttling PlanPulse (429/503) and asked it to wait until ${retryAt.toISOString()}; PlanPulse had already waited ${Math.round(waitedMs / 1000)} s, its limit for one run.`, retryAt);
    this.name = 'GraphBusyError';
  }

  /** The Graph client wraps what a middleware throws in a GraphError (code = our name); this recovers ours. */
  static from(e: unknown): GraphBusyError | undefined {
    if (e instanceof GraphBusyError) return e;
    const wrapped = e as { code?: string; message?: string };
    if (wrapped?.code !== 'GraphBusyError') return undefined;
    const at = /until (\S+);/.exec(wrapped.message ?? '')?.[1];
    const waited = /already waited (\d+) s/.exec(wrapped.message ?? '')?.[1];
    return new GraphBusyError(new Date(at ?? Date.now()), Number(waited ?? 0) * 1000);
  }
}

/** One run's share of the gateway: what it may wait in all, and what it used. */
interface Scope {
  name: string;
  maxWaitMs: number;
  waitedMs: number;
  counts: Record<RequestKind, number>;
}

export interface GatewayOptions {
  /** A run's requests in flight at once. SharePoint throttles per app, so a few is faster than many. */
  concurrency: number;
  /** Clicks' requests in flight at once: each is one small read or write that a person is waiting for. */
  interactiveConcurrency: number;
  /** Attempts per request (the first included). */
  maxAttempts: number;
  /** What one run may spend waiting for SharePoint in all, before it stops with a clear message. */
  maxWaitMs: number;
  /** What a single click may wait: Teams gives up on a card action after about 15 seconds. */
  interactiveMaxWaitMs: number;
  /** First backoff when SharePoint sends no Retry-After; doubles, with jitter. */
  initialDelayMs: number;
  /** A request with no answer by then is abandoned (and a read retried): a hung connection never stalls a run. */
  requestTimeoutMs: number;
  log: Logger;
}

const THROTTLED = new Set([429, 503]);
const RETRYABLE = new Set([429, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

function retryAfterMs(response: Response | undefined): number | undefined {
  const header = response?.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(header) - Date.now());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one way to Microsoft Graph: a middleware in the Graph client's chain, so every request of every adapter passes
 * it. It bounds the requests in flight (cockatiel bulkhead), retries what SharePoint asks to be retried (cockatiel
 * retry: Retry-After when given, else exponential backoff with jitter), and keeps one shared pause: when any answer
 * is 429 or 503 with Retry-After — SharePoint throttles the whole app — no request starts until that time has passed.
 * `RateLimit-Remaining: 0` pauses until `RateLimit-Reset`. Each run has a cap on its total waiting, past which it
 * stops with GraphBusyError, and counts its requests by kind.
 */
export class GraphGateway implements Middleware {
  private next?: Middleware;
  private pausedUntil = 0;
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private readonly background: Scope;
  /** Per kind of caller (runs, clicks): requests safe to repeat, retried on 429, 503, 504 and a dropped connection… */
  private readonly reads;
  /** …and writes, retried only when SharePoint says it did not run them (429, 503); a 504 or a reset may have applied. */
  private readonly writes;
  private readonly perAttempt;

  constructor(private readonly options: GatewayOptions) {
    this.background = this.newScope('background', options.interactiveMaxWaitMs);
    const exponential = new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: 60_000 });
    const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, ReturnType<typeof exponential.next> | undefined>((context, previous) => {
      const state = previous ? previous.next(undefined) : exponential.next();
      const response = 'value' in context.result ? (context.result.value as Response) : undefined;
      // The shared pause does the waiting asked for by Retry-After; the backoff covers answers without one.
      const delay = retryAfterMs(response) !== undefined ? 0 : state.duration;
      return { delay, state };
    });
    const dropped = (e: Error) => !(e instanceof GraphBusyError) && (e instanceof TypeError || e instanceof TaskCancelledError || e.name === 'AbortError' || (e as NodeJS.ErrnoException).code === 'ECONNRESET');
    const readsRetryWhen = handleWhenResult((r) => r instanceof Response && RETRYABLE.has(r.status)).orWhen(dropped);
    const writesRetryWhen = handleWhenResult((r) => r instanceof Response && THROTTLED.has(r.status));
    const policies = (limit: number) => {
      const inFlight = bulkhead(limit, Number.MAX_SAFE_INTEGER);
      return {
        reads: wrap(inFlight, retry(readsRetryWhen, { maxAttempts: options.maxAttempts - 1, backoff })),
        writes: wrap(inFlight, retry(writesRetryWhen, { maxAttempts: options.maxAttempts - 1, backoff })),
      };
    };
    // The body is read after the middleware returns: the signal must stay live then (abortOnReturn: false).
    // A click gets no longer than Teams waits for its answer; a run, the full limit.
    const attemptTimeout = (ms: number) => timeout(ms, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    this.perAttempt = { runs: attemptTimeout(options.requestTimeoutMs), clicks: attemptTimeout(Math.min(options.requestTimeoutMs, options.interactiveMaxWaitMs)) };
    const runs = policies(options.concurrency);
    const clicks = policies(options.interactiveConcurrency);
    this.reads = { runs: runs.reads, clicks: clicks.reads };
    this.writes = { runs: runs.writes, clicks: clicks.writes };
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  private newScope(name: string, maxWaitMs: number): Scope {
    return { name, maxWaitMs, waitedMs: 0, counts: { pages: 0, people: 0, writes: 0, batch: 0, other: 0 } };
  }

  private get scope(): Scope {
    return this.scopes.getStore() ?? this.background;
  }

  /**
   * Runs `work` as one run: its requests are counted together and logged at the end, and together they may wait at
   * most `maxWaitMs` (default: the gateway's per-run cap).
   */
  async run<T>(name: string, work: () => Promise<T>, maxWaitMs = this.options.maxWaitMs): Promise<{ result: T; counts: Record<RequestKind, number>; waitedMs: number }> {
    const scope = this.newScope(name, maxWaitMs);
    try {
      const result = await this.scopes.run(scope, work);
      return { result, counts: scope.counts, waitedMs: scope.waitedMs };
    } finally {
      const total = Object.values(scope.counts).reduce((a, b) => a + b, 0);
      this.options.log.info({ run: name, graphRequests: total, ...scope.counts, waitedMs: Math.round(scope.waitedMs) }, 'Graph requests in this run');
    }
  }

  /** Pauses every request until `until` (epoch ms), e.g. for a throttled request inside a $batch. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Waits out the shared pause, or stops the run when the wait would pass its cap. */
  async waitForTurn(): Promise<void> {
    const scope = this.scope;
    // A run's waits add up against its cap. Clicks share the background scope for the life of the process, so each
    // request is held to the cap on its own: waits summed over every click ever made would soon refuse them all.
    const start = scope === this.background ? 0 : scope.waitedMs;
    let waited = 0;
    for (;;) {
      const wait = this.pausedUntil - Date.now();
      if (wait <= 0) return;
      if (start + waited + wait > scope.maxWaitMs) throw new GraphBusyError(new Date(this.pausedUntil), start + waited);
      await sleep(wait);
      waited += wait;
      if (scope !== this.background) scope.waitedMs += wait;
    }
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('GraphGateway is not in a middleware chain');
    const next = this.next;
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const scope = this.scope;
    const caller = scope === this.background ? 'clicks' : 'runs';
    const policy = (IDEMPOTENT.has(method) ? this.reads : this.writes)[caller];
    const response = await policy.execute(async () => {
      await this.waitForTurn();
      scope.counts[kindOf(method, url)] += 1;
      // Each attempt has its own time limit (not counting the shared pause); a write that times out is not
      // repeated: it may have applied, and the change's own record settles that.
      await this.perAttempt[caller].execute(({ signal }) => {
        context.options = { ...context.options, signal };
        return next.execute(context);
      });
      const answer = context.response!;
      this.notice(answer);
      return answer;
    });
    if (THROTTLED.has(response.status)) {
      // Out of attempts while SharePoint still refuses: stop the run rather than fail one request quietly.
      throw new GraphBusyError(new Date(this.pausedUntil || Date.now() + (retryAfterMs(response) ?? 0)), scope.waitedMs);
    }
  }

  /** Learns from every answer: throttling pauses everyone, and so does a budget SharePoint says is spent. */
  private notice(answer: Response): void {
    const after = retryAfterMs(answer);
    if (THROTTLED.has(answer.status)) {
      this.pauseUntil(Date.now() + (after ?? this.options.initialDelayMs));
      this.options.log.info({ status: answer.status, retryAfterMs: after }, 'SharePoint is throttling PlanPulse: every request waits');
      return;
    }
    const remaining = answer.headers.get('ratelimit-remaining');
    const reset = Number(answer.headers.get('ratelimit-reset'));
    if (remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset)) this.pauseUntil(Date.now() + reset * 1000);
  }
}
