// Design: issue 15 part 5, retiring a worker fails no request. A 64-connection load (keep-alive,
// or a connection per request for a class without it) runs while the arbiter gets HUP, TTIN
// and TTOU, then against a server recycling its workers with --max-requests, which finally gets
// TERM. Every request is accounted for (load.ts): each phase must end with none failed and none
// answered with a non-2xx. After TERM, new connections may be refused (or queued and never
// taken: `unaccepted`), but every request written before it, or on a connection the server kept
// open, is answered. The figures are printed per phase.

import { expect, it } from 'vitest';
import { eventually, sleep } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { describeFailures, formatPhases, Load, type PhaseCounts, type PhaseOptions } from '../load.js';
import { reuseportResetReason } from '../reuseport.js';
import { startNarwhal, type NarwhalProcess } from '../start-narwhal.js';

const CONNECTIONS = 64;
/** Load kept on after each change completes, so the retired workers' last requests fall inside its phase. */
const SETTLE_MS = 300;

/** Resolves once `load` has had `more` requests answered, proving the server serves under it. */
async function served(load: Load, more: number): Promise<void> {
  const target = load.completed() + more;
  await eventually(() => (load.completed() >= target ? true : undefined), 10_000, 10);
}

/** Waits for `count` more `pattern` lines (counted from now) while `action` runs. */
async function logsAfter(narwhal: NarwhalProcess, pattern: RegExp, count: number, action: () => void, timeoutMs = 20_000): Promise<void> {
  const waiting = narwhal.waitForMoreLogs(pattern, count, timeoutMs);
  action();
  await waiting;
}

/** Asserts every phase's tally, after printing all of them. */
function judge(kit: Kit, title: string, phases: ReadonlyMap<string, PhaseCounts>, load: Load, origin: number, tolerated: string | undefined): void {
  console.info(`retire-under-load -k ${kit.options.workerClass}: ${title}\n${formatPhases(phases)}${tolerated ? `\nunaccepted connections tolerated: ${tolerated}` : ''}`);
  const failures = describeFailures(load.failures, origin);
  for (const [name, counts] of phases) {
    expect(counts.failed, `${name}: failed requests\n${failures}`).toBe(0);
    expect(counts.non2xx, `${name}: non-2xx answers\n${failures}`).toBe(0);
  }
}

export function retireUnderLoadSuite(kit: Kit): void {
  describeSuite(kit, 'retire-under-load', `retiring workers under a ${CONNECTIONS}-connection load`, () => {
    it(`fails no request across HUP, TTIN and TTOU (-w 2, ${CONNECTIONS} connections)`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', ROUTES_APP.node]);
      const tolerated = reuseportResetReason(narwhal);
      const retiring: PhaseOptions = { unaccepted: tolerated === undefined ? 'none' : 'any' };
      const origin = performance.now();
      const load = new Load({ port: narwhal.port, connections: CONNECTIONS, keepAlive: kit.keepAlive }, 'warm-up');
      try {
        await served(load, 200);
        load.phase('HUP', retiring);
        await logsAfter(narwhal, /Worker \(pid:\d+\) stopped for a reload/, 2, () => narwhal.signal('SIGHUP'));
        await sleep(SETTLE_MS);
        load.phase('TTIN');
        await logsAfter(narwhal, /Worker \(pid:\d+\) ready/, 1, () => narwhal.signal('SIGTTIN'));
        await served(load, 200);
        load.phase('TTOU', retiring);
        await logsAfter(narwhal, /Worker \(pid:\d+\) stopped to scale down/, 1, () => narwhal.signal('SIGTTOU'));
        await sleep(SETTLE_MS);
        await served(load, 200);
      } finally {
        await load.stop();
      }
      judge(kit, 'HUP, TTIN, TTOU', await load.stop(), load, origin, tolerated);
    }, 60_000);

    it(`fails no request while --max-requests recycles workers, nor on TERM after it (-w 2, ${CONNECTIONS} connections)`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', '--max-requests', '200', '--max-requests-jitter', '50', ROUTES_APP.node]);
      const tolerated = reuseportResetReason(narwhal);
      const origin = performance.now();
      const load = new Load({ port: narwhal.port, connections: CONNECTIONS, keepAlive: kit.keepAlive }, 'max-requests', { unaccepted: tolerated === undefined ? 'none' : 'any' });
      let recycled = 0;
      try {
        // Four retirements: each of the two workers, and each of their replacements.
        await narwhal.waitForMoreLogs(/Worker \(pid:\d+\) stopped after max requests/, 4, 30_000);
        recycled = (narwhal.output().match(/stopped after max requests/g) ?? []).length;
        // TERM under the same load: what was written before it is answered; new connections may be refused.
        load.phase('TERM', { unaccepted: tolerated === undefined ? 'opened-during-phase' : 'any' });
        narwhal.signal('SIGTERM');
        expect(await narwhal.exited).toEqual({ code: 0, signal: null });
        await sleep(SETTLE_MS);
      } finally {
        await load.stop();
      }
      const phases = await load.stop();
      judge(kit, `${recycled} workers recycled by --max-requests, then TERM`, phases, load, origin, tolerated);
      expect(phases.get('TERM')!.refused, 'connections refused once the server is gone').toBeGreaterThan(0);
    }, 60_000);
  });
}
