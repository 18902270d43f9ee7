// Design: issue 15 part 7, chaos. Under a steady load, a random worker (any live child of the
// arbiter, a replacement still booting included) is SIGKILLed every 500 ms for 10 s. At the end
// the arbiter is alive and answers, the worker count is restored, and every failed request is
// one that was in flight on a killed worker. A request is placed by its connection: /pid tags a
// connection with the worker that answered on it, so a failure on a connection tagged with a
// victim is that victim's; a connection not tagged yet (a fresh one, and every one of a class
// without keep-alive) may have been accepted by the victim only if it was established before
// the victim was gone (its request may be written later: the accept is what places it) and
// failed after the kill. Anything else is a failure the kills
// do not explain, and fails the suite. A request that waits while no worker is up (the kills
// can outrun the replacements) is late, not failed: it has REQUEST_TIMEOUT_MS. The draws come
// from the seeded generator (prng.ts).

import { expect, it } from 'vitest';
import { eventually, get, sleep } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { describeFailures, formatPhases, Load, type FailedRequest } from '../load.js';
import { Prng, seedFromEnv } from '../prng.js';
import { startNarwhal } from '../start-narwhal.js';
import { isRunning, liveChildren, reapedAt } from '../worker-processes.js';

const WORKERS = 4;
const CONNECTIONS = 32;
const KILL_EVERY_MS = 500;
const CHAOS_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** How long after the last kill the arbiter has to bring the workers back. */
const RESTORE_MS = 15_000;

interface Kill {
  readonly victim: number;
  /** performance.now() when SIGKILL was sent, and when the victim was reaped (its sockets all closed). */
  readonly at: number;
  readonly goneAt: number;
  /** Requests in flight at the kill on connections tagged with the victim, and on untagged ones. */
  readonly onVictim: number;
  readonly untagged: number;
}

/** Whether the kills explain a failure (see the design note). */
function explainedBy(kills: readonly Kill[], failure: FailedRequest): boolean {
  if (failure.workerPid !== undefined) return kills.some((kill) => kill.victim === failure.workerPid && failure.failedAt >= kill.at);
  // Untagged: its connection may have been accepted by the victim any time after it was
  // established, though the request itself was written after the victim was gone.
  return kills.some((kill) => failure.connectedAt <= kill.goneAt && failure.failedAt >= kill.at);
}

export function chaosSuite(kit: Kit): void {
  const seed = seedFromEnv();
  describeSuite(kit, 'chaos', 'chaos: workers killed under load', () => {
    it(`restores ${WORKERS} workers and fails only requests in flight on killed ones, with a worker SIGKILLed every ${KILL_EVERY_MS} ms for ${CHAOS_MS / 1000} s under ${CONNECTIONS} connections (seed ${seed})`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', String(WORKERS), ROUTES_APP.node]);
      const prng = new Prng(seed);
      const load = new Load({ port: narwhal.port, connections: CONNECTIONS, keepAlive: kit.keepAlive, requestTimeoutMs: REQUEST_TIMEOUT_MS }, 'chaos');
      const origin = performance.now();
      const kills: Kill[] = [];
      let emptyPool = 0;
      try {
        await eventually(() => (load.completed() >= 100 ? true : undefined), 10_000, 10);
        const end = performance.now() + CHAOS_MS;
        for (let next = performance.now(); next < end; next += KILL_EVERY_MS) {
          await sleep(Math.max(0, next - performance.now()));
          const live = liveChildren(narwhal.pid);
          if (live.length === 0) {
            emptyPool++;
            continue;
          }
          const victim = prng.pick(live);
          const inFlight = load.inFlight();
          const at = performance.now();
          try {
            process.kill(victim, 'SIGKILL');
          } catch {
            continue; // it exited between the listing and the kill
          }
          kills.push({ victim, at, goneAt: await reapedAt(victim), onVictim: inFlight.filter((request) => request.workerPid === victim).length, untagged: inFlight.filter((request) => request.workerPid === undefined).length });
        }
        // The load goes on while the arbiter restores the workers.
        await eventually(() => (liveChildren(narwhal.pid).filter((pid) => narwhal.readyPids().includes(pid)).length === WORKERS ? true : undefined), RESTORE_MS, 50);
      } finally {
        await load.stop();
      }
      const phases = await load.stop();
      const counts = phases.get('chaos')!;
      const unexplained = load.failures.filter((failure) => !explainedBy(kills, failure));
      const onVictims = kills.reduce((sum, kill) => sum + kill.onVictim, 0);
      const untagged = kills.reduce((sum, kill) => sum + kill.untagged, 0);
      const restored = liveChildren(narwhal.pid);
      console.info(
        [
          `chaos -k ${kit.options.workerClass} (seed ${seed}): ${kills.length} workers killed, ${emptyPool} times no worker was alive to kill, ${restored.length} alive after`,
          formatPhases(phases),
          `in flight at the kills: ${onVictims} on connections tagged with the victim, ${untagged} on untagged connections (each possibly the victim's)`,
          `kills of workers not yet ready, which the arbiter counted as boot failures and met with a respawn delay: ${(narwhal.output().match(/Worker failed to boot/g) ?? []).length}`,
          `failed: ${counts.failed} (${counts.failed - unexplained.length} in flight on a killed worker, ${unexplained.length} not explained by a kill)`,
        ].join('\n'),
      );
      expect(kills.length).toBeGreaterThanOrEqual(CHAOS_MS / KILL_EVERY_MS / 2);
      expect(isRunning(narwhal.pid), 'the arbiter is alive').toBe(true);
      expect(restored).toHaveLength(WORKERS);
      expect(restored).toContain(Number(await get(`${narwhal.url}/pid`, { timeoutMs: 2000 })));
      expect(counts.non2xx, describeFailures(load.failures, origin)).toBe(0);
      const nearest = unexplained.map((failure) => kills.reduce((best, kill) => (Math.abs(kill.at - failure.failedAt) < Math.abs(best.at - failure.failedAt) ? kill : best)));
      const killsNear = nearest.map((kill) => `kill of ${kill.victim} at ${Math.round(kill.at - origin)} ms, gone at ${Math.round(kill.goneAt - origin)} ms`).join('\n');
      expect(unexplained, `${describeFailures(unexplained, origin)}\nnearest kills:\n${killsNear}`).toEqual([]);
      expect(counts.completed, 'requests served through the chaos').toBeGreaterThan(counts.failed);
    }, 60_000);
  });
}
