// A process loads what it serves: node:tls and the OpenSSL start behind it (about 1 MiB) only
// with a certificate, as node:http2 only with h2 (apps/docs/deployment.md#what-a-worker-weighs).

import { describeEachWorker, fixtureDir, makeTestCertificates, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral } from './helpers.js';

const certs = makeTestCertificates();
const APP = { 'app.mjs': "export default (req, res) => res.end(String(process.moduleLoadList.includes('NativeModule tls')));\n" };

describeEachWorker(
  'a worker loads what it serves',
  (worker) => {
    it('loads node:tls only with --certfile', async () => {
      const dir = fixtureDir(APP);
      const plain = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', 'app.mjs'], { cwd: dir });
      expect((await request(plain.url)).body).toBe('false');
      const secure = await startNarwhal([...worker.args, ...ephemeral, '-w', '1', '--certfile', certs.server.cert, '--keyfile', certs.server.key, 'app.mjs'], { cwd: dir });
      expect((await request(secure.url, { tls: { ca: certs.ca } })).body).toBe('true');
    }, 30_000);
  },
  {
    gthread: "the app runs in a pool thread, whose module list is the thread's own",
    uws: "uws serves TLS with uWS's own SSL app",
  },
);
