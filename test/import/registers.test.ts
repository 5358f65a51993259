import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, VerticalMergeType } from 'docx';
import mammoth from 'mammoth';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommitteePack, committeeDocument, committeeWorkbook } from '../../src/features/digest/committee-pack.js';
import { runDigest } from '../../src/features/digest/digest.js';
import { importJson, importRegister, type ImportResult } from '../../src/features/onboarding/import/import-plan.js';
import { readLayout } from '../../src/features/onboarding/import/layout.js';
import { readRegister } from '../../src/features/onboarding/import/read-register.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { deriveMessyFixtures } from '../../scripts/derive-import-fixtures.js';
import { startBot, type BotHarness } from '../helpers/harness.js';
import { TeamsClient } from '../helpers/teams-client.js';
import { FakeConnector, textOf } from '../helpers/connector.js';

const fixture = (name: string) => join(process.cwd(), 'test', 'fixtures', 'import', name);
const dir = mkdtempSync(join(tmpdir(), 'planpulse-registers-'));
let bot: BotHarness;
let connector: FakeConnector;
let teams: TeamsClient;

beforeAll(async () => {
  bot = await startBot();
  connector = await new FakeConnector().start();
  teams = new TeamsClient(bot.url, connector);
});
afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

const list = () => bot.core.plan.lists[0]!;
const stored = () => bot.emulator.model.list(bot.emulator.model.data.sites[0]!, 'Improvement Actions').items;
const storedRef = (plan: string, ref: string) => stored().find((i) => i.fields.Plan === plan && i.fields.ActionRef === ref)?.fields;
const auditFor = (ref: string) => bot.emulator.model.list(bot.emulator.model.data.sites[0]!, 'Plan Updates').items.filter((i) => i.fields.ActionRef === ref).map((i) => i.fields);
async function run(path: string, plan: string, options: { dryRun?: boolean; sheet?: string } = {}): Promise<ImportResult> {
  return importRegister(bot.core.deps, bot.core.admin, list(), await readRegister(path, { sheet: options.sheet }), { file: path.split('/').at(-1)!, dryRun: options.dryRun ?? false, plan });
}

