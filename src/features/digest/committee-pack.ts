import { AlignmentType, Document, ExternalHyperlink, HeadingLevel, Packer, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import type { AppDeps } from '../../app/context.js';
import { formatDate, localDateOf, type IsoDate } from '../../domain/dates.js';
import { buildDigest, type DigestRow } from '../../domain/digest.js';
import type { RoleDirectory } from '../../domain/roles.js';
import type { StatusCategory, Task } from '../../domain/task.js';
import { statusFor } from '../../domain/status-words.js';

/** RAG as committee papers show it, always with the status in words beside the colour. */
type Rag = 'Green' | 'Amber' | 'Red' | 'Grey' | 'Blue';
const RAG_FILL: Record<Rag, string> = { Blue: 'DDEBF7', Green: 'C6EFCE', Amber: 'FFEB9C', Red: 'FFC7CE', Grey: 'EDEDED' };
const RAG_TEXT: Record<Rag, string> = { Blue: '1F4E78', Green: '006100', Amber: '7F6000', Red: '9C0006', Grey: '3A3A3A' };

export interface PackRow {
  ref: string;
  pillar: string;
  area: string;
  action: string;
  ownerRole: string;
  due: IsoDate | undefined;
  dueText: string | undefined;
  originalDue: IsoDate | undefined;
  revisedReason: string | undefined;
  status: string;
  rag: Rag;
  progress: string;
  evidenceLink: string | undefined;
  evidenceSummary: string;
  qa: string;
  lastUpdate: string;
}

export interface CommitteePack {
  title: string;
  date: IsoDate;
  plans: { plan: string; rows: PackRow[]; summary: DigestRow[] }[];
}

function ragOf(category: StatusCategory | undefined, overdue: boolean): Rag {
  if (category === 'complete') return 'Blue';
  if (category === 'blocked' || overdue) return 'Red';
  if (category === 'behind') return 'Amber';
  if (category === 'notStarted') return 'Grey';
  return 'Green';
}

/**
 * The committee table: every task of the chosen plans grouped by plan, pillar and area for improvement, with the
 * counts by pillar and status the seeds' appendix tables carry. Columns are the ones `import` reads back, so a pack
 * exported and imported again changes nothing.
 */
export async function buildCommitteePack(deps: AppDeps, options: { plan?: string; read?: { tasks: Task[]; roles: RoleDirectory } }): Promise<CommitteePack> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  // The digest passes the plan it has just read: the pack never reads it a second time.
  const [all, roles] = options.read ? [options.read.tasks, options.read.roles] : await Promise.all([deps.tasks.allTasks(), deps.roles.load()]);
  const tasks = all.filter((t) => !options.plan || t.plan === options.plan);
  const digest = buildDigest(tasks, roles, today, deps.rules, deps.timeZone);
  const plans = [...new Set(tasks.map((t) => t.plan))].sort();
  return {
    title: options.plan ?? 'Improvement plans',
    date: today,
    plans: plans.map((plan) => ({
      plan,
      summary: digest.rows.filter((r) => r.plan === plan),
      rows: tasks
        .filter((t) => t.plan === plan)
        .map((t) => rowOf(deps, t, today))
        // By pillar, then in the register's own order (refs compared as numbers: E2 before E10).
        .sort((a, b) => a.pillar.localeCompare(b.pillar) || a.ref.localeCompare(b.ref, 'en', { numeric: true })),
    })),
  };
}

