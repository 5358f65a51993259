import type { Client } from '@microsoft/microsoft-graph-client';

/** Resolves "hostname:/sites/path" (or a site id) to the site id once per process. */
export class SiteIds {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly client: Client) {}

  resolve(site: string): Promise<string> {
    if (!this.cache.has(site)) {
      const path = site.includes(':/') ? `/sites/${site.replace(/:?$/, '')}` : `/sites/${site}`;
      this.cache.set(site, this.client.api(path).select('id').get().then((s: { id: string }) => s.id));
    }
    return this.cache.get(site)!;
  }
}
