import type { Person } from './task.js';

export interface RoleEntry {
  role: string;
  people: Person[];
  deputies: Person[];
  planLead: boolean;
}

/** Role text -> people. Registers name owners by role ("GM Community Safety"), sometimes several in one cell. */
export class RoleDirectory {
  private readonly byName = new Map<string, RoleEntry>();

  constructor(entries: RoleEntry[]) {
    for (const entry of entries) this.byName.set(normaliseRole(entry.role), entry);
  }

  get entries(): RoleEntry[] {
    return [...this.byName.values()];
  }

  /** A role holder's or deputy's display name, or their id when the directory does not know them. */
  nameOf(aadObjectId: string): string {
    for (const e of this.byName.values())
      for (const p of [...e.people, ...e.deputies]) if (p.aadObjectId === aadObjectId) return p.displayName;
    return aadObjectId;
  }

  /**
   * Resolves a cell such as "HR Manager / Geo Support". The whole text is tried first so a role whose name contains
   * a separator still matches; otherwise each part is looked up and the parts nobody holds are returned as unmapped.
   */
  resolve(roleText: string): { people: Person[]; deputies: Person[]; unmapped: string[] } {
    const whole = this.byName.get(normaliseRole(roleText));
    if (whole) return { people: whole.people, deputies: whole.deputies, unmapped: [] };
    const people: Person[] = [];
    const deputies: Person[] = [];
    const unmapped: string[] = [];
    const take = (part: string): boolean => {
      const entry = this.byName.get(normaliseRole(part));
      if (!entry || entry.people.length === 0) return false;
      people.push(...entry.people);
      deputies.push(...entry.deputies);
      return true;
    };
    // "A & B, C": try each comma/slash part whole before splitting it on "&" or "and".
    for (const part of splitOn(roleText, /\s*[/,;]\s*/)) {
      if (take(part)) continue;
      const pieces = splitOn(part, /\s+(?:&|and)\s+/i);
      const missing = pieces.length > 1 ? pieces.filter((piece) => !take(piece)) : [part];
      unmapped.push(...(missing.length === pieces.length ? [part] : missing));
    }
    // When no part is known, the cell's own words are what an administrator needs to add.
    return { people: uniquePeople(people), deputies: uniquePeople(deputies), unmapped: people.length ? unmapped : [roleText.trim()] };
  }
}

export function normaliseRole(role: string): string {
  return role.trim().replace(/\s+/g, ' ').toLowerCase();
}

function splitOn(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((p) => p.trim())
    .filter(Boolean);
}

export function uniquePeople(people: Person[]): Person[] {
  const seen = new Map<string, Person>();
  for (const p of people) if (!seen.has(p.aadObjectId)) seen.set(p.aadObjectId, p);
  return [...seen.values()];
}
