// Shared vitest setup: no process or fixture outlives its test file.
import { afterAll, afterEach } from 'vitest';
import { stopAll } from './start-narwhal.ts';
import { removeFixtures } from './fixtures.ts';

afterEach(async () => {
  await stopAll();
});
afterAll(() => {
  removeFixtures();
});
