/**
 * Writes the import test fixtures from the seed registers in ../shared/seeds, as an administrator would export
 * them from Word/Excel to CSV:   npx tsx scripts/derive-import-fixtures.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { findSeedsDir, loadDemoFixture } from '../src/local/demo-data/fixture.js';
import { packageRoot } from '../src/paths.js';

const seeds = findSeedsDir();
if (!seeds) throw new Error('Seed registers not found: expected ../shared/seeds beside the repository.');
const seed = (prefix: string) => readFileSync(join(seeds, readdirSync(seeds).find((f) => f.startsWith(prefix))!), 'utf8').split('\n').map((l) => l.split('\t'));
const out = join(packageRoot, 'test', 'fixtures', 'import');

async function writeCsv(name: string, rows: string[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Register');
  for (const row of rows) sheet.addRow(row);
  await workbook.csv.writeFile(join(out, name));
  console.log(`wrote ${name}: ${rows.length - 1} rows`);
}

// Essex (004): the action plan table as it stands.
await writeCsv('essex.csv', seed('004').filter((cells) => cells.length === 5));

// West Midlands (003): its tables of areas for consideration, themes between them, first six columns.
await writeCsv('west-midlands.csv', seed('003').slice(2).filter((cells) => cells.length >= 6).map((cells) => cells.slice(0, 6).map((c) => c.replace(/<[^>]+>/g, ' ').trim())));

// Leicestershire (002): its task tables flattened to one row per task, as the service's Excel tracker holds them.
const heading = ['AFI/SII', 'Pillar', 'Areas For Improvement', 'Task', 'Task Description', 'Work Assigned To', 'Projected Completion Date', 'Progress', 'Description of work needing to be done', 'Evidence of Compliance'];
await writeCsv('leicestershire.csv', [
  heading,
  ...loadDemoFixture().leicestershire.map((t) => {
    const [afi, task] = t.ref.split('-T');
    return [afi!, t.pillar ?? '', t.area ?? '', `Task ${task}`, t.title, t.ownerRole ?? '', t.dueAsWritten ?? '', t.status, t.description ?? '', t.evidenceSummary ?? ''];
  }),
]);
