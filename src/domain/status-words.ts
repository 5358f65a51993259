import type { StatusVocabulary } from './task.js';

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

const STATUS_WORDS: [RegExp, keyof StatusVocabulary][] = [
  [/^(complete|completed|closed|done|green - complete|achieved)$/i, 'complete'],
  [/^(on target|on track|ongoing|in progress|started|green)$/i, 'onTrack'],
  [/^(behind target|behind|delayed|amber|red|yellow|at risk|overdue)$/i, 'behind'],
  [/^(yet to start|not started|not yet started)$/i, 'notStarted'],
  [/^(blocked|on hold|waiting)$/i, 'blocked'],
];

/**
 * A register's status wording in the list's vocabulary, or undefined when it says none PlanPulse knows. The whole
 * wording is tried, then its first and last phrases: "Complete - awaiting evidence" is complete (the missing evidence
 * is its own reminder), and a sentence of progress ending "… Complete." is too. The wording itself is kept beside it.
 */
export function statusFor(word: string | undefined, vocabulary: StatusVocabulary): string | undefined {
  if (!word?.trim()) return undefined;
  const phrases = word.split(/\s+[-–—]\s+|[.;:!]\s*|\n/).map((p) => p.trim()).filter(Boolean);
  for (const candidate of [word.trim().replace(/\.$/, ''), phrases[0], phrases.at(-1)]) {
    if (!candidate) continue;
    const exact = Object.values(vocabulary).flat().find((v) => norm(v) === norm(candidate));
    if (exact) return exact;
    const match = STATUS_WORDS.find(([re]) => re.test(candidate));
    if (match) return vocabulary[match[1]][0];
  }
  return undefined;
}
