import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageCard, taskListCard } from '../../src/app/cards/views.js';
import { qaReviewCard, sampleReviewCard, taskQueueCard } from '../../src/features/assurance/cards.js';
import { historyCard } from '../../src/features/history/history-card.js';
import { updateFormCard } from '../../src/features/updates/update-form.js';
import { evidenceChoiceCard, evidenceStoredCard } from '../../src/features/updates/evidence-file.js';
import { FEATURES } from '../../src/main/compose.js';
import { cardBytes, CARD_BYTE_BUDGET, TEMPLATE_DIR } from '../../src/app/cards/templates.js';
import type { FlaggedTask } from '../../src/domain/reminders.js';
import type { Task } from '../../src/domain/task.js';
import { helpCard } from '../../src/interactions/chat-commands.js';
import { digestCard } from '../../src/features/digest/digest-card.js';
import { buildDigest } from '../../src/domain/digest.js';
import { RoleDirectory } from '../../src/domain/roles.js';

// The package's ES build is not loadable by Node; its UMD bundle is the same library.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Parses a card as the Adaptive Cards SDK does and returns every warning or error it reports. */
export function parseProblems(card: object): string[] {
  const context = new AC.SerializationContext();
  context.targetVersion = AC.Versions.v1_5;
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  // Teams' charts are a host extension this renderer does not know; each has fallback "drop" and the same numbers
  // in words beside it (checked in the digest's own test), so other hosts simply leave the chart out.
  return [...problems.filter((m) => !/^Unknown element type "Chart\.(Donut|VerticalBar|Line)"\. Fallback will be used if present\.$/.test(m)), ...parsedProblems(parsed)];
}

function parsedProblems(parsed: InstanceType<typeof AC.AdaptiveCard>): string[] {
  const problems: string[] = [];
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  return problems;
}

/** TextBlock/Fact texts that are not strings: renderers show nothing for them. */
function nonStringTexts(node: unknown, path = 'card'): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => nonStringTexts(n, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  // A chart's data points are numbers by design (Teams' Chart.* elements).
  if (typeof o.type === 'string' && o.type.startsWith('Chart.')) return nonStringTexts({ ...o, type: 'Chart', data: undefined }, path);
  const own = ['text', 'value', 'title'].filter((k) => k in o && (o.type === 'TextBlock' || o.type === undefined || k === 'title') && typeof o[k] !== 'string' && typeof o[k] !== 'object').map((k) => `${path}.${k}`);
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? nonStringTexts(v, `${path}.${k}`) : []))];
}

const task = (n: number, over: Partial<Task> = {}): Task => ({
  listKey: 'actions', itemId: String(n), eTag: `"e,${n}"`, ref: `AFI${n}-T1`, title: `Task number ${n} with a realistic description of the work needed`,
  plan: 'LFRS HMICFRS Improvement Plan', ownerPeople: [], status: 'On Target', dueDate: '2026-11-01', ...over,
});
const flagged = (n: number): FlaggedTask => ({ task: task(n), flags: [{ kind: 'overdue', days: 22 }, { kind: 'stale', days: 40 }] });

