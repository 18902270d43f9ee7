// preRequest and postRequest: called around every request that reaches the app, with the same
// view of it on every class and under both contracts; a preRequest that throws is a 500.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachWorker, fixtureDir, rawRequest, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';

const CONFIG = `
  export default {
    preRequest(worker, req) {
      worker.log.info('pre ' + [req.method, req.uri, req.path, req.query, req.version, req.remoteAddress, req.headers.includes('x-probe'), worker.pid].join(' '));
      if (req.path === '/refused') throw new Error('refused by preRequest');
    },
    postRequest(worker, req, res) {
      worker.log.info('post ' + req.method + ' ' + req.uri + ' ' + res.status);
      throw new Error('postRequest failures are only logged');
    },
  };`;

const APPS = {
  node: "export default (req, res) => { console.error('app saw ' + req.url); res.end('ok'); };",
  fetch: "export default { fetch: (request) => { console.error('app saw ' + new URL(request.url).pathname); return new Response('ok'); } };",
};

describeEachWorker('preRequest and postRequest hooks', (worker) => {
  for (const [contract, app] of Object.entries(APPS)) {
    it(`see each request and its status (${contract} app)`, async () => {
      const dir = fixtureDir({ 'app.mjs': app });
      writeFileSync(join(dir, 'narwhal.config.mjs'), CONFIG);
      const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', 'app.mjs'], { cwd: dir });
      const [pid] = narwhal.readyPids();
      const ok = await rawRequest({ port: narwhal.port }, 'GET /a/b?x=1 HTTP/1.1\r\nHost: a\r\nX-Probe: 1\r\nConnection: close\r\n\r\n');
      expect(ok).toMatch(/^HTTP\/1\.1 200 /);
      await narwhal.waitForLog(/post GET \/a\/b\?x=1 200/);
      expect(narwhal.output()).toContain(`pre GET /a/b?x=1 /a/b x=1 1.1 127.0.0.1 true ${pid}`);
      expect(narwhal.output()).toContain('The postRequest hook failed');

      // A throwing preRequest is an app error: 500, the app is not called, postRequest still runs.
      expect(await rawRequest({ port: narwhal.port }, 'GET /refused HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 500 /);
      await narwhal.waitForLog(/post GET \/refused 500/);
      expect(narwhal.output()).toContain('refused by preRequest');
      expect(narwhal.output()).not.toContain('app saw /refused');

      // A request refused before the app calls neither hook.
      expect(await rawRequest({ port: narwhal.port }, 'GET /bad HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
      expect(await rawRequest({ port: narwhal.port }, 'GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
      await narwhal.waitForLog(/post GET \/after 200/);
      expect(narwhal.output()).not.toContain('/bad');
    });
  }
});
