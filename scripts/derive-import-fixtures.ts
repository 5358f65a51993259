/**
 * Writes the import test fixtures from the seed registers in ../shared/seeds, as an administrator would export
 * them from Word/Excel to CSV:   npx tsx scripts/derive-import-fixtures.ts
 * (nfcc.csv is not derived: that seed's table lost its column boundaries, so four rows were split by hand.)
 * Then, from those, the registers as services really keep them (`deriveMessyFixtures`, no seeds needed): the
 * Leicestershire tracker as an Excel workbook, the Essex action plan as a Word table, West Midlands saved by Excel
 * as Windows-1252 CSV.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { findSeedsDir, loadDemoFixture } from '../src/local/demo-data/fixture.js';
import { packageRoot } from '../src/app/paths.js';

export const IMPORT_FIXTURES = join(packageRoot, 'test', 'fixtures', 'import');

async function writeCsv(path: string, rows: string[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Register');
  for (const row of rows) sheet.addRow(row);
  await workbook.csv.writeFile(path);
}

/** Writes essex.csv, west-midlands.csv and leicestershire.csv into `out`. */
export async function deriveImportFixtures(seeds: string, out: string): Promise<void> {
  const seed = (prefix: string) => readFileSync(join(seeds, readdirSync(seeds).find((f) => f.startsWith(prefix))!), 'utf8').split('\n').map((l) => l.split('\t'));

  // Essex (004): the action plan table as it stands.
  await writeCsv(join(out, 'essex.csv'), seed('004').filter((cells) => cells.length === 5));

  // West Midlands (003): its tables of areas for consideration, themes between them, first six columns.
  await writeCsv(join(out, 'west-midlands.csv'), seed('003').slice(2).filter((cells) => cells.length >= 6).map((cells) => cells.slice(0, 6).map((c) => c.replace(/<[^>]+>/g, ' ').trim())));

  // Leicestershire (002): its task tables flattened to one row per task, as the service's Excel tracker holds them.
  const heading = ['AFI/SII', 'Pillar', 'Areas For Improvement', 'Task', 'Task Description', 'Work Assigned To', 'Projected Completion Date', 'Progress', 'Description of work needing to be done', 'Evidence of Compliance'];
  await writeCsv(join(out, 'leicestershire.csv'), [
    heading,
    ...loadDemoFixture().leicestershire.map((t) => {
      const [afi, task] = t.ref.split('-T');
      return [afi!, t.pillar ?? '', t.area ?? '', `Task ${task}`, t.title, t.ownerRole ?? '', t.dueAsWritten ?? '', t.status, t.description ?? '', t.evidenceSummary ?? ''];
    }),
  ]);
}

const MONTH_ONLY = /^[A-Za-z]+\.?[ '-]\d{2,4}$/;

/**
 * The Leicestershire tracker as its Excel workbook would be: a sheet per pillar, each with a title row and a blank
 * row above headings worded its own way ("AFI Ref", "TIMESCALE", "RAG"), month-only dates as Excel date cells
 * formatted "mmm-yy", day dates formatted "dd/mm/yyyy", a totals row at the bottom, and two slips an administrator
 * makes: a #REF! left by a deleted column and a date serial typed as text.
 */
async function leicestershireWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = workbook.modified = new Date('2026-11-01T00:00:00Z');
  const tasks = loadDemoFixture().leicestershire;
  const pillars = [...new Set(tasks.map((t) => t.pillar ?? 'Other'))];
  for (const pillar of pillars) {
    const sheet = workbook.addWorksheet(pillar);
    sheet.addRow([`LFRS HMICFRS Improvement Plan — ${pillar}`]);
    sheet.mergeCells('A1:I1');
    sheet.addRow([]);
    sheet.addRow(['AFI Ref', 'Areas For Improvement', 'Task', 'Action', 'Owner', 'TIMESCALE', 'RAG', 'Evidence of Compliance', 'Budget']);
    const mine = tasks.filter((t) => (t.pillar ?? 'Other') === pillar);
    mine.forEach((t, i) => {
      const [afi, task] = t.ref.split('-T');
      const when = t.dueAsWritten ?? '';
      const due = t.dueDate && MONTH_ONLY.test(when) ? new Date(`${t.dueDate.slice(0, 7)}-01T00:00:00Z`) : t.dueDate && !t.dueDateText ? new Date(`${t.dueDate}T00:00:00Z`) : when;
      const row = sheet.addRow([afi, t.area ?? '', `Task ${task}`, t.title, t.ownerRole ?? '', due, t.status, t.evidenceSummary ?? '', '']);
      if (due instanceof Date) row.getCell(6).numFmt = MONTH_ONLY.test(when) ? 'mmm-yy' : 'dd/mm/yyyy';
      if (pillar === 'Efficiency' && i === mine.length - 1) row.getCell(5).value = { error: '#REF!' } as ExcelJS.CellErrorValue;
      if (pillar === 'People' && i === 0) row.getCell(6).value = '45016';
    });
    sheet.addRow(['Total', '', '', `${mine.length} tasks`]);
  }
  await workbook.xlsx.writeFile(path);
}

/** The Essex action plan as the Word table it is published in, under the plan's title. */
async function essexDocument(path: string, rows: string[][]): Promise<void> {
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
  const doc = new Document({
    creator: 'Essex County Fire and Rescue Service',
    sections: [{
      children: [
        new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.LEFT, children: [new TextRun('HMICFRS inspection 2022: action plan')] }),
        new Table({ rows: rows.map((cells, i) => new TableRow({ tableHeader: i === 0, children: cells.map((c) => cell(c, i === 0)) })) }),
      ],
    }],
  });
  writeFileSync(path, await Packer.toBuffer(doc));
}

/** Text as Excel's "CSV" (not "CSV UTF-8") saves it: Windows-1252, characters it lacks as "?". */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f };
  return Buffer.from([...text].map((ch) => extra[ch] ?? (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 0x3f)));
}

/** Writes leicestershire-tracker.xlsx, essex-action-plan.docx and west-midlands-1252.csv into `out`. */
export async function deriveMessyFixtures(out: string): Promise<void> {
  await leicestershireWorkbook(join(out, 'leicestershire-tracker.xlsx'));
  const essex = new ExcelJS.Workbook();
  const sheet = await essex.csv.readFile(join(IMPORT_FIXTURES, 'essex.csv'), { map: (v: unknown) => v } as never);
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push(Array.from({ length: 5 }, (_, c) => String(row.getCell(c + 1).value ?? ''))));
  await essexDocument(join(out, 'essex-action-plan.docx'), rows);
  // The West Midlands register with its pound signs and curly quotes, as Excel's plain "CSV" writes it.
  const wm = readFileSync(join(IMPORT_FIXTURES, 'west-midlands.csv'), 'utf8').replace(/Members/, 'Members’ role (budget £40k)');
  writeFileSync(join(out, 'west-midlands-1252.csv'), windows1252(wm));
}

if (process.argv[1]?.endsWith('derive-import-fixtures.ts')) {
  const seeds = findSeedsDir();
  if (seeds) await deriveImportFixtures(seeds, IMPORT_FIXTURES);
  else console.log('Seed registers not found (../shared/seeds): the CSV fixtures are left as they are.');
  await deriveMessyFixtures(IMPORT_FIXTURES);
  console.log(`wrote the import fixtures in ${IMPORT_FIXTURES}`);
}
