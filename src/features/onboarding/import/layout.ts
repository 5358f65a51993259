import { createHash } from 'node:crypto';
import { distance } from '../../../domain/similar.js';
import type { RegisterCell, RegisterRow, RegisterSheet } from './read-register.js';

/** What a register column can hold, in PlanPulse's terms. */
export type RegisterField =
  | 'ref' | 'task' | 'title' | 'area' | 'pillar' | 'ownerRole' | 'due' | 'status' | 'progressNotes' | 'nextSteps'
  | 'evidenceSummary' | 'evidenceLink' | 'qaStatus' | 'sampleStatus';

/** One action read from a register, before its values are interpreted. */
export interface RegisterRecord {
  /** The register's own reference as written, or a stable key (section + title) when it has none. */
  ref: string;
  refFromRegister: boolean;
  title: string;
  pillar?: string;
  area?: string;
  ownerRole?: string;
  due?: RegisterCell;
  /** The status in the register's own words. */
  status?: string;
  progressNotes?: string;
  evidenceSummary?: string;
  evidenceLink?: string;
  qaStatus?: string;
  sampleStatus?: string;
  sheet: string;
  sourceRow: number;
}

export interface RegisterProblem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

/** How one sheet was read: its heading row, which column went to which field, and what was ignored. */
export interface SheetLayout {
  sheet: string;
  preset: string;
  headingRow?: number;
  columns: { heading: string; field: RegisterField }[];
  ignored: string[];
  /** Rows not imported (titles, sections, totals, keys, notes) and why. */
  skipped: { row: number; reason: string }[];
  /** When no heading row was found: the first rows seen, for the administrator. */
  firstRows?: string[];
  /** Hidden in the workbook, so not read. */
  hidden?: boolean;
}

export interface Preset {
  name: string;
  description: string;
  /** Headings that identify the layout (near matches count). */
  signature: string[];
  /** Headings per field, tried before the general ones. */
  headings: Partial<Record<RegisterField, string[]>>;
  /** How the register names a task when its reference spans two columns (default: AFI 1 + Task 2 = AFI1-T2). */
  refOf?: (ref: string, task: string) => string;
}

/** Headings registers use for each field, most specific first. Matched ignoring case, spaces and punctuation. */
const GENERAL: Record<RegisterField, string[]> = {
  ref: ['ref', 'ref no', 'reference', 'action ref', 'afi ref', 'rec ref', 'recommendation ref', 'recommendation no', 'number', 'no', 'item', 'id'],
  task: ['task', 'task no', 'task number'],
  title: ['action', 'actions', 'task description', 'task title', 'action title', 'recommendation', 'areas for consideration', 'area for consideration', 'hmicfrs said', 'title', 'description'],
  area: ['areas for improvement', 'area for improvement', 'afi', 'detail', 'finding', 'issue', 'cause of concern'],
  pillar: ['pillar', 'theme', 'section', 'category', 'workstream'],
  ownerRole: ['responsible lead', 'work assigned to', 'lead', 'owner', 'action owner', 'responsible officer', 'responsible', 'assigned to', 'lead officer'],
  due: ['projected completion date', 'timescales', 'timescale', 'when', 'due date', 'due', 'target date', 'deadline', 'completion date', 'target', 'date due'],
  status: ['status', 'rag', 'rag status', 'progress status', 'current status'],
  progressNotes: ['progress to date', 'progress in addressing areas for consideration', 'progress', 'progress update', 'update', 'comments', 'commentary', 'description of work needing to be done', 'description of work'],
  nextSteps: ['future activity planned', 'next steps', 'next actions'],
  evidenceSummary: ['evidence of compliance', 'evidence', 'evidence summary'],
  evidenceLink: ['evidence link', 'link to evidence', 'evidence location', 'link'],
  qaStatus: ['quality assurance by owner', 'quality assurance', 'qa', 'qa status', 'qa by owner'],
  sampleStatus: ['sampling by business assurance sm', 'sampling by', 'sampling', 'sample'],
};