describe('reading what administrators keep', () => {
  it('finds each seed layout with its preset', async () => {
    for (const [file, preset] of [['essex.csv', 'essex'], ['west-midlands.csv', 'west-midlands'], ['leicestershire.csv', 'leicestershire'], ['nfcc.csv', 'nfcc']] as const)
      expect(readLayout((await readRegister(fixture(file)))[0]!).layout.preset).toBe(preset);
  });

  it('an Excel workbook with a title, merged and renamed headings, month-only date cells, errors, sections, totals and two sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Response');
    sheet.addRow(['Improvement plan 2026 — Response']);
    sheet.addRow([]);
    sheet.addRow(['AFI Ref', 'Action', 'Owner', 'TIMESCALE', 'RAG', 'Budget', 'Evidence of compliance']);
    sheet.mergeCells('G3:H3'); // a heading merged over two columns
    sheet.addRow(['Efficiency']); // a section row, merged across the table
    sheet.mergeCells('A4:H4');
    const due = (value: Date | string | number, numFmt?: string) => ({ value, numFmt });
    const rows: [string, string, string, ReturnType<typeof due>, string][] = [
      ['14a', 'Review the crewing model', 'AM Response', due(new Date(Date.UTC(2026, 2, 1)), 'mmm-yy'), 'Green'],
      ['14b', 'Agree the new rota', 'AM Response', due(new Date(Date.UTC(2026, 5, 15)), 'dd/mm/yyyy'), 'Amber'],
      ['14c', 'Consult the unions', 'AM Response', due('45016'), ''],
    ];
    for (const [ref, action, owner, when, rag] of rows) {
      const row = sheet.addRow([ref, action, owner, when.value, rag, '£1,000']);
      if (when.numFmt) row.getCell(4).numFmt = when.numFmt;
    }
    sheet.addRow(['15', { error: '#REF!' } as unknown as string, 'AM Response', 'Q4 2026/27', 'Red']);
    sheet.addRow(['Total', '', '', '', '4 actions']);
    const second = workbook.addWorksheet('Prevention');
    second.addRow(['Ref', 'Action', 'Lead', 'Due date', 'Status']);
    second.addRow(['P1', 'Home fire safety visits', 'GM Prevention', 'Mar-27', 'Complete - awaiting evidence']);
    const path = join(dir, 'register.xlsx');
    await workbook.xlsx.writeFile(path);

    const result = await run(path, 'Workbook plan', { dryRun: true });
    const json = importJson(result);
    expect(json.rows.map((r) => [r.ref, r.due, r.dueFlagged, r.sheet, r.sourceRow])).toEqual([
      ['14a', '2026-03-31', false, 'Response', 5], // a month-only date cell means the end of that month
      ['14b', '2026-06-15', false, 'Response', 6],
      ['14c', null, true, 'Response', 7], // a number typed as text is not read as a date serial
      ['15', '2027-03-31', false, 'Response', 8],
      ['P1', '2027-03-31', false, 'Prevention', 2],
    ]);
    expect(json.rows.every((r) => r.action === 'create')).toBe(true);
    expect(Object.keys(json.rows[0]!).sort()).toEqual(['action', 'due', 'dueFlagged', 'owner', 'ref', 'sheet', 'sourceRow', 'status', 'title']);
    expect(json.rows.find((r) => r.ref === 'P1')!.status).toBe('Complete - awaiting evidence');
    expect(json.problems).toEqual(expect.arrayContaining([
      { sheet: 'Response', row: 7, column: 'due date', message: 'due date "45016" is a number, not a date; kept as text' },
      { sheet: 'Response', row: 7, column: 'status', message: "no status in the register; the list's status is left as it is" },
      { sheet: 'Response', row: 8, column: 'Action', message: 'the cell shows an Excel error (#REF!); kept as text' },
    ]));
    const [response] = result.layouts;
    expect(response!.headingRow).toBe(3);
    expect(response!.ignored).toEqual(['Budget']);
    expect(response!.skipped).toEqual(expect.arrayContaining([{ row: 4, reason: 'section "Efficiency"' }, { row: 9, reason: 'not an action: "Total"' }]));
    expect(result.rows.find((r) => r.ref === '14a')).toBeDefined();
    // --sheet reads one sheet.
    expect((await run(path, 'Workbook plan', { dryRun: true, sheet: 'Prevention' })).rows.map((r) => r.ref)).toEqual(['P1']);
  });

  it('a Windows-1252 CSV keeps its pound signs', async () => {
    const path = join(dir, 'ansi.csv');
    writeFileSync(path, Buffer.from('Ref,Action,Owner,Due date,Status\r\nC1,Spend \xa3250 on hydrant signs,GM Protection,31/03/2027,On target\r\n', 'latin1'));
    const [row] = (await run(path, 'ANSI plan', { dryRun: true })).rows;
    expect(row).toMatchObject({ ref: 'C1', title: 'Spend £250 on hydrant signs', due: '2027-03-31' });
  });

  it('a Word action plan: its tables, merged cells included', async () => {
    const cell = (text: string, options: object = {}) => new TableCell({ children: [new Paragraph(text)], ...options });
    const doc = new Document({
      sections: [{
        children: [
          new Paragraph('Action plan following the inspection'),
          new Table({
            rows: [
              new TableRow({ children: [cell('Area for improvement'), cell('Action'), cell('Responsible Lead'), cell('Timescales')] }),
              new TableRow({ children: [cell('People', { columnSpan: 4 })] }),
              new TableRow({ children: [cell('Improve how it records fitness', { verticalMerge: VerticalMergeType.RESTART }), cell('Buy a fitness system'), cell('AD People'), cell('Q2 2026/27')] }),
              new TableRow({ children: [cell('', { verticalMerge: VerticalMergeType.CONTINUE }), cell('Train assessors'), cell('AD People'), cell('Dec 26')] }),
            ],
          }),
        ],
      }],
    });
    const path = join(dir, 'plan.docx');
    writeFileSync(path, await Packer.toBuffer(doc));
    const result = await run(path, 'Word plan', { dryRun: true });
    expect(result.rows.map((r) => [r.title, r.due, r.owner, r.sheet])).toEqual([
      ['Buy a fitness system', '2026-09-30', 'AD People', 'Table 1'],
      ['Train assessors', '2026-12-31', 'AD People', 'Table 1'],
    ]);
    // No reference column: a stable key from the action's own words, the same however rows and sections move.
    expect(result.rows.map((r) => r.ref)).toEqual([expect.stringMatching(/^K-[0-9A-F]{6}$/), expect.stringMatching(/^K-[0-9A-F]{6}$/)]);
  });
});

