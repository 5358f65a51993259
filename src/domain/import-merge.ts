/** Field values as an import compares them; null is empty. */
export type MergeFields = Record<string, string | null | undefined>;

export interface FieldConflict {
  field: string;
  /** What the last import wrote (null: nothing, or never imported). */
  imported: string | null;
  list: string | null;
  file: string | null;
}

export interface Merge {
  /** Fields to write: changed in the file only. */
  apply: Record<string, string | null>;
  /** Fields changed in the list since the last import (an owner's update from Teams) that the file disagrees with: kept. */
  conflicts: FieldConflict[];
  /** What to remember as last imported: the file's values, except where a conflict kept the list's. */
  baseline: Record<string, string | null>;
}

const v = (x: string | null | undefined) => (x === undefined || x === '' ? null : x);

/**
 * Three-way merge of one task: the value last imported (`base`), the list now and the file now. A field changed only
 * in the file is applied. A field changed in the list since the last import (an owner's update from Teams) is never
 * overwritten: where the file says something else it is reported as a conflict and the list's value stays. With no
 * record of a last import, a list value counts as changed unless it is empty, so a first import fills gaps only.
 */
export function mergeFields(base: MergeFields | undefined, list: MergeFields, file: MergeFields): Merge {
  const merge: Merge = { apply: {}, conflicts: [], baseline: {} };
  for (const field of Object.keys(file)) {
    const [l, f] = [v(list[field]), v(file[field])];
    const imported = base ? v(base[field]) : null;
    merge.baseline[field] = f;
    if (f === l) continue;
    // Without a record of the last import, only an empty list value counts as untouched.
    const changedInList = base ? l !== imported : l !== null;
    if (!changedInList) merge.apply[field] = f;
    else {
      merge.conflicts.push({ field, imported, list: l, file: f });
      merge.baseline[field] = imported;
    }
  }
  return merge;
}
