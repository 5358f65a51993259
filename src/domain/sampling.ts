import { QA, SAMPLE, taskKeyString, type Task } from './task.js';

/** Tasks approved at QA and not yet sampled: what second-line assurance chooses from. */
export function sampleCandidates(tasks: Task[]): Task[] {
  return tasks.filter((t) => t.qaStatus === QA.approved && (!t.sampleStatus || t.sampleStatus === SAMPLE.notSampled));
}

/** A small seeded generator (mulberry32), so a recorded seed reproduces the same selection for an auditor. */
function seededRandom(seed: string): () => number {
  // FNV-1a turns the seed text into the generator's 32-bit state.
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `share` of the candidates (at least one when there are any), chosen reproducibly from `seed`. */
export function selectSample(candidates: Task[], share: number, seed: string): Task[] {
  if (candidates.length === 0) return [];
  const count = Math.min(candidates.length, Math.max(1, Math.round(candidates.length * share)));
  const pool = [...candidates].sort((a, b) => taskKeyString(a).localeCompare(taskKeyString(b), 'en', { numeric: true }));
  const random = seededRandom(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}
