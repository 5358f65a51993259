import { Agent, fetch } from 'undici';
import { FileUnavailableError, type ChatFile, type ChatFileSource } from '../../app/ports.js';

/** Teams keeps a file sent to a bot in the sender's OneDrive; its download link is on the tenant's SharePoint. */
export const TEAMS_FILE_HOSTS = ['*.sharepoint.com'];

const allowed = (host: string, hosts: string[]) => hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h));

/**
 * Downloads files people send in the chat from the pre-authenticated link Teams gives the bot. The link arrives in
 * the activity, so it is only followed to the tenant's SharePoint (or the hosts given): a forged activity cannot
 * make PlanPulse fetch from anywhere else. Reading stops as soon as the file is known to be over the limit.
 */
export class ChatFileDownloads implements ChatFileSource {
  private readonly dispatcher?: Agent;

  constructor(
    private readonly hosts: string[] = TEAMS_FILE_HOSTS,
    options: { caCertificate?: string; timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    if (options.caCertificate) this.dispatcher = new Agent({ connect: { ca: options.caCertificate } });
  }

  private readonly timeoutMs: number;

  async download(file: ChatFile, maxBytes: number): Promise<Buffer | { tooLarge: true; size?: number }> {
    try {
      return await this.fetchAtMost(file, maxBytes);
    } catch (e) {
      if (e instanceof FileUnavailableError) throw e;
      throw new FileUnavailableError((e as Error).name === 'TimeoutError' ? 'slow' : 'failed');
    }
  }

  private async fetchAtMost(file: ChatFile, maxBytes: number): Promise<Buffer | { tooLarge: true; size?: number }> {
    let url = this.checked(file.downloadUrl);
    const signal = AbortSignal.timeout(this.timeoutMs);
    for (let hop = 0; ; hop += 1) {
      const res = await fetch(url, { redirect: 'manual', signal, ...(this.dispatcher && { dispatcher: this.dispatcher }) });
      if (res.status >= 300 && res.status < 400 && res.headers.get('location') && hop < 3) {
        await res.body?.cancel();
        url = this.checked(new URL(res.headers.get('location')!, url).toString());
        continue;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new FileUnavailableError('expired', { status: res.status });
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await res.body.cancel();
        return { tooLarge: true, size: declared };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > maxBytes) {
          await res.body.cancel().catch(() => undefined);
          return { tooLarge: true };
        }
        chunks.push(Buffer.from(chunk));
      }
      return Buffer.concat(chunks);
    }
  }

  private checked(link: string): URL {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new FileUnavailableError('notAddress');
    }
    if (url.protocol !== 'https:' || url.username || url.password || !allowed(url.hostname.toLowerCase(), this.hosts))
      throw new FileUnavailableError('elsewhere', { where: `${url.protocol}//${url.host}` });
    return url;
  }
}
