// Shared vitest setup: no process or fixture outlives its test file.
import { afterAll, afterEach } from 'vitest';
import { stopAll } from './start-narwhal.js';
import { removeFixtures } from './fixtures.js';

afterEach(async () => {
  await stopAll();
});
afterAll(() => {
  removeFixtures();
});
