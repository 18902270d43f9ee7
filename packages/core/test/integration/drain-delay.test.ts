// --drain-delay: on TERM the workers keep serving, keep-alive and fresh connections alike, while
// /readyz answers 503, so that a load balancer polling it stops sending; then the graceful stop
// proceeds (idle keep-alive connections closed) and the server exits 0. A second TERM, an INT or
// a QUIT during the delay stops at once.

import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import { eventually, request, sleep, startNarwhal, stopAll, workerClassPath, type NarwhalProcess } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeral, fixture, loopRequests } from './helpers.js';

afterEach(async () => {
  await stopAll();
});

const async = ['-k', workerClassPath('async')];

async function metricsBase(narwhal: NarwhalProcess): Promise<string> {
  return (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
}

/** Polls /readyz until stopped: each answer's status and when it came (ms since `origin`). */
function pollReadyz(url: string, origin: () => number): { stop: () => Promise<{ at: number; status: number }[]> } {
  let running = true;
  const answers: { at: number; status: number }[] = [];
  const loop = (async () => {
    while (running) {
      try {
        const { status } = await request(url, { timeoutMs: 2000 });
        answers.push({ at: Date.now() - origin(), status });
      } catch {
        // the arbiter is gone
      }
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

describe('--drain-delay: serve on while /readyz answers 503, then stop gracefully', () => {
  it('TERM with --drain-delay 2: /readyz turns 503 at once, no request fails for 2 s, idle keep-alive connections then close, exit 0', { timeout: 20_000 }, async () => {
    const narwhal = await startNarwhal([...async, '-w', '2', ...ephemeral, '--keep-alive', '10', '--graceful-timeout', '5', '--drain-delay', '2', '--metrics-bind', '127.0.0.1:0', fixture('routes-node.mjs')]);
    const metrics = await metricsBase(narwhal);
    await eventually(async () => ((await request(`${metrics}/readyz`)).status === 200 ? true : undefined), 5000);
    let termAt = Number.POSITIVE_INFINITY;
    const readyz = pollReadyz(`${metrics}/readyz`, () => termAt);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const keepAlive = loopRequests(`${narwhal.url}/pid`, { agent });
    const fresh = loopRequests(`${narwhal.url}/pid`);
    // A second keep-alive connection, for a request still running when the drain ends.
    const slowAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await request(`${narwhal.url}/pid`, { agent: slowAgent })).headers.connection).toBe('keep-alive');
    await sleep(300);

    termAt = Date.now();
    narwhal.signal('SIGTERM');
    await eventually(async () => ((await request(`${metrics}/readyz`)).status === 503 ? true : undefined), 1000, 10);
    const turned = Date.now() - termAt;
    await narwhal.waitForLog(/Draining for 2 s before stopping \(TERM\)/, 1000);
    // Traffic goes on through most of the delay, then stops, as a balancer's does.
    await sleep(termAt + 1700 - Date.now());
    const [kept, other] = await Promise.all([keepAlive.stop(), fresh.stop()]);
    const stoppedAt = Date.now() - termAt;
    expect(stoppedAt).toBeLessThan(2000);
    await sleep(20);
    const idle = Object.values(agent.freeSockets).flat()[0] as Socket | undefined;
    const idleClosed = idle === undefined ? Promise.resolve(Number.NaN) : new Promise<number>((resolve) => idle.once('close', () => resolve(Date.now() - termAt)));
    // Sent 1.7 s into the 2 s delay and lasting 1.5 s: still running when the stop reaches its worker, even on a
    // loaded machine (with 0.8 s it once finished first, and was answered keep-alive).
    const slow = request(`${narwhal.url}/slow?ms=1500`, { agent: slowAgent });

    const { code } = await narwhal.exited;
    const exitedAt = Date.now() - termAt;
    const answers = await readyz.stop();
    const last = await slow;
    agent.destroy();
    slowAgent.destroy();

    expect(turned).toBeLessThan(1000);
    expect(kept.failed).toEqual([]);
    expect(other.failed).toEqual([]);
    expect(kept.ok).toBeGreaterThan(20);
    expect(other.ok).toBeGreaterThan(20);
    // During the delay the keep-alive connection stayed open: every answer said keep-alive.
    expect([...kept.connectionHeaders]).toEqual(['keep-alive']);
    // The request in flight when the graceful stop began is answered, with the connection's last response.
    expect(last.status).toBe(200);
    expect(last.headers.connection).toBe('close');
    // The idle keep-alive connection is closed by the graceful stop, after the delay.
    const closedAt = await idleClosed;
    expect(closedAt).toBeGreaterThanOrEqual(1900);
    expect(closedAt).toBeLessThan(exitedAt + 100);
    // /readyz: 200 before the TERM, 503 from it on, never 200 again.
    const afterTerm = answers.filter((answer) => answer.at > turned);
    expect(answers.some((answer) => answer.at < 0 && answer.status === 200)).toBe(true);
    expect(afterTerm.length).toBeGreaterThan(10);
    expect(afterTerm.every((answer) => answer.status === 503)).toBe(true);
    // Exit 0 after the delay, within the delay plus --graceful-timeout.
    expect(code).toBe(0);
    expect(exitedAt).toBeGreaterThanOrEqual(1900);
    expect(exitedAt).toBeLessThan(2000 + 5000);
    const output = narwhal.output();
    expect(output.match(/Draining for/g)).toHaveLength(1);
    expect(output.indexOf('Draining for 2 s')).toBeLessThan(output.indexOf('Shutting down: Master'));
  });

  for (const [name, what] of [
    ['SIGINT', 'an INT (quick stop)'],
    ['SIGTERM', 'a second TERM (graceful stop)'],
  ] as const) {
    it(`${what} during the delay stops at once`, { timeout: 20_000 }, async () => {
      const narwhal = await startNarwhal([...async, '-w', '2', ...ephemeral, '--drain-delay', '10', '--metrics-bind', '127.0.0.1:0', fixture('routes-node.mjs')]);
      const metrics = await metricsBase(narwhal);
      await eventually(async () => ((await request(`${metrics}/readyz`)).status === 200 ? true : undefined), 5000);
      narwhal.signal('SIGTERM');
      await narwhal.waitForLog(/Draining for 10 s before stopping \(TERM\)/, 2000);
      expect((await request(`${metrics}/readyz`)).status).toBe(503);
      // Still serving during the delay.
      expect((await request(`${narwhal.url}/pid`)).status).toBe(200);
      const sentAt = Date.now();
      narwhal.signal(name);
      const { code } = await narwhal.exited;
      expect(Date.now() - sentAt).toBeLessThan(3000);
      expect(code).toBe(0);
    });
  }
});
