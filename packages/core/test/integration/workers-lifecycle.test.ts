import { describeEachWorker, eventually, get, request, sleep, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral, fixture } from './helpers.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids that answer /pid over fresh connections. */
async function pidsAnswering(url: string, requests: number): Promise<Set<string>> {
  const pids = new Set<string>();
  for (let index = 0; index < requests; index++) pids.add(await get(`${url}/pid`));
  return pids;
}

describeEachWorker('worker supervision', (worker) => {
  it('spreads requests over several workers', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '4', fixture('routes-node.mjs')]);
    // Concurrent slow requests must land on different processes: one process would take 4 × 300 ms.
    // The kernel picks the process that accepts, and on a loaded machine one that wakes first can
    // take a whole burst (every class but sync accepts several at once), so a burst may be retried.
    const burst = async (): Promise<{ pids: number; ms: number }> => {
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 4 }, () => get(`${narwhal.url}/slow?ms=300`)));
      return { pids: new Set(answers).size, ms: Date.now() - started };
    };
    let spread = await burst();
    for (let retry = 0; retry < 2 && spread.pids === 1; retry++) spread = await burst();
    expect(spread.pids).toBeGreaterThan(1);
    expect(spread.ms).toBeLessThan(1200);
    expect(narwhal.readyPids()).toHaveLength(4);
  });

  it('replaces a worker killed with SIGKILL, serving again within 1 s', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', fixture('routes-node.mjs')]);
    const victim = Number(await get(`${narwhal.url}/pid`));
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    const replacement = await eventually(async () => {
      const pid = Number(await get(`${narwhal.url}/pid`, { timeoutMs: 1000 }));
      return pid !== victim ? pid : undefined;
    }, 5000, 10);
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(replacement).not.toBe(victim);
    await narwhal.waitForLog(new RegExp(`Worker \\(pid:${victim}\\) was sent SIGKILL! Perhaps out of memory\\?`));
  });

  it('adds a worker on TTIN and retires the oldest on TTOU', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '2', fixture('routes-node.mjs')]);
    const [oldest] = narwhal.spawnedPids();
    narwhal.signal('SIGTTIN');
    await narwhal.waitForMoreLogs(/Worker \(pid:\d+\) ready/, 1);
    expect(narwhal.readyPids()).toHaveLength(3);
    narwhal.signal('SIGTTOU');
    await narwhal.waitForLog(new RegExp(`Worker \\(pid:${oldest}\\) stopped to scale down`));
    await eventually(async () => ((await pidsAnswering(narwhal.url, 10)).has(String(oldest)) ? undefined : true));
  });

  it('recycles workers after max-requests without failing a request', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', '--max-requests', '5', fixture('routes-node.mjs')]);
    const pids = new Set<string>();
    for (let index = 0; index < 300 && pids.size < 3; index++) {
      pids.add(await get(`${narwhal.url}/pid`));
      await sleep(20);
    }
    expect(pids.size).toBeGreaterThanOrEqual(3);
    await narwhal.waitForLog(/stopped after max requests/);
  });

  it('lets an in-flight request finish on TERM, then exits 0', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', fixture('routes-node.mjs')]);
    const slow = request(`${narwhal.url}/slow?ms=1500`);
    await sleep(300);
    narwhal.signal('SIGTERM');
    const response = await slow;
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/^slow \d+$/);
    expect(await narwhal.exited).toEqual({ code: 0, signal: null });
    expect(narwhal.output()).toContain('Shutting down: Master');
  });

  it('lets its workers go when the arbiter itself is killed, leaving no orphan', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '2', fixture('routes-node.mjs')]);
    const workers = narwhal.readyPids();
    process.kill(narwhal.pid, 'SIGKILL');
    await eventually(() => (workers.every((pid) => !isAlive(pid)) ? true : undefined), 10_000);
  });

  it('stops quickly on INT', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '2', fixture('routes-node.mjs')]);
    const started = Date.now();
    narwhal.signal('SIGINT');
    expect((await narwhal.exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describeEachWorker('worker timeout', (worker) => {
  it('kills a worker whose event loop is blocked, and serves the next request', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', '--timeout', '2', fixture('routes-node.mjs')]);
    const stuck = Number(await get(`${narwhal.url}/pid`));
    const blocked = request(`${narwhal.url}/block`, { timeoutMs: 15_000 }).catch((error: Error) => error);
    await narwhal.waitForLog(new RegExp(`WORKER TIMEOUT \\(pid:${stuck}\\)`), 10_000);
    await narwhal.waitForLog(new RegExp(`Worker \\(pid:${stuck}\\) was killed after WORKER TIMEOUT`), 10_000);
    expect(await blocked).toBeInstanceOf(Error);
    const next = Number(await eventually(() => get(`${narwhal.url}/pid`, { timeoutMs: 2000 })));
    expect(next).not.toBe(stuck);
  });
}, { gthread: 'handlers run in worker threads, so the event loop never blocks; a stuck thread gets 504 (worker-gthread tests)' });
