// Design: behind a load balancer that speaks the PROXY protocol (HAProxy's send-proxy, nginx's
// stream `proxy_protocol on`, AWS NLB), the client the header names is the one the app and the
// access log see, on every class; a peer not allowed, a malformed header and a missing one are
// refused; the header is read once per connection; a slow one is bounded by --header-timeout;
// it comes before TLS. Headers are built here, byte by byte, from HAProxy's spec. A class that
// cannot read them (uws: uWebSockets.js's parser is unsafe) declares refuses.proxyProtocol.

import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { sleep } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { readResponses, type Exchange } from '../raw-response.js';
import { connectTo } from '../run-case.js';
import { runNarwhal, startNarwhal, type NarwhalProcess } from '../start-narwhal.js';
import { makeTestCertificates, type TestCertificates } from '../tls-certificates.js';

const APPS = {
  'node.mjs': 'export default (req, res) => res.end(`${req.socket.remoteAddress} ${req.socket.remotePort} ${req.url}`);\n',
  'fetch.mjs': 'export default { fetch: (request) => new Response(new URL(request.url).pathname) };\n',
};
const LOG_FORMAT = '%(h)s "%(r)s" %(s)s';
const HEADER_TIMEOUT_S = 1;

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** A version 2 header: PROXY over TCP/IPv4 (or IPv6, 16-byte addresses) or LOCAL, with `tlvs` appended. */
function v2Header(command: 'PROXY' | 'LOCAL', source?: { address: Buffer; port: number }, tlvs = Buffer.alloc(0)): Buffer {
  if (command === 'LOCAL' || source === undefined) return Buffer.concat([V2_SIGNATURE, Buffer.from([0x20, 0x00, 0, tlvs.length]), tlvs]);
  const v6 = source.address.length === 16;
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(source.port, 0);
  ports.writeUInt16BE(443, 2);
  const addresses = Buffer.concat([source.address, Buffer.alloc(source.address.length, 0x01), ports, tlvs]);
  const head = Buffer.from([0x21, v6 ? 0x21 : 0x11, 0, 0]);
  head.writeUInt16BE(addresses.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, addresses]);
}

