import { createRequire } from 'node:module';
import { describeEachWorker, fixtureDir, get, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral } from './helpers.js';

const fastify = createRequire(import.meta.url).resolve('fastify');

describeEachWorker('apps as users write them', (worker) => {
  it('serves a Fastify instance exported as it is, after its ready step', async () => {
    const dir = fixtureDir({
      'app.mjs': `
        import Fastify from ${JSON.stringify(fastify)};
        const app = Fastify();
        // Registered asynchronously: only there once ready() has run.
        app.register(async (scope) => {
          scope.get('/hello', async () => ({ hello: 'fastify' }));
          scope.post('/echo', async (request) => request.body);
        });
        export default app;`,
    });
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, 'app.mjs'], { cwd: dir });
    expect(JSON.parse(await get(`${narwhal.url}/hello`))).toEqual({ hello: 'fastify' });
    const echoed = await request(`${narwhal.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' });
    expect(echoed.status).toBe(200);
    expect(JSON.parse(echoed.body)).toEqual({ a: [1, 2] });
  });

  it('serves TypeScript apps (.ts and .mts), types and all, without a build step', async () => {
    const dir = fixtureDir({
      'app.ts': `
        import type { IncomingMessage, ServerResponse } from 'node:http';
        interface Greeting { readonly text: string }
        const greeting: Greeting = { text: 'typed' };
        export default (req: IncomingMessage, res: ServerResponse): void => { res.end(greeting.text); };`,
      'fetch.mts': `
        export const handler = { fetch: (request: Request): Response => new Response(new URL(request.url).pathname satisfies string) };`,
    });
    const node = await startNarwhal([...worker.args, ...ephemeral, 'app.ts'], { cwd: dir });
    expect(await get(node.url)).toBe('typed');
    const fetch = await startNarwhal([...worker.args, ...ephemeral, 'fetch.mts:handler'], { cwd: dir });
    expect(await get(`${fetch.url}/path`)).toBe('/path');
  });
});
