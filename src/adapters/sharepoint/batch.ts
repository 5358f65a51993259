import type { Client } from '@microsoft/microsoft-graph-client';
import { gatewayOf } from './graph-client.js';

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

const THROTTLED = new Set([429, 503]);
/** A safety bound; in practice the gateway's per-run wait cap ends a storm first. */
const MAX_ROUNDS = 50;

/**
 * Sends requests through Graph JSON batching, 20 at a time (Graph's limit), and returns every inner response: one
 * request failing does not fail the others, and the caller decides what each failure means. Inner requests are
 * charged and throttled one by one: those answered 429/503 pause the whole app (the gateway's shared pause) and are
 * sent again, a bounded number of times.
 */
export async function sendInBatches(client: Client, requests: BatchRequest[], onProgress?: (done: number, total: number) => void): Promise<BatchResponse[]> {
  const gateway = gatewayOf(client);
  const done = new Map<string, BatchResponse>();
  let pending = requests;
  for (let round = 1; pending.length && round <= MAX_ROUNDS; round++) {
    const again: BatchRequest[] = [];
    const chunks: BatchRequest[][] = [];
    for (let i = 0; i < pending.length; i += 20) chunks.push(pending.slice(i, i + 20).map((r) => ({ ...r, headers: { 'content-type': 'application/json', ...r.headers } })));
    // The gateway bounds how many of these run at once.
    const answers = await Promise.all(chunks.map(async (chunk) => ({ chunk, answer: (await client.api('/$batch').post({ requests: chunk })) as { responses: BatchResponse[] } })));
    for (const { chunk, answer } of answers) {
      for (const response of answer.responses) {
        const request = chunk.find((r) => r.id === response.id)!;
        if (THROTTLED.has(response.status) && round < MAX_ROUNDS) {
          const header = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
          gateway.pauseUntil(Date.now() + (header !== undefined && Number.isFinite(Number(header)) ? Number(header) * 1000 : 1000 * round));
          again.push(request);
        } else done.set(response.id, response);
      }
      onProgress?.(done.size, requests.length);
    }
    pending = again;
    if (pending.length) await gateway.waitForTurn();
  }
  return requests.map((r) => done.get(r.id)!);
}
