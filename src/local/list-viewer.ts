import { Router, type Response } from 'express';
import type { GraphEmulator } from './graph-emulator/server.js';
import type { StoredList, StoredSite } from './graph-emulator/model.js';

/** Columns worth a glance in a list of improvement actions, in order; other lists show their first columns. */
const PREFERRED = ['ActionRef', 'Title', 'Plan', 'OwnerRole', 'DueDate', 'DueDateText', 'Status', 'QAStatus', 'EvidenceLink', 'LastUpdatedBy', 'LastUpdate', 'ProgressNotes'];

const escape = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return new Date(text).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', ...(text.endsWith('T00:00:00Z') || text.endsWith('T23:00:00Z') ? {} : { timeStyle: 'short' }) });
  const first = text.split('\n')[0]!;
  return first.length > 90 ? `${first.slice(0, 89)}…` : first;
}

function page(res: Response, title: string, body: string): void {
  res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#242424}h1{font-size:20px}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f3f2f1}.note{color:#616161}
.banner{background:#fff4ce;padding:8px 12px;border-radius:4px;margin-bottom:16px}</style></head><body>
<div class="banner">PlanPulse local mode — this is the Graph emulator's data, not SharePoint.</div>${body}</body></html>`);
}

/**
 * A read-only view of the emulated SharePoint lists, so a newcomer can see a change made from a card land in the
 * list, as they would in SharePoint. Local mode only; the emulator's item links point here.
 */
export function listViewer(emulator: GraphEmulator): Router {
  const router = Router();
  const find = (siteName: string, listName?: string): { site: StoredSite; list?: StoredList } | undefined => {
    const site = emulator.model.data.sites.find((s) => s.path === `/sites/${siteName}`);
    if (!site) return undefined;
    return { site, list: listName ? site.lists.find((l) => l.name === listName && !l.hidden) : undefined };
  };

  router.get('/', (_req, res) => {
    const sites = emulator.model.data.sites.map((s) => `<h1>${escape(s.displayName)}</h1><ul>${s.lists.filter((l) => !l.hidden).map((l) => `<li><a href="/local${escape(s.path)}/Lists/${escape(l.name)}">${escape(l.displayName)}</a> <span class="note">(${l.items.length} items)</span></li>`).join('')}</ul>`);
    page(res, 'Emulated SharePoint', sites.join(''));
  });

  // Files the bot published (the committee pack): served as SharePoint would open them, so the digest's link works.
  router.get(/^\/sites\/[^/]+\/Shared(%20| )Documents\/.+/, (req, res) => {
    const path = req.originalUrl.split('?')[0];
    const file = [...emulator.files.values()].find((f) => new URL(f.webUrl).pathname === path);
    if (!file) return void res.status(404).send('No such file');
    res.type(file.contentType).attachment(decodeURIComponent(req.path.split('/').at(-1)!)).send(file.bytes);
  });

  router.get('/sites/:site/Lists/:list', (req, res) => {
    const found = find(req.params.site, req.params.list);
    if (!found?.list) return void res.status(404).send('No such list');
    const { site, list } = found;
    const names = list.columns.map((c) => c.name);
    const shown = PREFERRED.filter((n) => names.includes(n)).concat(PREFERRED.some((n) => names.includes(n)) ? [] : names.slice(0, 8));
    const head = ['ID', ...shown].map((n) => `<th>${escape(n)}</th>`).join('');
    const rows = list.items
      .map((i) => `<tr><td><a href="/local${escape(site.path)}/Lists/${escape(list.name)}/${escape(i.id)}_.000">${escape(i.id)}</a></td>${shown.map((n) => `<td>${escape(cell(i.fields[n] ?? i.fields[`${n}LookupId`]))}</td>`).join('')}</tr>`)
      .join('');
    page(res, list.displayName, `<h1>${escape(list.displayName)}</h1><p class="note"><a href="/local">All lists</a> · ${list.items.length} items</p><table><tr>${head}</tr>${rows}</table>`);
  });

  router.get('/sites/:site/Lists/:list/:item', (req, res) => {
    const found = find(req.params.site, req.params.list);
    const item = found?.list?.items.find((i) => `${i.id}_.000` === req.params.item);
    if (!found?.list || !item) return void res.status(404).send('No such item');
    const rows = Object.entries(item.fields).map(([k, v]) => `<tr><th>${escape(k)}</th><td style="white-space:pre-wrap">${escape(Array.isArray(v) ? v.join(', ') : v)}</td></tr>`).join('');
    page(res, `${found.list.displayName} ${item.id}`, `<h1>${escape(String(item.fields.ActionRef ?? item.fields.Title ?? item.id))}</h1><p class="note"><a href="/local${escape(found.site.path)}/Lists/${escape(found.list.name)}">${escape(found.list.displayName)}</a> · version ${item.version}.0 · modified ${escape(item.lastModifiedDateTime)}</p><table>${rows}</table>`);
  });
  return router;
}