describe('what an administrator\'s workbook can hold that must not be misread', () => {
  it('hidden sheets, sub-task numbers, an unnumbered action, a "Key …" action, a date Excel stored without its year', async () => {
    const workbook = new ExcelJS.Workbook();
    const old = workbook.addWorksheet('Old copy', { state: 'hidden' });
    old.addRow(['Ref', 'Action', 'Owner', 'Due date', 'Status']);
    old.addRow(['AFI9', 'An old wording', 'GM Old', '31/03/2020', 'Complete']);
    const sheet = workbook.addWorksheet('Current');
    sheet.addRow(['Ref', 'Task', 'Action', 'Owner', 'Due date', 'Status']);
    sheet.addRow(['AFI9', 'Task 1.1', 'Key risks are reviewed each quarter', 'GM Risk', '31/03/2027', 'On target']);
    sheet.addRow(['AFI9', 'Task 11', 'Board sees the risk register', 'GM Risk', '30/06/2027', 'On target']);
    sheet.addRow(['', '', 'Train the crews', 'GM Response', '30/06/2027', 'On target']);
    const typed = sheet.addRow(['AFI10', 'Task 1', 'Typed "Mar-27" into a cell', 'GM Risk', new Date(Date.UTC(2026, 2, 27)), 'On target']);
    typed.getCell(5).numFmt = 'd-mmm';
    const path = join(dir, 'tricky.xlsx');
    await workbook.xlsx.writeFile(path);

    const result = await run(path, 'Tricky plan', { dryRun: true });
    expect(result.layouts[0]).toMatchObject({ sheet: 'Old copy', hidden: true });
    expect(result.rows.map((r) => [r.ref, r.title, r.sheet])).toEqual([
      ['AFI9-T1.1', 'Key risks are reviewed each quarter', 'Current'],
      ['AFI9-T11', 'Board sees the risk register', 'Current'],
      ['AFI10-T1', 'Typed "Mar-27" into a cell', 'Current'],
    ]);
    expect(result.problems).toContainEqual({ sheet: 'Current', row: 4, column: 'Ref', message: 'no reference, but an owner, date or status: not imported; give it a reference' });
    expect(result.rows[2]).toMatchObject({ due: null, dueFlagged: true });
    expect(result.problems).toContainEqual(expect.objectContaining({ row: 5, column: 'due date', message: expect.stringContaining('Excel stored it as 2026-03-27 with a format that hides the year') }));
    expect((await run(path, 'Tricky plan', { dryRun: true, sheet: 'Old copy' })).rows.map((r) => r.ref)).toEqual(['AFI9']);
  });

  it('a value the file no longer says readably leaves the list\'s value alone', async () => {
    const path = join(dir, 'typo.csv');
    writeFileSync(path, 'Ref,Action,Owner,Due date,Status\r\nT1,Check the typo rule,GM Risk,31/03/2027,On target\r\n');
    await run(path, 'Typo plan');
    writeFileSync(path, 'Ref,Action,Owner,Due date,Status\r\nT1,Check the typo rule,GM Risk,Ongoing,On tagret\r\n');
    const again = await run(path, 'Typo plan');
    expect(again.problems.map((p) => p.column)).toEqual(['due date', 'status']);
    expect(storedRef('Typo plan', 'T1')).toMatchObject({ Status: 'On Target', DueDate: expect.stringMatching(/^2027-03-3/), DueDateText: 'Ongoing', StatusAsWritten: 'On tagret' });
  });
});

