import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Tests start real servers; run files one after another so the machine's two cores are not oversubscribed.
    fileParallelism: false,
  },
});
