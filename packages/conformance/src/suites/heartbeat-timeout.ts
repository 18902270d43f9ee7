// Design: a worker proves its event loop is alive by its heartbeat; one whose loop is blocked
// past --timeout is killed and replaced (Gunicorn's "WORKER TIMEOUT"), and its siblings serve
// throughout.

import { expect, it } from 'vitest';
import { eventually, get, request } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { startNarwhal } from '../start-narwhal.js';

export function heartbeatTimeoutSuite(kit: Kit): void {
  describeSuite(kit, 'heartbeat-timeout', 'heartbeat and --timeout', () => {
    it('kills a worker whose event loop is blocked after --timeout, logs WORKER TIMEOUT, replaces it, and the other worker serves meanwhile', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', '--timeout', '2', ROUTES_APP.node]);
      const blocked = request(`${narwhal.url}/block`, { timeoutMs: 15_000 }).then(
        (response) => `answered ${response.status}`,
        (error: Error) => error,
      );
      // Short tries: with SO_REUSEPORT (uws) the kernel sends each new connection to a worker by hash, the
      // blocked one included, and three 1 s tries all landed there once in a while.
      const meanwhile = Number(await eventually(() => get(`${narwhal.url}/pid`, { timeoutMs: 400 }), 3000));
      const [, stuck] = await narwhal.waitForLog(/WORKER TIMEOUT \(pid:(\d+)\)/, 10_000);
      expect(Number(stuck)).not.toBe(meanwhile);
      expect(narwhal.readyPids()).toContain(Number(stuck));
      // The blocked request dies with its worker; it is never answered as if nothing happened.
      const outcome = await blocked;
      expect(outcome instanceof Error || /answered 5\d\d/.test(outcome), String(outcome)).toBe(true);
      await eventually(() => (narwhal.readyPids().length >= 3 ? true : undefined), 10_000);
      const answering = new Set<number>();
      for (let attempt = 0; attempt < 20; attempt++) answering.add(Number(await get(`${narwhal.url}/pid`, { timeoutMs: 1000 })));
      expect([...answering]).not.toContain(Number(stuck));
    }, 30_000);
  });
}
