import { access, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import mammoth from 'mammoth';
import { parse as parseHtml, type HTMLElement } from 'node-html-parser';
import type { IsoDate } from '../../../domain/dates.js';

/** One cell as the register holds it: its text, and what Excel knew about it that text alone would lose. */
export interface RegisterCell {
  text: string;
  /** An Excel date cell; `month` when its number format shows no day ("mmm-yy"): the register means that month. */
  date?: { iso: IsoDate; precision: 'day' | 'month' };
  /** A number cell (not a date): a date column holding one is flagged, never read as a serial. */
  number?: boolean;
  /** An Excel error value such as #REF!. */
  error?: string;
  /** A hyperlink the cell carries. */
  link?: string;
  /** Why a date Excel stored cannot be trusted (a typed "Mar-27" that Excel made 27 March of the typing year). */
  doubtfulDate?: string;
}

export interface RegisterRow {
  /** Where the row is in its sheet or table (1-based), for the report and for each task to remember. */
  number: number;
  cells: RegisterCell[];
}

/** A worksheet, a CSV file, or one table of a Word document. */
export interface RegisterSheet {
  name: string;
  rows: RegisterRow[];
  /** Hidden in the workbook: not imported unless named with --sheet (old copies often hide there). */
  hidden?: boolean;
  /** A workbook's own name for the sheet ("People"), when it is not Excel's default: the section of its rows. */
  section?: string;
}

export class RegisterReadError extends Error {}

const pad = (n: number) => String(n).padStart(2, '0');

/** A number format that shows no day of the month ("mmm-yy", "mmmm yyyy"): quoted literals and [..] sections aside. */
function bareFormat(numFmt: string | undefined): string {
  return (numFmt ?? '').replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').toLowerCase();
}

function monthOnly(numFmt: string | undefined): boolean {
  const bare = bareFormat(numFmt);
  return /m/.test(bare) && /y/.test(bare) && !/d/.test(bare);
}

/** A number as its format shows it ("1.10" stays 1.10, not 1.1). */
function formatted(value: number, numFmt: string | undefined): string {
  const decimals = /0\.(0+)/.exec(bareFormat(numFmt))?.[1]?.length;
  return decimals ? value.toFixed(decimals) : String(value);
}

function xlsxCell(cell: ExcelJS.Cell): RegisterCell {
  const value = cell.value;
  const link = typeof cell.hyperlink === 'string' && cell.hyperlink ? cell.hyperlink : undefined;
  if (value === null || value === undefined) return { text: '' };
  if (value instanceof Date) {
    // Excel stores the calendar date as UTC midnight: the date part is the date the register shows.
    const iso = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const bare = bareFormat(cell.numFmt);
    // "Mar-27" typed into a cell: Excel keeps 27 March of the year it was typed, formatted d-mmm (no year shown).
    if (bare && /d/.test(bare) && /m/.test(bare) && !/y/.test(bare)) return { text: iso, doubtfulDate: `Excel stored it as ${iso} with a format that hides the year` };
    return { text: iso, date: { iso, precision: monthOnly(cell.numFmt) ? 'month' : 'day' } };
  }
  if (typeof value === 'number') return { text: formatted(value, cell.numFmt), number: true };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (typeof value === 'object') {
    if ('error' in value) return { text: String(value.error), error: String(value.error) };
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join('').trim(), link };
    if ('hyperlink' in value) {
      const shown = (value as { text?: unknown }).text;
      const text = shown && typeof shown === 'object' && 'richText' in shown ? (shown as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('') : String(shown ?? value.hyperlink);
      return { text: text.trim(), link: String(value.hyperlink) };
    }
    if ('formula' in value || 'sharedFormula' in value || 'result' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      if (result === undefined) return { text: '' };
      // A formula's cached result stands for the cell (its format still decides a date's precision).
      return xlsxCell({ value: result, numFmt: cell.numFmt, hyperlink: cell.hyperlink } as ExcelJS.Cell);
    }
    if ('text' in value) return { text: String((value as { text: unknown }).text).trim(), link };
  }
  return { text: String(value).trim(), link };
}

function xlsxSheet(sheet: ExcelJS.Worksheet): RegisterSheet {
  const rows: RegisterRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: RegisterCell[] = [];
    // Merged cells read as their master cell's value, so a heading merged over two columns names both.
    for (let c = 1; c <= Math.max(row.cellCount, sheet.columnCount); c++) cells.push(xlsxCell(row.getCell(c)));
    rows.push({ number: row.number, cells });
  });
  return { name: sheet.name, rows, section: /^(sheet|tabelle|feuil|hoja)\s*\d*$/i.test(sheet.name.trim()) ? undefined : sheet.name.trim() };
}