export const PRESETS: Preset[] = [
  {
    name: 'leicestershire',
    description: 'Leicestershire task register: AFI/SII, Pillar, Areas For Improvement, Task, Task Description, Work Assigned To, Projected Completion Date, Progress (the status), Description of work, Evidence of Compliance',
    signature: ['AFI/SII', 'Work Assigned To', 'Projected Completion Date'],
    headings: { ref: ['afi/sii', 'afi / sii'], status: ['progress'], progressNotes: ['description of work needing to be done', 'description of work'], area: ['areas for improvement'] },
  },
  {
    name: 'essex',
    description: 'Essex action plan: HMICFRS said / Progress to date / Future activity planned / Timescales / Responsible Lead (no reference column)',
    signature: ['HMICFRS said', 'Timescales', 'Responsible Lead'],
    headings: { title: ['hmicfrs said'], area: ['hmicfrs said'] },
  },
  {
    name: 'west-midlands',
    description: 'West Midlands areas for consideration: Number / Areas for Consideration / Progress / Lead / When / Status, themes between the tables',
    signature: ['Number', 'Areas for Consideration', 'Lead', 'When'],
    headings: { title: ['areas for consideration'], area: ['areas for consideration'] },
  },
  {
    name: 'nfcc',
    description: 'NFCC Culture Action Plan deliverables: Action / Detail / Progress / Next Steps (no owner or date columns)',
    signature: ['Action', 'Detail', 'Progress', 'Next Steps'],
    headings: { title: ['action'], area: ['detail'] },
  },
];

/** AFI 1 + "Task 1.1" = AFI1-T1.1; "2a" stays 2a; no task number, the reference alone. */
const taskRef = (ref: string, task: string) => {
  const number = task.replace(/^task\s*/i, '').replace(/\s+/g, '');
  return number ? `${ref.replace(/\s+/g, '')}-T${number}` : ref.replace(/\s+/g, '');
};

const GENERIC: Preset = { name: 'general', description: 'any register whose headings PlanPulse recognises', signature: [], headings: {} };

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9/]+/g, ' ').replace(/\s+/g, ' ').trim();

/** A heading matches a name nearly: a longer heading starting with it, a plural, or a typo (when long enough to tell). */
function nearly(heading: string, name: string): boolean {
  const h = norm(heading);
  const n = norm(name);
  if (!h || n.length < 6) return false;
  return h.startsWith(`${n} `) || h.startsWith(`${n}s`) || distance(h, n) <= 2;
}

function fieldOf(heading: string, preset: Preset, taken: Set<RegisterField>): RegisterField | undefined {
  if (!heading || heading.length > 80) return undefined;
  const fields = (Object.keys(GENERAL) as RegisterField[]).filter((f) => !taken.has(f));
  const h = norm(heading);
  // Exact names first (the preset's, then the general ones), then near matches: "Evidence link" is the link column,
  // not the evidence one. Each field is given once per table.
  const passes: [(f: RegisterField) => string[], (name: string) => boolean][] = [
    [(f) => preset.headings[f] ?? [], (n) => norm(n) === h],
    [(f) => GENERAL[f], (n) => norm(n) === h],
    [(f) => preset.headings[f] ?? [], (n) => nearly(heading, n)],
    [(f) => GENERAL[f], (n) => nearly(heading, n)],
  ];
  for (const [names, test] of passes) for (const field of fields) if (names(field).some(test)) return field;
  return undefined;
}

function mapHeadings(cells: RegisterCell[], preset: Preset): Map<number, RegisterField> {
  const taken = new Set<RegisterField>();
  const columns = new Map<number, RegisterField>();
  const seen = new Set<string>();
  cells.forEach((cell, i) => {
    // A heading merged over two columns reads twice: the first column gets it.
    if (seen.has(cell.text)) return;
    seen.add(cell.text);
    const field = fieldOf(cell.text, preset, taken);
    if (!field) return;
    taken.add(field);
    columns.set(i, field);
  });
  return columns;
}

const TITLE_FIELDS: RegisterField[] = ['title', 'area'];
const DETAIL_FIELDS: RegisterField[] = ['ref', 'due', 'ownerRole', 'status', 'progressNotes', 'task'];

/** The heading row: among the first rows, the one naming the most fields, with a title and something else. */
function findHeadings(sheet: RegisterSheet, preset: Preset): { index: number; columns: Map<number, RegisterField> } | undefined {
  let best: { index: number; columns: Map<number, RegisterField> } | undefined;
  sheet.rows.slice(0, 30).forEach((row, index) => {
    const columns = mapHeadings(row.cells, preset);
    const fields = [...columns.values()];
    // Registers without a title column name the action by its area.
    if (!fields.some((f) => TITLE_FIELDS.includes(f)) || !fields.some((f) => DETAIL_FIELDS.includes(f))) return;
    if (!best || columns.size > best.columns.size) best = { index, columns };
  });
  return best;
}

