// Design: DESIGN.md §2.2: every class serves a Node request listener and a Fetch handler, each
// with its full surface (path, body, streaming, export forms, errors), whichever one it runs
// natively.

import { writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { get, request } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { startNarwhal } from '../start-narwhal.js';

export function appContractsSuite(kit: Kit): void {
  describeSuite(kit, 'app-contracts', 'both app contracts', () => {
    it.each(['node', 'fetch'] as const)('serves the %s contract: path, query, method and a 100 KB body both ways', async (contract) => {
      const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
      expect(await get(`${narwhal.url}/target?x=1`)).toBe('/target?x=1');
      const echoed = await request(`${narwhal.url}/echo`, { method: 'PUT', body: 'x'.repeat(100_000) });
      expect(echoed.status).toBe(200);
      expect(echoed.headers['x-method']).toBe('PUT');
      expect(echoed.body).toBe('x'.repeat(100_000));
    });

    it.each(['node', 'fetch'] as const)('streams a response body as it is produced (%s)', async (contract) => {
      const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
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
        'factory.mjs': 'export async function createApp(greeting, times) { return (request) => new Response(greeting.repeat(times)); }',
        'legacy.cjs': "module.exports = function (req, res) { res.end('commonjs'); };",
      });
      const [named, factory, legacy] = await Promise.all([
        startNarwhal([...kit.serverArgs, 'named.mjs:handler'], { cwd: dir }),
        startNarwhal([...kit.serverArgs, "factory.mjs:createApp('hi', 2)"], { cwd: dir }),
        startNarwhal([...kit.serverArgs, 'legacy.cjs'], { cwd: dir }),
      ]);
      expect(await get(named.url)).toBe('named');
      expect(await get(factory.url)).toBe('hihi');
      expect(await get(legacy.url)).toBe('commonjs');
    });

    it.each(['node', 'fetch'] as const)('answers 500 when the app throws or rejects, logs it, and the worker lives on (%s)', async (contract) => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ROUTES_APP[contract]]);
      const before = await get(`${narwhal.url}/pid`);
      for (const path of ['/throw', '/reject']) {
        const failed = await request(`${narwhal.url}${path}`);
        expect(failed.status).toBe(500);
        expect(failed.body).toBe('500 Internal Server Error\n');
      }
      expect(await get(`${narwhal.url}/pid`)).toBe(before);
      await narwhal.waitForLog(/Error handling request GET \/throw: Error: boom from \/throw/);
    });
  });
}
