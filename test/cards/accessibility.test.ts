import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DIR } from '../../src/app/cards/templates.js';
import { sampleCards } from '../helpers/sample-cards.js';

type Node = Record<string, unknown>;

/** Every element and action in a card, each with where it is and the element holding it. */
function elements(node: unknown, path = 'card', parent?: Node): { node: Node; path: string; parent?: Node }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => elements(n, `${path}[${i}]`, parent));
  if (!node || typeof node !== 'object') return [];
  const o = node as Node;
  const here = typeof o.type === 'string' ? [{ node: o, path, parent }] : [];
  return [...here, ...Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? elements(v, `${path}.${k}`, typeof o.type === 'string' ? o : parent) : []))];
}

const present = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
const templates = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json'));

/**
 * Accessibility rules for every card PlanPulse sends (Teams' and WCAG's): checked on each template as written and on
 * each as rendered with sample data, so a template edit or a code path that fills one cannot break them unseen.
 */
describe.each([
  ...templates.map((file) => [`template ${file}`, JSON.parse(readFileSync(join(TEMPLATE_DIR, file), 'utf8')) as Node] as const),
  ...sampleCards().map((card, i) => [`rendered card ${i + 1} (${String((card.body as Node[])[0]?.text ?? '').slice(0, 40)})`, card as Node] as const),
])('%s', (_name, card) => {
  const all = elements(card);

  it('every input has a visible label, not only a placeholder; a required one says what is missing', () => {
    for (const { node, path } of all.filter((e) => String(e.node.type).startsWith('Input.'))) {
      expect(present(node.label), `${path} (${String(node.id)}) has no label`).toBe(true);
      if (node.isRequired) expect(present(node.errorMessage), `${path} is required but has no errorMessage`).toBe(true);
    }
  });

  it('every image has alternative text; every action has a title', () => {
    for (const { node, path } of all.filter((e) => e.node.type === 'Image')) expect(present(node.altText), `${path} has no altText`).toBe(true);
    for (const { node, path } of all.filter((e) => String(e.node.type).startsWith('Action.'))) expect(present(node.title), `${path} has no title`).toBe(true);
  });

  it('nothing is said by colour alone: coloured text has words, a coloured box holds text', () => {
    for (const { node, path } of all.filter((e) => e.node.type === 'TextBlock' && e.node.color)) expect(/\p{L}/u.test(String(node.text ?? '')), `${path} is coloured with no words`).toBe(true);
    for (const { node, path } of all.filter((e) => e.node.type === 'Container' && e.node.style && e.node.style !== 'default' && e.node.style !== 'emphasis'))
      expect(elements(node.items).some((e) => e.node.type === 'TextBlock' && present(e.node.text)), `${path} is a coloured box with no text`).toBe(true);
  });

  it('every chart has its numbers in words beside it, and is dropped where it cannot be drawn', () => {
    for (const { node, path, parent } of all.filter((e) => String(e.node.type).startsWith('Chart.'))) {
      expect(node.fallback, `${path} has no fallback`).toBe('drop');
      const siblings = (parent?.items ?? []) as Node[];
      expect(siblings.some((s) => s.type === 'TextBlock' && s !== node && !String(s.text).startsWith('**')), `${path} has no text equivalent beside it`).toBe(true);
    }
  });

  it('reading order follows the task: the card opens with a heading (announced as one), before any input or button', () => {
    const inOrder = all.filter((e) => e.node.type === 'TextBlock' || String(e.node.type).startsWith('Input.'));
    expect(inOrder[0]?.node.type, 'an input comes before any text').toBe('TextBlock');
    expect(inOrder[0]!.node.style, `the first text (${String(inOrder[0]!.node.text).slice(0, 40)}) is not marked as the heading`).toBe('heading');
  });
});