function rowOf(deps: AppDeps, t: Task, today: IsoDate): PackRow {
  const vocabulary = deps.tasks.policy(t.listKey)?.vocabulary;
  // The register's wording while it still says the status the list holds; the list's status once it moved on.
  const status = t.statusAsWritten && vocabulary && statusFor(t.statusAsWritten, vocabulary) === t.status ? t.statusAsWritten : t.status;
  const overdue = Boolean(t.dueDate && t.dueDate < today && t.statusCategory !== 'complete');
  return {
    ref: t.ref, pillar: t.pillar ?? '', area: t.area ?? '', action: t.title, ownerRole: t.ownerRole ?? t.ownerPeople.map((p) => p.displayName).join(', '),
    due: t.dueDate, dueText: t.dueDateText, originalDue: t.originalDueDate, revisedReason: t.revisedDateReason,
    status, rag: ragOf(t.statusCategory, overdue), progress: t.progressNotes ?? '', evidenceLink: t.evidenceLink, evidenceSummary: t.evidenceSummary ?? '',
    qa: [t.qaStatus, t.qaReviewer && `by ${t.qaReviewer}`, t.qaDate && `on ${formatDate(t.qaDate)}`].filter(Boolean).join(' '),
    lastUpdate: t.lastUpdate ? formatDate(localDateOf(t.lastUpdate, deps.timeZone)) : '',
  };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const HEADINGS = ['Ref', 'Pillar', 'Area for improvement', 'Action', 'Owner role', 'Due date', 'Original due date', 'Status', 'RAG', 'Progress', 'Evidence link', 'Evidence of compliance', 'Signed off (QA)', 'Last update'];
const WIDTHS = [9, 16, 30, 34, 18, 11, 11, 16, 7, 40, 26, 26, 18, 11];

const utcDate = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);

/** Excel holds 32,767 characters in a cell (more and it "repairs" the file); a longer log ends with a note. */
const fit = (text: string) => (text.length > 32_000 ? `${text.slice(0, 32_000)}… (cut: the full text is in the list)` : text);

/** A worksheet name Excel accepts: no []:*?/\, no quote at either end, 31 characters, unique (case-insensitive). */
function sheetName(plan: string, taken: Set<string>): string {
  const base = plan.replace(/[\\/?*[\]:]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31) || 'Plan';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - ` (${n})`.length)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