describe('importing the seeds', () => {
  it('Essex: stable keys not row numbers, fiscal quarters, split cells joined; a re-import changes nothing', async () => {
    const first = await run(fixture('essex.csv'), 'ECFRS plan');
    expect(first.rows).toHaveLength(26);
    expect(first.rows.every((r) => r.action === 'create')).toBe(true);
    const [one] = first.rows;
    expect(storedRef('ECFRS plan', one!.ref)).toMatchObject({ DueDate: '2023-03-30T23:00:00Z', OwnerRole: 'Assistant Director, Prevention, Protection and Response Delivery' });
    expect(stored().filter((i) => i.fields.Plan === 'ECFRS plan' && String(i.fields.AreaForImprovement).includes('staff take part in cross-border exercises'))).toHaveLength(1);
    expect(auditFor(one!.ref)).toEqual([expect.objectContaining({ Channel: 'import (essex.csv)', Field: 'Title' })]);

    // A row inserted at the top of the register moves every row down: the keys do not change.
    const moved = join(dir, 'essex-moved.csv');
    const [heading, ...rest] = readFileSync(fixture('essex.csv'), 'utf8').split('\n');
    writeFileSync(moved, [heading, 'The service should test its new key rule,Nothing yet,,Q1 2027/28,Chief Fire Officer', ...rest].join('\n'));
    const again = await run(moved, 'ECFRS plan');
    expect(again.rows.filter((r) => r.action === 'create').map((r) => r.title)).toEqual(['The service should test its new key rule']);
    expect(again.rows.filter((r) => r.action === 'unchanged')).toHaveLength(26);
    expect(again.rows.find((r) => r.ref === one!.ref)!.sourceRow).toBe(one!.sourceRow + 1);
  });

  it('West Midlands: its own numbers (14 a, 14 b, 14 c distinct), themes as pillars, status wording kept beside the status', async () => {
    const result = await run(fixture('west-midlands.csv'), 'WMFS plan');
    expect(result.rows).toHaveLength(38);
    expect(result.rows.filter((r) => r.ref.startsWith('14')).map((r) => r.ref)).toEqual(['14 a', '14 b', '14 c']);
    expect(storedRef('WMFS plan', '1')).toMatchObject({ Pillar: 'Strategic Leadership and Governance', Status: 'Complete', StatusAsWritten: expect.stringMatching(/Complete\.$/) });
    expect(storedRef('WMFS plan', '19')!.Pillar).toBe('Prevention and the Health Agenda');
  });
});

describe('the seed registers as services keep them (fixtures derived by scripts/derive-import-fixtures.ts)', () => {
  const dueByRef = (r: ImportResult) => Object.fromEntries(r.rows.map((row) => [row.ref, row.due]));

  it('the Leicestershire tracker workbook (a sheet per pillar, titles, renamed headings, mmm-yy date cells, a totals row) reads as its CSV does', async () => {
    const [xlsx, csv] = [await run(fixture('leicestershire-tracker.xlsx'), 'Tracker', { dryRun: true }), await run(fixture('leicestershire.csv'), 'Tracker', { dryRun: true })];
    expect(xlsx.rows).toHaveLength(73);
    const [a, b] = [dueByRef(xlsx), dueByRef(csv)];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    // Every date the same (month-only cells are the month's end, as "Mar-24" is), but the serial typed as text.
    const differing = Object.keys(a).filter((ref) => a[ref] !== b[ref]);
    expect(differing).toHaveLength(1);
    expect(xlsx.problems).toContainEqual({ sheet: 'People', row: 4, column: 'due date', message: 'due date "45016" is a number, not a date; kept as text' });
    expect(xlsx.problems).toContainEqual(expect.objectContaining({ sheet: 'Efficiency', column: 'Owner', message: 'the cell shows an Excel error (#REF!); kept as text' }));
    expect(xlsx.rows.find((r) => r.ref === 'AFI1-T1')).toMatchObject({ due: '2024-03-31', sheet: 'Effectiveness', sourceRow: 4 });
    expect(xlsx.layouts.every((l) => l.headingRow === 3 && l.skipped.some((s) => s.reason === 'not an action: "Total"'))).toBe(true);
  });

  it('the Essex action plan as a Word table reads as its CSV does', async () => {
    const [docx, csv] = [await run(fixture('essex-action-plan.docx'), 'Essex word', { dryRun: true }), await run(fixture('essex.csv'), 'Essex word', { dryRun: true })];
    expect(docx.rows.map((r) => [r.title, r.due, r.owner])).toEqual(csv.rows.map((r) => [r.title, r.due, r.owner]));
  });

  it('West Midlands saved by Excel as Windows-1252 reads as its UTF-8 CSV does, pound sign and quotes included', async () => {
    const ansi = await run(fixture('west-midlands-1252.csv'), 'WM ansi', { dryRun: true });
    expect(ansi.rows).toHaveLength(38);
    expect(ansi.rows.map((r) => r.title).join(' ')).toContain('£40k');
    expect(ansi.rows.map((r) => r.title).join(' ')).toContain('’');
    expect(ansi.rows.map((r) => r.title).join(' ')).not.toContain('\uFFFD');
  });

  it('the fixtures are what the script derives', async () => {
    const out = mkdtempSync(join(tmpdir(), 'planpulse-messy-'));
    await deriveMessyFixtures(out);
    for (const name of ['leicestershire-tracker.xlsx', 'essex-action-plan.docx', 'west-midlands-1252.csv']) expect(await readRegister(join(out, name))).toEqual(await readRegister(fixture(name)));
  });
});

