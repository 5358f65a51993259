import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
}

/**
 * A Bot Framework connector service on 127.0.0.1: what the bot posts replies, proactive messages and updates to
 * (`serviceUrl`). It records every call so tests can read what a user would have seen.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private next = 1;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (!m) {
          res.writeHead(404).end();
          return;
        }
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        const call: ConnectorCall = { method: req.method ?? '', path: req.url ?? '', conversationId: decodeURIComponent(m[1]!), activityId: m[2] && decodeURIComponent(m[2]), body };
        this.calls.push(call);
        const id = req.method === 'PUT' ? call.activityId : `activity-${this.next++}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
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
