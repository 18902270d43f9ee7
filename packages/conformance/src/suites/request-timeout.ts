// Design: --request-timeout cancels one request, not its worker, on every class and under both
// app contracts: an app that awaits past the deadline gets its client a 504 with Connection:
// close within the deadline and the scan's granularity, it is told (a Fetch handler's signal
// aborts with a TimeoutError, a Node listener's req and res close), the access log has the 504,
// and the same worker serves the next request. A response that started before the deadline is
// cut off and the error log says so. Both count in the metrics (a scrape and statsd). The app notes what it saw in a file (it may run in a
// thread of the worker). One server per contract, each case half a second.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { eventually, get, rawRequest, request } from '../http.js';
import { fixtureDir } from '../fixtures.js';
import { describeSuite, kitApp, type Kit } from '../kit.js';
import { parsePrometheusText, sumSamples } from '../prometheus-text.js';
import { startNarwhal } from '../start-narwhal.js';
import { listenForStatsd } from '../statsd-listener.js';

const DEADLINE_S = 0.5;
/** The scan runs every deadline/20; the rest is a loaded machine's scheduling. */
const SLACK_MS = 1200;
const APPS = { node: kitApp('deadline-node.mjs'), fetch: kitApp('deadline-fetch.mjs') } as const;
/** What each contract's app notes when told its request is over. */
const OBSERVED = { node: /req close\n[\s\S]*res close\n|res close\n[\s\S]*req close\n/, fetch: /^aborted true TimeoutError\n$/ } as const;

export function requestTimeoutSuite(kit: Kit): void {
  describeSuite(kit, 'request-timeout', '--request-timeout', () => {
    for (const contract of ['node', 'fetch'] as const) {
      it(`${contract}: answers 504 past the deadline, the app sees its request end, a started response is cut off, and the same worker serves on`, { timeout: 20_000 }, async () => {
        const dir = fixtureDir({});
        const access = join(dir, 'access.log');
        const statsd = await listenForStatsd();
        const metrics = ['--statsd-host', `127.0.0.1:${statsd.port}`, '--metrics-bind', '127.0.0.1:0'];
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--request-timeout', String(DEADLINE_S), '--access-logfile', access, '--access-logformat', '%(r)s %(s)s %(M)s', ...metrics, APPS[contract]]).catch(async (error: unknown) => {
          await statsd.close();
          throw error;
        });
        const pid = await get(`${narwhal.url}/pid`);

        const mark = join(dir, 'observed');
        const started = Date.now();
        const timedOut = await request(`${narwhal.url}/await?mark=${encodeURIComponent(mark)}`, { timeoutMs: 8000 });
        const elapsed = Date.now() - started;
        expect({ status: timedOut.status, connection: timedOut.headers.connection }).toEqual({ status: 504, connection: 'close' });
        expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_S * 1000 - 50);
        expect(elapsed).toBeLessThan(DEADLINE_S * 1000 + SLACK_MS);
        await eventually(() => {
          const text = readFileSync(mark, 'utf8');
          return OBSERVED[contract].test(text) ? text : undefined;
        }, 2000);
        expect(await get(`${narwhal.url}/pid`)).toBe(pid);

        // One after the other: with one thread (gthread) or one request at a time (sync), the second would wait its turn, and get 503.
        const cut = await rawRequest({ port: narwhal.port }, 'GET /started HTTP/1.1\r\nHost: kit\r\n\r\n', 8000);
        expect(cut).toMatch(/^HTTP\/1\.1 200 /);
        expect(cut).toContain('first chunk');
        expect(cut).not.toContain('rest');
        // Chunked: a cut-off body lacks its last chunk.
        expect(cut).not.toMatch(/\r\n0\r\n\r\n$/);
        await narwhal.waitForLog(/Request exceeded --request-timeout 0\.5s after its response started; connection closed \(pid:\d+\): "GET \/started HTTP\/1\.1"/, 3000);

        expect(await get(`${narwhal.url}/pid`)).toBe(pid);
        expect(narwhal.spawnedPids()).toEqual([Number(pid)]);
        const line = await eventually(() => readFileSync(access, 'utf8').match(/^GET \/await\?mark=\S+ HTTP\/1\.1 504 (\d+)$/m) ?? undefined, 2000);
        expect(Number(line[1])).toBeGreaterThanOrEqual(DEADLINE_S * 1000 - 50);
        // The 504 and the cut-off response; workers report once a second.
        const base = (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
        const scraped = await eventually(async () => {
          const count = sumSamples(parsePrometheusText((await request(`${base}/metrics`)).body), 'narwhal_requests_timed_out_total');
          return count >= 2 ? count : undefined;
        }, 3000);
        expect(scraped).toBe(2);
        await eventually(() => (statsd.sum('gunicorn.request.timed_out') >= 2 ? true : undefined), 2000);
        await statsd.close();
        expect(statsd.sum('gunicorn.request.timed_out')).toBe(2);
      });
    }
  });
}
