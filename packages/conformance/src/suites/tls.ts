// Design: HTTPS behaves the same on every class: both app contracts see https (request.url,
// req.socket.encrypted, the access log's scheme); client certificates are verified against
// --ca-certs when required; HUP serves a certificate renewed on disk; and a client that never
// finishes its handshake holds no worker (it is `-w 1`: with sync, one held connection would
// stop the server). Certificates are made at test time (tls-certificates.ts).

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { eventually, request, sleep } from '../http.js';
import { describeSuite, type Kit } from '../kit.js';
import { connectTo } from '../run-case.js';
import { runNarwhal, startNarwhal } from '../start-narwhal.js';
import { fingerprintOf, makeTestCertificates, servedFingerprint, type TestCertificates } from '../tls-certificates.js';

const APPS = {
  'node.mjs': "export default (req, res) => res.end(`${req.socket.encrypted === true} ${req.headers.host}${req.url}`);\n",
  'fetch.mjs': 'export default { fetch: (request) => new Response(request.url) };\n',
};
const HEADER_TIMEOUT_S = 2;

export function tlsSuite(kit: Kit): void {
  describeSuite(kit, 'tls', 'TLS', () => {
    let certs: TestCertificates;
    let apps: string;
    beforeAll(() => {
      certs = makeTestCertificates();
      apps = fixtureDir(APPS);
    });
    const tlsArgs = (): string[] => ['--certfile', certs.server.cert, '--keyfile', certs.server.key];

    if (kit.options.refuses?.tls === true) {
      it('refuses --certfile at startup: one line, a non-zero exit, no stack trace, no worker', async () => {
        const result = await runNarwhal([...kit.serverArgs, ...tlsArgs(), join(apps, 'node.mjs')]);
        expect(result.code).not.toBe(0);
        expect(result.stderr).not.toMatch(/^\s+at |Booting worker/m);
        const lines = result.stderr.trim().split('\n');
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/--certfile .*cannot serve TLS.*\[NARWHAL_E_TLS\]$/);
      }, 30_000);
      return;
    }

    it('serves HTTPS to a Node listener (req.socket.encrypted) and logs the https scheme; HUP serves a certificate renewed on disk', async () => {
      const live = { cert: join(certs.dir, 'live.pem'), key: join(certs.dir, 'live.key') };
      copyFileSync(certs.server.cert, live.cert);
      copyFileSync(certs.server.key, live.key);
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--certfile', live.cert, '--keyfile', live.key, '--access-logfile', '-', '--access-logformat', '%({wsgi.url_scheme}e)s %(r)s %(s)s', join(apps, 'node.mjs')]);
      expect(narwhal.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const response = await request(`${narwhal.url}/a?b=1`, { tls: { ca: certs.ca } });
      expect([response.status, response.body]).toEqual([200, `true 127.0.0.1:${narwhal.port}/a?b=1`]);
      await eventually(() => (narwhal.stdout().includes('https GET /a?b=1 HTTP/1.1 200') ? true : undefined), 5000);
      expect(await servedFingerprint(narwhal.port, certs.ca)).toBe(fingerprintOf(certs.server.cert));
      copyFileSync(certs.renewed.cert, live.cert);
      copyFileSync(certs.renewed.key, live.key);
      narwhal.signal('SIGHUP');
      await narwhal.waitForLog(/Reload complete/, 15_000);
      expect(await servedFingerprint(narwhal.port, certs.ca)).toBe(fingerprintOf(certs.renewed.cert));
      expect((await request(narwhal.url, { tls: { ca: certs.ca } })).status).toBe(200);
    }, 40_000);

    it('gives a Fetch handler an https: request.url', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ...tlsArgs(), join(apps, 'fetch.mjs')]);
      const response = await request(`${narwhal.url}/x?y=2`, { tls: { ca: certs.ca } });
      expect([response.status, response.body]).toEqual([200, `https://127.0.0.1:${narwhal.port}/x?y=2`]);
      // Cleartext on a TLS port is no request.
      await expect(request(`http://127.0.0.1:${narwhal.port}/`, { timeoutMs: 3000 })).rejects.toThrow();
    }, 30_000);

    it('with --cert-reqs 1, serves clients without a certificate and with one --ca-certs issued, and refuses one it did not', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ...tlsArgs(), '--ca-certs', certs.ca, '--cert-reqs', '1', join(apps, 'node.mjs')]);
      expect((await request(`${narwhal.url}/`, { tls: { ca: certs.ca, ...certs.client } })).status).toBe(200);
      expect((await request(`${narwhal.url}/`, { tls: { ca: certs.ca } })).status).toBe(200);
      await expect(request(`${narwhal.url}/`, { tls: { ca: certs.ca, ...certs.stranger }, timeoutMs: 3000 })).rejects.toThrow();
    }, 30_000);

    const requires = kit.skipReason('tls/cert-reqs-2') === undefined ? it : it.skip;
    requires('with --cert-reqs 2, serves a client whose certificate --ca-certs issued and refuses the others', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ...tlsArgs(), '--ca-certs', certs.ca, '--cert-reqs', '2', join(apps, 'node.mjs')]);
      expect((await request(`${narwhal.url}/`, { tls: { ca: certs.ca, ...certs.client } })).status).toBe(200);
      await expect(request(`${narwhal.url}/`, { tls: { ca: certs.ca }, timeoutMs: 3000 })).rejects.toThrow();
      await expect(request(`${narwhal.url}/`, { tls: { ca: certs.ca, ...certs.stranger }, timeoutMs: 3000 })).rejects.toThrow();
    }, 30_000);

    it('answers others while clients hold handshakes open (-w 1)', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--header-timeout', String(HEADER_TIMEOUT_S), ...tlsArgs(), join(apps, 'node.mjs')]);
      const held: Socket[] = [];
      try {
        for (let index = 0; index < 4; index++) {
          const socket = (await connectTo(narwhal.port)).on('error', () => {});
          // Half of them begin a TLS record and never finish it; the others send nothing.
          if (index % 2 === 0) socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02]));
          held.push(socket);
        }
        await sleep(100);
        for (let index = 0; index < 3; index++) {
          const started = Date.now();
          expect((await request(`${narwhal.url}/`, { tls: { ca: certs.ca }, timeoutMs: 1000 })).status).toBe(200);
          expect(Date.now() - started).toBeLessThan(1000);
        }
      } finally {
        for (const socket of held) socket.destroy();
      }
    }, 30_000);

    const closes = kit.skipReason('tls/handshake-timeout') === undefined ? it : it.skip;
    closes(`closes a connection whose handshake is not over within --header-timeout ${HEADER_TIMEOUT_S} of its accept`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--header-timeout', String(HEADER_TIMEOUT_S), ...tlsArgs(), join(apps, 'node.mjs')]);
      const socket = (await connectTo(narwhal.port)).on('error', () => {});
      socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02]));
      const started = Date.now();
      const closedAfter = await Promise.race([new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started))), sleep(HEADER_TIMEOUT_S * 1000 + 3000).then(() => Infinity)]);
      socket.destroy();
      expect(closedAfter).toBeGreaterThanOrEqual(HEADER_TIMEOUT_S * 1000 - 200);
      expect(closedAfter).toBeLessThan(HEADER_TIMEOUT_S * 1000 + 2000);
    }, 30_000);
  });
}
