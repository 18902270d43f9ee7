// Design: the metrics are counted where the access log is written, on every class alike: after
// real traffic, a real UDP listener has Gunicorn's statsd lines, and a real scrape of
// `--metrics-bind` has the same counts, the gauges, a restart, and /readyz following the server.

import { expect, it } from 'vitest';
import { eventually, rawRequest, request } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { parsePrometheusText, sumSamples, type Sample } from '../prometheus-text.js';
import { startNarwhal, type NarwhalProcess } from '../start-narwhal.js';
import { listenForStatsd } from '../statsd-listener.js';

const TAGS = '|#env:conformance';

async function metricsUrl(narwhal: NarwhalProcess): Promise<string> {
  return (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
}

async function scrape(base: string): Promise<Sample[]> {
  const response = await request(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(response.body);
}

export function metricsSuite(kit: Kit): void {
  describeSuite(kit, 'metrics', 'statsd and Prometheus metrics', () => {
    it("counts real traffic in Gunicorn's statsd lines and in a /metrics scrape; /readyz follows the server", { timeout: 30_000 }, async () => {
      const statsd = await listenForStatsd();
      try {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', '--statsd-host', `127.0.0.1:${statsd.port}`, '--statsd-prefix', 'conf', '--dogstatsd-tags', 'env:conformance', '--metrics-bind', '127.0.0.1:0', ROUTES_APP.node]);
        const base = await metricsUrl(narwhal);
        expect((await request(`${base}/healthz`)).status).toBe(200);
        expect((await request(`${base}/readyz`)).status).toBe(200);
        for (let index = 0; index < 10; index++) expect((await request(`${narwhal.url}/pid`)).status).toBe(200);
        for (let index = 0; index < 3; index++) expect((await request(`${narwhal.url}/not-found`)).status).toBe(404);
        for (let index = 0; index < 2; index++) expect((await request(`${narwhal.url}/throw`)).status).toBe(500);
        // The server's own refusal of a malformed head counts too, as the access log has a line for it.
        expect((await rawRequest({ port: narwhal.port }, 'GET /bad HTTP/1.1\r\nHost: example.com\r\nContent-Length: x\r\n\r\n', 2000)).split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');

        // statsd: Gunicorn's names and types, the prefix and the tags, in datagrams of at most 1400 bytes.
        const errorLines = (): number => statsd.sum('conf.gunicorn.log.exception') + statsd.sum('conf.gunicorn.log.error');
        const durationLines = (): string[] => statsd.lines().filter((line) => line.startsWith('conf.gunicorn.request.duration:'));
        // Reports arrive once a second, each in one or more datagrams.
        await eventually(() => (statsd.sum('conf.gunicorn.requests') >= 16 && errorLines() >= 2 && durationLines().length >= 16 ? true : undefined), 5000).catch(() => undefined);
        expect(statsd.sum('conf.gunicorn.requests')).toBe(16);
        expect(statsd.sum('conf.gunicorn.request.status.200')).toBe(10);
        expect(statsd.sum('conf.gunicorn.request.status.404')).toBe(3);
        expect(statsd.sum('conf.gunicorn.request.status.500')).toBe(2);
        expect(statsd.sum('conf.gunicorn.request.status.400')).toBe(1);
        const lines = statsd.lines();
        const unlike = (prefix: string, pattern: RegExp): string[] => lines.filter((line) => line.startsWith(prefix) && !pattern.test(line));
        expect(unlike('conf.gunicorn.requests:', /^conf\.gunicorn\.requests:\d+\|c\|@1\.0\|#env:conformance$/)).toEqual([]);
        expect(durationLines()).toHaveLength(16);
        expect(unlike('conf.gunicorn.request.duration:', /^conf\.gunicorn\.request\.duration:\d+(\.\d+)?\|ms\|#env:conformance$/)).toEqual([]);
        expect(lines).toContain(`conf.gunicorn.workers:2|g${TAGS}`);
        expect(errorLines()).toBeGreaterThanOrEqual(2);
        expect(Math.max(...statsd.datagrams.map((datagram) => datagram.length))).toBeLessThanOrEqual(1400);

        // Prometheus: the same counts, per worker, labelled with its pid and class.
        const samples = await scrape(base);
        expect(sumSamples(samples, 'narwhal_requests_total', { status_class: '2xx' })).toBe(10);
        expect(sumSamples(samples, 'narwhal_requests_total', { status_class: '4xx' })).toBe(4);
        expect(sumSamples(samples, 'narwhal_requests_total', { status_class: '5xx' })).toBe(2);
        expect(sumSamples(samples, 'narwhal_request_duration_seconds_count')).toBe(16);
        expect(sumSamples(samples, 'narwhal_request_duration_seconds_bucket', { le: '+Inf' })).toBe(16);
        expect(sumSamples(samples, 'narwhal_workers')).toBe(2);
        const pids = new Set(samples.filter((sample) => sample.name === 'narwhal_resident_memory_bytes').map((sample) => Number(sample.labels.pid)));
        expect([...pids].sort()).toEqual([...narwhal.readyPids()].sort());
        const gauges = (name: string): Sample[] => samples.filter((sample) => sample.name === name);
        for (const name of ['narwhal_resident_memory_bytes', 'narwhal_heap_used_bytes']) {
          expect(gauges(name)).toHaveLength(2);
          expect(gauges(name).filter((sample) => !(sample.value > 1e6 && sample.labels.worker_class !== ''))).toEqual([]);
        }
        expect(gauges('narwhal_event_loop_utilization').filter((sample) => !(sample.value >= 0 && sample.value <= 1))).toEqual([]);
        expect(samples.some((sample) => sample.name === 'narwhal_event_loop_lag_p99_seconds')).toBe(true);

        // A request in flight shows, and a killed worker counts as a restart.
        const slow = request(`${narwhal.url}/slow?ms=4000`);
        const busy = await eventually(async () => (await scrape(base)).find((sample) => sample.name === 'narwhal_requests_in_flight' && sample.value >= 1), 2400);
        // The idle one, so that the request in flight keeps the graceful stop below going.
        const victim = narwhal.readyPids().find((pid) => String(pid) !== busy.labels.pid)!;
        process.kill(victim, 'SIGKILL');
        await eventually(async () => (sumSamples(await scrape(base), 'narwhal_worker_restarts_total', { reason: 'signal' }) === 1 ? true : undefined), 2000);

        // TERM: /readyz turns 503 while the server stops (the slow request keeps it stopping).
        narwhal.signal('SIGTERM');
        await eventually(async () => ((await request(`${base}/readyz`)).status === 503 ? true : undefined), 2000);
        await slow.catch(() => undefined);
        await narwhal.exited;
      } finally {
        await statsd.close();
      }
    });
  });
}
