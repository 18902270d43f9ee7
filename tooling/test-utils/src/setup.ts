// Shared vitest setup: no process or fixture outlives its test file.
import { afterAll, afterEach } from 'vitest';
import { removeFixtures, stopAll } from '@narwhal/conformance';

afterEach(async () => {
  await stopAll();
});
afterAll(async () => {
  await stopAll('all');
  removeFixtures();
});
