import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, GraphError, HTTPMessageHandler, RedirectHandler, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';
import { silentLogger } from '../../app/log.js';
import { GraphBusyError, GraphGateway, type GatewayOptions } from './graph-gateway.js';

export interface GraphConnection {
  /** e.g. https://graph.microsoft.com/v1.0, or the local emulator's https://127.0.0.1:3979/v1.0 */
  baseUrl: string;
  /** Absent only for the local emulator, which accepts any bearer token. */
  credential?: TokenCredential;
  /** Extra CA certificate to trust (the emulator's self-signed one). */
  caCertificate?: string;
}

const localToken: AuthenticationProvider = { getAccessToken: async () => 'local-emulator-token' };

export const DEFAULT_GATEWAY: Omit<GatewayOptions, 'log'> = { concurrency: 4, interactiveConcurrency: 16, maxAttempts: 8, maxWaitMs: 5 * 60_000, interactiveMaxWaitMs: 10_000, initialDelayMs: 1000, requestTimeoutMs: 60_000 };

/**
 * A Graph client whose every request passes the gateway: auth, then the gateway (bounded concurrency, the shared
 * throttling pause, retries), then redirects and HTTP. `customHosts` makes the SDK attach the token to a
 * non-Microsoft host (the emulator).
 */
const gateways = new WeakMap<Client, GraphGateway>();

/** The gateway a client's requests pass through (for $batch, whose inner 429s the gateway must hear about). */
export function gatewayOf(client: Client): GraphGateway {
  const gateway = gateways.get(client);
  if (!gateway) throw new Error('This Graph client was not made by createGraphClient');
  return gateway;
}

export function createGraphClient(connection: GraphConnection, gateway = new GraphGateway({ ...DEFAULT_GATEWAY, log: silentLogger })): Client {
  const url = new URL(connection.baseUrl);
  const version = url.pathname.replace(/^\/|\/$/g, '') || 'v1.0';
  const authProvider = connection.credential
    ? new TokenCredentialAuthenticationProvider(connection.credential, { scopes: ['https://graph.microsoft.com/.default'] })
    : localToken;
  const client = Client.initWithMiddleware({
    middleware: [new AuthenticationHandler(authProvider), gateway, new RedirectHandler(), new HTTPMessageHandler()],
    baseUrl: url.origin,
    defaultVersion: version,
    customHosts: new Set([url.hostname]),
    ...(connection.caCertificate ? { fetchOptions: { dispatcher: new Agent({ connect: { ca: connection.caCertificate } }) } as RequestInit } : {}),
  });
  gateways.set(client, gateway);
  // The SDK wraps errors thrown in its middleware; callers must see the gateway's own "SharePoint is busy" error.
  const api = client.api.bind(client);
  client.api = (path: string) => {
    const request = api(path);
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      const call = request[method].bind(request) as (...args: unknown[]) => Promise<unknown>;
      (request as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        call(...args).catch((e: unknown) => {
          throw GraphBusyError.from(e) ?? e;
        });
    }
    return request;
  };
  return client;
}

export function isGraphError(error: unknown, status?: number): error is GraphError {
  return error instanceof GraphError && (status === undefined || error.statusCode === status);
}

/** Follows `@odata.nextLink` until the collection ends; the Graph client treats the absolute https link as is. */
export async function readAllPages<T>(client: Client, firstPath: string, onPage?: (count: number) => void): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = firstPath;
  while (next) {
    const page = (await client.api(next).get()) as { value: T[]; '@odata.nextLink'?: string };
    out.push(...page.value);
    onPage?.(page.value.length);
    next = page['@odata.nextLink'];
  }
  return out;
}
