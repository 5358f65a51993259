import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { taskListCard } from '../../src/app/cards/views.js';
import { cardBytes, CARD_BYTE_BUDGET, TEMPLATE_DIR } from '../../src/app/cards/templates.js';
import { flagged, sampleCards } from '../helpers/sample-cards.js';

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

describe('card templates', () => {
  it('ships exactly the templates the code uses', () => {
    expect(readdirSync(TEMPLATE_DIR).sort()).toEqual(['confirm-update.json', 'digest.json', 'evidence-choice.json', 'evidence-stored.json', 'history.json', 'message.json', 'qa-queue.json', 'qa-review.json', 'reminder.json', 'sample-review.json', 'update-form.json']);
  });

  it('the parser used here does report a broken card', () => {
    expect(parseProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }, { type: 'Input.Text' }] }).length).toBeGreaterThan(0);
  });

  it('expand and parse with the adaptivecards package without warnings', () => {
    const cards = sampleCards();
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
