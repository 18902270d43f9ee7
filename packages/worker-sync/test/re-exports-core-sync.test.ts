import { fixtureDir, get, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { SyncWorker as coreSync } from '@narwhal/core/worker';
import { describe, expect, it } from 'vitest';
import SyncWorker from '../src/index.js';

describe('@narwhal/worker-sync', () => {
  it("is core's sync class, re-exported", () => {
    expect(SyncWorker).toBe(coreSync);
  });

  it('still serves when named by its package directory with -k', async () => {
    const app = fixtureDir({ 'app.mjs': "export default (req, res) => res.end('hello');" });
    const narwhal = await startNarwhal(['-k', workerClassPath('sync'), '-b', '127.0.0.1:0', 'app.mjs'], { cwd: app });
    expect(await get(narwhal.url)).toBe('hello');
    expect(narwhal.output()).toMatch(/Using worker: sync \(\/.*worker-sync\)/);
  });
});