describe('card templates', () => {
  it('ships exactly the templates the code uses', () => {
    expect(readdirSync(TEMPLATE_DIR).sort()).toEqual(['confirm-update.json', 'digest.json', 'evidence-choice.json', 'evidence-stored.json', 'history.json', 'message.json', 'qa-queue.json', 'qa-review.json', 'reminder.json', 'sample-review.json', 'update-form.json']);
  });

  it('the parser used here does report a broken card', () => {
    expect(parseProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }, { type: 'Input.Text' }] }).length).toBeGreaterThan(0);
  });

  it('expand and parse with the adaptivecards package without warnings', () => {
    const cards = [
      taskListCard({ heading: 'Good morning', tasks: [flagged(1), { task: task(2, { status: 'Complete' }), flags: [{ kind: 'noEvidence' }] }], today: '2026-11-23', notice: { text: 'Saved', style: 'good' } }),
      taskListCard({ heading: 'Nothing', tasks: [], today: '2026-11-23' }),
      updateFormCard({ task: task(3, { originalDueDate: '2026-10-01' }), policy: { vocabulary: { complete: ['Complete'], onTrack: ['On Target'], behind: ['Behind Target'], notStarted: ['Yet to Start'], blocked: ['Blocked'] }, input: { evidenceHosts: ['contoso.sharepoint.com'], revisedDateMaxYears: 3, evidenceFiles: { maxBytes: 25 * 1024 * 1024, types: ['pdf'], folder: 'Evidence' } } }, ownerName: 'GM (Alex)', errors: ['bad'], notice: 'conflict' }),
      messageCard('Heading', 'Text', 'attention', { backToTasks: true, update: task(9) }),
      messageCard('Heading', 'Text'),
      helpCard(FEATURES),
      qaReviewCard({ task: task(4, { evidenceLink: 'https://x.example/e.pdf', evidenceSummary: 'minutes', qaStatus: 'Awaiting QA' }), ownerName: 'GM (Alex)', decidable: true, comment: 'c' }),
      qaReviewCard({ task: task(5), ownerName: 'GM', decidable: false, notice: { text: 'Approved', style: 'good' } }),
      sampleReviewCard({ task: task(6, { qaStatus: 'Approved', qaReviewer: 'Lynne', qaDate: '2026-11-20', sampleStatus: 'Selected' }), ownerName: 'GM', decidable: true }),
      taskQueueCard('Waiting', 'Summary', [{ task: task(7), details: 'Waiting 4 working days' }], { title: 'Review', verb: 'qaOpen' }),
      historyCard('History of X', [{ field: 'Status', change: 'a → b', who: 'Alex', when: '23 Nov 2026 09:00', channel: 'Teams card' }]),
      historyCard('History of Y', []),
      evidenceChoiceCard('pumps [final].pdf', 'a'.repeat(32), [task(10), task(11)], 'AFI9 is not one of your open tasks.', task(11)),
      evidenceChoiceCard('pumps.pdf', 'b'.repeat(32), [task(10)], ''),
      evidenceStoredCard(task(12), { webUrl: 'https://contoso.sharepoint.com/sites/p/Shared%20Documents/Evidence/AFI12-T1/pumps%20(2).pdf', name: 'pumps (2).pdf', size: 210_000 }, 'Evidence', 'Saved AFI12-T1: evidence file pumps (2).pdf stored and linked.', 'good'),
      digestCard(buildDigest([task(8, { pillar: 'People' }), task(9, { status: 'Complete', statusCategory: 'complete' })], new RoleDirectory([]), '2026-11-23', { dueSoonDays: 14, staleDays: 30 }, 'Europe/London'), {
        shown: 5, reach: { title: 'Reach in Teams: 3 of 4 task owners can be messaged', lines: ['Patti (blocked)'] },
        charts: { statusMix: [{ plan: 'P', parts: [{ legend: 'Completed', value: 1 }, { legend: 'In progress', value: 1 }] }], overdueByPillar: [{ pillar: 'People', count: 1 }], ageing: [{ label: '1–7 days', count: 1 }], trend: [{ plan: 'P', points: [{ date: '2026-11-16', pct: 40 }, { date: '2026-11-23', pct: 50 }] }] },
        escalationsThisWeek: 2, drill: { date: '2026-11-23', pillars: ['People'], roles: ['GM'] },
        links: [{ title: 'Open the plan list', url: 'https://contoso.sharepoint.com/sites/p/Lists/A' }] }),
    ];
    for (const card of cards) {
      expect(card.version).toBe('1.5');
      expect(nonStringTexts(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toContain('${');
      expect(parseProblems(card)).toEqual([]);
    }
  });

  it('drops conditional parts that have nothing to show', () => {
    const card = taskListCard({ heading: 'H', tasks: [flagged(1)], today: '2026-11-23' });
    expect(JSON.stringify(card)).not.toContain('"style":"emphasis"'); // no notice container
    expect(JSON.stringify(card)).not.toContain('more, less urgent');
  });

  it('shows the 25 most urgent of a long list and says how many more there are', () => {
    const many = Array.from({ length: 400 }, (_, i) => flagged(i + 1));
    const card = taskListCard({ heading: 'Good morning', tasks: many, today: '2026-11-23' });
    const shown = JSON.stringify(card).match(/"verb":"openUpdate"/g) ?? [];
    expect(shown).toHaveLength(25);
    expect(JSON.stringify(card)).toContain('…and 375 more, less urgent');
    expect(parseProblems(card)).toEqual([]);
  });

  it('shows fewer rows when long titles would pass Teams\' card size limit', () => {
    const long = Array.from({ length: 400 }, (_, i) => {
      const f = flagged(i + 1);
      return { ...f, task: { ...f.task, title: `${'Long title '.repeat(23)}${i}`.slice(0, 255), plan: 'A plan with a very long name '.repeat(9) } };
    });
    const card = taskListCard({ heading: 'Good morning', tasks: long, today: '2026-11-23' });
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    const shown = (JSON.stringify(card).match(/"verb":"openUpdate"/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(25);
    expect(JSON.stringify(card)).toContain(`…and ${400 - shown} more, less urgent`);
    expect(parseProblems(card)).toEqual([]);
  });
});
