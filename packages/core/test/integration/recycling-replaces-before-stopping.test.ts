// One recycling policy (arbiter/recycling.ts): a worker over --max-worker-memory or past
// --max-worker-lifetime is replaced as one past --max-requests is, the replacement serving
// before the old worker stops, with no failed request, at most --max-concurrent-recycles at a
// time, logged once with its figure and counted in narwhal_worker_restarts_total.

import { eventually, fixtureDir, parsePrometheusText, request, startNarwhal, stopAll, sumSamples } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeral, fixture, loopRequests } from './helpers.js';

afterEach(async () => {
  await stopAll();
});

/** Keeps 20 MiB per request to /leak, touched so that it counts in the RSS; `/` answers the pid. */
const LEAKY_APP = `
const kept = [];
export default function app(req, res) {
  if (req.url === '/leak') kept.push(Buffer.alloc(20 * 1024 * 1024, 1));
  res.end(String(process.pid));
}
`;

/** After each recycle and each recycled worker's exit, in log order: how many recycles were in progress. */
function recyclesInProgress(output: string, exitLine: string): number[] {
  const open = new Set<string>();
  const counts: number[] = [];
  for (const [, pid, what] of output.matchAll(new RegExp(`Worker \\(pid:(\\d+)\\) (recycled:|${exitLine})`, 'g'))) {
    if (what === 'recycled:') open.add(pid!);
    else open.delete(pid!);
    counts.push(open.size);
  }
  return counts;
}

describe('recycling workers: memory, lifetime, one at a time', () => {
  it('--max-worker-memory: a worker whose RSS stays above the limit is replaced, the replacement serving first, no request failing', { timeout: 20_000 }, async () => {
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '1', ...ephemeral, '--max-worker-memory', '150', '--max-worker-memory-period', '1', 'app.mjs'], { cwd: fixtureDir({ 'app.mjs': LEAKY_APP }) });
    const [old] = narwhal.readyPids();
    const traffic = loopRequests(`${narwhal.url}/`);
    // 160 MiB kept on top of the worker's own RSS.
    for (let index = 0; index < 8; index++) expect((await request(`${narwhal.url}/leak`)).status).toBe(200);
    const [, rss, seconds] = await narwhal.waitForLog(new RegExp(`Worker \\(pid:${old}\\) recycled: RSS (\\d+) MiB above --max-worker-memory 150 for (\\d+) s`), 8000);
    expect(Number(rss)).toBeGreaterThan(150);
    expect(Number(seconds)).toBeGreaterThanOrEqual(1);
    await narwhal.waitForLog(new RegExp(`Worker \\(pid:${old}\\) stopped over the memory limit`), 8000);
    const { failed, bodies } = await traffic.stop();
    expect(failed).toEqual([]);
    const replacement = narwhal.readyPids().at(-1)!;
    expect(replacement).not.toBe(old);
    expect(bodies).toContain(String(replacement));
    const output = narwhal.output();
    expect(output.indexOf(`Worker (pid:${replacement}) ready`)).toBeLessThan(output.indexOf(`Worker (pid:${old}) stopped`));
    // The fresh worker is well below the limit: one recycle, not a loop.
    expect(output.match(/recycled:/g)).toHaveLength(1);
  });

  it('--max-worker-lifetime 2: workers are replaced as they age, no request failing, counted as reason="lifetime"', { timeout: 20_000 }, async () => {
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '2', ...ephemeral, '--max-worker-lifetime', '2', '--metrics-bind', '127.0.0.1:0', fixture('routes-node.mjs')]);
    const metrics = (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
    const traffic = loopRequests(`${narwhal.url}/pid`);
    await narwhal.waitForMoreLogs(/stopped at the end of its lifetime/, 3, 12_000);
    const { failed, bodies } = await traffic.stop();
    expect(failed).toEqual([]);
    expect(bodies.size).toBeGreaterThanOrEqual(3);
    expect(narwhal.output()).toMatch(/Worker \(pid:\d+\) recycled: up [23]\.\d s, past --max-worker-lifetime 2\n/);
    const restarts = async (): Promise<number> => sumSamples(parsePrometheusText((await request(`${metrics}/metrics`)).body), 'narwhal_worker_restarts_total', { reason: 'lifetime', worker_class: 'sync' });
    await eventually(async () => ((await restarts()) >= 3 ? true : undefined), 3000);
  });

  it('--max-concurrent-recycles 1 with -w 3: never more than one recycle in progress', { timeout: 20_000 }, async () => {
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '3', ...ephemeral, '--max-worker-lifetime', '1', '--max-concurrent-recycles', '1', fixture('routes-node.mjs')]);
    const traffic = loopRequests(`${narwhal.url}/pid`);
    await narwhal.waitForMoreLogs(/stopped at the end of its lifetime/, 5, 15_000);
    const { failed } = await traffic.stop();
    expect(failed).toEqual([]);
    const counts = recyclesInProgress(narwhal.output(), 'stopped at the end of its lifetime');
    expect(counts.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...counts)).toBe(1);
    // The workers came due together and took turns.
    expect(narwhal.output()).toMatch(/recycled: up \d\.\d s, past --max-worker-lifetime 1; waited [\d.]+ s for its turn/);
  });

  it('--max-concurrent-recycles 3 with -w 3: recycles overlap (what the limit of 1 prevents)', { timeout: 20_000 }, async () => {
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '3', ...ephemeral, '--max-worker-lifetime', '1', '--max-concurrent-recycles', '3', fixture('routes-node.mjs')]);
    await narwhal.waitForMoreLogs(/stopped at the end of its lifetime/, 5, 15_000);
    expect(Math.max(...recyclesInProgress(narwhal.output(), 'stopped at the end of its lifetime'))).toBeGreaterThanOrEqual(2);
  });
});
