import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { etagOf, GraphModelError, SharePointModel, USER_INFORMATION_LIST, type EmulatorData, type StoredItem, type StoredList, type StoredSite, type StoredTeams } from './model.js';
import { decodeSkipToken, encodeSkipToken, matches, parseExpandFields, parseFilter } from './odata.js';
import { generateLocalCertificate, type TlsMaterial } from './tls.js';

export interface Fault {
  /**
   * An HTTP error; 'reset': the connection is dropped before any answer; 'hang': no answer ever, nothing done;
   * 'lost': the request is carried out, then no answer ever comes (a response lost after the write applied).
   */
  status: 429 | 500 | 502 | 503 | 504 | 'reset' | 'hang' | 'lost';
  retryAfterSeconds?: number;
  /** How many matching requests fail before the fault is used up. */
  count: number;
  /** Only requests whose body contains this text, e.g. "Plan%20Updates" for a $batch of audit rows. */
  body?: string;
  /** Only requests whose method and path contain this text, e.g. "PATCH" or "/items". */
  match?: string;
}

/**
 * SharePoint-like throttling: an app that makes more than `budget` requests in a window is refused — every request,
 * whatever it is — until the window ends, with 429 and Retry-After. Refused requests still count against the next
 * window, so a client that keeps knocking stays throttled longer.
 */
export interface ThrottleMode {
  budget: number;
  windowSeconds: number;
}

export interface ThrottleStats {
  /** Requests answered 429 by the throttle. */
  refused: number;
  /** Of those, requests that arrived well after the app had been told when to come back (Retry-After). */
  ignoredRetryAfter: number;
  windows: number;
}

export interface EmulatorOptions {
  data: EmulatorData;
  port?: number;
  /** When set, every write is saved here so demo edits survive a restart. */
  persistPath?: string;
  /** Where people browse the lists (the local list viewer); default the site's own https address. */
  webBase?: string;
  tls?: TlsMaterial;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

const PAGE_DEFAULT = 200;
const PAGE_MAX = 5000;

/**
 * A local Microsoft Graph for the SharePoint-lists subset PlanPulse uses, with Graph's shapes, paging, eTags,
 * indexed-column filters, error bodies and throttling behaviour. Served over HTTPS because the Graph client only
 * treats https URLs as absolute and only sends tokens to them.
 */
export class GraphEmulator {
  readonly model: SharePointModel;
  readonly requests: RequestRecord[] = [];
  private readonly faults: Fault[] = [];
  private throttle?: ThrottleMode & { windowStart: number; count: number; blockedUntil: number; toldAt: number; carry: number };
  readonly throttleStats: ThrottleStats = { refused: 0, ignoredRetryAfter: 0, windows: 0 };
  /** Delta tokens issued before this instant are expired (410 Gone). */
  private deltaValidAfter = 0;
  private server?: Server;
  private tlsMaterial?: TlsMaterial;

  constructor(private readonly options: EmulatorOptions) {
    this.model = new SharePointModel(options.data);
  }

