// The vitest settings every package shares: real processes need generous timeouts, files run
// one at a time so that timing-sensitive process tests do not fight over two cores, every
// spawned process is cleaned up, and results also land in test-results.json for the CI total.

/** @param {{ include?: string[] }} [overrides] */
export function narwhalVitest(overrides = {}) {
  return {
    test: {
      include: overrides.include ?? ['test/**/*.test.ts'],
      setupFiles: ['@narwhal/test-utils/setup'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      fileParallelism: false,
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    },
  };
}
