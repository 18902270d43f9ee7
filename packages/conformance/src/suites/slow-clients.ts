// Design: a slowloris attack holds connections open by trickling a request head. While 200 such
// connections trickle a byte every 200 ms, other clients must still be answered within 1 s:
// no class may let idle-but-open connections take every worker (Gunicorn's sync does; Narwhal
// goes beyond it).

import type { Socket } from 'node:net';
import { expect, it } from 'vitest';
import { get, sleep } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { connectTo } from '../run-case.js';
import { startNarwhal } from '../start-narwhal.js';

const SLOW_CONNECTIONS = 200;
const NORMAL_CLIENTS = 11;
const TRICKLE_MS = 200;
const HEAD = 'GET / HTTP/1.1\r\nHost: example.com\r\nX-Slow: ';

export function slowClientsSuite(kit: Kit): void {
  describeSuite(kit, 'slow-clients', 'slow clients', () => {
    it(`answers ${NORMAL_CLIENTS} clients within 1 s each while ${SLOW_CONNECTIONS} connections trickle a head byte every ${TRICKLE_MS} ms`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', ROUTES_APP.node]);
      const slow: Socket[] = [];
      let sent = 0;
      const trickle = setInterval(() => {
        const byte = sent < HEAD.length ? HEAD[sent]! : 'a';
        sent++;
        for (const socket of slow) if (!socket.destroyed) socket.write(byte);
      }, TRICKLE_MS);
      try {
        const opened = await Promise.allSettled(Array.from({ length: SLOW_CONNECTIONS }, () => connectTo(narwhal.port)));
        for (const result of opened) {
          if (result.status === 'fulfilled') slow.push(result.value.on('error', () => {}));
        }
        await sleep(2 * TRICKLE_MS);
        const outcomes = await Promise.all(
          Array.from({ length: NORMAL_CLIENTS }, async (_, index) => {
            await sleep(index * 100);
            const started = Date.now();
            try {
              await get(`${narwhal.url}/pid`, { timeoutMs: 1000 });
              return `answered in ${Date.now() - started} ms`;
            } catch (error) {
              return `not answered: ${(error as Error).message}`;
            }
          }),
        );
        const answered = outcomes.filter((outcome) => outcome.startsWith('answered')).length;
        expect(answered, outcomes.join('\n')).toBe(NORMAL_CLIENTS);
      } finally {
        clearInterval(trickle);
        for (const socket of slow) socket.destroy();
      }
    }, 30_000);
  });
}
