// Design: --max-loop-lag sheds load from a worker whose event loop (or, on gthread, every pool
// thread's) lags: while an app blocks its loop 300 ms at a time, new requests get 503 with
// Retry-After and Connection: close instead of waiting, the error log says so once when shedding
// starts and once when it stops, the metrics count what was shed, and normal service resumes.
// Shedding happens before the app sees a request, so one contract proves it.

import { expect, it } from 'vitest';
import { eventually, get, request, sleep, type Response } from '../http.js';
import { describeSuite, kitApp, type Kit } from '../kit.js';
import { parsePrometheusText, sumSamples } from '../prometheus-text.js';
import { startNarwhal } from '../start-narwhal.js';
import { listenForStatsd } from '../statsd-listener.js';

const SHEDDING = /Event loop lag \d+ ms over --max-loop-lag 100 ms: answering new requests 503 \(pid:\d+\)/g;
const RESUMED = /Event loop lag back under --max-loop-lag 100 ms \(worst \d+ ms\): serving new requests again \(pid:\d+\)/g;

export function loopLagSuite(kit: Kit): void {
  describeSuite(kit, 'loop-lag', '--max-loop-lag', () => {
    it('answers new requests 503 with Retry-After while the loop lags, logs it once each way, and serves again', { timeout: 20_000 }, async () => {
      const statsd = await listenForStatsd();
      const metrics = ['--statsd-host', `127.0.0.1:${statsd.port}`, '--metrics-bind', '127.0.0.1:0'];
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--max-loop-lag', '100', ...metrics, kitApp('deadline-node.mjs')]).catch(async (error: unknown) => {
        await statsd.close();
        throw error;
      });
      // Warm up: a first request's one-off work is no overload, but a loaded machine may add a hiccup; the episode under test starts after it.
      let pid = '';
      for (let round = 0; round < 3; round++) pid = await eventually(() => get(`${narwhal.url}/pid`), 3000);
      // Shedding during the warm-up (gthread's threads on a loaded machine) ends, and is reported, before the episode is counted.
      if (narwhal.output().match(SHEDDING) !== null) await eventually(() => (narwhal.output().match(RESUMED) === null ? undefined : true), 5000);
      const base = (await narwhal.waitForLog(/Serving metrics at: (http:\/\/\S+)\/metrics/))[1]!;
      const scrapeShed = async (): Promise<number> => sumSamples(parsePrometheusText((await request(`${base}/metrics`)).body), 'narwhal_requests_shed_total');
      await sleep(1200);
      const [scrapedBefore, sentBefore] = [await scrapeShed(), statsd.sum('gunicorn.request.shed')];
      const before = narwhal.output().length;
      expect(await get(`${narwhal.url}/block-repeat?ms=300&times=5`)).toBe('blocking');
      const answers: Response[] = [];
      const until = Date.now() + 1200;
      while (Date.now() < until) {
        answers.push(await request(`${narwhal.url}/pid`, { timeoutMs: 5000 }));
        await sleep(20);
      }
      const shed = answers.filter((answer) => answer.status === 503);
      expect(shed.length, `statuses: ${answers.map((answer) => answer.status).join(' ')}`).toBeGreaterThan(0);
      expect(shed[0]!.headers).toMatchObject({ 'retry-after': '1', connection: 'close' });
      expect(answers.every((answer) => answer.status === 503 || answer.body === pid)).toBe(true);
      await eventually(() => (narwhal.output().slice(before).match(RESUMED) === null ? undefined : true), 5000);
      expect(await get(`${narwhal.url}/pid`)).toBe(pid);
      expect(narwhal.output().slice(before).match(SHEDDING)).toHaveLength(1);
      expect(narwhal.output().slice(before).match(RESUMED)).toHaveLength(1);
      // Every 503 counted as shed, in a scrape and in statsd (by the time service resumed, a report has gone).
      const counted = await eventually(async () => {
        const count = (await scrapeShed()) - scrapedBefore;
        return count >= shed.length ? count : undefined;
      }, 3000);
      expect(counted).toBe(shed.length);
      await eventually(() => (statsd.sum('gunicorn.request.shed') - sentBefore >= shed.length ? true : undefined), 2000);
      await statsd.close();
      expect(statsd.sum('gunicorn.request.shed') - sentBefore).toBe(shed.length);
    });
  });
}
