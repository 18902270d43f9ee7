import { eventually, fixtureDir, get, request, startNarwhal } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const app = fixtureDir({
  'app.mjs': `
    export default async (req, res) => {
      if (req.url === '/spin') for (;;) {}
      if (req.url === '/never') await new Promise(() => {});
      if (req.url === '/throw') throw new Error('handler failed');
      if (req.url === '/reject') return Promise.reject(new Error('handler rejected'));
      res.end(String(process.pid));
    };`,
  'fetch.mjs': `
    export default {
      async fetch(request) {
        const url = new URL(request.url);
        if (url.pathname === '/throw') throw new Error('fetch handler failed');
        if (url.pathname === '/never') await new Promise(() => {});
        return new Response(String(process.pid), { headers: { 'x-contract': 'fetch' } });
      },
    };`,
});
const args = ['-k', 'sync', '-b', '127.0.0.1:0', '-w', '1'];

describe('-k sync: timeout is the request deadline', () => {
  it.each([
    ['a CPU loop', 'app.mjs', '/spin'],
    ['an await that never settles', 'app.mjs', '/never'],
    ['a Fetch handler that never settles', 'fetch.mjs', '/never'],
  ])('kills and replaces the worker stuck in %s, logging its pid and request line, then serves the next request', async (_what, file, path) => {
    const narwhal = await startNarwhal([...args, '--timeout', '2', file], { cwd: app });
    const stuck = Number(await get(`${narwhal.url}/`));
    const hung = request(`${narwhal.url}${path}`, { timeoutMs: 15_000 }).catch((error: Error) => error);
    await narwhal.waitForLog(new RegExp(`WORKER TIMEOUT \\(pid:${stuck}\\) serving "GET ${path} HTTP/1\\.1"`), 10_000);
    expect(await hung).toBeInstanceOf(Error);
    const next = Number(await eventually(() => get(`${narwhal.url}/`, { timeoutMs: 2000 })));
    expect(next).not.toBe(stuck);
  });

  it('with a shorter --request-timeout, answers 504 to an app that awaits and keeps the worker, but still kills one whose app blocks the loop', async () => {
    const narwhal = await startNarwhal([...args, '--timeout', '2', '--request-timeout', '1', 'app.mjs'], { cwd: app });
    expect(narwhal.output()).not.toContain('is not shorter than --timeout');
    const worker = await get(`${narwhal.url}/`);
    const awaited = await request(`${narwhal.url}/never`, { timeoutMs: 5000 });
    expect({ status: awaited.status, connection: awaited.headers.connection }).toEqual({ status: 504, connection: 'close' });
    expect(await get(`${narwhal.url}/`)).toBe(worker);
    // A blocked loop runs no timer: no 504 can be written, and the heartbeat's timeout applies.
    const spun = request(`${narwhal.url}/spin`, { timeoutMs: 15_000 }).catch((error: Error) => error);
    await narwhal.waitForLog(new RegExp(`WORKER TIMEOUT \\(pid:${worker}\\) serving "GET /spin HTTP/1\\.1"`), 10_000);
    expect(await spun).toBeInstanceOf(Error);
    expect(await eventually(() => get(`${narwhal.url}/`, { timeoutMs: 2000 }))).not.toBe(worker);
  });

  it('warns at startup when --request-timeout is not shorter than --timeout, which would make it moot', async () => {
    const narwhal = await startNarwhal([...args, '--timeout', '2', '--request-timeout', '2', 'app.mjs'], { cwd: app });
    expect(narwhal.output()).toContain('--request-timeout 2 is not shorter than --timeout 2: on -k sync the heartbeat kills a worker whose request runs past --timeout first');
  });

  it('keeps a worker that is slow to be asked but quick to answer: idle time is not request time', async () => {
    const narwhal = await startNarwhal([...args, '--timeout', '1', 'app.mjs'], { cwd: app });
    const first = await get(`${narwhal.url}/`);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await get(`${narwhal.url}/`)).toBe(first);
    expect(narwhal.output()).not.toContain('WORKER TIMEOUT');
  });

  it('drops a connection that never sends its request after timeout, and takes the next one', async () => {
    const { connect } = await import('node:net');
    const narwhal = await startNarwhal([...args, '--timeout', '1', 'app.mjs'], { cwd: app });
    const silent = connect(narwhal.port, '127.0.0.1');
    const closed = new Promise<string>((resolve) => {
      let text = '';
      silent.on('data', (chunk) => (text += chunk.toString()));
      silent.on('close', () => resolve(text));
    });
    expect(await get(`${narwhal.url}/`, { timeoutMs: 8000 })).toMatch(/^\d+$/);
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('-k sync: app errors', () => {
  it.each([
    ['throws', 'app.mjs', '/throw'],
    ['rejects', 'app.mjs', '/reject'],
    ['is a Fetch handler that throws', 'fetch.mjs', '/throw'],
  ])('answers 500 when the app %s, and the same worker serves the next request', async (_what, file, path) => {
    const narwhal = await startNarwhal([...args, file], { cwd: app });
    const pid = await get(`${narwhal.url}/`);
    expect((await request(`${narwhal.url}${path}`)).status).toBe(500);
    expect(await get(`${narwhal.url}/`)).toBe(pid);
  });

  it('serves a Fetch handler with its headers', async () => {
    const narwhal = await startNarwhal([...args, 'fetch.mjs'], { cwd: app });
    const response = await request(`${narwhal.url}/`);
    expect(response.headers['x-contract']).toBe('fetch');
    expect(response.headers.connection).toBe('close');
  });
});
