import type { Client } from '@microsoft/microsoft-graph-client';
import type { DocumentLibrary } from '../../app/ports.js';
import type { SiteIds } from './sites.js';

/**
 * The default document library of the plan's site (the first list's), through Graph drive items. Simple upload:
 * the packs PlanPulse writes are small.
 */
export class SharePointDocumentLibrary implements DocumentLibrary {
  constructor(
    private readonly client: Client,
    private readonly sites: SiteIds,
    private readonly site: string,
  ) {}

  async publish(path: string, bytes: Buffer, contentType: string): Promise<{ webUrl: string }> {
    const siteId = await this.sites.resolve(this.site);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const item = (await this.client.api(`/sites/${siteId}/drive/root:/${encoded}:/content`).header('Content-Type', contentType).put(bytes)) as { webUrl: string };
    return { webUrl: item.webUrl };
  }
}
