import type { Client } from '@microsoft/microsoft-graph-client';

export interface BatchRequest {
  id: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  status: number;
  body?: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

/**
 * Sends requests through Graph JSON batching, 20 at a time (Graph's limit), and returns every inner response: one
 * request failing does not fail the others, and the caller decides what each failure means.
 */
export async function sendInBatches(client: Client, requests: BatchRequest[], onProgress?: (done: number, total: number) => void): Promise<BatchResponse[]> {
  const out: BatchResponse[] = [];
  for (let i = 0; i < requests.length; i += 20) {
    const chunk = requests.slice(i, i + 20).map((r) => ({ ...r, headers: { 'content-type': 'application/json', ...r.headers } }));
    const answer = (await client.api('/$batch').post({ requests: chunk })) as { responses: BatchResponse[] };
    out.push(...answer.responses);
    onProgress?.(out.length, requests.length);
  }
  return out;
}
