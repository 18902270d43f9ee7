// Design: Gunicorn's signals: TERM is a graceful stop (in-flight requests finish, exit 0),
// INT a quick one.

import { expect, it } from 'vitest';
import { request, sleep } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { startNarwhal } from '../start-narwhal.js';

export function stopSuite(kit: Kit): void {
  describeSuite(kit, 'stop', 'graceful and quick stop', () => {
    it('lets an in-flight request finish on TERM, then exits 0', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ROUTES_APP.node]);
      const slow = request(`${narwhal.url}/slow?ms=1500`);
      await sleep(300);
      narwhal.signal('SIGTERM');
      const response = await slow;
      expect(response.status).toBe(200);
      expect(response.body).toMatch(/^slow \d+$/);
      expect(await narwhal.exited).toEqual({ code: 0, signal: null });
      expect(narwhal.output()).toContain('Shutting down: Master');
    });

    it('stops within 3 s on INT, exit 0', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', ROUTES_APP.node]);
      const started = Date.now();
      narwhal.signal('SIGINT');
      expect((await narwhal.exited).code).toBe(0);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });
}