describe('re-import is a three-way merge', () => {
  const ALEX = DEMO_PEOPLE[0]!;
  it('keeps an owner\'s update from Teams and reports the conflict; applies what only the file changed, audited with its name', async () => {
    const role = ALEX.roles[0]!;
    const path = join(dir, 'merge.csv');
    const file = (title: string) => writeFileSync(path, `Ref,Action,Owner,Due date,Status\r\nM1,${title},${role},31/03/2027,On target\r\n`);
    file('Write the merge policy');
    await run(path, 'Merge plan');
    const imported = (await bot.core.deps.tasks.allTasks()).find((t) => t.plan === 'Merge plan' && t.ref === 'M1')!;

    // Alex updates the task from a card in Teams.
    await teams.install(ALEX);
    const saved = await teams.invoke(ALEX, 'saveUpdate', { listKey: imported.listKey, itemId: imported.itemId, eTag: imported.eTag, status: 'Behind Target' });
    expect(textOf(saved.value)).toContain('Saved M1');
    const auditBefore = auditFor('M1').length;

    // The old file again: the update is kept and reported; nothing is written or audited.
    const again = await run(path, 'Merge plan');
    expect(again.rows[0]).toMatchObject({ ref: 'M1', action: 'conflict' });
    expect(again.conflicts).toEqual([{ ref: 'M1', field: 'status', imported: 'On Target', list: 'Behind Target', file: 'On Target' }]);
    expect(storedRef('Merge plan', 'M1')!.Status).toBe('Behind Target');
    expect(auditFor('M1')).toHaveLength(auditBefore);

    // The file changes the title: applied, with a Plan Updates row naming the file; the status stays Alex's.
    file('Write and agree the merge policy');
    const third = await run(path, 'Merge plan');
    expect(third.rows[0]!.action).toBe('conflict');
    expect(storedRef('Merge plan', 'M1')).toMatchObject({ Title: 'Write and agree the merge policy', Status: 'Behind Target' });
    const written = auditFor('M1').slice(auditBefore);
    expect(written).toContainEqual(expect.objectContaining({ Field: 'Title', OldValue: 'Write the merge policy', NewValue: 'Write and agree the merge policy', Channel: 'import (merge.csv)' }));
    expect(written.map((r) => r.Field)).not.toContain('Status');
  });
});

