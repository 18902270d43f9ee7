// Design: the first thing a user sees. The arbiter's startup lines are Gunicorn's, whatever
// the class, and a class that reports ready must already serve.

import { expect, it } from 'vitest';
import { get } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { startNarwhal } from '../start-narwhal.js';

export function bootSuite(kit: Kit): void {
  describeSuite(kit, 'boot', 'boot and the ready line', () => {
    it('logs Starting, Listening at, Using worker, then Booting and ready for each of -w 2, and serves at once', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', ROUTES_APP.node]);
      const output = narwhal.output();
      expect(output).toMatch(/Starting narwhal \S+/);
      expect(output).toMatch(new RegExp(`Listening at: http://127\\.0\\.0\\.1:${narwhal.port} \\(${narwhal.pid}\\)`));
      expect(output).toMatch(/Using worker: \S+/);
      expect(narwhal.spawnedPids()).toHaveLength(2);
      expect(narwhal.readyPids().sort()).toEqual(narwhal.spawnedPids().sort());
      expect(narwhal.readyPids()).toContain(Number(await get(`${narwhal.url}/pid`, { timeoutMs: 1000 })));
    });
  });
}
