import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
  /** When the message was delivered (ms since epoch). */
  at?: number;
}

/**
 * A Bot Framework connector service on 127.0.0.1: what the bot posts replies, proactive messages and updates to
 * (`serviceUrl`). It records every call so tests can read what a user would have seen.
 */
export interface ScriptedFailure {
  /** A conversation id, or "*" for any. */
  conversationId: string;
  status: number;
  count: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ConnectorOptions {
  /** Enforce Teams' rate limits, answering 429 with Retry-After when the bot exceeds them. */
  enforceLimits?: boolean;
  /** Hold each reply this long; a message counts as delivered only if the bot is still there to get the reply. */
  delayMs?: number;
}

export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Requests answered 429 because the bot exceeded a limit. */
  readonly throttled: string[] = [];
  /** Conversation ids of every message request as it arrives, delivered or not. */
  readonly arrivals: string[] = [];
  /** Every scripted failure served: which chat, what status, when. */
  readonly failed: { conversationId: string; status: number; at: number }[] = [];
  readonly createdConversations: Record<string, unknown>[] = [];
  private readonly failures: ScriptedFailure[] = [];
  private readonly times = new Map<string, number[]>();
  private server?: Server;
  private next = 1;

  constructor(private readonly options: ConnectorOptions = {}) {}

  failNext(failure: ScriptedFailure): void {
    this.failures.push({ ...failure });
  }

  /** Whether another request now would break Teams' limits (7/s and 60/30 s per conversation, 50/s per app). */
  private overLimit(conversationId: string, now: number): boolean {
    const within = (key: string, ms: number) => (this.times.get(key) ?? []).filter((t) => now - t < ms).length;
    const over = within(conversationId, 1000) >= 7 || within(conversationId, 30_000) >= 60 || within('*', 1000) >= 50;
    if (!over) for (const key of [conversationId, '*']) this.times.set(key, [...(this.times.get(key) ?? []), now]);
    return over;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        if (req.method === 'POST' && req.url === '/v3/conversations') {
          this.createdConversations.push(body);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `a:recreated-${this.next++}` }));
          return;
        }
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (!m) {
          res.writeHead(404).end();
          return;
        }
        const call: ConnectorCall = { method: req.method ?? '', path: req.url ?? '', conversationId: decodeURIComponent(m[1]!), activityId: m[2] && decodeURIComponent(m[2]), body };
        this.arrivals.push(call.conversationId);
        const failure = this.failures.find((f) => f.count > 0 && (f.conversationId === '*' || f.conversationId === call.conversationId));
        if (failure) {
          failure.count -= 1;
          this.failed.push({ conversationId: call.conversationId, status: failure.status, at: Date.now() });
          res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(JSON.stringify(failure.body ?? { error: { code: 'Failure', message: 'scripted' } }));
          return;
        }
        if (this.options.enforceLimits && this.overLimit(call.conversationId, Date.now())) {
          this.throttled.push(call.conversationId);
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ error: { code: 'Throttled', message: 'Too many requests' } }));
          return;
        }
        const reply = () => {
          if (req.socket.destroyed) return; // the bot went away before hearing back: not delivered
          this.calls.push({ ...call, at: Date.now() });
          const id = req.method === 'PUT' ? call.activityId : `activity-${this.next++}`;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
        };
        if (this.options.delayMs) setTimeout(reply, this.options.delayMs);
        else reply();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** Messages posted (not updates), newest last. */
  sent(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST');
  }

  updates(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'PUT');
  }

  clear(): void {
    this.calls.length = 0;
  }
}

/** The Adaptive Card in an activity sent through the connector. */
export function cardOf(call: ConnectorCall): Record<string, unknown> {
  const attachments = call.body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`No Adaptive Card in ${JSON.stringify(call.body).slice(0, 300)}`);
  return card;
}

/** Every TextBlock/FactSet text and action title in a card, for asserting what a person reads. */
export function textOf(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string') out.push(o.title);
      if (typeof o.value === 'string' && o.type === undefined) out.push(o.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}