describe('the command', () => {
  const cli = promisify(execFile);
  const env = () => ({ ...process.env, STATE_DIR: join(dir, 'cli-state'), LOG_LEVEL: 'silent' });

  it('exits 1 saying why when nothing is importable, with the first rows it saw', async () => {
    const path = join(dir, 'minutes.csv');
    writeFileSync(path, 'Minutes of the meeting\r\nPresent: the board\r\n');
    const failed = (await cli(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', path, '--dry-run'], { env: env() }).then(() => ({ code: 0, stdout: '' }), (e: { code: number; stdout: string }) => e));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('no heading row found');
    expect(failed.stdout).toContain('row 1: Minutes of the meeting');
    expect(failed.stdout).toContain('Nothing could be imported from minutes.csv');
  }, 60_000);

  it('a file it cannot open is refused with a clear message, not a library\'s', async () => {
    writeFileSync(join(dir, 'broken.xlsx'), 'not a zip');
    await expect(readRegister(join(dir, 'broken.xlsx'))).rejects.toThrow(/^Cannot read broken\.xlsx: it is not an Excel workbook PlanPulse can open .*Open it in Excel and save it again\.$/);
    await expect(readRegister(join(dir, 'missing.docx'))).rejects.toThrow('missing.docx: no such file.');
    await expect(readRegister(join(dir, 'register.xls'))).rejects.toThrow(/PlanPulse reads \.xlsx, \.csv and \.docx registers/);
    await expect(readRegister(fixture('essex.csv'), { sheet: 'Nope' })).rejects.toThrow('essex.csv has no sheet "Nope". Its sheets: "essex.csv".');
  });

  it('--json prints exactly the documented shape', async () => {
    const { stdout } = await cli(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', fixture('nfcc.csv'), '--dry-run', '--json'], { env: env() });
    const json = JSON.parse(stdout) as { rows: Record<string, unknown>[]; problems: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['rows', 'problems']);
    expect(json.rows).toHaveLength(4);
    expect(json.rows[1]).toEqual({ ref: expect.any(String), title: 'Core Code of Ethics', due: null, dueFlagged: true, status: null, owner: null, sheet: 'nfcc.csv', sourceRow: expect.any(Number), action: 'create' });
    expect(Object.keys(json.problems[0]!)).toEqual(['sheet', 'row', 'column', 'message']);
  }, 60_000);
});

describe('the committee pack', () => {
  it('exported and imported again changes nothing', async () => {
    await run(fixture('leicestershire.csv'), 'LFRS round trip');
    const pack = await buildCommitteePack(bot.core.deps, { plan: 'LFRS round trip' });
    expect(pack.plans).toHaveLength(1);
    expect(pack.plans[0]!.rows).toHaveLength(73);
    const path = join(dir, 'pack.xlsx');
    writeFileSync(path, await committeeWorkbook(pack));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const [summary, sheet] = workbook.worksheets;
    expect(summary!.name).toBe('Summary');
    expect(sheet!.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
    expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet!.getRow(1).values).toEqual(expect.arrayContaining(['Ref', 'Action', 'Owner role', 'Due date', 'Status', 'RAG', 'Evidence link', 'Signed off (QA)', 'Last update']));
    const summed = summary!.getRows(4, summary!.rowCount - 3)!.map((r) => Number(r.getCell(3).value));
    expect(summed.reduce((a, b) => a + b, 0)).toBe(73);

    const before = structuredClone(stored().filter((i) => i.fields.Plan === 'LFRS round trip'));
    const again = await run(path, 'LFRS round trip');
    expect(again.rows).toHaveLength(73);
    expect(again.rows.filter((r) => r.action !== 'unchanged').map((r) => `${r.ref} ${r.action}: ${r.reasons.join('; ')}`)).toEqual([]);
    expect(stored().filter((i) => i.fields.Plan === 'LFRS round trip')).toEqual(before);
  });

  it('as a Word document: the summary, then each plan grouped by pillar and area, status with its RAG in words', async () => {
    const pack = await buildCommitteePack(bot.core.deps, { plan: 'LFRS round trip' });
    const { value: html } = await mammoth.convertToHtml({ buffer: await committeeDocument(pack) });
    expect(html).toContain('Summary by pillar');
    expect(html).toContain('LFRS round trip');
    expect(html).toMatch(/Complete \((Blue)\)/);
    expect(html).toContain('Effectiveness');
    expect((html.match(/<table>/g) ?? []).length).toBe(2);
  });

  it('the weekly digest links to the latest pack, published in the plan site\'s library', async () => {
    const run = await runDigest(bot.core.deps, { dryRun: false, send: true });
    const link = JSON.stringify(run.card).match(/"url":"([^"]*Committee%20pack[^"]*\.xlsx)"/)?.[1];
    expect(link).toBeDefined();
    const [stored] = [...bot.emulator.files.values()].filter((f) => f.webUrl === link);
    expect(stored!.bytes.length).toBeGreaterThan(1000);
    expect(textOf(run.card)).toContain('Committee pack (Excel)');
  });
});
