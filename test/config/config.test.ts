import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, isLocalMode, parseEnv } from '../../src/config/env.js';
import { loadPlanConfig } from '../../src/config/plan.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('environment', () => {
  it('defaults to local mode in Europe/London with no keys at all', () => {
    const env = parseEnv({});
    expect(isLocalMode(env)).toBe(true);
    expect(env).toMatchObject({ TIME_ZONE: 'Europe/London', PORT: 3978, GRAPH_EMULATOR_PORT: 3979, PLAYGROUND_PORT: 56150 });
  });

  it('outside local mode names the tenant it serves: a multi-tenant bot without one is refused, not left serving the demo tenant', () => {
    const production = { MICROSOFT_APP_ID: '3c2b1a09-8f7e-4d6c-b5a4-9e8d7c6b5a41', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'MultiTenant', PLAN_CONFIG: 'plan.yaml', GRAPH_CREDENTIAL: 'managed-identity' };
    expect(problems(() => parseEnv(production))).toEqual([
      'environment key MICROSOFT_APP_TENANT_ID: or AZURE_TENANT_ID is required: the Entra tenant whose people PlanPulse serves (activity from any other tenant is refused)',
    ]);
    expect(parseEnv({ ...production, AZURE_TENANT_ID: '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34' }).AZURE_TENANT_ID).toBe('8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34');
  });

  it('chooses the Teams SDK with BOT_SDK: botbuilder by default, or agents', () => {
    expect(parseEnv({}).BOT_SDK).toBe('botbuilder');
    expect(parseEnv({ BOT_SDK: 'agents' }).BOT_SDK).toBe('agents');
    expect(problems(() => parseEnv({ BOT_SDK: 'teams-ai' }))).toEqual(['environment key BOT_SDK: must be botbuilder or agents']);
  });

  it('names the key and what is wrong', () => {
    expect(problems(() => parseEnv({ TIME_ZONE: 'Europe/Londn' }))).toEqual(['environment key TIME_ZONE: is not an IANA time zone such as Europe/London']);
    expect(problems(() => parseEnv({ PORT: 'eighty' }))[0]).toMatch(/^environment key PORT: /);
    expect(problems(() => parseEnv({ GRAPH_BASE_URL: 'http://graph.example' }))).toEqual(['environment key GRAPH_BASE_URL: must be an https:// URL']);
  });

  it('requires the production keys together', () => {
    const found = problems(() => parseEnv({ MICROSOFT_APP_ID: 'abc', GRAPH_CREDENTIAL: 'client-secret' }));
    expect(found).toEqual(expect.arrayContaining([
      'environment key MICROSOFT_APP_PASSWORD: is required when MICROSOFT_APP_ID is set',
      'environment key MICROSOFT_APP_TENANT_ID: is required for a single-tenant bot',
      'environment key PLAN_CONFIG: is required outside local mode (path to your plan config file)',
      'environment key AZURE_CLIENT_SECRET: is required when GRAPH_CREDENTIAL=client-secret',
    ]));
  });
});

describe('plan config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'planpulse-config-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads YAML with defaults for the Leicestershire vocabulary and rules', () => {
    const config = loadPlanConfig(write('plan.yaml', 'lists:\n  - key: lfrs\n    site: contoso.sharepoint.com:/sites/Plans\n    list: Improvement Actions\n    plan: LFRS plan\n    columns: { ownerRole: OwnerRole }\n'));
    expect(config.lists[0]!.statuses.complete).toEqual(['Complete']);
    expect(config.lists[0]!.columns).toMatchObject({ ref: 'ActionRef', dueDate: 'DueDate', ownerRole: 'OwnerRole' });
    expect(config.rules).toMatchObject({ dueSoonDays: 14, staleDays: 30, cadenceDays: { overdue: 3, dueSoon: 7 }, escalation: { overdueDays: 14, afterReminders: 3 } });
  });

  it('says which entry is wrong', () => {
    const path = write('bad.json', JSON.stringify({ lists: [{ key: 'Bad Key', site: 's', list: 'l', plan: 'p', columns: { dueDate: 'Due Date' } }] }));
    const found = problems(() => loadPlanConfig(path));
    expect(found).toEqual(expect.arrayContaining([
      `${path} lists.0.key: must be 1-32 lower-case letters, digits or dashes (used in card data)`,
      `${path} lists.0.columns.dueDate: must be a column internal name (letters, digits, _)`,
      `${path} lists.0.columns: columns needs owner (person) or ownerRole (text)`,
    ]));
    expect(problems(() => loadPlanConfig(write('broken.json', '{ "lists": [')))[0]).toMatch(/broken\.json: not valid JSON/);
    expect(problems(() => loadPlanConfig(join(dir, 'missing.yaml')))[0]).toMatch(/^PLAN_CONFIG: cannot read/);
  });
});
