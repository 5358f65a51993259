/** Edit distance between two short names (case-insensitive), for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[t.length]!;
}

/** The names closest to `wanted`, nearest first: those within a third of its length, or sharing its start. */
export function closest(wanted: string, names: string[], most = 3): string[] {
  const limit = Math.max(2, Math.ceil(wanted.length / 3));
  return names
    .map((name) => ({ name, d: distance(wanted, name) }))
    .filter(({ name, d }) => d <= limit || name.toLowerCase().startsWith(wanted.toLowerCase().slice(0, 4)))
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, most)
    .map((x) => x.name);
}
