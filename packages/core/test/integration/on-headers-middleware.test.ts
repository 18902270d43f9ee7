// Middleware that acts just before the head goes out (on-headers: response-time, morgan's
// response time, express-session's cookie) wraps `res.writeHead`; node:http reaches it from
// `end()` and the first `write()` even when the app never calls writeHead, and so must the
// ServerResponse that gthread and uws emulate.

import { createRequire } from 'node:module';
import { describeEachWorker, fixtureDir, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral } from './helpers.js';

const resolve = createRequire(import.meta.url).resolve;
const APP = {
  'app.mjs': `
    import express from ${JSON.stringify(resolve('express'))};
    import responseTime from ${JSON.stringify(resolve('response-time'))};
    const app = express();
    app.use(responseTime());
    app.get('/send', (req, res) => res.send('sent'));
    app.get('/json', (req, res) => res.status(201).json({ ok: true }));
    app.get('/end', (req, res) => res.end('ended'));
    app.get('/stream', (req, res) => { res.write('a'); setTimeout(() => res.end('b'), 5); });
    app.get('/head-set', (req, res) => { res.writeHead(202, { 'content-type': 'text/plain' }); res.end('explicit'); });
    export default app;`,
};

describeEachWorker('middleware that waits for the head (on-headers)', (worker) => {
  it('runs before the head goes out, however the app ends the response', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', 'app.mjs'], { cwd: fixtureDir(APP) });
    for (const [path, status, body] of [['/send', 200, 'sent'], ['/json', 201, '{"ok":true}'], ['/end', 200, 'ended'], ['/stream', 200, 'ab'], ['/head-set', 202, 'explicit']] as const) {
      const answer = await request(`${narwhal.url}${path}`);
      expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status, body });
      expect(answer.headers['x-response-time'], path).toMatch(/^\d+\.\d{3}ms$/);
    }
  }, 30_000);
});
