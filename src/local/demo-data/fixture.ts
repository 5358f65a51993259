import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../app/paths.js';
import { deriveEssex, deriveLeicestershire, type DemoTask } from './derive.js';

export const DEMO_FIXTURE_PATH = join(packageRoot, 'src', 'local', 'demo-data', 'demo-tasks.json');

export const LEICESTERSHIRE_PLAN = 'LFRS HMICFRS Improvement Plan';
export const ESSEX_PLAN = 'ECFRS HMICFRS Action Plan';

export interface DemoFixture {
  source: Record<string, string>;
  leicestershire: DemoTask[];
  essex: DemoTask[];
}

/** ../shared/seeds beside the repository, as the developers and CI have it. */
export function findSeedsDir(): string | undefined {
  const dir = join(packageRoot, '..', 'shared', 'seeds');
  return existsSync(dir) ? dir : undefined;
}

function seedFile(dir: string, prefix: string): { name: string; text: string } {
  const name = readdirSync(dir).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`No seed ${prefix}_*.txt in ${dir}`);
  return { name, text: readFileSync(join(dir, name), 'utf8') };
}

export function deriveDemoFixture(seedsDir: string): DemoFixture {
  const leics = seedFile(seedsDir, '002');
  const essex = seedFile(seedsDir, '004');
  return {
    source: { leicestershire: leics.name, essex: essex.name },
    leicestershire: deriveLeicestershire(leics.text, LEICESTERSHIRE_PLAN),
    essex: deriveEssex(essex.text, ESSEX_PLAN),
  };
}

export function loadDemoFixture(): DemoFixture {
  return JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as DemoFixture;
}
