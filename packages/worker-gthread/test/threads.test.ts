import { fileURLToPath } from 'node:url';
import { eventually, fixtureDir, get, request, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const app = fixtureDir({
  'app.mjs': `
    import { threadId } from 'node:worker_threads';
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const CONSTANT = new Uint8Array(64 * 1024).fill(121);
    export default {
      async fetch(request) {
        const url = new URL(request.url);
        switch (url.pathname) {
          case '/cpu': {
            const start = performance.timeOrigin + performance.now();
            while (performance.timeOrigin + performance.now() - start < Number(url.searchParams.get('ms'))) {}
            return Response.json({ threadId, pid: process.pid, start, end: performance.timeOrigin + performance.now() });
          }
          case '/slow':
            await sleep(300);
            return new Response(String(process.pid));
          case '/wait': {
            const start = performance.timeOrigin + performance.now();
            await sleep(300);
            return Response.json({ threadId, pid: process.pid, start, end: performance.timeOrigin + performance.now() });
          }
          case '/spin':
            for (;;) {}
          case '/exit':
            process.exit(1);
          case '/echo':
            return new Response(await request.arrayBuffer());
          case '/constant':
            return new Response(CONSTANT);
          case '/constant-stream':
            return new Response(new ReadableStream({
              async pull(controller) {
                await sleep(5);
                controller.enqueue(CONSTANT);
                if (++this.sent === 3) controller.close();
              },
              sent: 0,
            }));
          case '/big':
            return new Response(new Uint8Array(Number(url.searchParams.get('bytes'))).fill(120));
          default:
            return Response.json({ threadId, pid: process.pid });
        }
      },
    };`,
});
const gthread = (...extra: string[]): string[] => ['-k', workerClassPath('gthread'), '-b', '127.0.0.1:0', '-w', '1', ...extra, 'app.mjs'];
interface Span { threadId: number; pid: number; start: number; end: number }
const cpu = async (url: string): Promise<Span> => JSON.parse(await get(`${url}/cpu?ms=400`)) as Span;

describe('-k gthread runs requests on a pool of threads', () => {
  it('runs CPU-bound requests of one process in parallel on --threads 2', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '2'), { cwd: app });
    const [first, second] = await Promise.all([cpu(narwhal.url), cpu(narwhal.url)]);
    expect(first!.pid).toBe(second!.pid);
    expect(first!.threadId).not.toBe(second!.threadId);
    // Each request spun for 400 ms; on two threads the spans overlap, on one they could not.
    expect(Math.max(first!.start, second!.start)).toBeLessThan(Math.min(first!.end, second!.end));
  });

  it('runs one request per thread at a time: --threads 1 serialises them, even when the app awaits', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '1'), { cwd: app });
    for (const path of ['/cpu?ms=400', '/wait']) {
      const [first, second] = (await Promise.all([get(`${narwhal.url}${path}`), get(`${narwhal.url}${path}`)])).map((text) => JSON.parse(text) as Span);
      expect(first!.threadId).toBe(second!.threadId);
      expect(Math.max(first!.start, second!.start)).toBeGreaterThanOrEqual(Math.min(first!.end, second!.end));
    }
  });

  it('answers 504 for a request past --request-timeout, replaces a thread too stuck to hear it, and the process serves on', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '1', '--request-timeout', '1'), { cwd: app });
    const before = JSON.parse(await get(narwhal.url)) as Span;
    const stuck = await request(`${narwhal.url}/spin`);
    expect(stuck.status).toBe(504);
    await narwhal.waitForLog(/A thread did not let go of a request past --request-timeout within 1000 ms \(its event loop is blocked\); it is terminated and replaced \(pid:\d+\): "GET \/spin HTTP\/1\.1"/);
    const after = JSON.parse(await get(narwhal.url)) as Span;
    expect(after.pid).toBe(before.pid);
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('answers 503 with Retry-After to a request still waiting for a thread at its deadline', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '1', '--request-timeout', '1', '--timeout', '30'), { cwd: app });
    const stuck = request(`${narwhal.url}/spin`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Delivered to the spinning thread already (a thread holds the next request); it never starts there.
    const waiting = request(narwhal.url);
    expect((await stuck).status).toBe(504);
    const queued = await waiting;
    expect({ status: queued.status, retryAfter: queued.headers['retry-after'], connection: queued.headers.connection }).toEqual({ status: 503, retryAfter: '1', connection: 'close' });
    // The spinning thread is replaced a second after its deadline; the process serves on.
    await narwhal.waitForLog(/A thread did not let go of a request past --request-timeout/);
    expect(JSON.parse(await eventually(() => get(narwhal.url, { timeoutMs: 3000 }))) as Span).toMatchObject({ pid: narwhal.readyPids()[0] });
  });

  it('keeps `timeout` as the heartbeat only: a request past it is served when no --request-timeout is set', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '1', '--timeout', '1'), { cwd: app });
    expect((await request(`${narwhal.url}/cpu?ms=1500`)).status).toBe(200);
    expect(narwhal.output()).not.toMatch(/WORKER TIMEOUT|request-timeout/);
  });

  it('answers 500 when a thread dies, and replaces it', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '1'), { cwd: app });
    const before = JSON.parse(await get(narwhal.url)) as Span;
    expect((await request(`${narwhal.url}/exit`)).status).toBe(500);
    const after = JSON.parse(await get(narwhal.url)) as Span;
    expect(after.pid).toBe(before.pid);
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('moves large bodies both ways intact', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '2'), { cwd: app });
    const upload = Buffer.alloc(3 * 1024 * 1024, 'abc');
    const echoed = await request(`${narwhal.url}/echo`, { method: 'POST', body: upload });
    expect(echoed.body.length).toBe(upload.length);
    expect(echoed.body === upload.toString()).toBe(true);
    const big = await request(`${narwhal.url}/big?bytes=5000000`);
    expect(big.headers['content-length']).toBe('5000000');
    expect(big.body).toBe('x'.repeat(5_000_000));
  });

  it('never moves bytes the app still holds: a module-level body is whole on every request, whole or streamed', async () => {
    const narwhal = await startNarwhal(gthread('--threads', '1'), { cwd: app });
    for (let attempt = 0; attempt < 3; attempt++) {
      const whole = await request(`${narwhal.url}/constant`);
      expect(whole.body).toBe('y'.repeat(64 * 1024));
      const streamed = await request(`${narwhal.url}/constant-stream`);
      expect(streamed.body).toBe('y'.repeat(3 * 64 * 1024));
    }
  });

  it('stops taking connections at --worker-connections, leaving them to a sibling', async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('gthread'), '-b', '127.0.0.1:0', '-w', '2', '--threads', '1', '--worker-connections', '1', 'app.mjs'], { cwd: app });
    const pids = await Promise.all([get(`${narwhal.url}/slow`), get(`${narwhal.url}/slow`)]);
    expect(new Set(pids).size).toBe(2);
  });

  it('is chosen by --threads above 1 when the worker class is left at its default, as in Gunicorn', async () => {
    const example = fileURLToPath(new URL('../../../apps/examples/hello-fetch/app.js', import.meta.url));
    const narwhal = await startNarwhal(['-b', '127.0.0.1:0', '-w', '1', '--threads', '2', example]);
    expect(narwhal.output()).toContain('Using worker: gthread (@narwhal/worker-gthread)');
    expect(await get(narwhal.url)).toMatch(/Hello/);
  });
});
