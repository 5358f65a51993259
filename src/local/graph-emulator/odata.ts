import { GraphModelError } from './model.js';

/** `expand=fields(select=A,B)` and `$expand=fields($select=A,B)`: the selected field names, or null for all. */
export function parseExpandFields(expand: string | null): { fields: boolean; select: string[] | null } {
  if (!expand) return { fields: false, select: null };
  const m = /(?:^|,)\s*fields\s*(?:\(\s*\$?select\s*=\s*([^)]*)\))?/i.exec(expand);
  if (!m) return { fields: false, select: null };
  return { fields: true, select: m[1] ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : null };
}

export type Comparison = { field: string; op: 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge' | 'startswith'; value: string | number | boolean | null };

function literal(text: string): string | number | boolean | null {
  const t = text.trim();
  if (/^'.*'$/s.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new GraphModelError(400, 'invalidRequest', `Invalid filter clause: unrecognised literal ${t}`);
}

/** The `$filter` subset SharePoint list items support through Graph: comparisons on `fields/X` joined by `and`. */
export function parseFilter(filter: string): Comparison[] {
  return filter.split(/\s+and\s+/i).map((clause) => {
    const starts = /^\s*startswith\(\s*fields\/(\w+)\s*,\s*('(?:[^']|'')*')\s*\)\s*$/i.exec(clause);
    if (starts) return { field: starts[1]!, op: 'startswith', value: literal(starts[2]!) };
    const cmp = /^\s*fields\/(\w+)\s+(eq|ne|lt|gt|le|ge)\s+(.+?)\s*$/i.exec(clause);
    if (!cmp) throw new GraphModelError(400, 'invalidRequest', `Invalid filter clause: ${clause.trim()}`);
    return { field: cmp[1]!, op: cmp[2]!.toLowerCase() as Comparison['op'], value: literal(cmp[3]!) };
  });
}

/** SharePoint compares text case-insensitively (its content database collation), in filters as in views. */
const sameText = (a: unknown, b: unknown) => a === b || String(a).toLowerCase() === String(b).toLowerCase();

export function matches(fields: Record<string, unknown>, c: Comparison): boolean {
  const actual = fields[c.field] ?? fields[`${c.field}LookupId`] ?? null;
  if (c.op === 'startswith') return typeof actual === 'string' && typeof c.value === 'string' && actual.toLowerCase().startsWith(c.value.toLowerCase());
  if (c.op === 'eq') return sameText(actual, c.value);
  if (c.op === 'ne') return !sameText(actual, c.value);
  if (actual === null || c.value === null) return false;
  const [a, b] = typeof c.value === 'number' ? [Number(actual), c.value] : [String(actual), String(c.value)];
  switch (c.op) {
    case 'lt': return a < b;
    case 'gt': return a > b;
    case 'le': return a <= b;
    case 'ge': return a >= b;
  }
}

export function encodeSkipToken(lastId: string): string {
  return Buffer.from(`Paged=TRUE&p_ID=${lastId}`).toString('base64');
}

export function decodeSkipToken(token: string): number {
  const m = /p_ID=(\d+)/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw new GraphModelError(400, 'invalidRequest', 'The $skiptoken is not valid.');
  return Number(m[1]);
}
