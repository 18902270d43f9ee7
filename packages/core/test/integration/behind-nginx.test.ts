import { describeEachWorker, fixtureDir, reuseportResetReason, startNarwhal, stopAll } from '@narwhal/test-utils';
import { afterEach, expect, it } from 'vitest';
import { keepAliveLoad, send } from './load.js';
import { NGINX, startNginx, type Nginx } from './nginx.js';

// nginx connects to narwhal from 127.0.0.2 (proxy_bind), the only trusted proxy; clients
// connect from 127.0.0.1 (directly) or 127.0.0.3 (through nginx), both untrusted. nginx sets
// `X-Forwarded-Proto: https` as a proxy that ends TLS does (TLS itself is not under test).
const PROXY = '127.0.0.2';
const APPS = {
  'node.mjs': "export default (req, res) => res.end(JSON.stringify({ ip: req.socket.remoteAddress, scheme: req.socket.encrypted === true ? 'https' : 'http' }));",
  'fetch.mjs': 'export default { fetch: (request) => new Response(JSON.stringify({ url: request.url })) };',
};

const forged = { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', forwarded: 'for=6.6.6.6;proto=https' };

let nginx: Nginx | undefined;
afterEach(async () => {
  await nginx?.stop();
  nginx = undefined;
  await stopAll();
});

const noNginx = NGINX === undefined ? 'nginx is not installed (.ci/run installs nginx-light)' : undefined;
const skipAll = noNginx === undefined ? {} : { sync: noNginx, gthread: noNginx, async: noNginx, uws: noNginx };

describeEachWorker(
  'behind a real nginx',
  (worker) => {
    it("a Node listener sees the client's address and scheme in req.socket; a direct client cannot forge them", async () => {
      const dir = fixtureDir(APPS);
      const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--forwarded-allow-ips', PROXY, 'node.mjs'], { cwd: dir });
      nginx = await startNginx(dir, `127.0.0.1:${narwhal.port}`, `proxy_bind ${PROXY}; proxy_set_header X-Forwarded-Proto https;`);
      const proxied = await send(nginx.port, { localAddress: '127.0.0.3', headers: { 'x-forwarded-for': '6.6.6.6' } });
      expect(JSON.parse(proxied.body)).toEqual({ ip: '127.0.0.3', scheme: 'https' });
      const direct = await send(narwhal.port, { localAddress: '127.0.0.1', headers: forged });
      expect(JSON.parse(direct.body)).toEqual({ ip: '127.0.0.1', scheme: 'http' });
    });

    it("a Fetch handler's request.url carries the proxy's scheme and the Host it passed; a direct client's is http", async () => {
      const dir = fixtureDir(APPS);
      const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--forwarded-allow-ips', PROXY, 'fetch.mjs'], { cwd: dir });
      nginx = await startNginx(dir, `127.0.0.1:${narwhal.port}`, `proxy_bind ${PROXY}; proxy_set_header X-Forwarded-Proto https;`);
      expect(JSON.parse((await send(nginx.port, { localAddress: '127.0.0.3', path: '/cart?id=1' })).body)).toEqual({ url: 'https://shop.example/cart?id=1' });
      expect(JSON.parse((await send(narwhal.port, { localAddress: '127.0.0.1', path: '/cart', headers: forged })).body)).toEqual({ url: 'http://shop.example/cart' });
    });

    it('scheme headers that disagree, from a trusted proxy, are a 400 as in Gunicorn', async () => {
      const dir = fixtureDir(APPS);
      const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--forwarded-allow-ips', PROXY, 'node.mjs'], { cwd: dir });
      nginx = await startNginx(dir, `127.0.0.1:${narwhal.port}`, `proxy_bind ${PROXY}; proxy_set_header X-Forwarded-Proto https; proxy_set_header X-Forwarded-Ssl off;`);
      expect((await send(nginx.port, { localAddress: '127.0.0.3' })).status).toBe(400);
    });

    // This used to hang a few requests in one run in three: the shared listener turned blocking after
    // the HUP (shared-listener-nonblocking.test.ts).
    it.skipIf(worker.name === 'uws' && reuseportResetReason() !== undefined)('a HUP under keep-alive load through nginx fails no request', async () => {
      const dir = fixtureDir(APPS);
      const narwhal = await startNarwhal([...worker.args, '-w', '2', '-b', '127.0.0.1:0', '--forwarded-allow-ips', PROXY, 'node.mjs'], { cwd: dir });
      nginx = await startNginx(dir, `127.0.0.1:${narwhal.port}`, `proxy_bind ${PROXY};`);
      const load = keepAliveLoad(nginx.port, { localAddress: '127.0.0.3' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      narwhal.signal('SIGHUP');
      await narwhal.waitForLog(/Reload complete/, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await load.stop();
      expect(load.failures).toEqual([]);
      expect(load.bodies.length).toBeGreaterThan(100);
    });
  },
  skipAll,
);
