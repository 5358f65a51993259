/**
 * Re-derives the committed demo fixture from the seed registers in ../shared/seeds:   npm run derive-demo-data
 */
import { writeFileSync } from 'node:fs';
import { deriveDemoFixture, DEMO_FIXTURE_PATH, findSeedsDir } from '../src/local/demo-data/fixture.js';

const seeds = findSeedsDir();
if (!seeds) throw new Error('Seed registers not found: expected ../shared/seeds beside the repository.');
writeFileSync(DEMO_FIXTURE_PATH, `${JSON.stringify(deriveDemoFixture(seeds), null, 1)}\n`);
console.log(`wrote ${DEMO_FIXTURE_PATH}`);
