import { parseRegisterDate } from '../../domain/register-dates.js';

/**
 * Turns the user's seed registers (plain-text exports of committee papers) into demo list items. Kept as code so
 * the committed fixture can be re-derived and checked against the seeds.
 */
export interface DemoTask {
  ref: string;
  title: string;
  plan: string;
  pillar?: string;
  area?: string;
  ownerRole?: string;
  evidenceSummary?: string;
  dueDate?: string;
  dueDateText?: string;
  /** The register's date cell exactly as written ("Mar-24", "01/12/23"). */
  dueAsWritten?: string;
  status: string;
  description?: string;
  qaDate?: string;
  qaBy?: string;
  qaComment?: string;
  sampleDate?: string;
  sampleBy?: string;
  sampleComment?: string;
}

const clean = (html: string | undefined): string =>
  (html ?? '')
    .replace(/<li[^>]*>/gi, '\n• ')
    .replace(/<(br|\/p|\/li)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#39;|&rsquo;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);
}

function similarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  const shared = [...wa].filter((w) => wb.has(w)).length;
  return shared / Math.max(1, Math.min(wa.size, wb.size));
}

const STATUS_WORDS: Record<string, string> = {
  complete: 'Complete', completed: 'Complete', 'on target': 'On Target', 'on track': 'On Target', green: 'On Target',
  'behind target': 'Behind Target', yellow: 'Behind Target', amber: 'Behind Target', red: 'Behind Target', 'yet to start': 'Yet to Start',
};

function status(text: string | undefined): string | undefined {
  return STATUS_WORDS[clean(text).toLowerCase()];
}

function isoFromUk(text: string | undefined): string | undefined {
  const parsed = parseRegisterDate(clean(text));
  return parsed.kind === 'date' ? parsed.date : undefined;
}

function withDates(task: Omit<DemoTask, 'dueDate' | 'dueDateText' | 'dueAsWritten'>, rawDate: string): DemoTask {
  const parsed = parseRegisterDate(rawDate);
  const written = rawDate.trim() ? { dueAsWritten: rawDate.trim() } : {};
  return parsed.kind === 'date' ? { ...task, ...written, dueDate: parsed.date } : parsed.kind === 'unreadable' ? { ...task, ...written, dueDateText: parsed.text } : { ...task };
}

/** Leicestershire: the AFI/SII summary table, then one task table per area for improvement (seed 002). */
export function deriveLeicestershire(seed: string, plan: string): DemoTask[] {
  const lines = seed.split('\n').map((l) => l.split('\t'));
  /** `counts`: the summary table's Complete / On Target / Behind Target / Yet to Start for the area. */
  interface Area { ref: string; pillar?: string; text: string; counts: number[] }
  const areas: Area[] = [];
  let pillar: string | undefined;
  for (const cells of lines) {
    if (!/^(AFI\d+|SII \d+|AFIs \d+)$/.test(cells[0] ?? '') || cells.length < 10) continue;
    // "AFIs 21" has its text in the pillar column and no pillar.
    const text = cells[2]?.trim() || cells[1]!.trim();
    pillar = cells[2]?.trim() ? cells[1]?.trim() || (cells[0]!.startsWith('SII') ? pillar : undefined) : undefined;
    const [complete, onTarget, behind, notStarted] = cells.slice(6, 10).map(Number);
    areas.push({ ref: cells[0]!.replace(/\s+/g, ''), pillar, text, counts: [complete!, onTarget!, behind!, notStarted!] });
  }

  const tasks: DemoTask[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i]!;
    const owner = header.indexOf('Work Assigned To');
    if (owner !== 2) continue;
    const col = (name: RegExp) => header.findIndex((h) => name.test(h));
    const due = col(/^Projected Completion Date/);
    const progress = col(/^(Progress|Program)/);
    const evidence = col(/^Evidence of Compliance/);
    const qa = col(/^Quality Assurance by Owner/);
    const sampling = col(/^Sampling by/);
    const areaText = header[0]!.trim();
    const area = areas.map((a) => ({ a, score: similarity(a.text, areaText) })).sort((x, y) => y.score - x.score)[0];
    if (!area || area.score < 0.5) continue;
    let overall: string | undefined;
    // Tasks whose own Progress cell is blank take the statuses the summary table counts for their area, in order.
    const remaining = [...area.a.counts];
    const SUMMARY_STATUSES = ['Complete', 'On Target', 'Behind Target', 'Yet to Start'];
    const fromSummary = () => {
      const i = remaining.findIndex((n) => n > 0);
      if (i < 0) return undefined;
      remaining[i]! -= 1;
      return SUMMARY_STATUSES[i];
    };
    for (let j = i + 1; j < lines.length; j++) {
      const cells = lines[j]!;
      const first = cells[0]?.trim() ?? '';
      if (first.startsWith('Overall')) {
        overall = status(cells[progress]);
        continue;
      }
      if (cells.length < 6 && first === '') continue;
      const m = /^Task (\d+)$/.exec(first);
      if (!m) {
        if (cells.length >= 6 || first === '') continue;
        break;
      }
      const title = clean(cells[1]);
      if (!title) continue;
      const ownStatus = status(cells[progress]) ?? fromSummary() ?? overall ?? 'On Target';
      tasks.push(
        withDates(
          {
            ref: `${area.a.ref}-T${m[1]}`,
            title,
            plan,
            pillar: area.a.pillar,
            area: area.a.text,
            ownerRole: clean(cells[owner]) || undefined,
            status: ownStatus,
            description: clean(cells[5]) || undefined,
            evidenceSummary: clean(cells[evidence]) || undefined,
            qaDate: isoFromUk(cells[qa]),
            qaBy: clean(cells[qa + 1]) || undefined,
            qaComment: clean(cells[qa + 2]) || undefined,
            sampleDate: isoFromUk(cells[sampling]),
            sampleBy: clean(cells[sampling + 1]) || undefined,
            sampleComment: clean(cells[sampling + 2]) || undefined,
          },
          clean(cells[due]),
        ),
      );
    }
  }
  return tasks;
}

/** Essex: "HMICFRS said / Progress to date / Future activity planned / Timescales / Responsible Lead" (seed 004). */
export function deriveEssex(seed: string, plan: string): DemoTask[] {
  const rows = seed.split('\n').map((l) => l.split('\t')).filter((c) => c.length === 5);
  const tasks: DemoTask[] = [];
  let pending: { said: string; progress: string; future: string; when: string; lead: string } | undefined;
  const flush = () => {
    if (!pending) return;
    const said = clean(pending.said);
    const title = said.length > 250 ? `${said.slice(0, 247)}…` : said;
    tasks.push(
      withDates(
        { ref: `E${tasks.length + 1}`, title, plan, area: said, ownerRole: clean(pending.lead) || undefined, status: 'On Target', description: clean(pending.future) || undefined, evidenceSummary: clean(pending.progress) || undefined },
        clean(pending.when),
      ),
    );
    pending = undefined;
  };
  for (const [said = '', progress = '', future = '', when = '', lead = ''] of rows.slice(1)) {
    const continuation = pending && !when.trim() && !lead.trim();
    if (continuation) {
      pending!.said += ` ${said}`;
      pending!.progress += ` ${progress}`;
      pending!.future += ` ${future}`;
      continue;
    }
    flush();
    if (said.trim()) pending = { said, progress, future, when, lead };
  }
  flush();
  return tasks;
}
