import { z } from 'zod';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());
const port = (fallback: number) => z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(65535).default(fallback));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Every key is documented in .env.example. */
export const envSchema = z
  .object({
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TENANT_ID: optionalText,
    MICROSOFT_APP_TYPE: z.preprocess(blankToUndefined, z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant')),
    BOT_SDK: z.preprocess(blankToUndefined, z.enum(['botbuilder', 'agents'], { error: 'must be botbuilder or agents' }).default('botbuilder')),
    GRAPH_BASE_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional()),
    GRAPH_CONCURRENCY: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(20).default(4)),
    GRAPH_MAX_WAIT_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(86_400).default(300)),
    GRAPH_CREDENTIAL: z.preprocess(blankToUndefined, z.enum(['client-secret', 'certificate', 'managed-identity']).optional()),
    AZURE_TENANT_ID: optionalText,
    AZURE_CLIENT_ID: optionalText,
    AZURE_CLIENT_SECRET: optionalText,
    AZURE_CLIENT_CERTIFICATE_PATH: optionalText,
    TIME_ZONE: z.preprocess(blankToUndefined, z.string().refine(isTimeZone, 'is not an IANA time zone such as Europe/London').default('Europe/London')),
    PLAN_CONFIG: optionalText,
    STATE_DIR: z.preprocess(blankToUndefined, z.string().default('.planpulse')),
    STATE_STORE: z.preprocess(blankToUndefined, z.enum(['file', 'blob']).default('file')),
    AZURE_STORAGE_CONNECTION_STRING: optionalText,
    AZURE_STORAGE_ACCOUNT_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'must be the account URL, e.g. https://myaccount.blob.core.windows.net' }).optional()),
    STATE_CONTAINER: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a blob container name: 3-63 lower-case letters, digits and single dashes').default('planpulse-state')),
    HOST: optionalText,
    PORT: port(3978),
    GRAPH_EMULATOR_PORT: port(3979),
    PLAYGROUND_PORT: port(56150),
    ADMIN_AAD_OBJECT_IDS: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []),
      z.array(z.string()),
    ),
    TEAMS_APP_ID: z.preprocess(blankToUndefined, z.uuid({ error: 'must be a GUID (the Teams app id; any new GUID, kept for the app\'s life)' }).optional()),
    BOT_ENDPOINT: z.preprocess(blankToUndefined, z.url({ protocol: /^https$/, error: 'must be the public https:// URL of /api/messages' }).optional()),
    DEVELOPER_NAME: z.preprocess(blankToUndefined, z.string().default('PlanPulse')),
    DEVELOPER_WEBSITE_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).default('https://github.com/planpulse/planpulse')),
    DEVELOPER_PRIVACY_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).default('https://github.com/planpulse/planpulse/blob/main/PRIVACY.md')),
    DEVELOPER_TERMS_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).default('https://github.com/planpulse/planpulse/blob/main/TERMS.md')),
    LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  })
  .superRefine((env, ctx) => {
    if (env.MICROSOFT_APP_ID) {
      if (env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !env.MICROSOFT_APP_PASSWORD)
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'is required when MICROSOFT_APP_ID is set' });
      if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID)
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: 'is required for a single-tenant bot' });
      // The plans live in one tenant, so PlanPulse serves that tenant's people even when the bot is multi-tenant.
      if (!env.MICROSOFT_APP_TENANT_ID && !env.AZURE_TENANT_ID)
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: 'or AZURE_TENANT_ID is required: the Entra tenant whose people PlanPulse serves (activity from any other tenant is refused)' });
      if (!env.PLAN_CONFIG) ctx.addIssue({ code: 'custom', path: ['PLAN_CONFIG'], message: 'is required outside local mode (path to your plan config file)' });
      if (!env.GRAPH_CREDENTIAL) ctx.addIssue({ code: 'custom', path: ['GRAPH_CREDENTIAL'], message: 'is required outside local mode: client-secret, certificate or managed-identity' });
    }
    if (env.STATE_STORE === 'blob' && !env.AZURE_STORAGE_CONNECTION_STRING && !env.AZURE_STORAGE_ACCOUNT_URL)
      ctx.addIssue({ code: 'custom', path: ['STATE_STORE'], message: 'is blob, so set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL' });
    if (env.GRAPH_CREDENTIAL === 'client-secret' || env.GRAPH_CREDENTIAL === 'certificate') {
      for (const key of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID'] as const)
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required when GRAPH_CREDENTIAL=${env.GRAPH_CREDENTIAL}` });
    }
    if (env.GRAPH_CREDENTIAL === 'client-secret' && !env.AZURE_CLIENT_SECRET)
      ctx.addIssue({ code: 'custom', path: ['AZURE_CLIENT_SECRET'], message: 'is required when GRAPH_CREDENTIAL=client-secret' });
    if (env.GRAPH_CREDENTIAL === 'certificate' && !env.AZURE_CLIENT_CERTIFICATE_PATH)
      ctx.addIssue({ code: 'custom', path: ['AZURE_CLIENT_CERTIFICATE_PATH'], message: 'is required when GRAPH_CREDENTIAL=certificate' });
  });

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function describeIssues(issues: z.core.$ZodIssue[], source: string): string[] {
  return issues.map((i) => `${source}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}`);
}

export function parseEnv(raw: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues, 'environment key'));
  return result.data;
}

/** Local mode: no bot credentials, so no Microsoft endpoint is ever called. */
export function isLocalMode(env: Env): boolean {
  return !env.MICROSOFT_APP_ID;
}