/** Two TLVs a proxy adds: ALPN (0x01, `h2`) and a unique id (0x05). */
const TLVS = Buffer.from([0x01, 0x00, 0x02, 0x68, 0x32, 0x05, 0x00, 0x03, 0x61, 0x62, 0x63]);
const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: example.com\r\n\r\n`;

/** Sends `bytes` on a new connection (in pieces, `gapMs` apart, when given several) and reads one exchange. */
async function exchange(port: number, pieces: readonly (string | Buffer)[], options: { gapMs?: number; localAddress?: string; responses?: number } = {}): Promise<{ result: Exchange; socket: Socket }> {
  const socket = await connectTo(port, '127.0.0.1', 2000, options.localAddress);
  socket.on('error', () => {});
  const reading = readResponses(socket, { deadlineMs: 3000, responses: options.responses });
  for (const piece of pieces) {
    socket.write(piece);
    if (options.gapMs !== undefined) await sleep(options.gapMs);
  }
  return { result: await reading, socket };
}

/** The body of the one response of an exchange, or a description of what happened instead. */
function bodyOf(result: Exchange): string {
  const response = result.responses.find((candidate) => !candidate.interim);
  return response === undefined ? `(no response: closed=${result.closed} timedOut=${result.timedOut})` : `${response.status} ${response.body.toString()}`;
}

export function proxyProtocolSuite(kit: Kit): void {
  describeSuite(kit, 'proxy-protocol', 'the PROXY protocol', () => {
    if (kit.options.refuses?.proxyProtocol === true) {
      it('refuses --proxy-protocol at startup: one line naming the setting, a non-zero exit, no worker', async () => {
        const result = await runNarwhal([...kit.serverArgs, '--proxy-protocol', ROUTES_APP.node]);
        expect(result.code).not.toBe(0);
        expect(result.stderr).not.toMatch(/^\s+at |Booting worker/m);
        expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
        expect(result.stderr).toMatch(/^narwhal: --proxy-protocol: -k \S+ cannot read PROXY headers/m);
      }, 30_000);
      return;
    }
    let apps: string;
    let certs: TestCertificates;
    let node: NarwhalProcess;
    beforeAll(async () => {
      apps = fixtureDir(APPS);
      certs = makeTestCertificates();
      // The bare flag means auto, as in Gunicorn.
      node = await startNarwhal([...kit.serverArgs, '-w', '1', '--proxy-protocol', '--access-logfile', '-', '--access-logformat', LOG_FORMAT, join(apps, 'node.mjs')], { lifetime: 'suite' });
      return () => node.stop(2000);
    }, 30_000);

    it('v1 TCP4: the app and the access log see the proxied client; a keep-alive request after it is not read as a header', async () => {
      const { result, socket } = await exchange(node.port, [`PROXY TCP4 192.0.2.7 192.0.2.1 56324 443\r\n${GET('/first')}`]);
      try {
        expect(bodyOf(result)).toBe('200 192.0.2.7 56324 /first');
        if (kit.keepAlive) {
          // The same connection's next request is HTTP: its client is still the header's, and a second header is a bad request line.
          socket.write(GET('/second'));
          expect(bodyOf(await readResponses(socket, { deadlineMs: 3000 }))).toBe('200 192.0.2.7 56324 /second');
          socket.write('PROXY TCP4 192.0.2.8 192.0.2.1 1 443\r\n');
          expect((await readResponses(socket, { deadlineMs: 3000 })).responses[0]?.status).toBe(400);
        }
      } finally {
        socket.destroy();
      }
      await node.waitForLog(/^192\.0\.2\.7 "GET \/first HTTP\/1\.1" 200$/m, 5000);
    });

    it('v1 TCP6 and UNKNOWN (the connection keeps its own address)', async () => {
      const six = await exchange(node.port, [`PROXY TCP6 2001:db8::5 2001:db8::1 40000 443\r\n${GET('/six')}`]);
      six.socket.destroy();
      expect(bodyOf(six.result)).toBe('200 2001:db8::5 40000 /six');
      const unknown = await exchange(node.port, [`PROXY UNKNOWN\r\n${GET('/unknown')}`]);
      unknown.socket.destroy();
      expect(bodyOf(unknown.result)).toMatch(/^200 127\.0\.0\.1 \d+ \/unknown$/);
    });

    it('refuses a malformed v1 header (a port out of range) with 400 and a close', async () => {
      const { result, socket } = await exchange(node.port, [`PROXY TCP4 192.0.2.7 192.0.2.1 70000 443\r\n${GET('/bad')}`]);
      socket.destroy();
      expect(result.responses[0]?.status).toBe(400);
      expect(result.closed).toBe(true);
    });

    it('v2 over IPv4 with TLVs, split across packets, and over IPv6', async () => {
      const header = v2Header('PROXY', { address: Buffer.from([198, 51, 100, 9]), port: 8080 }, TLVS);
      const split = await exchange(node.port, [header.subarray(0, 5), header.subarray(5, 20), Buffer.concat([header.subarray(20), Buffer.from(GET('/v2'))])], { gapMs: 30 });
      split.socket.destroy();
      expect(bodyOf(split.result)).toBe('200 198.51.100.9 8080 /v2');
      const address = Buffer.alloc(16);
      address.writeUInt16BE(0x2001, 0);
      address.writeUInt16BE(0x0db8, 2);
      address.writeUInt16BE(0x0042, 14);
      const six = await exchange(node.port, [Buffer.concat([v2Header('PROXY', { address, port: 9 }), Buffer.from(GET('/v2six'))])]);
      six.socket.destroy();
      expect(bodyOf(six.result)).toBe('200 2001:db8::42 9 /v2six');
      await node.waitForLog(/^198\.51\.100\.9 "GET \/v2 HTTP\/1\.1" 200$/m, 5000);
    });

    it("v2 with X-Forwarded-For: the connection's own peer (in --forwarded-allow-ips) is trusted, not the header's client", async () => {
      // The default --forwarded-allow-ips holds 127.0.0.1, the peer; the header's client 198.51.100.9 is in no list.
      const header = v2Header('PROXY', { address: Buffer.from([198, 51, 100, 9]), port: 8080 });
      const { result, socket } = await exchange(node.port, [Buffer.concat([header, Buffer.from(`GET /forwarded HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 203.0.113.50\r\n\r\n`)])]);
      socket.destroy();
      expect(bodyOf(result)).toMatch(/^200 203\.0\.113\.50 \S+ \/forwarded$/);
    });

    it('v2 over IPv6 with TLVs (addresses and TLVs over 36 bytes)', async () => {
      const address = Buffer.alloc(16);
      address.writeUInt16BE(0x2001, 0);
      address.writeUInt16BE(0x0db8, 2);
      address.writeUInt16BE(0x0043, 14);
      const { result, socket } = await exchange(node.port, [Buffer.concat([v2Header('PROXY', { address, port: 9 }, TLVS), Buffer.from(GET('/v2long'))])]);
      socket.destroy();
      expect(bodyOf(result)).toBe('200 2001:db8::43 9 /v2long');
    });

    if (kit.keepAlive) {
      it('v2: a header at the start of a later request on a keep-alive connection is not read as one', async () => {
        const first = v2Header('PROXY', { address: Buffer.from([198, 51, 100, 9]), port: 8080 });
        const { result, socket } = await exchange(node.port, [Buffer.concat([first, Buffer.from(GET('/first'))])]);
        try {
          expect(bodyOf(result)).toBe('200 198.51.100.9 8080 /first');
          // A client behind a balancer in TCP mode controls these bytes: a second header would let it name any client.
          socket.write(Buffer.concat([v2Header('PROXY', { address: Buffer.from([203, 0, 113, 66]), port: 1 }), Buffer.from(GET('/second'))]));
          const second = await readResponses(socket, { deadlineMs: 3000 });
          expect(second.responses.map((response) => response.status), bodyOf(second)).not.toContain(200);
        } finally {
          socket.destroy();
        }
      });
    }

    it('v2 LOCAL (a health check by the proxy) keeps the connection\'s own address', async () => {
      const { result, socket } = await exchange(node.port, [Buffer.concat([v2Header('LOCAL', undefined, TLVS), Buffer.from(GET('/local'))])]);
      socket.destroy();
      expect(bodyOf(result)).toMatch(/^200 127\.0\.0\.1 \d+ \/local$/);
    });

    it('refuses a connection without a header with 400 and a close', async () => {
      const { result, socket } = await exchange(node.port, [GET('/plain')]);
      socket.destroy();
      expect(result.responses[0]?.status, bodyOf(result)).toBe(400);
      expect(result.closed).toBe(true);
    });

    it('refuses a malformed v2 header (an unknown command): a 400 or a close, never the app', async () => {
      const header = v2Header('PROXY', { address: Buffer.from([198, 51, 100, 9]), port: 8080 });
      header[12] = 0x2f;
      const { result, socket } = await exchange(node.port, [Buffer.concat([header, Buffer.from(GET('/malformed'))])]);
      socket.destroy();
      expect(result.closed, bodyOf(result)).toBe(true);
      expect(result.responses.map((response) => response.status)).not.toContain(200);
    });

    it('answers a peer not in --proxy-allow-from 403 and closes; serves an allowed one (Fetch contract; the access log shows the client)', async () => {
      const fetch = await startNarwhal([...kit.serverArgs, '-w', '1', '--proxy-protocol', '--proxy-allow-from', '10.0.0.0/8,127.0.0.1', '--access-logfile', '-', '--access-logformat', LOG_FORMAT, join(apps, 'fetch.mjs')]);
      const header = Buffer.concat([v2Header('PROXY', { address: Buffer.from([203, 0, 113, 4]), port: 1234 }), Buffer.from(GET('/fetch'))]);
      const allowed = await exchange(fetch.port, [header]);
      allowed.socket.destroy();
      expect(bodyOf(allowed.result)).toBe('200 /fetch');
      await fetch.waitForLog(/^203\.0\.113\.4 "GET \/fetch HTTP\/1\.1" 200$/m, 5000);
      // 127.0.0.2 is a loopback address too, and not in the list.
      const refused = await exchange(fetch.port, [header], { localAddress: '127.0.0.2' });
      refused.socket.destroy();
      expect(refused.result.responses[0]?.status, bodyOf(refused.result)).toBe(403);
      expect(refused.result.closed).toBe(true);
    }, 30_000);

    it(`closes a connection whose header is not complete within --header-timeout ${HEADER_TIMEOUT_S}`, async () => {
      const slow = await startNarwhal([...kit.serverArgs, '-w', '1', '--proxy-protocol', '--header-timeout', String(HEADER_TIMEOUT_S), join(apps, 'node.mjs')]);
      const socket = (await connectTo(slow.port)).on('error', () => {});
      socket.write(V2_SIGNATURE.subarray(0, 8));
      const started = Date.now();
      const closedAfter = await Promise.race([new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started))), sleep(HEADER_TIMEOUT_S * 1000 + 3000).then(() => Infinity)]);
      socket.destroy();
      expect(closedAfter).toBeLessThan(HEADER_TIMEOUT_S * 1000 + 2000);
    }, 30_000);

    if (kit.options.refuses?.tls !== true) {
      it('reads the header before the TLS handshake, as a proxy sends it', async () => {
        const tls = await startNarwhal([...kit.serverArgs, '-w', '1', '--proxy-protocol', '--certfile', certs.server.cert, '--keyfile', certs.server.key, join(apps, 'node.mjs')]);
        // A one-connection proxy in the middle sends the header and the client's first TLS bytes
        // (its ClientHello) in one write, as a proxy does, then relays both ways.
        const relay = createServer((client) => {
          client.once('data', (hello: Buffer) => {
            const upstream = connect(tls.port, '127.0.0.1', () => upstream.write(Buffer.concat([v2Header('PROXY', { address: Buffer.from([192, 0, 2, 99]), port: 4321 }), hello])));
            upstream.on('error', () => client.destroy()).pipe(client).on('error', () => upstream.destroy());
            client.pipe(upstream);
          });
        });
        await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
        const secure = tlsConnect({ port: (relay.address() as AddressInfo).port, host: '127.0.0.1', ca: readFileSync(certs.ca) }).on('error', () => {});
        try {
          await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
          const reading = readResponses(secure as unknown as Socket, { deadlineMs: 3000 });
          secure.write(GET('/tls'));
          expect(bodyOf(await reading)).toBe('200 192.0.2.99 4321 /tls');
        } finally {
          secure.destroy();
          relay.close();
        }
      }, 30_000);
    }
  });
}
