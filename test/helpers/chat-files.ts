import { Agent } from 'undici';
import type { GraphEmulator } from '../../src/local/graph-emulator/server.js';
import type { DemoPerson } from './teams-client.js';

/**
 * What Teams does when a person sends the bot a file in the 1:1 chat: the file goes to their OneDrive ("Microsoft
 * Teams Chat Files"), and the bot gets a download-info attachment with a short-lived, pre-authenticated link.
 * The file is put there through the emulator's Graph over HTTPS, as Teams' own upload would.
 */
export async function teamsFileAttachment(emulator: Pick<GraphEmulator, 'baseUrl' | 'certificate'>, person: DemoPerson, name: string, bytes: Buffer) {
  const path = `Microsoft Teams Chat Files/${name}`.split('/').map(encodeURIComponent).join('/');
  const put = () =>
    fetch(`${emulator.baseUrl}/users/${person.id}/drive/root:/${path}:/content`, {
      method: 'PUT',
      headers: { authorization: 'Bearer teams', 'content-type': 'application/octet-stream' },
      body: bytes,
      dispatcher: new Agent({ connect: { ca: emulator.certificate } }),
    } as RequestInit);
  let res = await put();
  // The emulator may be throttling everyone (a test turned it on): wait as told, like any well-behaved client.
  for (let tries = 0; res.status === 429 && tries < 10; tries += 1) {
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    res = await put();
  }
  if (!res.ok) throw new Error(`could not put ${name} in ${person.displayName}'s OneDrive: ${res.status} ${await res.text()}`);
  const item = (await res.json()) as { id: string; webUrl: string; '@microsoft.graph.downloadUrl': string };
  return downloadInfo(name, item['@microsoft.graph.downloadUrl'], item.webUrl, item.id);
}

/** Teams' attachment for a file sent to a bot (`application/vnd.microsoft.teams.file.download.info`). */
export function downloadInfo(name: string, downloadUrl: string, contentUrl = downloadUrl, uniqueId = '1B2C3D4E-0000-0000-0000-000000000000') {
  return {
    contentType: 'application/vnd.microsoft.teams.file.download.info',
    contentUrl,
    name,
    content: { downloadUrl, uniqueId, fileType: name.includes('.') ? name.split('.').at(-1) : '' },
  };
}

/** The first bytes of a real PDF, then filler: enough for any check that reads what a file is. */
export function pdfBytes(size: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1');
  const bytes = Buffer.alloc(size, 0x20);
  head.copy(bytes);
  for (let i = head.length; i < size; i += 997) bytes[i] = i % 251;
  return bytes;
}
