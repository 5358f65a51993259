import type { StatusVocabulary } from '../../../domain/task.js';

/** One task as read from a register, before dates are interpreted. */
export interface ImportRecord {
  ref: string;
  title: string;
  plan: string;
  pillar?: string;
  area?: string;
  ownerRole?: string;
  due?: string;
  status?: string;
  progressNotes?: string;
  evidenceSummary?: string;
}

export interface Preset {
  name: string;
  description: string;
  /** Headings (matched case-insensitively) that identify the layout. */
  signature: string[];
  read(headings: string[], rows: string[][], plan: string, preamble?: string[][]): ImportRecord[];
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

function column(headings: string[], ...names: string[]): (row: string[]) => string {
  const index = headings.findIndex((h) => names.some((n) => norm(h) === norm(n) || norm(h).startsWith(norm(n))));
  return (row) => (index >= 0 ? (row[index] ?? '').trim() : '');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export const PRESETS: Preset[] = [
  {
    name: 'leicestershire',
    description: 'Leicestershire task register: AFI/SII, Pillar, Areas For Improvement, Task, Work Assigned To, Projected Completion Date, Progress, Description of work, Evidence of Compliance',
    signature: ['AFI/SII', 'Work Assigned To', 'Projected Completion Date'],
    read(headings, rows, plan) {
      const [afi, pillar, area, task, title, owner, due, progress, work, evidence] = [
        column(headings, 'AFI/SII'), column(headings, 'Pillar'), column(headings, 'Areas For Improvement'), column(headings, 'Task'), column(headings, 'Task Description', 'Task Title'),
        column(headings, 'Work Assigned To'), column(headings, 'Projected Completion Date'), column(headings, 'Progress'), column(headings, 'Description of work'), column(headings, 'Evidence of Compliance'),
      ];
      return rows
        .filter((r) => afi(r) && (title(r) || task(r)))
        .map((r) => ({
          ref: `${afi(r).replace(/\s+/g, '')}-T${task(r).replace(/\D+/g, '') || '1'}`,
          title: clip(title(r) || task(r), 255), plan, pillar: pillar(r) || undefined, area: area(r) || undefined, ownerRole: owner(r) || undefined,
          due: due(r), status: progress(r) || undefined, progressNotes: work(r) || undefined, evidenceSummary: evidence(r) || undefined,
        }));
    },
  },
  {
    name: 'essex',
    description: 'Essex action plan: HMICFRS said / Progress to date / Future activity planned / Timescales / Responsible Lead',
    signature: ['HMICFRS said', 'Timescales', 'Responsible Lead'],
    read(headings, rows, plan) {
      const [said, progress, future, when, lead] = [column(headings, 'HMICFRS said'), column(headings, 'Progress to date'), column(headings, 'Future activity planned'), column(headings, 'Timescales'), column(headings, 'Responsible Lead')];
      const out: ImportRecord[] = [];
      for (const r of rows) {
        const previous = out.at(-1);
        // A row with no timescale and no lead continues the one above (a cell split across table rows).
        if (previous && !when(r) && !lead(r)) {
          previous.area = [previous.area, said(r)].filter(Boolean).join(' ');
          previous.progressNotes = [previous.progressNotes, progress(r)].filter(Boolean).join(' ') || undefined;
          continue;
        }
        if (!said(r)) continue;
        out.push({
          ref: `E${out.length + 1}`, title: clip(said(r), 255), plan, area: said(r), ownerRole: lead(r) || undefined, due: when(r),
          progressNotes: [progress(r), future(r) && `Next: ${future(r)}`].filter(Boolean).join('\n') || undefined,
        });
      }
      return out;
    },
  },
  {
    name: 'west-midlands',
    description: 'West Midlands areas for consideration: Number / Areas for Consideration / Progress / Lead / When / Status',
    signature: ['Number', 'Areas for Consideration', 'Lead', 'When'],
    read(headings, rows, plan, preamble = []) {
      const [num, area, progress, lead, when, status] = [column(headings, 'Number'), column(headings, 'Areas for Consideration'), column(headings, 'Progress'), column(headings, 'Lead'), column(headings, 'When'), column(headings, 'Status')];
      const out: ImportRecord[] = [];
      // The first table's theme may stand above the heading row.
      let theme: string | undefined = preamble.flat().filter(Boolean).at(-1);
      for (const r of rows) {
        if (!num(r)) {
          // A short title alone between tables names the theme of the rows under it…
          if (area(r) && area(r).length <= 80 && !progress(r) && !lead(r) && !when(r) && !status(r)) theme = area(r);
          // …anything else without a number continues the row above (a cell split across table rows).
          else if (out.length) {
            const previous = out.at(-1)!;
            previous.area = [previous.area, area(r)].filter(Boolean).join(' ');
            previous.progressNotes = [previous.progressNotes, progress(r)].filter(Boolean).join(' ') || undefined;
          }
          continue;
        }
        if (!area(r) || norm(num(r)) === 'number') continue;
        out.push({ ref: `WM${num(r).replace(/\D+/g, '')}`, title: clip(area(r), 255), plan, pillar: theme, area: area(r), ownerRole: lead(r) || undefined, due: when(r), status: status(r) || undefined, progressNotes: progress(r) || undefined });
      }
      return out;
    },
  },
  {
    name: 'nfcc',
    description: 'NFCC Culture Action Plan deliverables: Action / Detail / Progress / Next Steps (no owner or date columns)',
    signature: ['Action', 'Detail', 'Progress', 'Next Steps'],
    read(headings, rows, plan) {
      const [action, detail, progress, next] = [column(headings, 'Action'), column(headings, 'Detail'), column(headings, 'Progress'), column(headings, 'Next Steps')];
      return rows
        .filter((r) => action(r))
        .map((r, i) => ({
          ref: `N${i + 1}`, title: clip(action(r), 255), plan, area: detail(r) || undefined,
          progressNotes: [progress(r), next(r) && `Next: ${next(r)}`].filter(Boolean).join('\n') || undefined,
        }));
    },
  },
];

export function detectPreset(headings: string[]): Preset | undefined {
  return PRESETS.find((p) => p.signature.every((s) => headings.some((h) => norm(h).startsWith(norm(s)))));
}

const STATUS_WORDS: [RegExp, keyof StatusVocabulary][] = [
  [/^(complete|completed|closed|done|green - complete)\.?$/i, 'complete'],
  [/^(on target|on track|ongoing|in progress|started|green)\.?$/i, 'onTrack'],
  [/^(behind target|behind|delayed|amber|red|yellow|at risk)\.?$/i, 'behind'],
  [/^(yet to start|not started|not yet started)\.?$/i, 'notStarted'],
  [/^(blocked|on hold|waiting)\.?$/i, 'blocked'],
];

/** A register's status word in the list's vocabulary, or undefined when it does not say one PlanPulse knows. */
export function statusFor(word: string | undefined, vocabulary: StatusVocabulary): string | undefined {
  if (!word?.trim()) return undefined;
  const exact = Object.values(vocabulary).flat().find((v) => norm(v) === norm(word));
  if (exact) return exact;
  const match = STATUS_WORDS.find(([re]) => re.test(word.trim()));
  return match ? vocabulary[match[1]][0] : undefined;
}
