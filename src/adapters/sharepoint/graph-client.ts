import type { TokenCredential } from '@azure/identity';
import { Client, GraphError, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';

export interface GraphConnection {
  /** e.g. https://graph.microsoft.com/v1.0, or the local emulator's https://127.0.0.1:3979/v1.0 */
  baseUrl: string;
  /** Absent only for the local emulator, which accepts any bearer token. */
  credential?: TokenCredential;
  /** Extra CA certificate to trust (the emulator's self-signed one). */
  caCertificate?: string;
}

const localToken: AuthenticationProvider = { getAccessToken: async () => 'local-emulator-token' };

/**
 * A Graph client with the SDK's default middleware: auth, then retries of 429/503/504 that honour Retry-After
 * (3 attempts), then redirects. `customHosts` makes the SDK attach the token to a non-Microsoft host.
 */
export function createGraphClient(connection: GraphConnection): Client {
  const url = new URL(connection.baseUrl);
  const version = url.pathname.replace(/^\/|\/$/g, '') || 'v1.0';
  const authProvider = connection.credential
    ? new TokenCredentialAuthenticationProvider(connection.credential, { scopes: ['https://graph.microsoft.com/.default'] })
    : localToken;
  return Client.initWithMiddleware({
    authProvider,
    baseUrl: url.origin,
    defaultVersion: version,
    customHosts: new Set([url.hostname]),
    ...(connection.caCertificate ? { fetchOptions: { dispatcher: new Agent({ connect: { ca: connection.caCertificate } }) } as RequestInit } : {}),
  });
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
