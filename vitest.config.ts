import { defineConfig } from 'vitest/config';

// Forks, not threads: Temporal's native core bridge and PGlite are not thread-safe.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
