import type { ViteUserConfig } from 'vitest/config';

/**
 * The settings every package's vitest config starts from: tests in `test/`, and a JSON report that
 * `.ci/run` adds up into one closing line.
 */
export const sharedTestConfig = {
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
} satisfies ViteUserConfig;
