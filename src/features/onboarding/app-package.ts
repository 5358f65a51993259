import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Env } from '../../config/env.js';
import { ConfigError } from '../../config/env.js';
import { packageRoot } from '../../app/paths.js';

export const MANIFEST_DIR = join(packageRoot, 'manifest');

/** The manifest template's ${{KEY}} placeholders filled from the environment; a missing value names its key. */
export function renderManifest(env: Env): Record<string, unknown> {
  const values: Record<string, string | undefined> = {
    TEAMS_APP_ID: env.TEAMS_APP_ID ?? env.MICROSOFT_APP_ID,
    MICROSOFT_APP_ID: env.MICROSOFT_APP_ID,
    BOT_DOMAIN: env.BOT_ENDPOINT ? new URL(env.BOT_ENDPOINT).hostname : undefined,
    DEVELOPER_NAME: env.DEVELOPER_NAME,
    DEVELOPER_WEBSITE_URL: env.DEVELOPER_WEBSITE_URL,
    DEVELOPER_PRIVACY_URL: env.DEVELOPER_PRIVACY_URL,
    DEVELOPER_TERMS_URL: env.DEVELOPER_TERMS_URL,
  };
  const missing = new Set<string>();
  const text = readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8').replace(/\$\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) missing.add(key);
    return JSON.stringify(value ?? '').slice(1, -1);
  });
  if (missing.size) throw new ConfigError([...missing].map((k) => `environment key ${k === 'BOT_DOMAIN' ? 'BOT_ENDPOINT' : k === 'TEAMS_APP_ID' ? 'MICROSOFT_APP_ID' : k}: is needed to build the Teams app package`));
  return JSON.parse(text) as Record<string, unknown>;
}

/** The app package Teams admins upload: manifest.json and the two icons, zipped at the root. */
export async function buildAppPackage(env: Env): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(renderManifest(env), null, 2));
  zip.file('color.png', readFileSync(join(MANIFEST_DIR, 'color.png')));
  zip.file('outline.png', readFileSync(join(MANIFEST_DIR, 'outline.png')));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