/** The pack as a workbook: a summary sheet, then one sheet per plan; A4 landscape, headings frozen and repeated. */
export async function committeeWorkbook(pack: CommitteePack): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'PlanPulse';
  const page = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 } } as const;
  const summary = workbook.addWorksheet('Summary', { pageSetup: { ...page }, views: [{ state: 'frozen', ySplit: 3 }] });
  summary.addRow([`${pack.title} — position at ${formatDate(pack.date)}`]).font = { bold: true, size: 14 };
  summary.addRow([]);
  const head = summary.addRow(['Plan', 'Pillar', 'Total', 'Completed', 'In progress', 'Still to start', 'Blocked', '% complete']);
  head.font = { bold: true };
  for (const { plan, summary: rows } of pack.plans)
    for (const r of rows) summary.addRow([plan, r.pillar, r.total, r.complete, r.onTrack + r.behind + r.unknown, r.notStarted, r.blocked, r.pctComplete / 100]).getCell(8).numFmt = '0%';
  summary.columns.forEach((c, i) => (c.width = [34, 30, 8, 11, 11, 13, 9, 11][i]));

  const names = new Set(['summary', 'history']);
  for (const { plan, rows } of pack.plans) {
    const name = sheetName(plan, names);
    const sheet = workbook.addWorksheet(name, { pageSetup: { ...page, printTitlesRow: '1:1' }, views: [{ state: 'frozen', ySplit: 1 }] });
    const header = sheet.addRow(HEADINGS);
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E78' } };
    header.alignment = { vertical: 'middle', wrapText: true };
    for (const r of rows) {
      const row = sheet.addRow([
        r.ref, r.pillar, fit(r.area), r.action, r.ownerRole, r.due ? utcDate(r.due) : (r.dueText ?? ''), r.originalDue ? utcDate(r.originalDue) : '', r.status, r.rag, fit(r.progress),
        r.evidenceLink ? { text: r.evidenceLink, hyperlink: r.evidenceLink } : '', fit(r.evidenceSummary), r.qa, r.lastUpdate,
      ]);
      row.alignment = { vertical: 'top', wrapText: true };
      for (const c of [6, 7]) row.getCell(c).numFmt = 'dd/mm/yyyy';
      const rag = row.getCell(9);
      rag.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${RAG_FILL[r.rag]}` } };
      rag.font = { bold: true, color: { argb: `FF${RAG_TEXT[r.rag]}` } };
    }
    sheet.columns.forEach((c, i) => (c.width = WIDTHS[i]));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: HEADINGS.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const cell = (text: string, options: { bold?: boolean; fill?: string; color?: string; link?: string } = {}) =>
  new TableCell({
    shading: options.fill ? { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } : undefined,
    children: [
      new Paragraph({
        children: [options.link ? new ExternalHyperlink({ link: options.link, children: [new TextRun({ text, style: 'Hyperlink', size: 16 })] }) : new TextRun({ text, bold: options.bold, color: options.color, size: 16 })],
      }),
    ],
  });

const shortDate = (iso: IsoDate | undefined) => (iso ? formatDate(iso) : '');
const latestNote = (notes: string) => notes.split(/\n(?=\[)/)[0]?.slice(0, 400) ?? '';

/** The pack as a Word document for the committee papers: A4 landscape, a summary table, then each plan's table. */
export async function committeeDocument(pack: CommitteePack): Promise<Buffer> {
  const headings = ['Ref', 'Action', 'Owner role', 'Due', 'Status', 'Progress (latest)', 'Evidence', 'QA', 'Updated'];
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: 'Generated by PlanPulse', size: 14, color: '595959' })] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(pack.title)] }),
    new Paragraph({ children: [new TextRun(`Position at ${formatDate(pack.date)}. RAG: Blue complete · Green on track · Amber behind · Red blocked or overdue · Grey not started.`)] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Summary by pillar')] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: ['Plan', 'Pillar', 'Total', 'Completed', 'In progress', 'Still to start', 'Blocked', '% complete'].map((h) => cell(h, { bold: true, fill: 'D9E2F3' })) }),
        ...pack.plans.flatMap(({ plan, summary }) =>
          summary.map((r) => new TableRow({ children: [plan, r.pillar, r.total, r.complete, r.onTrack + r.behind + r.unknown, r.notStarted, r.blocked, `${r.pctComplete}%`].map((v) => cell(String(v))) })),
        ),
      ],
    }),
  ];
  for (const { plan, rows } of pack.plans) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(plan)] }));
    const tableRows = [new TableRow({ tableHeader: true, children: headings.map((h) => cell(h, { bold: true, fill: 'D9E2F3' })) })];
    let group = '';
    for (const r of rows) {
      const g = [r.pillar, r.area].filter(Boolean).join(' — ');
      if (g !== group) {
        group = g;
        tableRows.push(new TableRow({ children: [new TableCell({ columnSpan: headings.length, shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F2F2F2' }, children: [new Paragraph({ children: [new TextRun({ text: g || 'No pillar', bold: true, size: 16 })] })] })] }));
      }
      const due = r.due ? `${shortDate(r.due)}${r.originalDue && r.originalDue !== r.due ? ` (was ${shortDate(r.originalDue)}${r.revisedReason ? `: ${r.revisedReason}` : ''})` : ''}` : (r.dueText ?? 'none');
      tableRows.push(
        new TableRow({
          cantSplit: true,
          children: [
            cell(r.ref, { bold: true }), cell(r.action), cell(r.ownerRole), cell(due),
            cell(`${r.status} (${r.rag})`, { fill: RAG_FILL[r.rag], color: RAG_TEXT[r.rag], bold: true }),
            cell(latestNote(r.progress)), r.evidenceLink ? cell(r.evidenceSummary || 'Evidence', { link: r.evidenceLink }) : cell(r.evidenceSummary || 'None'), cell(r.qa), cell(r.lastUpdate),
          ],
        }),
      );
    }
    children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: tableRows }));
  }
  const doc = new Document({
    creator: 'PlanPulse',
    title: pack.title,
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE }, margin: { top: 720, bottom: 720, left: 720, right: 720 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
