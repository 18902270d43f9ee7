import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachWorker, eventually, fixtureDir, reuseportResetReason, sleep, startNarwhal, type NarwhalProcess } from '@narwhal/test-utils';
import { afterEach, expect, it } from 'vitest';
import { keepAliveLoad, send } from './load.js';

// Each response names the arbiter of the worker that served it, so the test sees both generations serve.
const APP = { 'app.mjs': 'export default (req, res) => res.end(String(process.ppid));' };
const readPid = (path: string): number | undefined => (existsSync(path) ? Number(readFileSync(path, 'utf8').trim()) : undefined);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const arbiters: number[] = [];
afterEach(async () => {
  // The new arbiter outlives the one the harness started: stop it as an operator would.
  for (const pid of arbiters.splice(0)) {
    if (alive(pid)) process.kill(pid, 'SIGTERM');
    await eventually(() => (alive(pid) ? undefined : true), 10_000).catch(() => process.kill(pid, 'SIGKILL'));
  }
});

/** USR2, then waits until the new arbiter's workers serve; returns its pid. */
async function upgrade(narwhal: NarwhalProcess, workers: number): Promise<number> {
  const before = narwhal.readyPids().length;
  narwhal.signal('SIGUSR2');
  const [, pid] = await narwhal.waitForLog(/Started a new arbiter \(pid:(\d+)\)/);
  arbiters.push(Number(pid));
  await eventually(() => (narwhal.readyPids().length >= before + workers ? true : undefined), 15_000);
  return Number(pid);
}

describeEachWorker('USR2 binary upgrade', (worker) => {
  it.skipIf(worker.name === 'uws' && reuseportResetReason() !== undefined)('USR2, WINCH and TERM under keep-alive load: both generations serve, the new one is promoted, no request fails', async () => {
    const dir = fixtureDir(APP);
    const pidfile = join(dir, 'narwhal.pid');
    const narwhal = await startNarwhal([...worker.args, '-w', '2', '-b', '127.0.0.1:0', '--pid', pidfile, 'app.mjs'], { cwd: dir });
    const load = keepAliveLoad(narwhal.port);
    await sleep(300);
    const successor = await upgrade(narwhal, 2);
    // Gunicorn's pid files while both run: the old arbiter's moved to .oldbin, the new one writes .2.
    expect([readPid(`${pidfile}.oldbin`), readPid(`${pidfile}.2`), existsSync(pidfile)]).toEqual([narwhal.pid, successor, false]);
    // Both generations accept on the same sockets: new connections, one request each, reach either.
    // (A burst of keep-alive connections can all land on the generation whose loops are freer.)
    const seen = new Set<string>();
    await eventually(async () => {
      seen.add((await send(narwhal.port)).body);
      return seen.has(String(successor)) && seen.has(String(narwhal.pid)) ? true : undefined;
    }, 10_000, 20);
    narwhal.signal('SIGWINCH');
    await narwhal.waitForLog(/Gracefully stopping the workers \(WINCH\)/);
    await eventually(() => (load.bodies.slice(-16).every((body) => body === String(successor)) && load.bodies.length > 16 ? true : undefined), 10_000);
    narwhal.signal('SIGTERM');
    expect((await narwhal.exited).code).toBe(0);
    // The harness's waits end with the process it started; the new arbiter writes to the same pipes.
    await eventually(() => (narwhal.output().includes('Master has been promoted.') ? true : undefined));
    await sleep(500);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.bodies.length).toBeGreaterThan(100);
    expect([readPid(pidfile), existsSync(`${pidfile}.2`), existsSync(`${pidfile}.oldbin`)]).toEqual([successor, false, false]);
    expect(readFileSync(`/proc/${successor}/cmdline`, 'utf8')).toMatch(/^narwhal: master \[app\.mjs\]\0?/);
  });
});

describeEachWorker(
  'USR2 rollback',
  (worker) => {
    it('killing the new arbiter after WINCH brings the old workers back, and the pid file with them', async () => {
      const dir = fixtureDir(APP);
      const pidfile = join(dir, 'narwhal.pid');
      const narwhal = await startNarwhal([...worker.args, '-w', '2', '-b', '127.0.0.1:0', '--pid', pidfile, 'app.mjs'], { cwd: dir });
      const successor = await upgrade(narwhal, 2);
      expect(readFileSync(`/proc/${successor}/cmdline`, 'utf8')).toMatch(/^narwhal: master \[app\.mjs\]\.2/);
      narwhal.signal('SIGWINCH');
      await narwhal.waitForLog(/Gracefully stopping the workers \(WINCH\)/);
      process.kill(successor, 'SIGQUIT');
      await narwhal.waitForLog(/The new arbiter \(pid:\d+\) exited .*restarting its workers/, 10_000);
      const before = narwhal.readyPids().length;
      await eventually(() => (narwhal.readyPids().length >= before + 2 ? true : undefined), 15_000);
      const load = keepAliveLoad(narwhal.port, {}, 2);
      await sleep(300);
      await load.stop();
      expect(load.failures).toEqual([]);
      expect(new Set(load.bodies)).toEqual(new Set([String(narwhal.pid)]));
      expect([readPid(pidfile), existsSync(`${pidfile}.oldbin`)]).toEqual([narwhal.pid, false]);
    });
  },
  { sync: 'the rollback is the arbiter\'s, the same for every class: run on async', gthread: 'as for sync', uws: 'as for sync' },
);
