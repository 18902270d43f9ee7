// The figures that need a server of their own: the listen backlog (connections the kernel
// queued while the only sync worker is busy), the statsd timer's sample rate once a worker
// answers more requests in a second than it keeps durations for, restarts by reason across
// --max-requests and HUP, and the metrics address handed over by USR2.

import { Agent } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { eventually, listenForStatsd, parsePrometheusText, request, startNarwhal, stopAll, sumSamples, workerClassPath, type StatsdListener } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';

let statsd: StatsdListener | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await statsd?.close();
  statsd = undefined;
  await stopAll();
});

describe('metrics beyond the conformance suite', () => {
  it('--enable-backlog-metric: connections queued while the sync worker is busy are gunicorn.backlog and narwhal_listen_backlog', { timeout: 20_000 }, async () => {
    statsd = await listenForStatsd();
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '1', '-b', '127.0.0.1:0', '--enable-backlog-metric', '--statsd-host', `127.0.0.1:${statsd.port}`, '--metrics-bind', '127.0.0.1:0', fixture('routes-node.mjs')]);
    const base = (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
    const busy = request(`${narwhal.url}/slow?ms=4000`);
    // The one worker serves /slow and accepts nothing meanwhile: these three wait in the kernel's queue.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let index = 0; index < 3; index++) sockets.push(connect(narwhal.port, '127.0.0.1').on('error', () => {}));
    const backlog = async (): Promise<number> => sumSamples(parsePrometheusText((await request(`${base}/metrics`)).body), 'narwhal_listen_backlog');
    await eventually(async () => ((await backlog()) === 3 ? true : undefined), 3000);
    await eventually(() => (statsd!.lines().includes('gunicorn.backlog:3|h') ? true : undefined), 2000);
    expect((await busy).status).toBe(200);
  });

  it('a worker answering more than 256 requests a second sends a sample of durations with its rate, adding up to the count', { timeout: 20_000 }, async () => {
    statsd = await listenForStatsd();
    const narwhal = await startNarwhal(['-k', workerClassPath('async'), '-w', '1', '-b', '127.0.0.1:0', '--statsd-host', `127.0.0.1:${statsd.port}`, fixture('routes-node.mjs')]);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    await Promise.all(Array.from({ length: 1200 }, () => request(`${narwhal.url}/pid`, { agent })));
    agent.destroy();
    const rates = (): number[] => statsd!.lines().filter((line) => line.startsWith('gunicorn.request.duration:')).map((line) => Number(/\|@([\d.]+)$/.exec(line)?.[1] ?? 1));
    // statsd counts each sample as 1/rate requests: the timer's count is the requests' count.
    const timerCount = (): number => rates().reduce((total, rate) => total + 1 / rate, 0);
    // A report may arrive in several datagrams.
    await eventually(() => (statsd!.sum('gunicorn.requests') === 1200 && Math.abs(timerCount() - 1200) < 1 ? true : undefined), 4000).catch(() => undefined);
    expect(statsd.sum('gunicorn.requests')).toBe(1200);
    expect(rates().some((rate) => rate < 1)).toBe(true);
    expect(timerCount()).toBeCloseTo(1200, 0);
    expect(Math.max(...statsd.datagrams.map((datagram) => datagram.length))).toBeLessThanOrEqual(1400);
  });

  it('counts max_requests and reload restarts, and serves only the live workers after a HUP', { timeout: 30_000 }, async () => {
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '1', '-b', '127.0.0.1:0', '--max-requests', '5', '--metrics-bind', '127.0.0.1:0', fixture('routes-node.mjs')]);
    const base = (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
    const scrape = async (): Promise<ReturnType<typeof parsePrometheusText>> => parsePrometheusText((await request(`${base}/metrics`)).body);
    for (let index = 0; index < 5; index++) expect((await request(`${narwhal.url}/pid`)).status).toBe(200);
    await eventually(async () => (sumSamples(await scrape(), 'narwhal_worker_restarts_total', { reason: 'max_requests', worker_class: 'sync' }) === 1 ? true : undefined), 8000);
    // The same recycling policy as memory and lifetime (arbiter/recycling.ts), logged once with its figure.
    expect(narwhal.output().match(/Worker \(pid:\d+\) recycled: served 5 requests, --max-requests 5\n/g)).toHaveLength(1);
    await eventually(() => (narwhal.readyPids().length === 2 ? true : undefined), 8000);
    narwhal.signal('SIGHUP');
    await narwhal.waitForLog(/Reload complete/);
    await eventually(async () => (sumSamples(await scrape(), 'narwhal_worker_restarts_total', { reason: 'reload' }) === 1 ? true : undefined), 5000);
    const live = narwhal.readyPids().at(-1)!;
    await eventually(async () => {
      const pids = (await scrape()).filter((sample) => sample.name === 'narwhal_resident_memory_bytes').map((sample) => Number(sample.labels.pid));
      return pids.length === 1 && pids[0] === live ? true : undefined;
    }, 5000);
  });

  it('USR2: the new arbiter takes the metrics address over once the old one exits', { timeout: 30_000 }, async () => {
    // A fixed port, free now: the two arbiters ask for the same one.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const narwhal = await startNarwhal(['-k', 'sync', '-w', '1', '-b', '127.0.0.1:0', '--metrics-bind', `127.0.0.1:${port}`, fixture('routes-node.mjs')]);
    narwhal.signal('SIGUSR2');
    const successor = Number((await narwhal.waitForLog(/Started a new arbiter \(pid:(\d+)\)/))[1]);
    try {
      await narwhal.waitForLog(new RegExp(`--metrics-bind 127\\.0\\.0\\.1:${port} is held by the arbiter this one replaces`));
      narwhal.signal('SIGTERM');
      await narwhal.exited;
      await eventually(() => (narwhal.output().includes(`Serving metrics at: http://127.0.0.1:${port}/metrics (${successor})`) ? true : undefined), 5000);
      await eventually(async () => ((await request(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined), 5000);
    } finally {
      process.kill(successor, 'SIGTERM');
    }
  });
});
