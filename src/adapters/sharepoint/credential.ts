import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { Env } from '../../config/env.js';

/** The app-only credential for Graph, as configured (env validation guarantees the keys each kind needs). */
export function graphCredential(env: Env): TokenCredential {
  switch (env.GRAPH_CREDENTIAL) {
    case 'client-secret':
      return new ClientSecretCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, env.AZURE_CLIENT_SECRET!);
    case 'certificate':
      return new ClientCertificateCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, { certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH! });
    case 'managed-identity':
      return env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new ManagedIdentityCredential();
    default:
      throw new Error('GRAPH_CREDENTIAL is not set');
  }
}
