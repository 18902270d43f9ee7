// A worker whose event loop is blocked past --timeout is killed; its JavaScript stack at that
// moment reaches the error log first, taken by the stall watchdog thread through the inspector.
import { describeEachWorker, fixtureDir, get, sleep, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';

const APP = `
function spinForever() {
  for (;;) {}
}
import { execFileSync } from 'node:child_process';
function waitInNativeCode() {
  execFileSync('sleep', ['6']);
}
export default function handle(req, res) {
  if (req.url === '/spin') spinForever();
  if (req.url === '/native') waitInNativeCode();
  res.end('ok');
}`;

/**
 * The watchdog thread starts with a worker's first connection, and booting its V8 isolate took
 * more than the 2 s timeout on a loaded CI machine: a first request that blocks at once can then
 * be killed before its stack is taken (the closing note of 2026-11-30). These tests are about
 * the stack, so a request goes first and the thread gets a moment to boot.
 */
async function watchdogUp(url: string): Promise<void> {
  expect(await get(url)).toBe('ok');
  await sleep(1500);
}

describeEachWorker(
  'a worker killed for a blocked event loop',
  (worker) => {
    it('logs where its JavaScript was stuck, then is replaced', async () => {
      const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--timeout', '2', 'app.mjs'], { cwd: fixtureDir({ 'app.mjs': APP }) });
      const [pid] = narwhal.readyPids();
      await watchdogUp(narwhal.url);
      await get(`${narwhal.url}/spin`, { timeoutMs: 6_000 }).catch(() => undefined);
      await narwhal.waitForLog(/Worker \(pid:\d+\) ready[^]*Worker \(pid:\d+\) ready/, 10_000);
      const output = narwhal.output();
      expect(output).toMatch(new RegExp(`\\[${pid}\\] \\[ERROR\\] Worker \\(pid:${pid}\\) event loop blocked for \\d+\\.\\ds; JavaScript stack:\\n    at spinForever \\(file://\\S+/app\\.mjs:3:3\\)\\n    at handle \\(file://\\S+/app\\.mjs:10:\\d+\\)`));
      // The stack comes before the kill.
      expect(output.indexOf('JavaScript stack:')).toBeLessThan(output.indexOf(`Worker (pid:${pid}) was killed after WORKER TIMEOUT`));
      expect(await get(narwhal.url)).toBe('ok');
    });

    it('says so when the loop is blocked outside JavaScript', async () => {
      const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--timeout', '2', 'app.mjs'], { cwd: fixtureDir({ 'app.mjs': APP }) });
      const [pid] = narwhal.readyPids();
      await watchdogUp(narwhal.url);
      await get(`${narwhal.url}/native`, { timeoutMs: 6_000 }).catch(() => undefined);
      await narwhal.waitForLog(new RegExp(`Worker \\(pid:${pid}\\) was killed after WORKER TIMEOUT`), 10_000);
      expect(narwhal.output()).toContain(`Worker (pid:${pid}) event loop blocked for`);
      expect(narwhal.output()).toContain('outside JavaScript (a synchronous system call or native code): no JavaScript stack');
    });
  },
  { gthread: 'requests run in pool threads: the worker\'s loop stays free, and a thread past --timeout is terminated and its request line logged (packages/worker-gthread)' },
);