/** CSV text in whatever encoding Excel saved it: UTF-8 (with or without a BOM), else Windows-1252. */
function decodeText(bytes: Buffer): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Node's own TextDecoder reads "windows-1252" as Latin-1 (0x92 would not be ’): iconv-lite has the real table.
    return { text: iconv.decode(bytes, 'windows-1252'), encoding: 'windows-1252' };
  }
}

async function csvSheet(path: string): Promise<RegisterSheet> {
  const { text } = decodeText(await readFile(path));
  const workbook = new ExcelJS.Workbook();
  // Values are kept exactly as written: dates stay as the register wrote them and PlanPulse's date rules read them.
  const sheet = await workbook.csv.read(Readable.from([text]), { map: (v: unknown) => v } as never);
  const rows: RegisterRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: RegisterCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push({ text: String(row.getCell(c).value ?? '').trim() });
    rows.push({ number: row.number, cells });
  });
  return { name: basename(path), rows };
}

const cellText = (el: HTMLElement) =>
  el.childNodes
    .map((n) => n.textContent)
    .join('\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n+/g, '\n')
    .trim();

/** A Word table as a grid: a cell spanning columns or rows fills each place it covers. */
function docxTable(table: HTMLElement, name: string, before: string[]): RegisterSheet {
  const grid: RegisterCell[][] = [];
  table.querySelectorAll('tr').forEach((tr, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const td of tr.querySelectorAll('td, th')) {
      while (grid[r]![c]) c++;
      const cell: RegisterCell = { text: cellText(td), link: td.querySelector('a')?.getAttribute('href') };
      const colspan = Math.max(1, Number(td.getAttribute('colspan') ?? 1));
      const rowspan = Math.max(1, Number(td.getAttribute('rowspan') ?? 1));
      for (let dr = 0; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) (grid[r + dr] ??= [])[c + dc] = cell;
      c += colspan;
    }
  });
  // The paragraphs just above a table (its title, a theme) come first, as rows of their own.
  const rows = [...before.map((text) => [{ text }]), ...grid.map((cells) => Array.from(cells, (cell) => cell ?? { text: '' }))];
  return { name, rows: rows.map((cells, i) => ({ number: i + 1, cells })) };
}

async function docxSheets(path: string): Promise<RegisterSheet[]> {
  const { value: html } = await mammoth.convertToHtml({ path });
  const root = parseHtml(html);
  const sheets: RegisterSheet[] = [];
  let before: string[] = [];
  for (const node of root.childNodes as HTMLElement[]) {
    if (node.tagName === 'TABLE') {
      sheets.push(docxTable(node, `Table ${sheets.length + 1}`, before.slice(-2)));
      before = [];
    } else {
      const text = node.textContent?.trim();
      if (text) before.push(text);
    }
  }
  return sheets;
}

/**
 * Every sheet of an XLSX workbook (or the one named), a CSV file, or every table of a Word document, as typed cells
 * with their source row numbers. Nothing is interpreted here: finding the headings and reading values is the
 * layout's job.
 */
export async function readRegister(path: string, options: { sheet?: string } = {}): Promise<RegisterSheet[]> {
  const kind = extname(path).toLowerCase();
  const name = basename(path);
  if (!['.csv', '.xlsx', '.docx'].includes(kind)) throw new RegisterReadError(`Cannot import ${name}: PlanPulse reads .xlsx, .csv and .docx registers (an older .xls or .doc: save it again from Excel or Word).`);
  await access(path).catch(() => {
    throw new RegisterReadError(`${name}: no such file.`);
  });
  let sheets: RegisterSheet[];
  try {
    if (kind === '.csv') sheets = [await csvSheet(path)];
    else if (kind === '.xlsx')
      sheets = (await new ExcelJS.Workbook().xlsx.readFile(path)).worksheets.map((s) => (s.state === 'visible' || options.sheet !== undefined ? xlsxSheet(s) : { name: s.name, rows: [], hidden: true }));
    else sheets = await docxSheets(path);
  } catch (e) {
    const what = kind === '.xlsx' ? 'an Excel workbook' : kind === '.docx' ? 'a Word document' : 'a CSV file';
    throw new RegisterReadError(`Cannot read ${name}: it is not ${what} PlanPulse can open (${(e as Error).message.slice(0, 120)}). Open it in ${kind === '.docx' ? 'Word' : 'Excel'} and save it again.`);
  }
  if (options.sheet !== undefined) {
    const wanted = sheets.filter((s) => s.name.toLowerCase() === options.sheet!.toLowerCase());
    if (wanted.length === 0) throw new RegisterReadError(`${basename(path)} has no sheet "${options.sheet}". Its sheets: ${sheets.map((s) => `"${s.name}"`).join(', ')}.`);
    sheets = wanted;
  }
  return sheets;
}
