import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { LOCALE_DIR, resources, t } from '../../src/app/i18n.js';
import { TEMPLATE_DIR } from '../../src/app/cards/templates.js';
import { sampleCards } from '../helpers/sample-cards.js';

const en = resources('en');
const cy = resources('cy');
const rawCy = JSON.parse(readFileSync(join(LOCALE_DIR, 'cy.json'), 'utf8')) as Record<string, unknown>;

/** The names a message fills in: `{date}`, `{n, plural, …}`. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date) names.add(e.value);
      if (e.type === TYPE.plural || e.type === TYPE.select) {
        names.add(e.value);
        for (const option of Object.values(e.options)) walk(option.value);
      }
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...names].sort();
}

/** Words a person reads in a template, as written (not bound to a value). */
function literalWords(node: unknown, path = 'card'): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => literalWords(n, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => {
    if (typeof v === 'string' && ['text', 'title', 'label', 'placeholder', 'errorMessage', 'altText', 'fallbackText', 'xAxisTitle', 'yAxisTitle'].includes(k) && /\p{L}{2,}/u.test(v.replace(/\$\{[^}]*\}/g, ''))) return [`${path}.${k}: ${v}`];
    return typeof v === 'object' ? literalWords(v, `${path}.${k}`) : [];
  });
}

describe('Welsh and English', () => {
  it('every string is in both languages, and the Welsh is written, not copied from the English', () => {
    expect(Object.keys(cy).sort()).toEqual(Object.keys(en).sort());
    const copied = Object.keys(en).filter((k) => cy[k]!.trim() === en[k]!.trim());
    expect(copied, 'Welsh strings identical to the English').toEqual([]);
  });

  it('each Welsh string fills in the same values as its English one, and both parse', () => {
    for (const key of Object.keys(en)) expect(argumentsOf(cy[key]!), key).toEqual(argumentsOf(en[key]!));
  });

  it('the resource file marks which Welsh strings still want a native speaker\'s review', () => {
    expect(rawCy.$review).toMatch(/native speaker/);
    const marked = Object.entries(rawCy).filter(([k, v]) => !k.startsWith('$') && typeof v === 'object' && (v as { review?: unknown }).review);
    expect(marked.length).toBeGreaterThan(0);
  });

  it.each(readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json')))('template %s holds no words of its own, and every word it uses exists', (file) => {
    const text = readFileSync(join(TEMPLATE_DIR, file), 'utf8');
    expect(literalWords(JSON.parse(text))).toEqual([]);
    const name = file.replace(/\.json$/, '');
    for (const [, key] of text.matchAll(/\$root\.t\.([A-Za-z0-9]+)/g)) expect(en[`tpl.${name}.${key!}`], `tpl.${name}.${key!}`).toBeDefined();
  });

  it('every card rendered in Welsh shows no English word a template or the task list supplies', () => {
    const english = Object.entries(en).filter(([k]) => k.startsWith('tpl.') || k.startsWith('tasks.') || k.startsWith('flag.') || k.startsWith('digest.') || k.startsWith('help.'));
    for (const card of sampleCards('cy')) {
      const json = JSON.stringify(card);
      expect(json).not.toContain('${');
      for (const [key, value] of english) {
        // Only the words a string has of its own: values filled in (refs, names) and commands people type (in bold
        // or as code) are not language.
        const own = value.replace(/\{[^{}]*\}|\*\*[^*]*\*\*|`[^`]*`/g, '\u0000').split('\u0000').map((p) => p.trim()).filter((p) => p.length > 6 && /\p{L}{4,}/u.test(p));
        for (const part of own) {
          const word = new RegExp(`(?<!\\p{L})${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}/])`, 'u');
          expect(word.test(json), `"${part}" (${key}) in a Welsh card`).toBe(false);
        }
      }
    }
  });

  it('dates and counts are written the Welsh way', () => {
    expect(t('cy', 'tasks.heading', { date: '6 Medi 2026' })).toBe('Tasgau eich cynllun gwella · 6 Medi 2026');
    expect(t('en', 'flag.overdue', { days: 1 })).toBe('OVERDUE 1 day');
    expect(t('cy', 'flag.overdue', { days: 2 })).toBe('HWYR O 2 DDIWRNOD');
  });
});
