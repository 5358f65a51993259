import { FileUpload, LargeFileUploadTask, type Client } from '@microsoft/microsoft-graph-client';
import type { PlanConfig } from '../../config/plan.js';
import { FileExistsError, type DocumentLibrary, type StoredFile } from '../../app/ports.js';
import { isGraphError } from './graph-client.js';
import type { SiteIds } from './sites.js';

/** Graph recommends upload sessions above 4 MB; slices must be multiples of 320 KiB. */
const SIMPLE_UPLOAD_MAX = 4 * 1024 * 1024;
const SLICE = 10 * 320 * 1024;

interface DriveItem {
  webUrl: string;
  size?: number;
  createdDateTime?: string;
}

const stored = (item: DriveItem, bytes?: number): StoredFile => ({ webUrl: item.webUrl, size: item.size ?? bytes ?? 0, createdAt: item.createdDateTime ?? new Date().toISOString() });

/**
 * The default document library of a plan list's site, through Graph drive items: a simple upload for small files,
 * an upload session (the Graph SDK's LargeFileUploadTask) above 4 MB. `keepExisting` is Graph's
 * conflictBehavior "fail": the check and the write are one request, so two uploads cannot both win a name.
 */
export class SharePointDocumentLibrary implements DocumentLibrary {
  constructor(
    private readonly client: Client,
    private readonly sites: SiteIds,
    private readonly plan: PlanConfig,
  ) {}

  private async root(listKey: string | undefined): Promise<string> {
    const list = this.plan.lists.find((l) => l.key === listKey) ?? this.plan.lists[0]!;
    return `/sites/${await this.sites.resolve(list.site)}/drive/root`;
  }

  async publish(path: string, bytes: Buffer, contentType: string, options: { listKey?: string; keepExisting?: boolean } = {}): Promise<StoredFile> {
    const root = await this.root(options.listKey);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const conflictBehavior = options.keepExisting ? 'fail' : 'replace';
    try {
      if (bytes.length <= SIMPLE_UPLOAD_MAX) {
        const item = (await this.client.api(`${root}:/${encoded}:/content`).query({ '@microsoft.graph.conflictBehavior': conflictBehavior }).header('Content-Type', contentType).put(bytes)) as DriveItem;
        return stored(item, bytes.length);
      }
      const session = await LargeFileUploadTask.createUploadSession(this.client, `${root}:/${encoded}:/createUploadSession`, { item: { '@microsoft.graph.conflictBehavior': conflictBehavior } });
      const upload = new LargeFileUploadTask(this.client, new FileUpload(bytes, path.split('/').at(-1)!, bytes.length), session, { rangeSize: SLICE });
      const result = await upload.upload();
      return stored(result.responseBody as DriveItem, bytes.length);
    } catch (e) {
      // An upload session may learn of the clash only at its last slice, where the SDK throws the parsed body.
      const taken = isGraphError(e, 409) || (e as { statusCode?: number }).statusCode === 409 || (e as { error?: { code?: string } }).error?.code === 'nameAlreadyExists';
      if (options.keepExisting && taken) throw new FileExistsError(path);
      throw e;
    }
  }

  async find(path: string, options: { listKey?: string } = {}): Promise<StoredFile | undefined> {
    const root = await this.root(options.listKey);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    try {
      return stored((await this.client.api(`${root}:/${encoded}`).select('webUrl,size,createdDateTime').get()) as DriveItem);
    } catch (e) {
      if (isGraphError(e, 404)) return undefined;
      throw e;
    }
  }
}
