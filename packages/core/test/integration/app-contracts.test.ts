import { writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEachWorker, fixtureDir, get, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral, fixture } from './helpers.js';

const examples = fileURLToPath(new URL('../../../../apps/examples/', import.meta.url));

describeEachWorker('both app contracts', (worker) => {
  it('serves a Node request listener', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, `${examples}hello-node/app.js`]);
    expect(await get(narwhal.url)).toMatch(/^Hello from pid \d+\n$/);
  });

  it('serves a Fetch handler, with the request path and body', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, `${examples}hello-fetch/app.js`]);
    expect(await get(`${narwhal.url}/some/path?x=1`)).toMatch(/^Hello from pid \d+: \/some\/path\n$/);
    const fetchApp = await startNarwhal([...worker.args, ...ephemeral, fixture('routes-fetch.mjs')]);
    const echoed = await request(`${fetchApp.url}/echo`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(echoed.status).toBe(200);
    expect(echoed.headers['x-method']).toBe('POST');
    expect(echoed.body).toBe('x'.repeat(100_000));
  });

  it.each(['routes-fetch.mjs', 'routes-node.mjs'])('streams a response body as it is produced (%s)', async (app) => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, fixture(app)]);
    const gate = join(fixtureDir({}), 'open');
    const chunks: string[] = [];
    const response = await new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      httpGet(`${narwhal.url}/stream?gate=${encodeURIComponent(gate)}`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // The app holds the rest of the body until the gate exists: a server that buffered would never get here.
          if (chunks.length === 0) writeFileSync(gate, '');
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ headers: res.headers, body: chunks.join('') }));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(chunks[0]).toBe('chunk 0\n');
    expect(response.body).toBe('chunk 0\nchunk 1\nchunk 2\n');
    expect(response.headers['transfer-encoding']).toBe('chunked');
  });

  it('reads named exports, factories with arguments, and CommonJS modules', async () => {
    const dir = fixtureDir({
      'named.mjs': "export function handler(req, res) { res.end('named'); }",
      'factory.mjs': "export async function createApp(greeting, times) { return (request) => new Response(greeting.repeat(times)); }",
      'legacy.cjs': "module.exports = function (req, res) { res.end('commonjs'); };",
    });
    const named = await startNarwhal([...worker.args, ...ephemeral, 'named.mjs:handler'], { cwd: dir });
    expect(await get(named.url)).toBe('named');
    const factory = await startNarwhal([...worker.args, ...ephemeral, "factory.mjs:createApp('hi', 2)"], { cwd: dir });
    expect(await get(factory.url)).toBe('hihi');
    const legacy = await startNarwhal([...worker.args, ...ephemeral, 'legacy.cjs'], { cwd: dir });
    expect(await get(legacy.url)).toBe('commonjs');
  });

  it('answers 500 when the app throws or rejects, and the worker lives on', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, fixture('routes-node.mjs')]);
    const before = await get(`${narwhal.url}/pid`);
    for (const path of ['/throw', '/reject']) {
      const failed = await request(`${narwhal.url}${path}`);
      expect(failed.status).toBe(500);
      expect(failed.body).toBe('500 Internal Server Error\n');
    }
    expect(await get(`${narwhal.url}/pid`)).toBe(before);
    await narwhal.waitForLog(/Error handling request GET \/throw: Error: boom from \/throw/);
    const fetchApp = await startNarwhal([...worker.args, ...ephemeral, fixture('routes-fetch.mjs')]);
    expect((await request(`${fetchApp.url}/throw`)).status).toBe(500);
    expect(await get(fetchApp.url)).toBe('ok');
  });
});
