// Design: Gunicorn's signals: TERM is a graceful stop (in-flight requests finish, exit 0),
// INT a quick one.

import { Agent } from 'node:http';
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

    (kit.skipReason('stop/last-response') === undefined ? it : it.skip)('answers the request in flight at TERM as its keep-alive connection\'s last response (Connection: close)', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--keep-alive', '10', ROUTES_APP.node]);
      // The request arrives on a keep-alive connection before the stop begins.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      await request(`${narwhal.url}/pid`, { agent });
      const slow = request(`${narwhal.url}/slow?ms=1500`, { agent });
      await sleep(300);
      narwhal.signal('SIGTERM');
      const response = await slow;
      agent.destroy();
      expect(response.status).toBe(200);
      expect(response.body).toMatch(/^slow \d+$/);
      expect(response.headers.connection).toBe('close');
      expect((await narwhal.exited).code).toBe(0);
    });

    it('with --keep-alive 0, every response is its connection\'s last: Connection: close once, whole or streamed, the streamed body intact', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--keep-alive', '0', ROUTES_APP.node]);
      const whole = await request(`${narwhal.url}/pid`);
      const streamed = await request(`${narwhal.url}/stream`);
      expect(whole.headers.connection).toBe('close');
      expect(streamed.headers.connection).toBe('close');
      expect(streamed.body).toBe('chunk 0\nchunk 1\nchunk 2\n');
      narwhal.signal('SIGTERM');
      expect((await narwhal.exited).code).toBe(0);
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
