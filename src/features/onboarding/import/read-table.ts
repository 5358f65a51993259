import { extname } from 'node:path';
import ExcelJS from 'exceljs';

export interface Table {
  /** Rows above the headings, such as a title naming the first table's theme. */
  preamble: string[][];
  headings: string[];
  rows: string[][];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return String(value);
}

/**
 * The first sheet of an XLSX workbook, or a CSV file, as text cells (exceljs reads both). The heading row is the
 * first row with at least two filled cells; CSV values are kept exactly as written, so dates stay as the register
 * wrote them and are read by PlanPulse's own date rules.
 */
export async function readTable(path: string): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  const kind = extname(path).toLowerCase();
  let sheet: ExcelJS.Worksheet | undefined;
  if (kind === '.csv') sheet = await workbook.csv.readFile(path, { map: (v: unknown) => v } as never);
  else if (kind === '.xlsx') sheet = (await workbook.xlsx.readFile(path)).worksheets[0];
  else throw new Error(`Cannot import ${path}: use a .csv or .xlsx file (save Word tables as CSV from Excel first).`);
  if (!sheet) throw new Error(`${path} has no worksheet.`);
  const all: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value).trim());
    all.push(cells);
  });
  const headingAt = all.findIndex((r) => r.filter(Boolean).length >= 2);
  if (headingAt < 0) throw new Error(`${path} has no heading row.`);
  return { preamble: all.slice(0, headingAt), headings: all[headingAt]!, rows: all.slice(headingAt + 1).filter((r) => r.some(Boolean)) };
}
