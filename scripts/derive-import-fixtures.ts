/**
 * Writes the import test fixtures from the seed registers in ../shared/seeds, as an administrator would export
 * them from Word/Excel to CSV:   npx tsx scripts/derive-import-fixtures.ts
 * (nfcc.csv is not derived: that seed's table lost its column boundaries, so four rows were split by hand.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

if (process.argv[1]?.endsWith('derive-import-fixtures.ts')) {
  const seeds = findSeedsDir();
  if (!seeds) throw new Error('Seed registers not found: expected ../shared/seeds beside the repository.');
  await deriveImportFixtures(seeds, IMPORT_FIXTURES);
  console.log(`wrote the import fixtures in ${IMPORT_FIXTURES}`);
}
