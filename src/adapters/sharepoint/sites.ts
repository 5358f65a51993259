import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { StateStore } from '../../app/ports.js';
import { stateRecord } from '../../app/state.js';
import { isGraphError } from './graph-client.js';

/** Site ids never change, so one lookup per site is kept for good. */
const siteIds = stateRecord('sharepoint/site-ids', z.record(z.string(), z.string()), 'adapters/sharepoint');

/** Resolves "hostname:/sites/path" (or a site id) to the site id once, and remembers it. */
export class SiteIds {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly client: Client,
    private readonly store?: StateStore,
  ) {}

  resolve(site: string): Promise<string> {
    if (!this.cache.has(site)) {
      const lookup = (async () => {
        const saved = this.store ? ((await siteIds.get(this.store).catch(() => undefined)) ?? {}) : {};
        if (saved[site]) return saved[site];
        const path = site.includes(':/') ? `/sites/${site.replace(/:?$/, '')}` : `/sites/${site}`;
        let id: string;
        try {
          id = ((await this.client.api(path).select('id').get()) as { id: string }).id;
        } catch (e) {
          if (isGraphError(e, 404) || isGraphError(e, 400)) throw new Error(`The SharePoint site "${site}" was not found (Graph answered ${(e as { statusCode: number }).statusCode}). Check "site" in the plan config: hostname:/sites/Name, e.g. contoso.sharepoint.com:/sites/ImprovementPlans.`);
          throw e;
        }
        if (this.store) await siteIds.put(this.store, undefined, { ...((await siteIds.get(this.store).catch(() => undefined)) ?? {}), [site]: id });
        return id;
      })();
      lookup.catch(() => this.cache.delete(site));
      this.cache.set(site, lookup);
    }
    return this.cache.get(site)!;
  }
}