  get certificate(): string {
    if (!this.tlsMaterial) throw new Error('Emulator not started');
    return this.tlsMaterial.cert;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** The Graph base URL clients use, e.g. https://127.0.0.1:3979/v1.0 */
  get baseUrl(): string {
    return `https://127.0.0.1:${this.port}/v1.0`;
  }

  async start(): Promise<this> {
    this.tlsMaterial = this.options.tls ?? (await generateLocalCertificate());
    const server = createServer({ key: this.tlsMaterial.key, cert: this.tlsMaterial.cert }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** Makes the next matching requests fail as a throttled or unavailable Graph would. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Switches SharePoint-like throttling on (or off with undefined). */
  setThrottling(mode: ThrottleMode | undefined): void {
    this.throttle = mode && { ...mode, windowStart: Date.now(), count: 0, blockedUntil: 0, toldAt: 0, carry: 0 };
    Object.assign(this.throttleStats, { refused: 0, ignoredRetryAfter: 0, windows: 0 });
  }

  /** Every delta token issued so far is expired: the next delta call with one gets 410 Gone. */
  expireDeltaTokens(): void {
    this.deltaValidAfter = Date.now() + 1;
  }

  /** Seconds until this app may call again, or 0 when the request may go ahead (and is counted). */
  private throttled(now: number): number {
    const t = this.throttle;
    if (!t) return 0;
    if (now < t.blockedUntil) {
      this.throttleStats.refused += 1;
      // Concurrent requests already on the wire arrive within a few milliseconds of the first refusal; later ones
      // ignored the Retry-After the app was given, and count against its next window.
      if (now - t.toldAt > 100) {
        this.throttleStats.ignoredRetryAfter += 1;
        t.carry += 1;
      }
      return Math.ceil((t.blockedUntil - now) / 1000);
    }
    if (now - t.windowStart >= t.windowSeconds * 1000) {
      t.windowStart = now;
      t.count = t.carry;
      t.carry = 0;
      this.throttleStats.windows += 1;
    }
    t.count += 1;
    if (t.count <= t.budget) return 0;
    t.blockedUntil = t.windowStart + t.windowSeconds * 1000;
    t.toldAt = now;
    this.throttleStats.refused += 1;
    return Math.max(1, Math.ceil((t.blockedUntil - now) / 1000));
  }

  /** Ends every injected fault (the service is back). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(method: string, path: string, body?: string): Fault | undefined {
    const fault = this.faults.find((f) => f.count > 0 && (!f.match || `${method} ${path}`.includes(f.match)) && (!f.body || (body ?? '').includes(f.body)));
    if (fault) fault.count -= 1;
    return fault;
  }

  private persist(): void {
    const path = this.options.persistPath;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.model.data));
    renameSync(tmp, path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', `https://127.0.0.1:${this.port}`);
    const method = req.method ?? 'GET';
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path: url.pathname + url.search, status });
      const payload = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        'request-id': requestId,
        'client-request-id': String(req.headers['client-request-id'] ?? requestId),
        ...(payload ? { 'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' } : {}),
        ...headers,
      });
      res.end(payload);
    };
    const sendError = (status: number, code: string, message: string, innerCode?: string, headers: Record<string, string> = {}) =>
      send(status, { error: { code, message, innerError: { ...(innerCode ? { code: innerCode } : {}), date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': requestId } } }, headers);

    try {
      if (url.pathname === '/_emulator/health') return send(200, { ok: true });
      if (url.pathname === '/_emulator/throttle' && method === 'POST') {
        const mode = JSON.parse((await readBody(req)) || '{}') as Partial<ThrottleMode>;
        this.setThrottling(mode.budget ? (mode as ThrottleMode) : undefined);
        return send(204);
      }
      if (url.pathname === '/_emulator/stats' && method === 'GET') {
        // HTTP requests only: the requests inside a $batch are listed too, marked "BATCH <method>".
        const http = this.requests.filter((r) => !r.method.startsWith('BATCH '));
        return send(200, { requests: http.length, byStatus: countBy(http.map((r) => r.status)), throttle: this.throttleStats });
      }
      if (url.pathname === '/_emulator/faults' && method === 'POST') {
        const fault = JSON.parse((await readBody(req)) || '{}') as Fault;
        this.injectFault(fault);
        return send(204);
      }
      // A $batch is charged by its inner requests, each throttled on its own (below).
      const wait = url.pathname.startsWith('/v1.0/') && url.pathname !== '/v1.0/$batch' ? this.throttled(Date.now()) : 0;
      if (wait) return sendError(429, 'activityLimitReached', 'The request has been throttled', 'throttledRequest', { 'Retry-After': String(wait) });
      const hasBody = method === 'POST' || method === 'PATCH';
      // The body is read first only when a fault looks into it.
      const raw = hasBody && this.faults.some((f) => f.count > 0 && f.body) ? await readBody(req) : undefined;
      const fault = this.takeFault(method, url.pathname, raw);
      const readJsonBody = () => (raw === undefined ? readJson(req) : Promise.resolve(parseJson(raw)));
      if (fault?.status === 'reset') {
        this.requests.push({ method, path: url.pathname + url.search, status: 0 });
        req.socket.destroy();
        return;
      }
      if (fault?.status === 'hang') {
        this.requests.push({ method, path: url.pathname + url.search, status: 0 });
        return;
      }
      if (fault?.status === 'lost') {
        const drive = await this.driveRequest(method, url, req, readJsonBody);
        const body = !drive && hasBody ? await readJsonBody() : undefined;
        const result = drive ?? (url.pathname === '/v1.0/$batch' ? this.batch(body) : this.route(method, url, req, body));
        if (result.mutated) this.persist();
        this.requests.push({ method, path: url.pathname + url.search, status: 0 });
        return;
      }
      if (fault) {
        const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
        if (fault.status === 429) return sendError(429, 'activityLimitReached', 'The request has been throttled', 'throttledRequest', headers);
        return sendError(fault.status, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.', undefined, headers);
      }
      if (url.pathname.startsWith('/_download/') && method === 'GET') {
        // A pre-authenticated download link (driveItem @microsoft.graph.downloadUrl): no token, short-lived.
        const file = this.downloads.get(url.pathname.slice('/_download/'.length));
        if (!file || file.expires < Date.now()) return sendError(404, 'itemNotFound', 'The download link has expired or does not exist.');
        const stored = this.files.get(file.key);
        if (!stored) return sendError(404, 'itemNotFound', 'The item has been deleted.');
        this.requests.push({ method, path: url.pathname, status: 200 });
        res.writeHead(200, { 'Content-Type': stored.contentType, 'Content-Length': String(stored.bytes.length) });
        res.end(stored.bytes);
        return;
      }
      if (url.pathname.startsWith('/_upload/')) {
        // The upload URL carries its own authorisation: Graph documents a 401 for a request that adds a token.
        if (req.headers.authorization) return sendError(401, 'unauthenticated', 'Do not send an Authorization header to an upload URL.');
        const result = this.uploadSlice(url.pathname.slice('/_upload/'.length), String(req.headers['content-range'] ?? ''), await readBytes(req));
        return send(result.status, result.body);
      }
      if (!/^Bearer \S+/.test(String(req.headers.authorization ?? '')))
        return sendError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      const drive = await this.driveRequest(method, url, req, readJsonBody);
      if (drive) return send(drive.status, drive.body);
      const body = hasBody ? await readJsonBody() : undefined;
      if (url.pathname === '/v1.0/$batch' && method === 'POST') {
        const result = this.batch(body);
        if (result.mutated) this.persist();
        return send(200, result.body);
      }
      const result = this.route(method, url, req, body);
      if (result.mutated) this.persist();
      return send(result.status, result.body);
    } catch (error) {
      if (error instanceof GraphModelError) return sendError(error.status, error.code, error.message, error.innerCode, (error as GraphModelError & { headers?: Record<string, string> }).headers);
      return sendError(500, 'generalException', `Emulator error: ${(error as Error).message}`);
    }
  }

  private route(method: string, url: URL, req: IncomingMessage, body: unknown): { status: number; body?: unknown; mutated?: boolean } {
    const path = decodeURIComponent(url.pathname);
    const teams = this.teamsRoute(method, path, url, body);
    if (teams) return teams;
    const users = /^\/v1\.0\/users\/([^/]+)(\/manager)?$/.exec(path);
    if (users && method === 'GET') {
      const user = this.model.user(users[1]!);
      if (!users[2]) return { status: 200, body: userJson(user) };
      if (!user.managerId) throw new GraphModelError(404, 'Request_ResourceNotFound', `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`);
      return { status: 200, body: { '@odata.type': '#microsoft.graph.user', ...userJson(this.model.user(user.managerId)) } };
    }
    if (!path.startsWith('/v1.0/sites/')) throw new GraphModelError(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[2] ?? ''}'.`);

    const { site, rest } = this.resolveSite(path.slice('/v1.0/sites/'.length));
    const seg = rest.split('/').filter(Boolean);
    if (seg.length === 0 && method === 'GET') return { status: 200, body: siteJson(this.webRoot(site), site) };
    if (seg[0] !== 'lists') throw new GraphModelError(400, 'BadRequest', `Resource not found for the segment '${seg[0]}'.`);

    if (seg.length === 1) {
      if (method === 'GET') {
        const filter = url.searchParams.get('$filter');
        let lists = site.lists;
        if (filter) {
          const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter.trim());
          if (!m) throw new GraphModelError(400, 'invalidRequest', 'Only the displayName eq filter is supported on lists.');
          lists = lists.filter((l) => l.displayName === m[1]!.replace(/''/g, "'"));
        }
        return { status: 200, body: { value: lists.map((l) => listJson(this.webRoot(site), site, l, false)) } };
      }
      if (method === 'POST') {
        const input = body as { displayName: string; columns?: never[]; list?: { template?: string } };
        const list = this.model.createList(site, { displayName: input?.displayName, columns: input?.columns, template: input?.list?.template });
        return { status: 201, body: listJson(this.webRoot(site), site, list, true), mutated: true };
      }
    }

    const list = this.model.list(site, seg[1]!);
    const expand = url.searchParams.get('$expand') ?? url.searchParams.get('expand');
    if (seg.length === 2 && method === 'GET') return { status: 200, body: listJson(this.webRoot(site), site, list, Boolean(expand && /columns/.test(expand))) };
    if (seg[2] === 'columns' && seg.length === 3) {
      if (method === 'GET') return { status: 200, body: { value: list.columns } };
      if (method === 'POST') return { status: 201, body: this.model.addColumn(list, body as never), mutated: true };
    }
    if (seg[2] === 'columns' && seg.length === 4 && method === 'PATCH') return { status: 200, body: this.model.updateColumn(list, seg[3]!, body as never), mutated: true };
    if (seg[2] !== 'items') throw new GraphModelError(400, 'BadRequest', `Resource not found for the segment '${seg[2]}'.`);
    const ifMatch = req.headers['if-match'] as string | undefined;

    if (seg.length === 3) {
      if (method === 'GET') return { status: 200, body: this.listItems(site, list, url, req) };
      if (method === 'POST') {
        const fields = (body as { fields?: Record<string, unknown> } | undefined)?.fields;
        if (!fields) throw new GraphModelError(400, 'invalidRequest', 'Invalid request: the body must have a fields object.');
        const item = this.model.createItem(list, fields);
        return { status: 201, body: this.itemJson(site, list, item, null), mutated: true };
      }
    }
    if (seg.length === 4 && seg[3] === 'delta' && method === 'GET') return { status: 200, body: this.delta(site, list, url) };
    const itemId = seg[3]!;
    if (seg.length === 4) {
      if (method === 'GET') {
        const { fields, select } = parseExpandFields(expand);
        return { status: 200, body: this.itemJson(site, list, this.model.item(list, itemId), fields ? select : undefined) };
      }
      if (method === 'DELETE') {
        this.model.deleteItem(list, itemId, ifMatch);
        return { status: 204, mutated: true };
      }
    }
    if (seg.length === 5 && seg[4] === 'fields') {
      if (method === 'GET') return { status: 200, body: this.fieldsJson(site, list, this.model.item(list, itemId), null) };
      if (method === 'PATCH') {
        const item = this.model.updateFields(list, itemId, body as Record<string, unknown>, ifMatch);
        return { status: 200, body: this.fieldsJson(site, list, item, null), mutated: true };
      }
    }
    throw new GraphModelError(405, 'BadRequest', `${method} is not supported on ${path}.`);
  }

  /**
   * JSON batching: up to 20 requests, each answered on its own (a failure in one does not fail the others);
   * the envelope is 400 when malformed. Requests run in order here; Graph may answer them out of order.
   */
  private batch(body: unknown): { body: unknown; mutated: boolean } {
    const requests = (body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(requests) || requests.length === 0) throw new GraphModelError(400, 'BadRequest', 'Invalid batch payload: requests must be a non-empty array.');
    if (requests.length > 20) throw new GraphModelError(400, 'BadRequest', 'Invalid batch payload format: the number of requests exceeds the limit of 20.');
    let mutated = false;
    const responses = (requests as { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }[]).map((r) => {
      const url = new URL(`${this.baseUrl}${r.url.startsWith('/') ? '' : '/'}${r.url}`);
      const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const wait = this.throttled(Date.now());
      if (wait)
        return { id: r.id, status: 429, headers: { 'retry-after': String(wait) }, body: { error: { code: 'activityLimitReached', message: 'The request has been throttled', innerError: { code: 'throttledRequest' } } } };
      // Faults hit inner requests one by one too, as Graph's own failures do.
      const fault = this.takeFault(r.method.toUpperCase(), url.pathname);
      if (fault && typeof fault.status === 'number')
        return { id: r.id, status: fault.status, headers: fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}, body: { error: { code: fault.status === 429 ? 'activityLimitReached' : 'serviceNotAvailable', message: 'The service is temporarily unavailable. Please retry later.' } } };
      try {
        const result = this.route(r.method.toUpperCase(), url, { headers } as unknown as IncomingMessage, r.body);
        mutated ||= Boolean(result.mutated);
        return { id: r.id, status: result.status, headers: { 'content-type': 'application/json' }, body: result.body };
      } catch (e) {
        const error = e instanceof GraphModelError ? e : new GraphModelError(500, 'generalException', (e as Error).message);
        return { id: r.id, status: error.status, body: { error: { code: error.code, message: error.message, ...(error.innerCode ? { innerError: { code: error.innerCode } } : {}) } } };
      }
    });
    this.requests.push(...responses.map((r, i) => ({ method: `BATCH ${(requests[i] as { method: string }).method}`, path: (requests[i] as { url: string }).url, status: r.status })));
    return { body: { responses }, mutated };
  }

  /** Files in sites' default document libraries ("Shared Documents") and users' OneDrives, by drive and path. */
  readonly files = new Map<string, { bytes: Buffer; contentType: string; webUrl: string; createdDateTime: string }>();

  /** Pre-authenticated download links handed out with driveItems, by token. */
  private readonly downloads = new Map<string, { key: string; expires: number }>();

  /** Drive requests (uploads, upload sessions, items by path); undefined for anything else. */
  private async driveRequest(method: string, url: URL, req: IncomingMessage, readJsonBody: () => Promise<unknown>): Promise<{ status: number; body: unknown; mutated?: boolean } | undefined> {
    if (method === 'PUT' && /\/drive\/root:\/.+:\/content$/.test(url.pathname))
      return { status: 201, body: this.upload(url, await readBytes(req), String(req.headers['content-type'] ?? 'application/octet-stream'), url.searchParams.get('@microsoft.graph.conflictBehavior') ?? 'replace') };
    if (method === 'POST' && /\/drive\/root:\/.+:\/createUploadSession$/.test(url.pathname)) return { status: 200, body: this.openUploadSession(url, await readJsonBody().catch(() => undefined)) };
    if (method === 'GET' && /\/drive\/root:\/[^:]+:?$/.test(url.pathname)) return { status: 200, body: this.driveItem(url) };
    return undefined;
  }

  /** The drive a `/sites/{id}/drive/…` or `/users/{id}/drive/…` path names: its key prefix and web address. */
  private driveOf(pathname: string): { prefix: string; webRoot: string; path: string } {
    const m = /^\/v1\.0\/(sites|users)\/(.+?)\/drive\/root:\/?([^:]*)(?::.*)?$/.exec(decodeURIComponent(pathname));
    if (!m) throw new GraphModelError(400, 'invalidRequest', 'Only paths under /drive/root: are supported.');
    const path = m[3]!.replace(/^\/+|\/+$/g, '');
    if (m[1] === 'users') {
      const user = this.model.user(m[2]!);
      const host = (this.options.data.sites[0]?.hostname ?? 'contoso.sharepoint.com').replace(/^([^.]+)/, '$1-my');
      const personal = `https://${host}/personal/${user.userPrincipalName.replace(/[@.]/g, '_')}/Documents`;
      return { prefix: `user:${user.id}`, webRoot: personal, path };
    }
    const { site } = this.resolveSite(m[2]!);
    return { prefix: site.id, webRoot: `${this.webRoot(site)}/Shared%20Documents`, path };
  }

  private driveItemJson(key: string, path: string, file: { bytes: Buffer; contentType: string; webUrl: string; createdDateTime: string }): Record<string, unknown> {
    const token = randomUUID();
    this.downloads.set(token, { key, expires: Date.now() + 3_600_000 });
    return {
      id: createHash('sha256').update(key).digest('hex').slice(0, 32).toUpperCase(), name: path.split('/').at(-1), size: file.bytes.length, webUrl: file.webUrl,
      file: { mimeType: file.contentType }, createdDateTime: file.createdDateTime, lastModifiedDateTime: file.createdDateTime,
      '@microsoft.graph.downloadUrl': `https://localhost:${this.port}/_download/${token}`,
    };
  }

  /**
   * Simple upload (`PUT …/drive/root:/{path}:/content`): creates or replaces the file, answers the driveItem.
   * `@microsoft.graph.conflictBehavior` fail answers 409 nameAlreadyExists, rename adds " 1", " 2"… to the name.
   */
  private upload(url: URL, bytes: Buffer, contentType: string, conflictBehavior: string): unknown {
    const drive = this.driveOf(url.pathname);
    let path = drive.path;
    if (bytes.length > 250 * 1024 * 1024) throw new GraphModelError(413, 'requestEntityTooLarge', 'Use an upload session for files over 250 MB.');
    if (!path || path.split('/').some((part) => !part || /[\\*:<>?"|#%]/.test(part) || part === '..' || part === '.')) throw new GraphModelError(400, 'invalidRequest', 'The file name or path is not valid.');
    if (this.files.has(`${drive.prefix}/${path}`)) {
      if (conflictBehavior === 'fail') throw new GraphModelError(409, 'nameAlreadyExists', 'The specified item name already exists.');
      if (conflictBehavior === 'rename') {
        const dot = path.lastIndexOf('.') > path.lastIndexOf('/') ? path.lastIndexOf('.') : path.length;
        for (let n = 1; this.files.has(`${drive.prefix}/${path}`); n += 1) path = `${drive.path.slice(0, dot)} ${n}${drive.path.slice(dot)}`;
      }
    }
    const key = `${drive.prefix}/${path}`;
    const webUrl = `${drive.webRoot}/${path.split('/').map(encodeURIComponent).join('/')}`;
    const file = { bytes, contentType, webUrl, createdDateTime: this.files.get(key)?.createdDateTime ?? new Date().toISOString() };
    this.files.set(key, file);
    return this.driveItemJson(key, path, file);
  }

  /** `GET …/drive/root:/{path}`: the driveItem, or 404 itemNotFound. */
  private driveItem(url: URL): unknown {
    const drive = this.driveOf(url.pathname);
    const key = `${drive.prefix}/${drive.path}`;
    const file = this.files.get(key);
    if (!file) throw new GraphModelError(404, 'itemNotFound', 'The resource could not be found.');
    return this.driveItemJson(key, drive.path, file);
  }

  private readonly uploadSessions = new Map<string, { url: URL; received: Buffer[]; size: number; expires: number; conflictBehavior: string }>();

  /** `createUploadSession`: an upload URL on another host (as SharePoint's are), valid for an hour. */
  private openUploadSession(url: URL, body: unknown): unknown {
    const target = new URL(url.toString().replace(/:\/createUploadSession$/, ':/content'));
    const drive = this.driveOf(target.pathname);
    const conflictBehavior = String((body as { item?: Record<string, unknown> } | undefined)?.item?.['@microsoft.graph.conflictBehavior'] ?? 'replace');
    if (conflictBehavior === 'fail' && this.files.has(`${drive.prefix}/${drive.path}`)) throw new GraphModelError(409, 'nameAlreadyExists', 'The specified item name already exists.');
    const id = randomUUID();
    const expires = Date.now() + 3_600_000;
    this.uploadSessions.set(id, { url: target, received: [], size: 0, expires, conflictBehavior });
    return { uploadUrl: `https://localhost:${this.port}/_upload/${id}`, expirationDateTime: new Date(expires).toISOString(), nextExpectedRanges: ['0-'] };
  }

  /** One slice of an upload session (`Content-Range: bytes a-b/total`, in order); the last one creates the file. */
  private uploadSlice(id: string, range: string, bytes: Buffer): { status: number; body: unknown } {
    const session = this.uploadSessions.get(id);
    if (!session || session.expires < Date.now()) return { status: 404, body: { error: { code: 'itemNotFound', message: 'The upload session was not found or has expired.' } } };
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (!m || Number(m[1]) !== session.size || Number(m[2]) - Number(m[1]) + 1 !== bytes.length)
      return { status: 416, body: { error: { code: 'invalidRange', message: `Expected the range to start at ${session.size}.` } } };
    session.received.push(bytes);
    session.size += bytes.length;
    const total = Number(m[3]);
    if (session.size < total) return { status: 202, body: { expirationDateTime: new Date(session.expires).toISOString(), nextExpectedRanges: [`${session.size}-`] } };
    this.uploadSessions.delete(id);
    try {
      return { status: 201, body: this.upload(session.url, Buffer.concat(session.received), 'application/octet-stream', session.conflictBehavior) };
    } catch (e) {
      if (e instanceof GraphModelError) return { status: e.status, body: { error: { code: e.code, message: e.message } } };
      throw e;
    }
  }

  /**
   * Teams app catalogue and personal installations, as Graph documents them: `GET /appCatalogs/teamsApps` (filter on
   * externalId), `GET|POST /users/{id}/teamwork/installedApps` (expand teamsApp, filter on teamsApp/externalId or
   * teamsApp/id; POST 201 with no body, 409 when installed, 404 when the app is not in the catalogue, 403 when the
   * person's app policy blocks it) and `GET …/installedApps/{id}/chat` (the 1:1 chat with the bot).
   */
  private teamsRoute(method: string, path: string, url: URL, body: unknown): { status: number; body?: unknown; mutated?: boolean } | undefined {
    const teams = (this.model.data.teams ??= { catalog: [], installed: [], blockedUsers: [] });
    const app = (id: string) => teams.catalog.find((a) => a.id === id);
    const appJson = (a: StoredTeams['catalog'][number]) => ({ id: a.id, externalId: a.externalId, displayName: a.displayName, distributionMethod: 'organization' });
    const filterValue = (field: string) => {
      const f = url.searchParams.get('$filter');
      if (!f) return undefined;
      const m = new RegExp(`^${field.replace('/', '\\/')} eq '([^']*)'$`).exec(f.trim());
      if (!m) throw new GraphModelError(400, 'BadRequest', `Invalid filter clause: ${f}`);
      return m[1]!;
    };
    if (path === '/v1.0/appCatalogs/teamsApps' && method === 'GET') {
      const externalId = filterValue('externalId');
      return { status: 200, body: { value: teams.catalog.filter((a) => externalId === undefined || a.externalId === externalId).map(appJson) } };
    }
    const m = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps(?:\/([^/]+)(\/chat)?)?$/.exec(path);
    if (!m) return undefined;
    const user = this.model.user(m[1]!);
    const mine = teams.installed.filter((i) => i.userId === user.id);
    if (!m[2] && method === 'GET') {
      const f = url.searchParams.get('$filter');
      const byExternal = f?.includes('teamsApp/externalId') ? filterValue('teamsApp/externalId') : undefined;
      const byId = f?.includes('teamsApp/id') ? filterValue('teamsApp/id') : undefined;
      const shown = mine.filter((i) => (byExternal === undefined || app(i.catalogAppId)?.externalId === byExternal) && (byId === undefined || i.catalogAppId === byId));
      const expand = (url.searchParams.get('$expand') ?? '').includes('teamsApp');
      return { status: 200, body: { value: shown.map((i) => ({ id: i.installationId, ...(expand && { teamsApp: appJson(app(i.catalogAppId)!) }) })) } };
    }
    if (!m[2] && method === 'POST') {
      const bind = String((body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'] ?? '');
      const catalogId = /\/appCatalogs\/teamsApps\/([^/?]+)$/.exec(bind)?.[1];
      if (!catalogId) throw new GraphModelError(400, 'BadRequest', 'teamsApp@odata.bind must reference /appCatalogs/teamsApps/{id}.');
      if (!app(catalogId)) throw new GraphModelError(404, 'NotFound', `The app ${catalogId} was not found in the app catalog.`);
      if (teams.blockedUsers.includes(user.id)) throw new GraphModelError(403, 'Forbidden', 'The app is blocked by the app permission policy for this user.');
      if (mine.some((i) => i.catalogAppId === catalogId)) throw new GraphModelError(409, 'Conflict', 'The app is already installed for this user.');
      teams.installed.push({ userId: user.id, installationId: randomUUID(), catalogAppId: catalogId, chatId: `19:${user.id}_${catalogId}@unq.gbl.spaces` });
      return { status: 201, mutated: true };
    }
    const installation = mine.find((i) => i.installationId === m[2]);
    if (!installation) throw new GraphModelError(404, 'NotFound', 'The installation was not found.');
    if (m[3] && method === 'GET') return { status: 200, body: { id: installation.chatId, chatType: 'oneOnOne' } };
    if (!m[3] && method === 'GET') return { status: 200, body: { id: installation.installationId, teamsApp: appJson(app(installation.catalogAppId)!) } };
    throw new GraphModelError(405, 'MethodNotAllowed', `${method} is not supported here.`);
  }

  private webRoot(site: StoredSite): string {
    return this.options.webBase ? `${this.options.webBase}${site.path}` : `https://${site.hostname}${site.path}`;
  }

  private resolveSite(rest: string): { site: StoredSite; rest: string } {
    // hostname:/server/relative/path[:/lists/...]
    const byPath = /^([^/,:]+):(\/[^:]*?)(?::(\/.*)?)?$/.exec(rest);
    if (byPath) return { site: this.model.site({ hostname: byPath[1], path: byPath[2] }), rest: byPath[3] ?? '' };
    const [first, ...others] = rest.split('/');
    const site = first === 'root' ? this.data.sites[0] : this.model.site({ id: first });
    if (!site) throw new GraphModelError(404, 'itemNotFound', 'Requested site could not be found');
    return { site, rest: others.join('/') };
  }

  private get data(): EmulatorData {
    return this.model.data;
  }

  private listItems(site: StoredSite, list: StoredList, url: URL, req: IncomingMessage): unknown {
    const top = Math.min(Number(url.searchParams.get('$top') ?? url.searchParams.get('top') ?? PAGE_DEFAULT) || PAGE_DEFAULT, PAGE_MAX);
    const skip = url.searchParams.get('$skiptoken');
    const afterId = skip ? decodeSkipToken(skip) : 0;
    const filterText = url.searchParams.get('$filter') ?? url.searchParams.get('filter');
    const { fields, select } = parseExpandFields(url.searchParams.get('$expand') ?? url.searchParams.get('expand'));
    let items = [...list.items].sort((a, b) => Number(a.id) - Number(b.id));
    if (filterText) {
      const comparisons = parseFilter(filterText);
      const honour = String(req.headers.prefer ?? '').includes('HonorNonIndexedQueriesWarningMayFailRandomly');
      for (const c of comparisons) {
        const column = list.columns.find((col) => col.name === c.field);
        if (!column) throw new GraphModelError(400, 'invalidRequest', `Field '${c.field}' is not recognized`);
        if (!column.indexed && !honour)
          throw new GraphModelError(400, 'invalidRequest', `Field '${c.field}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`);
      }
      items = items.filter((i) => comparisons.every((c) => matches(i.fields, c)));
    }
    const page = items.filter((i) => Number(i.id) > afterId).slice(0, top + 1);
    const hasMore = page.length > top;
    const shown = page.slice(0, top);
    const itemSelect = selectedProperties(url);
    const result: Record<string, unknown> = { value: shown.map((i) => pick(this.itemJson(site, list, i, fields ? select : undefined), itemSelect)) };
    if (hasMore) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', encodeSkipToken(shown[shown.length - 1]!.id));
      result['@odata.nextLink'] = next.toString();
    }
    return result;
  }

  /**
   * `GET …/items/delta`: with no token, every item (paged), ending in an `@odata.deltaLink`; with `token=latest`, no
   * items and a link from now; with a link's token, the items changed since (current state, by id) and the deleted
   * ones as `{id, deleted: {state: "deleted"}}`. An expired token is 410 Gone, as Graph answers.
   */
  private delta(site: StoredSite, list: StoredList, url: URL): unknown {
    const top = Math.min(Number(url.searchParams.get('$top') ?? PAGE_DEFAULT) || PAGE_DEFAULT, PAGE_MAX);
    const { fields, select } = parseExpandFields(url.searchParams.get('$expand') ?? url.searchParams.get('expand'));
    const itemSelect = selectedProperties(url);
    const link = (token: Record<string, unknown>, kind: 'token' | '$skiptoken') => {
      const next = new URL(`${this.baseUrl}/sites/${site.id}/lists/${list.id}/items/delta`);
      for (const key of ['$select', '$expand', 'expand', '$top']) if (url.searchParams.has(key)) next.searchParams.set(key, url.searchParams.get(key)!);
      next.searchParams.set(kind, Buffer.from(JSON.stringify(token)).toString('base64url'));
      return next.toString();
    };
    const now = list.changeSeq ?? 0;
    const tokenText = url.searchParams.get('token');
    if (tokenText === 'latest') return { value: [], '@odata.deltaLink': link({ since: now, at: Date.now() }, 'token') };
    const decode = (text: string) => {
      try {
        return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { since: number; at: number; upTo?: number; afterId?: number; afterDeleted?: number };
      } catch {
        throw new GraphModelError(400, 'invalidRequest', 'The delta token is not valid.');
      }
    };
    const skip = url.searchParams.get('$skiptoken');
    const state = skip ? decode(skip) : tokenText ? decode(tokenText) : { since: 0, at: Date.now() };
    if (tokenText && state.at < this.deltaValidAfter)
      throw Object.assign(new GraphModelError(410, 'resyncChangesApplyDifferences', 'Resync required. Replace any local items with the server\'s version (including deletes) if you\'re sure that the service was up to date with your local changes when you last sync\'d. Upload any local changes that the server doesn\'t know about.'), {
        headers: { Location: link({ since: 0, at: Date.now() }, 'token').replace(/token=[^&]*/, '') },
      });
    const upTo = state.upTo ?? now;
    const afterId = state.afterId ?? 0;
    const changed = list.items
      .filter((i) => Number(i.id) > afterId && (state.since === 0 || (i.changeSeq ?? 0) > state.since))
      .sort((a, b) => Number(a.id) - Number(b.id))
      .slice(0, top + 1);
    const value: unknown[] = changed.slice(0, top).map((i) => pick(this.itemJson(site, list, i, fields ? select : undefined), itemSelect));
    if (changed.length > top) return { value, '@odata.nextLink': link({ ...state, upTo, afterId: Number(changed[top - 1]!.id) }, '$skiptoken') };
    const gone = state.since === 0 ? [] : (list.deleted ?? []).filter((d) => d.changeSeq > state.since && Number(d.id) > (state.afterDeleted ?? 0)).sort((a, b) => Number(a.id) - Number(b.id));
    const room = top - value.length;
    value.push(...gone.slice(0, room).map((d) => ({ id: d.id, deleted: { state: 'deleted' } })));
    if (gone.length > room) return { value, '@odata.nextLink': link({ ...state, upTo, afterId: Number.MAX_SAFE_INTEGER, afterDeleted: Number(gone[room - 1]!.id) }, '$skiptoken') };
    return { value, '@odata.deltaLink': link({ since: upTo, at: Date.now() }, 'token') };
  }

  /** `select`: undefined = no fields expanded; null = all fields; else the named fields. */
  private itemJson(site: StoredSite, list: StoredList, item: StoredItem, select: string[] | null | undefined): unknown {
    const etag = etagOf(item);
    return {
      '@odata.etag': etag,
      eTag: etag,
      id: item.id,
      createdDateTime: item.createdDateTime,
      lastModifiedDateTime: item.lastModifiedDateTime,
      webUrl: `${this.webRoot(site)}/Lists/${list.name}/${item.id}_.000`,
      createdBy: { user: { displayName: 'PlanPulse demo' } },
      lastModifiedBy: { application: { displayName: 'PlanPulse' } },
      parentReference: { id: list.id, siteId: site.id },
      contentType: { id: '0x0100', name: 'Item' },
      ...(select === undefined ? {} : { fields: this.fieldsJson(site, list, item, select) }),
    };
  }

  private fieldsJson(site: StoredSite, list: StoredList, item: StoredItem, select: string[] | null): Record<string, unknown> {
    const all: Record<string, unknown> = {
      '@odata.etag': etagOf(item),
      id: item.id,
      ContentType: 'Item',
      Created: item.createdDateTime,
      Modified: item.lastModifiedDateTime,
      AuthorLookupId: '1',
      EditorLookupId: '1',
      _UIVersionString: `${item.version}.0`,
      Attachments: false,
    };
    for (const column of list.columns) {
      if (column.personOrGroup) {
        const stored = item.fields[`${column.name}LookupId`];
        if (stored === undefined || stored === null) continue;
        if (column.personOrGroup.allowMultipleSelection)
          all[column.name] = (stored as number[]).map((id) => this.model.siteUser(site, id) ?? { LookupId: id, LookupValue: '', Email: '' });
        else all[`${column.name}LookupId`] = String(stored);
      } else if (item.fields[column.name] !== undefined && item.fields[column.name] !== null) all[column.name] = item.fields[column.name];
    }
    if (!select) return all;
    const out: Record<string, unknown> = { '@odata.etag': all['@odata.etag'] };
    for (const name of select) {
      if (name in all) out[name] = all[name];
      else if (`${name}LookupId` in all) out[`${name}LookupId`] = all[`${name}LookupId`];
    }
    return out;
  }
}

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** The item properties `$select` names (fields come through `expand`), or null for all of them. */
function selectedProperties(url: URL): Set<string> | null {
  const text = url.searchParams.get('$select') ?? url.searchParams.get('select');
  return text ? new Set(text.split(',').map((s) => s.trim()).filter(Boolean)) : null;
}

function pick(item: unknown, select: Set<string> | null): unknown {
  if (!select) return item;
  const all = item as Record<string, unknown>;
  return Object.fromEntries(Object.entries(all).filter(([k]) => select.has(k) || k === 'fields' || k === '@odata.etag'));
}

function userJson(u: { id: string; displayName: string; userPrincipalName: string; mail: string; jobTitle?: string; userType?: string }) {
  return { id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.mail, jobTitle: u.jobTitle ?? null, userType: u.userType ?? 'Member' };
}

function siteJson(webRoot: string, site: StoredSite) {
  return { id: site.id, name: site.path.split('/').pop(), displayName: site.displayName, webUrl: webRoot, siteCollection: { hostname: site.hostname } };
}

function listJson(webRoot: string, site: StoredSite, list: StoredList, withColumns: boolean) {
  return {
    id: list.id,
    name: list.name,
    displayName: list.displayName,
    createdDateTime: list.createdDateTime,
    webUrl: `${webRoot}/Lists/${list.name}`,
    list: { hidden: list.hidden, template: list.template, contentTypesEnabled: false },
    parentReference: { siteId: site.id },
    ...(withColumns ? { columns: list.columns } : {}),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return parseJson(await readBody(req));
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GraphModelError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
}

export function loadEmulatorData(path: string): EmulatorData | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EmulatorData;
  } catch {
    return undefined;
  }
}

export { USER_INFORMATION_LIST };
