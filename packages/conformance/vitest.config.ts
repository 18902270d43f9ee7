import { defineConfig } from 'vitest/config';

// The kit's own tests are pure (parsers, the corpus's shape); the classes run the suites.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
