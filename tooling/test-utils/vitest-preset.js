// The vitest settings every package shares: real processes need generous timeouts, files run
// one at a time so that timing-sensitive process tests do not fight over two cores, every
// spawned process is cleaned up, and results also land in test-results.json for the CI total.
// In CI a failed test runs once more: CI machines are shared and slower than ours, and a test that
// failed once then passed is still named at the end of the CI log (.ci/summarize.mjs), so a flaky
// test shows instead of either hiding or blocking everything else.

/** @param {{ include?: string[] }} [overrides] */
export function narwhalVitest(overrides = {}) {
  return {
    test: {
      include: overrides.include ?? ['test/**/*.test.ts'],
      setupFiles: ['@narwhal/test-utils/setup'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      fileParallelism: false,
      retry: process.env.CI ? 1 : 0,
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    },
  };
}
