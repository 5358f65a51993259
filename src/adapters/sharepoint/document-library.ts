import { FileUpload, LargeFileUploadTask, type Client } from '@microsoft/microsoft-graph-client';
import type { DocumentLibrary } from '../../app/ports.js';
import type { SiteIds } from './sites.js';

/** Graph recommends upload sessions above 4 MB; slices must be multiples of 320 KiB. */
const SIMPLE_UPLOAD_MAX = 4 * 1024 * 1024;
const SLICE = 10 * 320 * 1024;

/**
 * The default document library of the plan's site (the first list's), through Graph drive items: a simple upload
 * for small files, an upload session (the Graph SDK's LargeFileUploadTask) above 4 MB.
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
    if (bytes.length <= SIMPLE_UPLOAD_MAX) {
      const item = (await this.client.api(`/sites/${siteId}/drive/root:/${encoded}:/content`).header('Content-Type', contentType).put(bytes)) as { webUrl: string };
      return { webUrl: item.webUrl };
    }
    const session = await LargeFileUploadTask.createUploadSession(this.client, `/sites/${siteId}/drive/root:/${encoded}:/createUploadSession`, { item: { '@microsoft.graph.conflictBehavior': 'replace' } });
    const upload = new LargeFileUploadTask(this.client, new FileUpload(bytes, path.split('/').at(-1)!, bytes.length), session, { rangeSize: SLICE });
    const result = await upload.upload();
    return { webUrl: (result.responseBody as { webUrl: string }).webUrl };
  }
}