function detectPreset(sheet: RegisterSheet): Preset | undefined {
  for (const row of sheet.rows.slice(0, 30)) {
    const texts = row.cells.map((c) => c.text).filter(Boolean);
    const found = PRESETS.find((p) => p.signature.every((s) => texts.some((t) => norm(t) === norm(s) || nearly(t, s))));
    if (found) return found;
  }
  return undefined;
}

/** A totals, key or notes line: short, and saying so (an action that starts "Key risks…" is still an action). */
const TOTALS = /^((grand\s+)?totals?|key|rag key|notes?|source|count)\b[\s:\d.,%-]*(actions?|tasks?|items?)?$/i;

/**
 * A key for a register without references: from the action's own words only, so a section line added, renamed or
 * misread above it never changes it (the same words twice in a register get -2, -3 in order).
 */
function stableKey(title: string, seen: Map<string, number>): string {
  const key = `K-${createHash('sha256').update(norm(title)).digest('hex').slice(0, 6).toUpperCase()}`;
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  return n === 1 ? key : `${key}-${n}`;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const join = (a: string | undefined, b: string | undefined, sep = '\n') => [a, b].filter(Boolean).join(sep) || undefined;

/**
 * Reads one sheet into records: finds the heading row, carries section and pillar rows down to the actions below,
 * joins rows that continue the one above (a cell split across table rows), and leaves titles, repeated headings,
 * totals, keys and notes out, saying so. Nothing is interpreted: dates and statuses are read later.
 */
export function readLayout(sheet: RegisterSheet, forced?: Preset): { layout: SheetLayout; records: RegisterRecord[]; problems: RegisterProblem[] } {
  const preset = forced ?? detectPreset(sheet) ?? GENERIC;
  const layout: SheetLayout = { sheet: sheet.name, preset: preset.name, columns: [], ignored: [], skipped: [], hidden: sheet.hidden };
  const problems: RegisterProblem[] = [];
  if (sheet.hidden) return { layout, records: [], problems };
  const found = findHeadings(sheet, preset);
  if (!found) {
    layout.firstRows = sheet.rows.slice(0, 5).map((r) => `row ${r.number}: ${r.cells.map((c) => c.text).filter(Boolean).join(' | ').slice(0, 120) || '(empty)'}`);
    return { layout, records: [], problems };
  }
  const headingRow = sheet.rows[found.index]!;
  layout.headingRow = headingRow.number;
  const at = new Map<RegisterField, number>([...found.columns].map(([i, f]) => [f, i]));
  layout.columns = [...found.columns].map(([i, field]) => ({ heading: headingRow.cells[i]!.text, field }));
  layout.ignored = [...new Set(headingRow.cells.filter((c, i) => c.text && !found.columns.has(i) && !layout.columns.some((m) => m.heading === c.text)).map((c) => c.text))];
  const headingTexts = new Set(headingRow.cells.map((c) => norm(c.text)).filter(Boolean));
  const cell = (row: RegisterRow, field: RegisterField): RegisterCell | undefined => {
    const i = at.get(field);
    return i === undefined ? undefined : row.cells[i];
  };
  const text = (row: RegisterRow, field: RegisterField) => cell(row, field)?.text ?? '';
  const titleField: RegisterField = at.has('title') ? 'title' : 'area';
  const hasIdentityColumns = IDENTITY_FIELDS.some((f) => at.has(f));

  // A line right above the headings names the first section (a document's title further up does not); else the
  // sheet's own name does.
  const above = sheet.rows[found.index - 1];
  const aboveTexts = above && above.number === headingRow.number - 1 ? distinctTexts(above) : [];
  let section: string | undefined = aboveTexts.length === 1 && aboveTexts[0]!.length <= 120 ? aboveTexts[0] : sheet.section;
  const records: RegisterRecord[] = [];
  const keys = new Map<string, number>();
  for (const row of sheet.rows.slice(found.index + 1)) {
    const texts = distinctTexts(row);
    if (texts.length === 0) continue;
    if (texts.filter((t) => headingTexts.has(norm(t))).length >= 2) {
      layout.skipped.push({ row: row.number, reason: 'the headings again' });
      continue;
    }
    if (texts[0]!.length <= 40 && TOTALS.test(texts[0]!)) {
      layout.skipped.push({ row: row.number, reason: `not an action: "${clip(texts[0]!, 40)}"` });
      continue;
    }
    // With a reference column, only a referenced row starts an action; without one, a date, owner or status does.
    const identity = at.has('ref') ? Boolean(text(row, 'ref')) : IDENTITY_FIELDS.some((f) => text(row, f));
    // A line merged across the table fills every column, the reference and date too: it is still a section title.
    const mergedAcross = texts.length === 1 && row.cells.filter((c) => c.text === texts[0]).length > 1;
    if ((!identity || mergedAcross) && isSectionTitle(row, texts, [at.get('ref'), at.get(titleField), at.get('pillar')])) {
      section = texts[0];
      layout.skipped.push({ row: row.number, reason: `section "${clip(section!, 60)}"` });
      continue;
    }
    const previous = records.at(-1);
    // In a register with references, a row without one that names an owner, date or status is an action someone
    // forgot to number: listed, not joined to the one above.
    if (!identity && at.has('ref') && (['due', 'ownerRole', 'status'] as RegisterField[]).some((f) => text(row, f))) {
      problems.push({ sheet: sheet.name, row: row.number, column: headingRow.cells[at.get('ref')!]!.text, message: 'no reference, but an owner, date or status: not imported; give it a reference' });
      layout.skipped.push({ row: row.number, reason: 'no reference' });
      continue;
    }
    // A row with no reference, date, owner or status continues the action above (a cell split across rows), in
    // registers that have such columns at all.
    if (!identity && previous && hasIdentityColumns) {
      previous.area = join(previous.area ?? previous.title, text(row, 'area') || text(row, 'title'), ' ');
      previous.progressNotes = join(previous.progressNotes, text(row, 'progressNotes'), ' ');
      continue;
    }
    const title = text(row, titleField) || text(row, 'area');
    if (!title) {
      layout.skipped.push({ row: row.number, reason: 'no action text' });
      continue;
    }
    const written = text(row, 'ref').replace(/\s+/g, ' ').replace(/[.:]$/, '').trim();
    // A register that numbers tasks within each reference (AFI 1, Task 2) names them by both: AFI1-T2.
    const ref = written && at.has('task') ? (preset.refOf ?? taskRef)(written, text(row, 'task')) : written;
    const next = text(row, 'nextSteps');
    const record: RegisterRecord = {
      ref: ref || stableKey(title, keys),
      refFromRegister: Boolean(ref),
      title: clip(title, 255),
      // A register with a pillar column says it in every row; a blank there is blank, not the section above.
      pillar: at.has('pillar') ? text(row, 'pillar') || undefined : section,
      // Without an area column, the title column's whole text (the title is cut to SharePoint's 255).
      area: at.has('area') ? text(row, 'area') || undefined : title,
      ownerRole: text(row, 'ownerRole') || undefined,
      due: cell(row, 'due'),
      status: text(row, 'status') || undefined,
      progressNotes: join(text(row, 'progressNotes') || undefined, next ? `Next: ${next}` : undefined),
      evidenceSummary: text(row, 'evidenceSummary') || undefined,
      evidenceLink: cell(row, 'evidenceLink')?.link ?? (text(row, 'evidenceLink') || cell(row, 'evidenceSummary')?.link) ?? undefined,
      qaStatus: text(row, 'qaStatus') || undefined,
      sampleStatus: text(row, 'sampleStatus') || undefined,
      sheet: sheet.name,
      sourceRow: row.number,
    };
    for (const i of found.columns.keys()) {
      const error = row.cells[i]?.error;
      if (error) problems.push({ sheet: sheet.name, row: row.number, column: headingRow.cells[i]!.text, message: `the cell shows an Excel error (${error}); kept as text` });
    }
    records.push(record);
  }
  return { layout, records, problems };
}

const IDENTITY_FIELDS: RegisterField[] = ['ref', 'task', 'due', 'ownerRole', 'status'];

/**
 * A section title: one short line alone (or merged across the table) in the reference, title or pillar column,
 * written as a title (a capital first, no closing full stop). A fragment of a cell split across rows is not one.
 */
function isSectionTitle(row: RegisterRow, texts: string[], columns: (number | undefined)[]): boolean {
  if (texts.length !== 1) return false;
  const line = texts[0]!;
  if (line.length > 80 || !/^[A-Z0-9]/.test(line) || /[.,;]$/.test(line)) return false;
  const where = row.cells.findIndex((c) => c.text === line);
  const merged = row.cells.filter((c) => c.text === line).length > 1;
  return merged || columns.includes(where) || where === 0;
}

function distinctTexts(row: RegisterRow): string[] {
  return [...new Set(row.cells.map((c) => c.text).filter(Boolean))];
}
